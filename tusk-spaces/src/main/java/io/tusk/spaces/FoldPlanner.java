package io.tusk.spaces;

import io.tusk.core.encoding.EncodedBlob;
import io.tusk.spaces.crypto.KeyBlob;
import io.tusk.spaces.crypto.Sealer;
import io.tusk.spaces.manifest.CommitDetails;
import io.tusk.spaces.manifest.DataRef;
import io.tusk.spaces.manifest.EntryRecord;
import io.tusk.spaces.manifest.InlineVersion;
import io.tusk.spaces.manifest.KeyIndexCodec;
import io.tusk.spaces.manifest.KeyRef;
import io.tusk.spaces.manifest.SpaceManifest;
import io.tusk.spaces.store.PackBuilder;
import io.tusk.spaces.tree.ChildRef;
import io.tusk.spaces.tree.Keys;
import io.tusk.spaces.tree.Node;
import io.tusk.spaces.tree.TreeEditor;
import io.tusk.spaces.tree.TreeShape;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * Plans a fold (docs/spaces.md, "Inline versions"): a manifest of the inline version a snapshot is, holding every
 * inline version since the manifest before it, with their entries' bytes moved into its pack and their data keys
 * into its one key blob ({@link InlineTail#keyOffsets}: the folded version's own keys first, at their indices).
 * {@link Committer} stores it and moves the head's manifest.
 */
final class FoldPlanner {
    private final Space space;
    private final Spaces spaces;

    FoldPlanner(Space space) {
        this.space = space;
        this.spaces = space.spaces();
    }

    Committer.Plan plan(Snapshot base) {
        List<InlineTail.Held> folded = base.inlineVersions();
        long version = base.version();
        Sealer sealer = base.sealer();
        SpaceManifest previous = base.manifest();
        TreeShape shape = space.shape(previous);

        Map<Long, Integer> keyOffsets = InlineTail.keyOffsets(folded.stream().map(InlineTail.Held::version).toList(),
                version);
        byte[][] keySlots = new byte[folded.stream().mapToInt(h -> h.version().keyCount()).sum()][];
        java.util.TreeSet<byte[]> touched = new java.util.TreeSet<>(Keys.ORDER);
        for (InlineTail.Held h : folded) {
            long v = h.version().version();
            if (h.version().keyCount() > 0) {
                if (h.sealedKeys() == null) {
                    throw new SpaceKeyException("the data keys of inline version " + v + " of space " + space.name()
                            + " are not at hand");
                }
                List<byte[]> keys = InlineVersion.openKeys(sealer, v, h.sealedKeys(), h.version().keyCount());
                for (int i = 0; i < keys.size(); i++) {
                    keySlots[keyOffsets.get(v) + i] = keys.get(i);
                }
            }
            for (InlineVersion.Change c : h.version().open(sealer).changes()) {
                touched.add(c.key());
            }
        }
        List<byte[]> dataKeys = java.util.Arrays.asList(keySlots);
        NavigableMap<byte[], Object> edits = new TreeMap<>(Keys.ORDER);
        for (byte[] key : touched) { // entries still at the head name their keys in this manifest's key blob
            EntryRecord record = base.record(key);
            if (record != null && record.key() != null && keyOffsets.containsKey(record.key().commitVersion())) {
                edits.put(key, record.withData(record.data(), new KeyRef(version,
                        keyOffsets.get(record.key().commitVersion()) + record.key().index())));
            }
        }
        Node root = edits.isEmpty() ? base.root() : new TreeEditor(base.nodes(), shape).apply(base.root(), edits);

        List<EncodedBlob> keyBlobs = new ArrayList<>();
        Node keysRoot = space.keysRoot(base);
        if (!dataKeys.isEmpty()) {
            EncodedBlob blob = spaces.encode(new KeyBlob(space.ownerAddress(), space.name(), version, dataKeys).toBytes(sealer));
            keyBlobs.add(blob);
            NavigableMap<byte[], Object> keyEdits = new TreeMap<>(Keys.ORDER);
            keyEdits.put(KeyIndexCodec.key(version), blob.blobId());
            keysRoot = new TreeEditor(spaces.nodeLoader(Space.KEY_NODES, sealer), shape).apply(keysRoot, keyEdits);
        }
        PackBuilder packer = new PackBuilder(spaces.quiltEncoder(), sealer);
        heldData(root, java.util.Collections.newSetFromMap(new IdentityHashMap<>())).forEach(packer::addData);
        packer.addTree(root, Snapshot.ENTRY_NODES);
        packer.addTree(keysRoot, Space.KEY_NODES);
        PackBuilder.Pack pack = packer.build();
        EncodedBlob encodedPack = pack.quilt() == null ? null : spaces.encode(pack.quilt());
        List<SpaceManifest.Write> writes = new ArrayList<>();
        if (encodedPack != null) {
            writes.add(new SpaceManifest.Write(encodedPack.blobId(), null));
        }
        keyBlobs.forEach(k -> writes.add(new SpaceManifest.Write(k.blobId(), null)));
        CommitDetails details = folded.getLast().version().open(sealer).details();
        SpaceManifest manifest = new SpaceManifest(space.ownerAddress(), space.name(), version, base.manifestId(),
                base.commitTimeMillis(), previous.nextSkips(base.manifestId(), version),
                encodedPack == null ? null : encodedPack.blobId(), shape.fanoutBits(), root == null ? 0 : root.count(),
                pack.storedRoots().get(0), pack.storedRoots().get(1), previous.encryption(), previous.tags(),
                previous.pruned(), previous.kept(), writes, sealer.seal("details", details.toBytes()),
                folded.stream().map(InlineTail.Held::bytes).toList());
        EncodedBlob encodedManifest = spaces.encode(manifest.toBytes());
        return new Committer.Plan(version, base.commitTimeMillis(), encodedPack, keyBlobs, encodedManifest, List.of(), 0);
    }

    /** The held bytes of inline entries in the nodes of {@code node} not stored yet: they go into the fold's pack. */
    private static List<DataRef.Pending> heldData(Node node, Set<DataRef.Pending> seen) {
        List<DataRef.Pending> out = new ArrayList<>();
        if (node == null) {
            return out;
        }
        for (int i = 0; i < node.size(); i++) {
            if (node.isLeaf()) {
                if (((EntryRecord) node.value(i)).data() instanceof DataRef.Pending p && seen.add(p)) {
                    out.add(p);
                }
            } else if (node.child(i) instanceof ChildRef.Fresh fresh) {
                out.addAll(heldData(fresh.node(), seen));
            }
        }
        return out;
    }
}
