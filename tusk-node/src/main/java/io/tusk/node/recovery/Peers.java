package io.tusk.node.recovery;

import io.tusk.core.failpoint.FailPoints;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.core.encoding.InconsistencyProof;
import io.tusk.core.encoding.RecoverySymbol;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.messages.SignedMessage;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadataWithId;
import io.tusk.node.client.HttpStorageNodeClient;
import io.tusk.node.client.NodeEndpoint;
import io.tusk.node.client.StorageNodeClient;
import io.tusk.node.client.SymbolId;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The committee of one epoch as recovery sees it: each member's node client, key, shards and index (for certificate
 * signers), and which member is this node. Clients are kept per network address across epochs; the bytes they
 * receive are counted in {@link RecoveryMetrics}.
 */
final class Peers implements AutoCloseable {
    /** A committee member. {@code self} is this node. */
    record Peer(int index, String name, String address, BlsPublicKey key, List<Integer> shards, boolean self,
                StorageNodeClient client) {
        int weight() {
            return shards.size();
        }

        @Override
        public String toString() {
            return name + "@" + address;
        }
    }

    private final Map<String, StorageNodeClient> clients = new ConcurrentHashMap<>();
    private final Duration timeout;
    private final RecoveryMetrics metrics;
    private volatile Snapshot current;

    record Snapshot(long epoch, int shardCount, List<Peer> members, Peer[] ownerOfShard) {
        Peer owner(int shard) {
            return ownerOfShard[shard];
        }
    }

    Peers(Duration timeout, RecoveryMetrics metrics) {
        this.timeout = timeout;
        this.metrics = metrics;
    }

    Snapshot current() {
        return current;
    }

    /** Replaces the committee (if its epoch or membership changed). */
    Snapshot update(CommitteeInfo committee, BlsPublicKey self) {
        Snapshot existing = current;
        if (existing != null && existing.epoch() == committee.epoch() && existing.members().size() == committee.members().size()) {
            return existing;
        }
        List<Peer> members = new ArrayList<>();
        Peer[] owners = new Peer[committee.shardCount()];
        List<CommitteeMember> list = committee.members();
        for (int i = 0; i < list.size(); i++) {
            CommitteeMember m = list.get(i);
            String address = m.networkAddress();
            StorageNodeClient client = clients.computeIfAbsent(address, a -> new HttpStorageNodeClient(a, timeout,
                    (endpoint, bytes) -> {
                        if (endpoint == NodeEndpoint.METADATA) {
                            metrics.metadataFetched(bytes);
                        } else if (endpoint == NodeEndpoint.RECOVERY_SYMBOLS) {
                            metrics.symbolsFetched(bytes);
                        }
                    }));
            Peer peer = new Peer(i, m.name(), address, BlsPublicKey.fromBytes(m.blsPublicKey()), List.copyOf(m.shards()),
                    Arrays.equals(m.blsPublicKey(), self.bytes()), client);
            members.add(peer);
            for (int shard : m.shards()) {
                owners[shard] = peer;
            }
        }
        Snapshot snapshot = new Snapshot(committee.epoch(), committee.shardCount(), List.copyOf(members), owners);
        current = snapshot;
        return snapshot;
    }

    // ---- requests ----

    /** The peer's metadata, its blob ID checked (the caller verifies the hashes). */
    static BlobMetadataWithId metadata(Peer peer, BlobId blobId) {
        BlobMetadataWithId parsed = peer.client().metadata(blobId);
        if (!parsed.blobId().equals(blobId)) {
            throw new IllegalStateException(peer + " answered metadata of blob " + parsed.blobId() + " for " + blobId);
        }
        return parsed;
    }

    /**
     * Symbols by ID ({@code primary-secondary}) proven against slivers of {@code proofAxis}. The answer is parsed but
     * not verified.
     */
    static List<RecoverySymbol> symbols(Peer peer, BlobId blobId, Collection<String> ids, SliverType proofAxis) {
        FailPoints.hit("node.recovery-fetch");
        return peer.client().recoverySymbols(blobId, ids.stream().map(SymbolId::parse).toList(), proofAxis);
    }

    /** Posts an inconsistency proof; the answer is the peer's signed invalid-blob-ID message (not yet verified). */
    static SignedMessage postProof(Peer peer, BlobId blobId, InconsistencyProof proof) {
        return peer.client().inconsistencyProof(blobId, proof);
    }

    @Override
    public void close() {
        clients.values().forEach(StorageNodeClient::close);
        clients.clear();
    }
}
