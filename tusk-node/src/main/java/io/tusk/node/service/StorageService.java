package io.tusk.node.service;

import io.tusk.core.failpoint.FailPoints;

import io.tusk.core.api.ErrorReason;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.InvalidBlobIdMessage;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.messages.SignedMessage;
import io.tusk.core.messages.StorageConfirmation;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.InconsistencyProof;
import io.tusk.core.encoding.InvalidSliverException;
import io.tusk.core.encoding.RecoverySymbol;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverExpansion;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadata;
import io.tusk.core.metadata.BlobMetadataWithId;
import io.tusk.core.metadata.MetadataVerificationException;
import io.tusk.node.store.BlobInfo;
import io.tusk.node.store.BlobStatus;
import io.tusk.node.store.NodeStore;
import io.tusk.node.store.PendingArea;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;

/**
 * The storage node's request logic, independent of HTTP: what Walrus's {@code StorageNode} does for each REST
 * endpoint. Every refusal is a {@link NodeException} carrying the Walrus error; anything else is a bug or a store
 * failure and becomes a 500.
 *
 * <p>Thread-safe. Writes of data race benignly with event application: a blob deleted while a sliver is being
 * written leaves a sliver that the next collection of that blob removes.
 */
public final class StorageService {
    private static final Logger LOG = LoggerFactory.getLogger(StorageService.class);
    /** Walrus's default and cap for {@code wait_millis} on confirmations. */
    public static final long DEFAULT_WAIT_MILLIS = 5_000;

    private final NodeStore store;
    private final PendingArea pending;
    private final NodeState state;
    private final BlsKeyPair key;
    private final NodeMetrics metrics;
    private final long maxWaitMillis;
    private final Semaphore longPolls;

    public StorageService(NodeStore store, PendingArea pending, NodeState state, BlsKeyPair key,
                          NodeMetrics metrics, long maxWaitMillis, int maxLongPolls) {
        this.store = store;
        this.pending = pending;
        this.state = state;
        this.key = key;
        this.metrics = metrics;
        this.maxWaitMillis = maxWaitMillis;
        this.longPolls = new Semaphore(maxLongPolls);
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

    private CommitteeView knownView() {
        CommitteeView view = state.view();
        if (!view.isKnown()) {
            throw new NodeException(ErrorReason.NOT_REGISTERED, "the node has not learnt the committee yet");
        }
        return view;
    }

    private boolean isRegistered(BlobId blobId, long epoch) {
        return store.blobInfo(blobId).map(i -> i.isRegistered(epoch)).orElse(false);
    }

    private static NodeException notRegistered() {
        return new NodeException(ErrorReason.NOT_REGISTERED, "the blob has not been registered or has already expired");
    }

    // ---- metadata ----

    /** {@code PUT /v1/blobs/{id}/metadata}: verifies the BCS {@code BlobMetadata} body and stores or buffers it. */
    public WriteOutcome putMetadata(BlobId blobId, byte[] body, boolean allowPending) {
        BlobMetadata metadata = parseMetadata(body);
        CommitteeView view = knownView();
        EncodingConfig config = view.encodingConfig();
        boolean registered = isRegistered(blobId, view.epoch());
        if (!registered && !allowPending) {
            throw notRegistered();
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

    // ---- slivers ----

    /** Checks the pair index against {@code n} and that this node holds the pair's shard; returns the shard. */
    private static int checkPair(BlobId blobId, int pairIndex, CommitteeView view) {
        int n = view.shardCount();
        if (pairIndex < 0 || pairIndex >= n) {
            throw new NodeException(ErrorReason.INDEX_OUT_OF_RANGE, "requires 0 <= index (" + pairIndex + ") < " + n);
        }
        int shard = blobId.shardForPair(pairIndex, n);
        if (!view.owns(shard)) {
            throw new NodeException(ErrorReason.SHARD_NOT_ASSIGNED, "shard " + shard + " is not assigned to this node in epoch "
                    + view.epoch());
        }
        return shard;
    }

    /** Like {@link #checkPair}, but a shard lost at the last epoch change stays readable until its new owner synced. */
    private int checkReadablePair(BlobId blobId, int pairIndex, CommitteeView view) {
        int n = view.shardCount();
        if (pairIndex >= 0 && pairIndex < n && state.retainedShards().contains(blobId.shardForPair(pairIndex, n))) {
            return blobId.shardForPair(pairIndex, n);
        }
        return checkPair(blobId, pairIndex, view);
    }

    private static int sliverIndex(int pairIndex, SliverType type, int n) {
        return type == SliverType.PRIMARY ? pairIndex : n - 1 - pairIndex;
    }

    /** {@code PUT /v1/blobs/{id}/slivers/{pair}/{type}}: checks the BCS {@code SliverData} and stores or buffers it. */
    public WriteOutcome putSliver(BlobId blobId, int pairIndex, SliverType type, byte[] body, boolean allowPending) {
        CommitteeView view = knownView();
        int shard = checkPair(blobId, pairIndex, view);
        Sliver sliver;
        try {
            sliver = Sliver.fromBcs(type, body);
        } catch (IllegalArgumentException e) {
            throw new NodeException(ErrorReason.INVALID_CONTENT_TYPE, "the body is not a BCS SliverData: " + e.getMessage());
        }
        int expectedIndex = sliverIndex(pairIndex, type, view.shardCount());
        if (sliver.index() != expectedIndex) {
            throw new NodeException(ErrorReason.SLIVER_INDEX_MISMATCH, "the " + type.wireName() + " sliver of pair " + pairIndex
                    + " has index " + expectedIndex + ", the body says " + sliver.index());
        }
        boolean registered = isRegistered(blobId, view.epoch());
        if (!registered && !allowPending) {
            throw notRegistered();
        }
        Optional<BlobMetadata> metadata = store.metadata(blobId);
        if (metadata.isEmpty() && !registered) {
            metadata = pending.metadata(blobId);
        }
        if (metadata.isEmpty()) {
            throw new NodeException(ErrorReason.MISSING_METADATA, "the metadata of the blob must be stored before its slivers");
        }
        boolean stored = store.hasSliver(shard, type, blobId);
        if (stored && store.sliver(shard, type, blobId).map(bytes -> Arrays.equals(bytes, body)).orElse(false)) {
            return WriteOutcome.ALREADY_STORED; // the same bytes were verified when stored: a retry costs no hashing
        }
        try {
            sliver.verify(view.encodingConfig(), metadata.get());
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

    /** {@code GET /v1/blobs/{id}/slivers/{pair}/{type}}: the stored BCS {@code SliverData}. */
    public byte[] getSliver(BlobId blobId, int pairIndex, SliverType type) {
        CommitteeView view = knownView();
        int shard = checkReadablePair(blobId, pairIndex, view);
        return store.sliver(shard, type, blobId).orElseThrow(
                () -> new NodeException(ErrorReason.SLIVER_NOT_FOUND, "the requested sliver was not found"));
    }

    public StoredState sliverStatus(BlobId blobId, int pairIndex, SliverType type) {
        CommitteeView view = knownView();
        int shard = checkPair(blobId, pairIndex, view);
        if (store.hasSliver(shard, type, blobId)) {
            return StoredState.STORED;
        }
        return pending.hasSliver(blobId, pairIndex, type) ? StoredState.BUFFERED : StoredState.NONEXISTENT;
    }

    // ---- pending data ----

    private void movePendingInIfRegistered(BlobId blobId) {
        CommitteeView view = state.view();
        if (view.isKnown() && isRegistered(blobId, view.epoch())) {
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

    // ---- confirmations ----

    /**
     * {@code GET …/confirmation/permanent} ({@code objectId == null}) or {@code …/deletable/{objectId}}: signs a
     * storage confirmation for the current epoch if the blob is registered with that persistence and every sliver of
     * every shard this node holds is stored. With {@code waitForRegistration} a NOT_REGISTERED outcome is retried
     * until the registration arrives or the wait ends.
     */
    public SignedMessage confirmation(BlobId blobId, ObjectId objectId, boolean waitForRegistration,
                                                  long waitMillis) throws InterruptedException {
        try {
            return tryConfirmation(blobId, objectId);
        } catch (NodeException e) {
            if (e.reason() != ErrorReason.NOT_REGISTERED || !waitForRegistration) {
                throw e;
            }
            if (!longPolls.tryAcquire()) {
                throw e;
            }
            try {
                long wait = Math.min(Math.max(waitMillis, 0), maxWaitMillis);
                long deadline = System.nanoTime() + NodeState.millisToNanos(wait);
                while (true) {
                    long seen = state.version();
                    try {
                        return tryConfirmation(blobId, objectId);
                    } catch (NodeException again) {
                        long remaining = deadline - System.nanoTime();
                        if (again.reason() != ErrorReason.NOT_REGISTERED || remaining <= 0) {
                            throw again;
                        }
                        state.awaitChange(seen, remaining);
                    }
                }
            } finally {
                longPolls.release();
            }
        }
    }

    private SignedMessage tryConfirmation(BlobId blobId, ObjectId objectId) {
        CommitteeView view = knownView();
        long epoch = view.epoch();
        BlobInfo info = store.blobInfo(blobId).orElse(BlobInfo.EMPTY);
        boolean registered = objectId == null ? info.hasLivePermanent(epoch)
                : info.liveDeletable(objectId.bytes(), epoch).isPresent();
        if (!registered) {
            throw notRegistered();
        }
        if (!storesAllSlivers(blobId, view)) {
            throw new NodeException(ErrorReason.MISSING_SLIVERS, "the node does not yet store all slivers of the blob for its shards");
        }
        FailPoints.hit("node.confirmation-sign");
        BlobPersistence persistence = objectId == null ? BlobPersistence.PERMANENT : BlobPersistence.deletable(objectId);
        byte[] message = new StorageConfirmation(epoch, blobId, persistence).toBcs();
        SignedMessage signed = new SignedMessage(message, key.sign(message));
        metrics.confirmationSigned();
        return signed;
    }

    /** Metadata and both slivers of every shard the node holds in the current epoch. */
    public boolean storesAllSlivers(BlobId blobId, CommitteeView view) {
        if (!store.hasMetadata(blobId)) {
            return false;
        }
        for (int shard : view.ownedShards()) {
            if (!store.hasSliver(shard, SliverType.PRIMARY, blobId)
                    || !store.hasSliver(shard, SliverType.SECONDARY, blobId)) {
                return false;
            }
        }
        return true;
    }

    // ---- blob status ----

    public BlobStatus blobStatus(BlobId blobId) {
        long epoch = state.view().epoch();
        return store.blobInfo(blobId).map(i -> i.status(epoch)).orElse(BlobStatus.Nonexistent.INSTANCE);
    }

    // ---- inconsistency ----

    /**
     * {@code POST /v1/blobs/{id}/inconsistencyProof/{type}}: checks the BCS {@code InconsistencyProof} against this
     * node's metadata and, if it shows an inconsistent encoding, signs an {@code InvalidBlobIdMessage} for the current
     * epoch (Walrus §2.11).
     */
    public SignedMessage inconsistencyProof(BlobId blobId, SliverType type, byte[] body) {
        CommitteeView view = knownView();
        BlobMetadata metadata = store.metadata(blobId).orElseThrow(() -> new NodeException(ErrorReason.MISSING_METADATA,
                "the metadata of the blob is not stored at this node"));
        InconsistencyProof proof;
        try {
            proof = InconsistencyProof.fromBcs(type, body);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new NodeException(ErrorReason.INVALID_CONTENT_TYPE, "the body is not a BCS InconsistencyProof: "
                    + e.getMessage());
        }
        if (!proof.verify(view.encodingConfig(), metadata)) {
            throw new NodeException(ErrorReason.INVALID_PROOF, "the " + type.wireName()
                    + " inconsistency proof does not show an inconsistent encoding of the blob");
        }
        return signInvalidBlobId(blobId, view.epoch());
    }

    /** This node's attestation that {@code blobId} is invalid, for {@code epoch}. */
    public SignedMessage signInvalidBlobId(BlobId blobId, long epoch) {
        byte[] message = new InvalidBlobIdMessage(epoch, blobId).toBcs();
        LOG.info("attesting invalid blob blobId={} epoch={}", blobId, epoch);
        return new SignedMessage(message, key.sign(message));
    }

    // ---- recovery and decoding symbols ----

    /** The orthogonal axis a symbol's proof is built from; {@code null} means either. */
    public byte[] recoverySymbols(BlobId blobId, List<SymbolId> ids, SliverType proofAxis) {
        if (ids.isEmpty()) {
            throw new NodeException(ErrorReason.NO_SYMBOLS_SPECIFIED, "no symbol IDs were specified");
        }
        CommitteeView view = knownView();
        EncodingConfig config = view.encodingConfig();
        int n = view.shardCount();
        ExpansionCache cache = new ExpansionCache(blobId, config);
        List<RecoverySymbol> out = new ArrayList<>();
        NodeException last = null;
        for (SymbolId id : new TreeSet<>(ids)) {
            if (id.primary() >= n || id.secondary() >= n) {
                last = new NodeException(ErrorReason.INDEX_OUT_OF_RANGE, "symbol " + id + " is outside the " + n + " shards");
                continue;
            }
            List<SliverType> sources = proofAxis != null ? List.of(proofAxis)
                    : List.of(SliverType.PRIMARY, SliverType.SECONDARY);
            RecoverySymbol symbol = null;
            for (SliverType source : sources) {
                int sourceIndex = source == SliverType.PRIMARY ? id.primary() : id.secondary();
                int targetIndex = source == SliverType.PRIMARY ? id.secondary() : id.primary();
                int pair = source == SliverType.PRIMARY ? sourceIndex : n - 1 - sourceIndex;
                int shard = blobId.shardForPair(pair, n);
                if (!view.owns(shard)) {
                    last = new NodeException(ErrorReason.SYMBOL_NOT_PRESENT_AT_SHARDS, "symbol " + id
                            + " is not present at the shards of this node");
                    continue;
                }
                SliverExpansion expansion = cache.get(shard, source);
                if (expansion == null) {
                    last = new NodeException(ErrorReason.SLIVER_NOT_FOUND, "the " + source.wireName() + " sliver " + sourceIndex
                            + " needed for symbol " + id + " is not stored");
                    continue;
                }
                symbol = expansion.recoverySymbol(targetIndex);
                break;
            }
            if (symbol != null) {
                out.add(symbol);
            }
        }
        if (out.isEmpty()) {
            throw last;
        }
        return writeSymbols(out);
    }

    /**
     * Every symbol this node can supply to rebuild sliver {@code targetIndex} of {@code targetType}: one per shard it
     * holds, computed from that shard's sliver of the other axis, in shard order.
     */
    public byte[] recoverySymbolsForTarget(BlobId blobId, int targetIndex, SliverType targetType, SliverType proofAxis) {
        CommitteeView view = knownView();
        int n = view.shardCount();
        if (proofAxis != null && proofAxis != targetType.orthogonal()) {
            throw new NodeException(ErrorReason.INVALID_FILTER, "symbols for a " + targetType.wireName()
                    + " sliver are proven against " + targetType.orthogonal().wireName() + " slivers, not "
                    + proofAxis.wireName());
        }
        if (targetIndex < 0 || targetIndex >= n) {
            throw new NodeException(ErrorReason.INDEX_OUT_OF_RANGE, "requires 0 <= index (" + targetIndex + ") < " + n);
        }
        SliverType source = targetType.orthogonal();
        ExpansionCache cache = new ExpansionCache(blobId, view.encodingConfig());
        List<RecoverySymbol> out = new ArrayList<>();
        for (int shard : view.ownedShards()) {
            SliverExpansion expansion = cache.get(shard, source);
            if (expansion != null) {
                out.add(expansion.recoverySymbol(targetIndex));
            }
        }
        if (out.isEmpty()) {
            throw new NodeException(ErrorReason.SLIVER_NOT_FOUND, "the node stores no " + source.wireName() + " sliver of the blob");
        }
        return writeSymbols(out);
    }

    private static byte[] writeSymbols(List<RecoverySymbol> symbols) {
        BcsWriter w = new BcsWriter();
        w.uleb128(symbols.size());
        for (RecoverySymbol s : symbols) {
            s.writeBcs(w);
        }
        return w.toByteArray();
    }

    /**
     * {@code GET …/decodingSymbols}: for each requested source sliver of {@code targetType}, the symbols this node's
     * slivers of the other axis hold for it, without proofs. BCS {@code map<u16, vec<EitherDecodingSymbol>>}.
     */
    public byte[] decodingSymbols(BlobId blobId, List<Integer> targetSlivers, SliverType targetType) {
        if (targetSlivers.isEmpty()) {
            throw new NodeException(ErrorReason.NO_TARGET_SLIVERS_SPECIFIED, "no target slivers were specified");
        }
        CommitteeView view = knownView();
        EncodingConfig config = view.encodingConfig();
        // A primary sliver is a row of s source symbols; it is rebuilt from secondary slivers (a column code of s).
        int limit = targetType == SliverType.PRIMARY ? config.primarySourceSymbols() : config.secondarySourceSymbols();
        TreeSet<Integer> targets = new TreeSet<>();
        for (int t : targetSlivers) {
            if (t < 0 || t >= limit) {
                throw new NodeException(ErrorReason.RECOVERY_SYMBOL_OUT_OF_RANGE, "target " + targetType.wireName() + " sliver " + t
                        + " is not a source sliver (< " + limit + ")");
            }
            targets.add(t);
        }
        ExpansionCache cache = new ExpansionCache(blobId, config);
        SliverType source = targetType.orthogonal();
        Map<Integer, List<RecoverySymbol>> found = new HashMap<>();
        for (int t : targets) {
            for (int shard : view.ownedShards()) {
                SliverExpansion expansion = cache.get(shard, source);
                if (expansion != null) {
                    found.computeIfAbsent(t, k -> new ArrayList<>()).add(expansion.recoverySymbol(t));
                }
            }
        }
        if (found.isEmpty()) {
            throw new NodeException(ErrorReason.SLIVER_NOT_FOUND, "the node stores no " + source.wireName() + " sliver of the blob");
        }
        // Map keys in BCS byte order: u16 little-endian, so compare by the low byte first.
        List<Integer> keys = new ArrayList<>(found.keySet());
        keys.sort((a, b) -> {
            int c = Integer.compare(a & 0xFF, b & 0xFF);
            return c != 0 ? c : Integer.compare(a >>> 8, b >>> 8);
        });
        BcsWriter w = new BcsWriter();
        w.uleb128(keys.size());
        for (int key : keys) {
            w.u16(key);
            List<RecoverySymbol> symbols = found.get(key);
            w.uleb128(symbols.size());
            for (RecoverySymbol s : symbols) {
                w.uleb128(targetType.tag());
                w.u16(s.sourceIndex());
                w.bytes(s.data());
            }
        }
        return w.toByteArray();
    }

    /** Parses and expands each stored sliver once per request. */
    private final class ExpansionCache {
        private final BlobId blobId;
        private final EncodingConfig config;
        private final Map<Long, Optional<SliverExpansion>> cache = new HashMap<>();

        ExpansionCache(BlobId blobId, EncodingConfig config) {
            this.blobId = blobId;
            this.config = config;
        }

        SliverExpansion get(int shard, SliverType type) {
            long key = ((long) shard << 1) | type.tag();
            return cache.computeIfAbsent(key, k -> store.sliver(shard, type, blobId)
                    .map(bcs -> new SliverExpansion(config, Sliver.fromBcs(type, bcs)))).orElse(null);
        }
    }
}
