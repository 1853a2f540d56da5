package io.tusk.node;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tusk.core.encoding.SliverType;
import io.tusk.http.ServerMetrics;
import io.tusk.node.service.CommitteeView;
import io.tusk.node.service.NodeState;
import io.tusk.node.store.NodeStore;

import java.util.function.ToDoubleFunction;

/**
 * A node's state as gauges: epoch, owned shards, event cursor, what its RocksDB holds (bytes, slivers, blobs) and how
 * RocksDB is coping (memtables, pending compaction, write stalls). Read once before each scrape, so a scrape costs a
 * few property reads and never touches a closed store (the HTTP server that scrapes stops before the store closes).
 */
final class NodeStatusMetrics {
    private final NodeStore store;
    private final NodeState state;
    private volatile Figures figures = Figures.NONE;

    private record Figures(long epoch, long ownedShards, long eventCursor, long sstBytes, long blobFileBytes,
                           long memtableBytes, long primarySlivers, long secondarySlivers, long blobs,
                           long pendingCompactionBytes, long runningCompactions, long writeStopped,
                           long delayedWriteRate, double stallMicros) {
        static final Figures NONE = new Figures(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    NodeStatusMetrics(ServerMetrics metrics, NodeStore store, NodeState state) {
        this.store = store;
        this.state = state;
        MeterRegistry registry = metrics.registry();
        gauge(registry, "tusk_node_epoch", "the epoch of the committee this node follows", null, Figures::epoch);
        gauge(registry, "tusk_node_owned_shards", "shards this node holds in the current epoch", null,
                Figures::ownedShards);
        gauge(registry, "tusk_node_event_cursor", "control-plane events applied (the next event's cursor)", null,
                Figures::eventCursor);
        // Writes not flushed yet are in memtables (and the WAL on disk): counted, or a quiet node would show 0.
        gauge(registry, "tusk_node_stored_bytes", "bytes the node stores: live RocksDB files (slivers, metadata, "
                + "indices) and memtables not yet flushed", "bytes", f -> f.sstBytes() + f.blobFileBytes()
                + f.memtableBytes());
        Gauge.builder("tusk_node_stored_slivers", this, m -> m.figures.primarySlivers())
                .description("slivers stored (RocksDB's estimate), by type").tag("type", "primary").register(registry);
        Gauge.builder("tusk_node_stored_slivers", this, m -> m.figures.secondarySlivers())
                .description("slivers stored (RocksDB's estimate), by type").tag("type", "secondary")
                .register(registry);
        gauge(registry, "tusk_node_stored_blobs", "blobs whose metadata this node stores (RocksDB's estimate)", null,
                Figures::blobs);
        gauge(registry, "tusk_node_rocksdb_sst_bytes", "bytes of live SST files (keys, metadata, small slivers)",
                "bytes", Figures::sstBytes);
        gauge(registry, "tusk_node_rocksdb_blob_file_bytes", "bytes of live blob files (large slivers)", "bytes",
                Figures::blobFileBytes);
        gauge(registry, "tusk_node_rocksdb_memtable_bytes", "bytes in memtables, not yet flushed", "bytes",
                Figures::memtableBytes);
        gauge(registry, "tusk_node_rocksdb_pending_compaction_bytes", "bytes RocksDB estimates compaction must rewrite",
                "bytes", Figures::pendingCompactionBytes);
        gauge(registry, "tusk_node_rocksdb_running_compactions", "compactions running now", null,
                Figures::runningCompactions);
        gauge(registry, "tusk_node_rocksdb_write_stopped", "1 while RocksDB stops writes (too many files to compact)",
                null, Figures::writeStopped);
        gauge(registry, "tusk_node_rocksdb_delayed_write_rate", "the rate RocksDB slows writes to while it stalls "
                + "them (0 when it does not)", "bytes per second", Figures::delayedWriteRate);
        FunctionCounter.builder("tusk_node_rocksdb_write_stall", this, m -> m.figures.stallMicros() / 1e6)
                .description("time writes spent stalled by RocksDB since the node started").baseUnit("seconds")
                .register(registry);
        metrics.beforeScrape(this::refresh);
    }

    private void gauge(MeterRegistry registry, String name, String description, String unit,
                       ToDoubleFunction<Figures> value) {
        Gauge.builder(name, this, m -> value.applyAsDouble(m.figures)).description(description).baseUnit(unit)
                .register(registry);
    }

    void refresh() {
        CommitteeView view = state.view();
        figures = new Figures(view.isKnown() ? view.epoch() : 0, view.isKnown() ? view.ownedShards().size() : 0,
                store.eventCursor(), store.aggregatedProperty("rocksdb.live-sst-files-size"),
                store.aggregatedProperty("rocksdb.live-blob-file-size"),
                store.aggregatedProperty("rocksdb.cur-size-all-mem-tables"),
                store.estimatedSliverCount(SliverType.PRIMARY), store.estimatedSliverCount(SliverType.SECONDARY),
                store.estimatedMetadataCount(), store.aggregatedProperty("rocksdb.estimate-pending-compaction-bytes"),
                store.property("rocksdb.num-running-compactions"), store.property("rocksdb.is-write-stopped"),
                store.property("rocksdb.actual-delayed-write-rate"), store.dbStat("db.user_write_stall_micros"));
    }
}
