package io.tusk.node.service;

import io.tusk.core.failpoint.FailPoints;

import io.tusk.core.api.ErrorReason;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadata;
import io.tusk.core.metadata.BlobMetadataWithId;
import io.tusk.node.store.BlobStatus;
import io.tusk.node.store.NodeStore;
import io.tusk.node.store.PendingArea;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * The storage node's request logic, independent of HTTP: what Walrus's {@code StorageNode} does for each REST
 * endpoint. Reads are here; writes are {@link SliverWrites}, what the node signs is {@link Confirmations}, and
 * symbols for other nodes' recovery are {@link SymbolServer}. Every refusal is a {@link NodeException} carrying the
 * Walrus error; anything else is a bug or a store failure and becomes a 500.
 *
 * <p>Thread-safe. Writes of data race benignly with event application: a blob deleted while a sliver is being
 * written leaves a sliver that the next collection of that blob removes.
 */
public final class StorageService {
    /** Walrus's default and cap for {@code wait_millis} on confirmations. */
    public static final long DEFAULT_WAIT_MILLIS = 5_000;

    private final NodeStore store;
    private final PendingArea pending;
    private final NodeState state;
    private final BlsKeyPair key;
    private final NodeMetrics metrics;
    private final BlobChecks checks;
    private final SliverWrites writes;
    private final Confirmations confirmations;
    private final SymbolServer symbols;

    public StorageService(NodeStore store, PendingArea pending, NodeState state, BlsKeyPair key,
                          NodeMetrics metrics, long maxWaitMillis, int maxLongPolls) {
        this.store = store;
        this.pending = pending;
        this.state = state;
        this.key = key;
        this.metrics = metrics;
        this.checks = new BlobChecks(store, state);
        this.writes = new SliverWrites(store, pending, state, metrics, checks);
        this.confirmations = new Confirmations(store, state, key, metrics, checks, maxWaitMillis, maxLongPolls);
        this.symbols = new SymbolServer(store, checks);
    }

    public NodeStore store() {
        return store;
    }

    public NodeState state() {
        return state;
    }

    public BlsPublicKey publicKey() {
        return key.publicKey();
    }

    /** Metadata and sliver uploads. */
    public SliverWrites writes() {
        return writes;
    }

    /** Storage confirmations and invalid-blob attestations. */
    public Confirmations confirmations() {
        return confirmations;
    }

    /** Recovery and decoding symbols. */
    public SymbolServer symbols() {
        return symbols;
    }

    // ---- reads ----

    /** {@code GET /v1/blobs/{id}/metadata}: BCS {@code BlobMetadataWithId}. */
    public byte[] getMetadata(BlobId blobId) {
        BlobMetadata metadata = store.metadata(blobId).orElseThrow(
                () -> new NodeException(ErrorReason.METADATA_NOT_FOUND, "the requested metadata was not found"));
        return new BlobMetadataWithId(blobId, metadata).toBcs();
    }

    public StoredState metadataStatus(BlobId blobId) {
        if (store.hasMetadata(blobId)) {
            return StoredState.STORED;
        }
        return pending.hasMetadata(blobId) ? StoredState.BUFFERED : StoredState.NONEXISTENT;
    }

    /** {@code GET /v1/blobs/{id}/slivers/{pair}/{type}}: the stored BCS {@code SliverData}. */
    public byte[] getSliver(BlobId blobId, int pairIndex, SliverType type) {
        CommitteeView view = checks.knownView();
        int shard = checks.readablePair(blobId, pairIndex, view);
        byte[] sliver = store.sliver(shard, type, blobId).orElseThrow(
                () -> new NodeException(ErrorReason.SLIVER_NOT_FOUND, "the requested sliver was not found"));
        metrics.sliverRead(sliver.length);
        return sliver;
    }

    /**
     * Tusk's batch read ({@code GET /v1/blobs/{id}/slivers/{type}?pair=…}, docs/network.md): the stored BCS
     * {@code SliverData} of each pair asked that this node serves, in the order asked and each once, as BCS
     * {@code vec<SliverData>}. Pairs it cannot serve are left out; the answer stops before the sliver that would take
     * it past {@code maxBytes} (it always holds at least one), so a client asks again for what is missing.
     *
     * @throws NodeException the last refusal, if no pair could be served
     */
    public byte[] getSlivers(BlobId blobId, SliverType type, List<Integer> pairIndices, long maxBytes) {
        if (pairIndices.isEmpty()) {
            throw new NodeException(ErrorReason.INDEX_OUT_OF_RANGE, "no sliver pair was asked for");
        }
        CommitteeView view = checks.knownView();
        List<byte[]> slivers = new ArrayList<>();
        long total = 0;
        NodeException last = null;
        for (int pairIndex : new LinkedHashSet<>(pairIndices)) {
            Optional<byte[]> sliver;
            try {
                sliver = store.sliver(checks.readablePair(blobId, pairIndex, view), type, blobId);
            } catch (NodeException refused) {
                last = refused;
                continue;
            }
            if (sliver.isEmpty()) {
                last = new NodeException(ErrorReason.SLIVER_NOT_FOUND, "the requested sliver was not found");
                continue;
            }
            if (!slivers.isEmpty() && total + sliver.get().length > maxBytes) {
                break;
            }
            slivers.add(sliver.get());
            total += sliver.get().length;
            metrics.sliverRead(sliver.get().length);
        }
        if (slivers.isEmpty()) {
            throw last;
        }
        // Each stored value is a whole BCS SliverData already: the vector is its length and the values end to end.
        BcsWriter out = new BcsWriter((int) total + BcsWriter.uleb128Size(slivers.size()));
        out.uleb128(slivers.size());
        for (byte[] sliver : slivers) {
            out.fixedBytes(sliver);
        }
        return out.finish();
    }

    public StoredState sliverStatus(BlobId blobId, int pairIndex, SliverType type) {
        CommitteeView view = checks.knownView();
        int shard = checks.pair(blobId, pairIndex, view);
        if (store.hasSliver(shard, type, blobId)) {
            return StoredState.STORED;
        }
        return pending.hasSliver(blobId, pairIndex, type) ? StoredState.BUFFERED : StoredState.NONEXISTENT;
    }

    /** Metadata and both slivers of every shard the node holds in {@code view}'s epoch. */
    public boolean storesAllSlivers(BlobId blobId, CommitteeView view) {
        return checks.storesAllSlivers(blobId, view);
    }

    public BlobStatus blobStatus(BlobId blobId) {
        long epoch = state.view().epoch();
        return store.blobInfo(blobId).map(i -> i.status(epoch)).orElse(BlobStatus.Nonexistent.INSTANCE);
    }
}
