package io.tusk.spaces;

import io.tusk.control.api.SpaceHead;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.hash.Blake2b256;
import io.tusk.core.metadata.BlobId;
import io.tusk.spaces.crypto.OwnerKey;
import io.tusk.spaces.crypto.Sealer;
import io.tusk.spaces.manifest.EntryRecord;
import io.tusk.spaces.manifest.SpaceManifest;
import io.tusk.spaces.tree.ChildRef;
import io.tusk.spaces.tree.Keys;
import io.tusk.spaces.tree.Node;
import io.tusk.spaces.tree.NodeSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Makes and checks {@link EntryProof}s. */
public final class EntryProofs {
    private EntryProofs() {
    }

    static EntryProof prove(Snapshot snapshot, String key) {
        byte[] k = Keys.encode(key);
        if (snapshot.manifest() == null) {
            throw new SpaceException("version 0 of a space has no manifest to prove anything with");
        }
        List<byte[]> path = new ArrayList<>();
        Node node = snapshot.root();
        while (node != null && !node.isLeaf()) {
            int i = node.ceiling(k);
            if (i == node.size()) {
                break; // the key is beyond every key: the root alone proves its absence
            }
            ChildRef.Stored child = (ChildRef.Stored) node.child(i);
            path.add(snapshot.space().spaces().slice(child.location()));
            node = snapshot.nodes().load(child, node.key(i), node.level());
        }
        return new EntryProof(snapshot.space().owner(), snapshot.space().name(), snapshot.version(),
                snapshot.manifestBlobId(), snapshot.manifest().toBytes(), path, key);
    }

    /**
     * Checks a proof against a head the checker trusts (from the control plane) and returns the entry it proves, or
     * empty if it proves that the key is absent.
     *
     * @param shardCount the network's shard count (blob IDs depend on it)
     * @param ownerKey   the owner key for an encrypted space, else null
     * @throws VerificationException if the proof does not prove anything about that head
     */
    public static Optional<Entry> check(EntryProof proof, SpaceHead head, int shardCount, OwnerKey ownerKey) {
        if (!proof.owner().equals(head.owner()) || !proof.name().equals(head.name()) || proof.version() != head.version()
                || head.manifestBlobId() == null || !head.manifestBlobId().equals(proof.manifestBlobId())) {
            throw new VerificationException("the proof is for " + proof.owner() + "/" + proof.name() + " version "
                    + proof.version() + ", not for the head " + head.owner() + "/" + head.name() + " version " + head.version());
        }
        BlobId derived = new BlobEncoder(shardCount).computeMetadata(proof.manifest()).blobId();
        if (!derived.toString().equals(head.manifestBlobId())) {
            throw new VerificationException("the proof's manifest bytes have blob ID " + derived + ", the head names "
                    + head.manifestBlobId());
        }
        SpaceManifest manifest = SpaceManifest.parse(proof.manifest());
        if (!manifest.owner().toString().equals(head.owner()) || !manifest.name().equals(head.name())
                || manifest.version() != head.version()) {
            throw new VerificationException("the manifest is not the head's space and version");
        }
        Sealer sealer = sealer(manifest, ownerKey);
        if (manifest.root() == null) {
            return Optional.empty();
        }
        Node node = Snapshot.ENTRY_NODES.decode(sealer.open("node", manifest.root()), manifest.pack());
        byte[] k = Keys.encode(proof.key());
        int step = 0;
        while (!node.isLeaf()) {
            int i = node.ceiling(k);
            if (i == node.size()) {
                return Optional.empty();
            }
            if (step >= proof.path().size()) {
                throw new VerificationException("the proof's path ends at level " + node.level());
            }
            ChildRef.Stored child = (ChildRef.Stored) node.child(i);
            byte[] stored = proof.path().get(step++);
            if (!Arrays.equals(Blake2b256.hash(stored), child.hash())) {
                throw new VerificationException("node " + step + " of the proof does not hash to what its parent holds");
            }
            Map<ChildRef.Stored, Node> one = new HashMap<>();
            one.put(child, Snapshot.ENTRY_NODES.decode(sealer.open("node", stored), child.location().pack()));
            NodeSource source = ref -> one.get(ref);
            node = source.load(child, node.key(i), node.level());
        }
        if (step != proof.path().size()) {
            throw new VerificationException("the proof carries " + (proof.path().size() - step) + " nodes too many");
        }
        int at = node.search(k);
        return at < 0 ? Optional.empty() : Optional.of(Snapshot.toEntry(proof.key(), (EntryRecord) node.value(at)));
    }

    private static Sealer sealer(SpaceManifest manifest, OwnerKey ownerKey) {
        if (manifest.encryption() == null) {
            return Sealer.plain();
        }
        if (ownerKey == null) {
            throw new SpaceKeyException("the space is encrypted: checking an entry proof needs the owner key");
        }
        Map<Integer, byte[]> keys = new HashMap<>();
        for (SpaceManifest.WrappedKey w : manifest.encryption().keys()) {
            keys.put(w.version(), ownerKey.unwrap(manifest.owner(), manifest.name(), w.version(), w.wrapped()));
        }
        return Sealer.encrypted(keys, manifest.encryption().keyVersion());
    }
}
