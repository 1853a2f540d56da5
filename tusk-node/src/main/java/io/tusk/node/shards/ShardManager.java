package io.tusk.node.shards;

import io.tusk.core.failpoint.FailPoints;

import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.control.api.EpochChangeInfo;
import io.tusk.control.client.ControlClient;
import io.tusk.control.api.Command;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.messages.ShardsSyncedMessage;
import io.tusk.core.messages.SignedMessage;
import io.tusk.core.messages.SyncShardMessage;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadata;
import io.tusk.core.metadata.BlobMetadataWithId;
import io.tusk.http.ApiException;
import io.tusk.node.client.HttpStorageNodeClient;
import io.tusk.node.service.NodeException;
import io.tusk.node.service.NodeState;
import io.tusk.node.store.BlobInfo;
import io.tusk.node.store.NodeStore;
import io.tusk.node.store.ObjectInfo;
import io.tusk.http.BackgroundLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The node's side of committee changes: which shards it serves, pulling the shards it gained, reporting them synced,
 * and dropping the shards it lost once their new owners hold them; and the previous owner's side of
 * {@code POST /v1/migrate/sync_shard}.
 *
 * <p>Everything is derived from the control plane (current and previous committee, who reported synced), so a
 * restart just refreshes: a node that has not reported yet syncs again (slivers it already holds are skipped).
 * Refreshes run on one thread of their own, requested at start and on every epoch-change, shards-synced and
 * epoch-change-done event.
 *
 * <ul>
 *   <li>Gained shard: pulled from its previous owner page by page ({@value #PAGE} slivers, ascending blob IDs, each
 *   axis), every sliver verified against the blob's metadata (fetched from the previous owner when missing and
 *   verified against the blob ID) before it is stored. A previous owner that fails is retried with back-off.</li>
 *   <li>Lost shard: stays readable, and servable to its new owner, until the new owner reported synced; then its
 *   slivers are range-deleted and compacted away.</li>
 * </ul>
 */
public final class ShardManager implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ShardManager.class);
    /** Slivers per sync request (Walrus's default {@code sliver_count}). */
    public static final int PAGE = 1000;
    /** The largest {@code sliver_count} a previous owner serves. */
    public static final long MAX_SLIVER_COUNT = 1000;
    private static final int MAX_ATTEMPTS = 8;

    private final NodeStore store;
    private final NodeState state;
    private final BlsKeyPair key;
    private final Ed25519KeyPair account;
    private final ControlClient control;
    /** Sync pages hold up to {@value #PAGE} slivers: a previous owner may take a while to read them. */
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
    /** Runs refreshes, one at a time, when asked; created by the first request (it takes the retry settings). */
    private BackgroundLoop refreshes;
    private volatile ShardMetrics metrics = ShardMetrics.NONE;
    private volatile boolean closed;
    private volatile CommitteeInfo current;
    private volatile CommitteeInfo previous;
    /** The epoch this node last reported its shards synced for (0: none). */
    private volatile int reportedEpoch;
    private volatile long retryMillis = 500;
    private volatile int maxAttempts = MAX_ATTEMPTS;
    private volatile ShardRecovery fallback;

    /**
     * Rebuilds shards from recovery symbols of the other nodes, when their previous owner cannot serve them.
     */
    @FunctionalInterface
    public interface ShardRecovery {
        /**
         * Rebuilds this node's slivers of {@code shards} for every certified blob; returns once they are all stored.
         *
         * @throws InterruptedException when the node closes meanwhile
         */
        void recoverShards(Set<Integer> shards) throws InterruptedException;
    }

    public ShardManager(NodeStore store, NodeState state, BlsKeyPair key, Ed25519KeyPair account, ControlClient control) {
        this.store = store;
        this.state = state;
        this.key = key;
        this.account = account;
        this.control = control;
    }

    /** Where shard sync is measured (default: nowhere). */
    public void setMetrics(ShardMetrics metrics) {
        this.metrics = java.util.Objects.requireNonNull(metrics, "metrics");
    }

    public void setRecoveryFallback(ShardRecovery recovery) {
        this.fallback = recovery;
    }

    /**
     * How long the previous owner of a gained shard is tried before falling back to recovery: {@code attempts}
     * requests per page, waiting {@code backoff} times the attempt number (at most 5 s) between them.
     */
    public void setSyncRetries(int attempts, Duration backoff) {
        if (attempts < 1) {
            throw new IllegalArgumentException("at least one attempt");
        }
        this.maxAttempts = attempts;
        this.retryMillis = Math.max(1, backoff.toMillis());
    }

    /**
     * Asks for a refresh; several requests while one is queued collapse into one. A refresh that fails is tried again
     * (after {@code backoff}, doubling up to 10 s) until one succeeds.
     */
    public synchronized void requestRefresh() {
        if (closed) {
            return;
        }
        if (refreshes == null) {
            refreshes = BackgroundLoop.named("tusk-node-shards", this::refresh)
                    .retryAfter(Duration.ofMillis(retryMillis), Duration.ofMillis(Math.max(retryMillis, 10_000))).start();
        }
        refreshes.wake();
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    private Optional<CommitteeMember> me(CommitteeInfo committee) {
        if (committee == null) {
            return Optional.empty();
        }
        byte[] mine = key.publicKey().bytes();
        return committee.members().stream().filter(m -> Arrays.equals(m.blsPublicKey(), mine)).findFirst();
    }

    private static Set<Integer> shardsOf(Optional<CommitteeMember> member) {
        return member.map(m -> (Set<Integer>) new TreeSet<>(m.shards())).orElse(Set.of());
    }

    /** One pass: learn the committees, serve and sync accordingly, drop what nobody needs from this node any more. */
    void refresh() throws Exception {
        CommitteeInfo cur = control.committee();
        CommitteeInfo prev = control.previousCommittee().orElse(null);
        EpochChangeInfo change = control.epochChange();
        if (change.epoch() != cur.epoch()) {
            throw new IllegalStateException("the epoch moved during the refresh");
        }
        current = cur;
        previous = prev;
        Optional<CommitteeMember> meNow = me(cur);
        Optional<CommitteeMember> meBefore = me(prev);
        Set<Integer> owned = shardsOf(meNow);
        Set<Integer> ownedBefore = shardsOf(meBefore);
        Map<Integer, String> ownerNow = new TreeMap<>();
        for (CommitteeMember m : cur.members()) {
            m.shards().forEach(s -> ownerNow.put(s, m.nodeId()));
        }
        Set<String> synced = new HashSet<>(change.syncedNodes());
        Set<Integer> retained = new TreeSet<>();
        for (int shard : ownedBefore) {
            if (!owned.contains(shard) && !synced.contains(ownerNow.get(shard))) {
                retained.add(shard);
            }
        }
        state.setRetainedShards(retained);

        Set<Integer> gained = new TreeSet<>(owned);
        gained.removeAll(ownedBefore);
        if (prev != null && !gained.isEmpty() && meNow.isPresent() && !synced.contains(meNow.get().nodeId())
                && reportedEpoch < cur.epoch()) {
            store.ensureShards(gained);
            Set<Integer> unserved = new TreeSet<>();
            metrics.syncStarted(gained.size());
            try {
                for (int shard : gained) {
                    try {
                        metrics.shardSynced(syncShard(cur, prev, shard));
                    } catch (PreviousOwnerFailed e) {
                        LOG.warn("shard {}: {}; rebuilding it from recovery symbols of the other nodes", shard,
                                e.getMessage());
                        unserved.add(shard);
                    }
                    metrics.shardDone();
                }
                if (!unserved.isEmpty()) {
                    recoverFromOthers(unserved);
                    metrics.shardsRecovered(unserved.size());
                }
            } finally {
                metrics.syncFinished();
            }
            report(cur.epoch(), meNow.get().nodeId());
        }

        for (int shard : store.storedShards()) {
            if (!owned.contains(shard) && !retained.contains(shard) && !state.view().owns(shard)
                    && store.hasShardData(shard)) {
                store.dropShardData(shard);
                metrics.shardDropped();
                LOG.info("dropped shard {} (lost at the change to epoch {}, its new owner is synced)", shard, cur.epoch());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ pulling

    /** The previous owner of a shard is gone or did not serve it within the bounded retries. */
    static final class PreviousOwnerFailed extends RuntimeException {
        PreviousOwnerFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private void recoverFromOthers(Set<Integer> shards) throws InterruptedException {
        ShardRecovery recovery = fallback;
        if (recovery == null) {
            throw new IllegalStateException("shards " + shards + " were not served by their previous owner and this "
                    + "node has no recovery to fall back to");
        }
        long start = System.nanoTime();
        recovery.recoverShards(shards);
        LOG.info("rebuilt shards {} from recovery symbols of the other nodes in {} ms", shards,
                Duration.ofNanos(System.nanoTime() - start).toMillis());
    }

    /** Pulls a gained shard from its previous owner; returns the slivers stored. */
    private int syncShard(CommitteeInfo cur, CommitteeInfo prev, int shard) {
        CommitteeMember from = prev == null ? null : prev.members().stream().filter(m -> m.shards().contains(shard))
                .findFirst().orElse(null);
        if (from == null) {
            LOG.info("shard {} had no previous owner: nothing to sync", shard);
            return 0;
        }
        EncodingConfig config = new EncodingConfig(cur.shardCount());
        int stored = 0;
        for (SliverType type : List.of(SliverType.PRIMARY, SliverType.SECONDARY)) {
            BlobId start = BlobId.of(new byte[BlobId.LENGTH]);
            while (true) {
                SyncShardResponse page = fetchPage(from, cur.epoch(), shard, type, start);
                try (NodeStore.Batch batch = store.batch()) {
                    for (SyncShardResponse.Entry entry : page.entries()) {
                        if (entry.type() != type || store.hasSliver(shard, type, entry.blobId())) {
                            continue;
                        }
                        Optional<BlobMetadata> metadata = metadataFor(from, entry.blobId(), config);
                        if (metadata.isEmpty()) {
                            LOG.warn("sync of shard {}: no verifiable metadata for blob {}, skipped", shard, entry.blobId());
                            continue;
                        }
                        int pair = entry.blobId().pairForShard(shard, cur.shardCount());
                        int index = type.sliverIndex(pair, cur.shardCount());
                        try {
                            Sliver sliver = Sliver.fromBcs(type, entry.sliverBcs());
                            if (sliver.index() != index) {
                                throw new IllegalArgumentException("sliver " + sliver.index() + " instead of " + index);
                            }
                            sliver.verify(config, metadata.get());
                        } catch (RuntimeException wrong) {
                            // A Byzantine (or corrupted) previous owner: the other nodes' recovery symbols are proven.
                            throw new PreviousOwnerFailed(from.name() + " sent a wrong " + type.wireName() + " sliver of blob "
                                    + entry.blobId() + " for shard " + shard + ": " + wrong.getMessage(), wrong);
                        }
                        batch.putSliver(shard, type, entry.blobId(), entry.sliverBcs());
                        stored++;
                    }
                    FailPoints.hit("node.shard-sync-store");
                    batch.commit();
                }
                if (page.entries().size() < PAGE) {
                    break;
                }
                start = successor(page.entries().getLast().blobId());
                if (start == null) {
                    break;
                }
            }
        }
        LOG.info("synced shard {} from {}: {} slivers stored", shard, from.name(), stored);
        return stored;
    }

    private SyncShardResponse fetchPage(CommitteeMember from, int epoch, int shard, SliverType type, BlobId start) {
        SignedMessage request = new SyncShardMessage(epoch, shard, type, start, PAGE).sign(key);
        Exception last = null;
        int attempts = maxAttempts;
        for (int attempt = 1; attempt <= attempts && !closed; attempt++) {
            try {
                FailPoints.hit("node.shard-sync-fetch");
                byte[] page = new HttpStorageNodeClient(from.networkAddress(), SYNC_TIMEOUT)
                        .syncShard(key.publicKey(), request);
                return SyncShardResponse.fromBcs(page);
            } catch (RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new IllegalStateException("interrupted", e);
                }
                last = e;
            }
            LOG.info("sync of shard {} from {} failed (attempt {} of {}): {}", shard, from.name(), attempt, attempts,
                    last.toString());
            if (attempt < attempts) {
                sleep(Math.min(5_000, retryMillis * attempt));
            }
        }
        if (closed) {
            throw new IllegalStateException("closed");
        }
        throw new PreviousOwnerFailed("the previous owner " + from.name() + " did not serve it after " + attempts
                + " attempts (" + last + ")", last);
    }

    private Optional<BlobMetadata> metadataFor(CommitteeMember from, BlobId blobId, EncodingConfig config) {
        Optional<BlobMetadata> stored = store.metadata(blobId);
        if (stored.isPresent()) {
            return stored;
        }
        try {
            BlobMetadataWithId metadata = new HttpStorageNodeClient(from.networkAddress(), METADATA_TIMEOUT)
                    .metadata(blobId);
            if (!metadata.blobId().equals(blobId)) {
                return Optional.empty();
            }
            metadata.verify(config);
            store.batch().putMetadata(blobId, metadata.metadata()).commit();
            return Optional.of(metadata.metadata());
        } catch (RuntimeException e) {
            LOG.warn("metadata of blob {} from {}: {}", blobId, from.name(), e.toString());
            return Optional.empty();
        }
    }

    /** The next blob ID in byte order, or null after the last. */
    static BlobId successor(BlobId id) {
        byte[] b = id.bytes().clone();
        for (int i = b.length - 1; i >= 0; i--) {
            if (++b[i] != 0) {
                return BlobId.of(b);
            }
        }
        return null;
    }

    private void report(int epoch, String nodeId) {
        byte[] signature = key.sign(new ShardsSyncedMessage(epoch, ObjectId.parse(nodeId)).toBcs()).bytes();
        try {
            control.submit(new Command.ShardsSynced(nodeId, epoch, signature), account);
            LOG.info("reported shards synced for epoch {}", epoch);
        } catch (ApiException e) {
            if (!e.is(ErrorReason.ILLEGAL_TRANSITION)) {
                throw e;
            }
            LOG.info("shards-synced report for epoch {} not needed: {}", epoch, e.getMessage());
        }
        reportedEpoch = epoch;
    }

    // ------------------------------------------------------------------------------------------------ serving

    /**
     * {@code POST /v1/migrate/sync_shard}: the caller (BLS key {@code caller}, from the Authorization header) asks for
     * up to {@code sliver_count} slivers of a shard it owns in the current epoch, from a node that held it before.
     */
    public byte[] serveSyncShard(BlsPublicKey caller, byte[] body) {
        SignedMessage signed;
        SyncShardMessage request;
        try {
            signed = SignedMessage.fromBcs(body);
        } catch (RuntimeException e) {
            throw new NodeException(ErrorReason.INVALID_CONTENT_TYPE, "the body is not a BCS SignedMessage: " + e.getMessage());
        }
        if (!signed.verify(caller)) {
            throw new NodeException(ErrorReason.MESSAGE_VERIFICATION_FAILED, "the signature does not verify with the key "
                    + "in the Authorization header");
        }
        try {
            request = SyncShardMessage.fromBcs(signed.serializedMessage());
        } catch (RuntimeException e) {
            throw new NodeException(ErrorReason.MESSAGE_VERIFICATION_FAILED, "the message is not a sync shard request: "
                    + e.getMessage());
        }
        CommitteeInfo cur = current;
        if (cur == null || cur.epoch() < request.epoch()) {
            try {
                cur = control.committee();
                current = cur;
                previous = control.previousCommittee().orElse(null);
            } catch (RuntimeException e) {
                throw new NodeException(ErrorReason.UNAVAILABLE, "cannot learn the committee: " + e.getMessage());
            }
        }
        if (request.epoch() != cur.epoch()) {
            throw new NodeException(ErrorReason.INVALID_EPOCH, "the request is for epoch " + request.epoch()
                    + ", this node is in epoch " + cur.epoch());
        }
        byte[] callerKey = caller.bytes();
        boolean callerOwns = cur.members().stream().anyMatch(m -> Arrays.equals(m.blsPublicKey(), callerKey)
                && m.shards().contains(request.shardIndex()));
        if (!callerOwns) {
            throw new NodeException(ErrorReason.REQUEST_UNAUTHORIZED, "the caller is not a committee member assigned shard "
                    + request.shardIndex() + " in epoch " + cur.epoch());
        }
        if (request.sliverCount() > MAX_SLIVER_COUNT) {
            throw new NodeException(ErrorReason.SLIVER_COUNT_EXCEEDS_LIMIT, "at most " + MAX_SLIVER_COUNT
                    + " slivers per request, asked for " + request.sliverCount());
        }
        int shard = request.shardIndex();
        boolean held = shardsOf(me(previous)).contains(shard) || shardsOf(me(cur)).contains(shard);
        if (!held || !store.storedShards().contains(shard)) {
            throw new NodeException(ErrorReason.SHARD_NOT_ASSIGNED, "shard " + shard + " was not held by this node");
        }
        int count = (int) request.sliverCount();
        List<SyncShardResponse.Entry> out = new ArrayList<>();
        BlobId from = request.startingBlobId();
        while (out.size() < count && from != null) {
            var page = store.scanSlivers(shard, request.sliverType(), from, count);
            for (var entry : page) {
                if (out.size() < count && certifiedBefore(entry.getKey(), cur.epoch())) {
                    out.add(new SyncShardResponse.Entry(entry.getKey(), request.sliverType(), entry.getValue()));
                }
            }
            if (page.size() < count) {
                break;
            }
            from = successor(page.getLast().getKey());
        }
        return new SyncShardResponse(out).toBcs();
    }

    /** A live object of the blob was certified before {@code epoch} and the blob is not invalid. */
    private boolean certifiedBefore(BlobId blobId, long epoch) {
        BlobInfo info = store.blobInfo(blobId).orElse(null);
        if (info == null || info.isInvalid()) {
            return false;
        }
        for (ObjectInfo o : info.objects()) {
            if (o.isLive(epoch) && o.isCertified() && o.certifiedEpoch() < epoch) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        BackgroundLoop loop;
        synchronized (this) {
            closed = true;
            loop = refreshes;
        }
        // A refresh may be inside RocksDB (dropping a shard's data): the node closes its store right after this, so
        // wait for the refresh to end.
        if (loop != null) {
            loop.close();
        }
    }
}
