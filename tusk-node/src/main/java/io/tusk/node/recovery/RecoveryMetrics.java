package io.tusk.node.recovery;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/** Recovery meters, and the same figures as plain numbers for tests and benchmarks. Thread-safe. */
public final class RecoveryMetrics {
    private final Counter sliversRecovered;
    private final Counter blobsRecovered;
    private final Counter bytesFetched;
    private final Counter bytesRebuilt;
    private final Counter failures;
    private final Counter inconsistent;
    private final AtomicLong sliversCount = new AtomicLong();
    private final AtomicLong blobsCount = new AtomicLong();
    private final AtomicLong fetched = new AtomicLong();
    private final AtomicLong metadataFetched = new AtomicLong();
    private final AtomicLong rebuilt = new AtomicLong();
    private final AtomicLong failureCount = new AtomicLong();
    private final AtomicLong requests = new AtomicLong();

    public RecoveryMetrics(MeterRegistry registry, Supplier<Number> pending) {
        sliversRecovered = Counter.builder("tusk_node_recovery_slivers_recovered")
                .description("slivers rebuilt from recovery symbols and stored").register(registry);
        blobsRecovered = Counter.builder("tusk_node_recovery_blobs_recovered")
                .description("blobs whose missing slivers were all rebuilt").register(registry);
        bytesFetched = Counter.builder("tusk_node_recovery_fetched").baseUnit("bytes")
                .description("bytes of recovery-symbol and metadata answers received from other nodes").register(registry);
        bytesRebuilt = Counter.builder("tusk_node_recovery_rebuilt").baseUnit("bytes")
                .description("sliver data bytes rebuilt").register(registry);
        failures = Counter.builder("tusk_node_recovery_failures")
                .description("recovery attempts of a blob that left slivers missing (retried later)").register(registry);
        inconsistent = Counter.builder("tusk_node_recovery_inconsistent_blobs")
                .description("blobs found inconsistently encoded while rebuilding").register(registry);
        Gauge.builder("tusk_node_recovery_pending", pending).description("blobs waiting for recovery").register(registry);
    }

    void symbolsFetched(long bytes) {
        bytesFetched.increment(bytes);
        fetched.addAndGet(bytes);
        requests.incrementAndGet();
    }

    void metadataFetched(long bytes) {
        bytesFetched.increment(bytes);
        metadataFetched.addAndGet(bytes);
        requests.incrementAndGet();
    }

    void sliverRecovered(long dataBytes) {
        sliversRecovered.increment();
        bytesRebuilt.increment(dataBytes);
        sliversCount.incrementAndGet();
        rebuilt.addAndGet(dataBytes);
    }

    void blobRecovered() {
        blobsRecovered.increment();
        blobsCount.incrementAndGet();
    }

    void failure() {
        failures.increment();
        failureCount.incrementAndGet();
    }

    void inconsistent() {
        inconsistent.increment();
    }

    /** A snapshot of the counters since start. */
    public Snapshot snapshot() {
        return new Snapshot(sliversCount.get(), blobsCount.get(), fetched.get(), metadataFetched.get(), rebuilt.get(),
                failureCount.get(), requests.get());
    }

    /**
     * @param symbolBytesFetched   bytes of recoverySymbols answers (symbols with their proofs and framing)
     * @param metadataBytesFetched bytes of metadata answers
     * @param bytesRebuilt         sliver data bytes rebuilt
     */
    public record Snapshot(long sliversRecovered, long blobsRecovered, long symbolBytesFetched, long metadataBytesFetched,
                           long bytesRebuilt, long failures, long requests) {
        /** Fetched over rebuilt, metadata included. */
        public double trafficRatio() {
            return bytesRebuilt == 0 ? 0 : (double) (symbolBytesFetched + metadataBytesFetched) / bytesRebuilt;
        }
    }
}
