package io.tusk.node.shards;

import io.tusk.core.failpoint.FailPoints;

import io.tusk.core.metadata.BlobId;
import io.tusk.node.store.BlobInfo;
import io.tusk.node.store.NodeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Garbage collection at an epoch start (Walrus's {@code garbage_collector.rs}, phases 1 and 2 together): every blob
 * whose objects all expired (end epoch at or before the new epoch) loses its blob info, metadata and slivers in every
 * shard; blob info that keeps live objects drops its expired ones. Deleted blobs are already collected when their
 * deletion event is applied ({@code BlobEvents}); both are followed by a compaction so the space is reclaimed.
 *
 * <p>Runs on the event follower's thread, between two events, so no blob event races with it.
 */
public final class GarbageCollector {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);

    private final NodeStore store;
    private final ShardMetrics metrics;
    private volatile long lastCompletedEpoch;

    public GarbageCollector(NodeStore store) {
        this(store, ShardMetrics.NONE);
    }

    public GarbageCollector(NodeStore store, ShardMetrics metrics) {
        this.store = store;
        this.metrics = metrics;
    }

    /** The epoch of the last completed collection (compaction included), 0 before any since start. */
    public long lastCompletedEpoch() {
        return lastCompletedEpoch;
    }

    /** Collects what expired by the start of {@code epoch}; returns the number of blobs removed. */
    public int collect(long epoch) {
        long start = System.nanoTime();
        FailPoints.hit("node.gc-collect");
        int removed = 0;
        int trimmed = 0;
        for (BlobId blobId : store.blobInfoIds()) {
            BlobInfo info = store.blobInfo(blobId).orElse(null);
            if (info == null || info.isInvalid()) {
                continue; // invalid blobs were collected when they were marked; their info stays as a tombstone
            }
            BlobInfo live = info.withoutExpired(epoch);
            if (live.objects().size() == info.objects().size()) {
                continue;
            }
            try (NodeStore.Batch batch = store.batch()) {
                if (live.isEmpty()) {
                    batch.deleteBlobData(blobId);
                    removed++;
                } else {
                    trimmed++;
                }
                batch.putBlobInfo(blobId, live);
                batch.commit();
            }
        }
        store.compactAll(); // also reclaims the space of blobs deleted during the last epoch
        lastCompletedEpoch = epoch;
        metrics.collected(epoch, removed, java.time.Duration.ofNanos(System.nanoTime() - start));
        LOG.info("garbage collection epoch={} blobsRemoved={} blobInfoTrimmed={}", epoch, removed, trimmed);
        return removed;
    }
}
