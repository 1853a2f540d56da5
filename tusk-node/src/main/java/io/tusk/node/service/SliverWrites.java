package io.tusk.node.service;

import io.tusk.core.api.ErrorReason;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.InvalidSliverException;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverBcs;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.failpoint.FailPoints;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadata;
import io.tusk.core.metadata.BlobMetadataWithId;
import io.tusk.core.metadata.MetadataVerificationException;
import io.tusk.node.store.NodeStore;
import io.tusk.node.store.PendingArea;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The node's writes ({@code PUT …/metadata}, {@code PUT …/slivers/{pair}/{type}}): each body is checked (BCS, the
 * metadata against the blob ID, a sliver against its hash in the metadata) and stored, or buffered in the
 * {@link PendingArea} when the blob is not registered yet and the client said {@code pending=true}; buffered data
 * moves into the store when the registration arrives. Thread-safe.
 */
public final class SliverWrites {
    private static final Logger LOG = LoggerFactory.getLogger(SliverWrites.class);

    private final NodeStore store;
    private final PendingArea pending;
    private final NodeState state;
    private final NodeMetrics metrics;
    private final BlobChecks checks;

    SliverWrites(NodeStore store, PendingArea pending, NodeState state, NodeMetrics metrics, BlobChecks checks) {
        this.store = store;
        this.pending = pending;
        this.state = state;
        this.metrics = metrics;
        this.checks = checks;
    }

    /** {@code PUT /v1/blobs/{id}/metadata}: verifies the BCS {@code BlobMetadata} body and stores or buffers it. */
    public WriteOutcome putMetadata(BlobId blobId, byte[] body, boolean allowPending) {
        BlobMetadata metadata = parseMetadata(body);
        CommitteeView view = checks.knownView();
        EncodingConfig config = view.encodingConfig();
        boolean registered = checks.isRegistered(blobId, view.epoch());
        if (!registered && !allowPending) {
            throw BlobChecks.notRegistered();
        }
        try {
            new BlobMetadataWithId(blobId, metadata).verify(config);
        } catch (MetadataVerificationException e) {
            throw new NodeException(ErrorReason.INVALID_METADATA, e.getMessage());
        }
        if (store.hasMetadata(blobId)) {
            return WriteOutcome.ALREADY_STORED;
        }
        if (!registered) {
            return switch (pending.putMetadata(blobId, metadata, body.length)) {
                case SATURATED -> throw new NodeException(ErrorReason.CACHE_SATURATED, "the pending-upload cache is full");
                case ALREADY_BUFFERED -> WriteOutcome.ALREADY_STORED;
                case BUFFERED -> {
                    movePendingInIfRegistered(blobId);
                    yield WriteOutcome.BUFFERED;
                }
            };
        }
        commit(store.batch().putMetadata(blobId, metadata));
        metrics.metadataStored();
        LOG.debug("stored metadata blobId={}", blobId);
        return WriteOutcome.STORED;
    }

    private static BlobMetadata parseMetadata(byte[] body) {
        // BlobMetadata::V1 tag, then the EncodingType tag: 0 is RedStuff over RaptorQ, which Walrus no longer takes.
        if (body.length >= 2 && body[0] == 0 && body[1] == 0) {
            throw new NodeException(ErrorReason.UNSUPPORTED_ENCODING_TYPE, "encoding type RedStuff/RaptorQ is not supported");
        }
        try {
            return BlobMetadata.fromBcs(body);
        } catch (IllegalArgumentException e) {
            throw new NodeException(ErrorReason.INVALID_CONTENT_TYPE, "the body is not a BCS BlobMetadata: " + e.getMessage());
        }
    }

    /** {@code PUT /v1/blobs/{id}/slivers/{pair}/{type}}: checks the BCS {@code SliverData} and stores or buffers it. */
    public WriteOutcome putSliver(BlobId blobId, int pairIndex, SliverType type, byte[] body, boolean allowPending) {
        return upload(blobId, allowPending).putSliver(pairIndex, type, body);
    }

    /**
     * The writes of one request to slivers of {@code blobId}: the batch route ({@code PUT …/slivers/{type}}) puts
     * each sliver of its body through one upload, so the committee view, the blob's registration and its metadata
     * (read from RocksDB and parsed, 12 % of a node's sliver-write CPU when done per sliver) are looked up once per
     * request instead of once per sliver.
     */
    public Upload upload(BlobId blobId, boolean allowPending) {
        return new Upload(blobId, allowPending);
    }

    /**
     * Slivers of one blob written by one request, each checked, stored or buffered, and answered exactly as a PUT of
     * that sliver alone, in order: the first refusal ends the request, the slivers before it stay stored. The
     * lookups about the blob are made when a sliver first needs them and kept for the rest of the request (so a
     * refusal comes at the same sliver and check as one by one): the slivers are written as if all their PUTs came
     * at that moment. Metadata cannot change under a blob ID (it is verified against it); a registration that lands
     * during the request is still found, by the move of buffered data that each buffered sliver triggers. Not
     * thread-safe: one request's thread.
     */
    public final class Upload {
        private final BlobId blobId;
        private final boolean allowPending;
        private CommitteeView view;
        private Boolean registered;
        private BlobMetadata metadata;

        private Upload(BlobId blobId, boolean allowPending) {
            this.blobId = blobId;
            this.allowPending = allowPending;
        }

        /** Checks the BCS {@code SliverData} {@code body} of pair {@code pairIndex} and stores or buffers it. */
        public WriteOutcome putSliver(int pairIndex, SliverType type, byte[] body) {
            int shard = checks.pair(blobId, pairIndex, view());
            SliverBcs sliver;
            try {
                sliver = SliverBcs.parse(type, body); // checked where it lies, stored as it came: no copy of the symbols
            } catch (IllegalArgumentException e) {
                throw new NodeException(ErrorReason.INVALID_CONTENT_TYPE, "the body is not a BCS SliverData: " + e.getMessage());
            }
            return put(shard, pairIndex, sliver);
        }

        /** Like {@link #putSliver(int, SliverType, byte[])} for a sliver already parsed (from a batch body). */
        public WriteOutcome putSliver(int pairIndex, Sliver sliver) {
            int shard = checks.pair(blobId, pairIndex, view());
            return put(shard, pairIndex, SliverBcs.parse(sliver.type(), sliver.toBcs()));
        }

        private WriteOutcome put(int shard, int pairIndex, SliverBcs sliver) {
            byte[] body = sliver.bcs();
            SliverType type = sliver.type();
            CommitteeView view = view();
            int expectedIndex = type.sliverIndex(pairIndex, view.shardCount());
            if (sliver.index() != expectedIndex) {
                throw new NodeException(ErrorReason.SLIVER_INDEX_MISMATCH, "the " + type.wireName() + " sliver of pair "
                        + pairIndex + " has index " + expectedIndex + ", the body says " + sliver.index());
            }
            boolean registered = registered();
            if (!registered && !allowPending) {
                throw BlobChecks.notRegistered();
            }
            BlobMetadata metadata = metadata(registered);
            boolean stored = store.hasSliver(shard, type, blobId);
            if (stored && store.sliver(shard, type, blobId).map(bytes -> Arrays.equals(bytes, body)).orElse(false)) {
                return WriteOutcome.ALREADY_STORED; // the same bytes were verified when stored: a retry costs no hashing
            }
            try {
                sliver.verify(view.encodingConfig(), metadata);
            } catch (InvalidSliverException e) {
                throw new NodeException(ErrorReason.INVALID_SLIVER, e.getMessage());
            }
            if (stored) {
                return WriteOutcome.ALREADY_STORED;
            }
            if (!registered) {
                return switch (pending.putSliver(blobId, pairIndex, type, body)) {
                    case SATURATED -> throw new NodeException(ErrorReason.CACHE_SATURATED, "the pending-upload cache is full");
                    case ALREADY_BUFFERED -> WriteOutcome.ALREADY_STORED;
                    case BUFFERED -> {
                        movePendingInIfRegistered(blobId);
                        yield WriteOutcome.BUFFERED;
                    }
                };
            }
            store.ensureShards(List.of(shard));
            FailPoints.hit("node.sliver-write");
            commit(store.batch().putSliver(shard, type, blobId, body));
            metrics.sliverStored(body.length);
            LOG.debug("stored sliver blobId={} pair={} type={} shard={}", blobId, pairIndex, type.wireName(), shard);
            return WriteOutcome.STORED;
        }

        private CommitteeView view() {
            if (view == null) {
                view = checks.knownView();
            }
            return view;
        }

        private boolean registered() {
            if (registered == null) {
                registered = checks.isRegistered(blobId, view().epoch());
            }
            return registered;
        }

        /** The blob's stored (or, unregistered, buffered) metadata; refused (MISSING_METADATA) if there is none. */
        private BlobMetadata metadata(boolean registered) {
            if (metadata == null) {
                Optional<BlobMetadata> found = store.metadata(blobId);
                if (found.isEmpty() && !registered) {
                    found = pending.metadata(blobId);
                }
                // Not kept while missing: every later sliver looks again, as its own PUT would.
                metadata = found.orElseThrow(() -> new NodeException(ErrorReason.MISSING_METADATA,
                        "the metadata of the blob must be stored before its slivers"));
            }
            return metadata;
        }
    }

    // ---- pending data ----

    private void movePendingInIfRegistered(BlobId blobId) {
        CommitteeView view = state.view();
        if (view.isKnown() && checks.isRegistered(blobId, view.epoch())) {
            movePendingIn(blobId);
        }
    }

    /**
     * Moves whatever was buffered for {@code blobId} into the store, in one batch. Called when the blob's registration
     * has been applied. Slivers of shards the node no longer holds are dropped.
     *
     * @return the number of items moved
     */
    public int movePendingIn(BlobId blobId) {
        Optional<PendingArea.PendingBlob> taken = pending.take(blobId);
        if (taken.isEmpty()) {
            return 0;
        }
        CommitteeView view = state.view();
        PendingArea.PendingBlob blob = taken.get();
        int moved = 0;
        try (NodeStore.Batch batch = store.batch()) {
            if (blob.metadata().isPresent() && !store.hasMetadata(blobId)) {
                batch.putMetadata(blobId, blob.metadata().get());
                moved++;
            }
            for (PendingArea.PendingSliver s : blob.slivers()) {
                int shard = blobId.shardForPair(s.pairIndex(), view.shardCount());
                if (!view.owns(shard)) {
                    continue;
                }
                store.ensureShards(List.of(shard));
                batch.putSliver(shard, s.type(), blobId, s.bcs());
                moved++;
            }
            batch.commit();
        }
        LOG.info("moved pending data in blobId={} items={}", blobId, moved);
        return moved;
    }

    /**
     * Commits an upload: a store that does not take writes (a full disk, an I/O error) answers 503 with its reason
     * rather than 500, and the client sends to the other nodes; recovery brings the data here once writes work.
     */
    private static void commit(NodeStore.Batch batch) {
        try {
            batch.commit();
        } catch (io.tusk.node.store.StoreException e) {
            throw new NodeException(ErrorReason.UNAVAILABLE, "the node's store does not take writes now: "
                    + e.getMessage());
        }
    }
}
