package io.tusk.node.service;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/** The node's Micrometer meters. Thread-safe. */
public final class NodeMetrics {
    private final MeterRegistry registry;
    private final Counter sliversStored;
    private final Counter sliverBytesStored;
    private final Counter metadataStored;
    private final Counter eventsProcessed;
    private final Counter confirmationsSigned;
    private final Counter sliversRead;
    private final Counter sliverBytesRead;

    public NodeMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.sliversStored = Counter.builder("tusk_node_slivers_stored").description("slivers written to the store")
                .register(registry);
        this.sliverBytesStored = Counter.builder("tusk_node_sliver_stored")
                .description("bytes of sliver bodies written to the store").baseUnit("bytes").register(registry);
        this.metadataStored = Counter.builder("tusk_node_metadata_stored").description("blob metadata written")
                .register(registry);
        this.eventsProcessed = Counter.builder("tusk_node_events_processed")
                .description("control-plane events applied").register(registry);
        this.confirmationsSigned = Counter.builder("tusk_node_confirmations_signed")
                .description("storage confirmations signed").register(registry);
        this.sliversRead = Counter.builder("tusk_node_slivers_read").description("slivers served to readers")
                .register(registry);
        this.sliverBytesRead = Counter.builder("tusk_node_sliver_read")
                .description("bytes of sliver bodies served to readers").baseUnit("bytes").register(registry);
    }

    /** Meters that read the store's health: corruption found and dropped, and whether writes work. */
    public void watch(io.tusk.node.store.StoreHealth health) {
        io.micrometer.core.instrument.FunctionCounter.builder("tusk_node_store_corrupt_slivers", health,
                        h -> h.snapshot().corruptSlivers())
                .description("slivers that failed RocksDB's checksum, dropped for recovery to rebuild").register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("tusk_node_store_corrupt_metadata", health,
                        h -> h.snapshot().corruptMetadata())
                .description("metadata entries that failed RocksDB's checksum, dropped for recovery to fetch again")
                .register(registry);
        io.micrometer.core.instrument.FunctionCounter.builder("tusk_node_store_families_recreated", health,
                        h -> h.snapshot().familiesRecreated())
                .description("column families dropped and recreated empty because of a corrupt SST file").register(registry);
        io.micrometer.core.instrument.Gauge.builder("tusk_node_store_writable", health,
                        h -> h.writeFailure().isEmpty() ? 1 : 0)
                .description("1 while the store takes writes, 0 while they fail (full disk, I/O errors)").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    public void sliverStored(int bytes) {
        sliversStored.increment();
        sliverBytesStored.increment(bytes);
    }

    public void sliverRead(int bytes) {
        sliversRead.increment();
        sliverBytesRead.increment(bytes);
    }

    public void metadataStored() {
        metadataStored.increment();
    }

    public void eventsProcessed(int count) {
        eventsProcessed.increment(count);
    }

    public void confirmationSigned() {
        confirmationsSigned.increment();
    }
}
