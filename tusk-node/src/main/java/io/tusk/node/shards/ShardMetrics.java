package io.tusk.node.shards;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Meters of shard sync (shards pulled from their previous owner or rebuilt) and garbage collection. Thread-safe. */
public final class ShardMetrics {
    /** For nodes and tests that do not export meters. */
    public static final ShardMetrics NONE = new ShardMetrics(new SimpleMeterRegistry());

    private final Counter shardsSynced;
    private final Counter shardsRecovered;
    private final Counter sliversSynced;
    private final Counter shardsDropped;
    private final AtomicLong syncing = new AtomicLong();
    private final Counter gcBlobsRemoved;
    private final Timer gcRuns;
    private final AtomicLong gcLastEpoch = new AtomicLong();

    public ShardMetrics(MeterRegistry registry) {
        shardsSynced = Counter.builder("tusk_node_shard_sync_shards").tag("source", "previous_owner")
                .description("gained shards filled, by where their slivers came from").register(registry);
        shardsRecovered = Counter.builder("tusk_node_shard_sync_shards").tag("source", "recovery")
                .description("gained shards filled, by where their slivers came from").register(registry);
        sliversSynced = Counter.builder("tusk_node_shard_sync_slivers")
                .description("slivers received from previous owners and stored").register(registry);
        shardsDropped = Counter.builder("tusk_node_shards_dropped")
                .description("lost shards whose data was dropped once their new owner was synced").register(registry);
        Gauge.builder("tusk_node_shard_sync_in_progress", syncing, AtomicLong::get)
                .description("gained shards being filled now").register(registry);
        gcBlobsRemoved = Counter.builder("tusk_node_gc_blobs_removed")
                .description("expired blobs whose data garbage collection removed").register(registry);
        gcRuns = Timer.builder("tusk_node_gc_runs").description("garbage collections at epoch starts, compaction "
                + "included").register(registry);
        Gauge.builder("tusk_node_gc_last_epoch", gcLastEpoch, AtomicLong::get)
                .description("the epoch of the last completed garbage collection").register(registry);
    }

    /** A pass over {@code shards} gained shards starts. */
    void syncStarted(int shards) {
        syncing.set(shards);
    }

    /** One gained shard of the pass is done, synced or handed to recovery. */
    void shardDone() {
        syncing.decrementAndGet();
    }

    /** The pass ended, however. */
    void syncFinished() {
        syncing.set(0);
    }

    void shardSynced(int slivers) {
        shardsSynced.increment();
        sliversSynced.increment(slivers);
    }

    void shardsRecovered(int shards) {
        shardsRecovered.increment(shards);
    }

    void shardDropped() {
        shardsDropped.increment();
    }

    void collected(long epoch, int blobsRemoved, Duration took) {
        gcBlobsRemoved.increment(blobsRemoved);
        gcRuns.record(took);
        gcLastEpoch.set(epoch);
    }
}
