package io.tusk.client;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.function.Supplier;

/**
 * The SDK's meters: stores and reads by result with their latency, and their bytes. A long-running user of the SDK
 * (the gateway) passes its registry; others meter into nothing. Thread-safe.
 */
final class ClientMetrics {
    static final ClientMetrics NONE = new ClientMetrics(new SimpleMeterRegistry());

    private final MeterRegistry registry;
    private final Counter storedBytes;
    private final Counter readBytes;

    ClientMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.storedBytes = Counter.builder("tusk_client_stored_bytes").baseUnit("bytes")
                .description("bytes of blobs the SDK stored (unencoded; each chunk of a large file)").register(registry);
        this.readBytes = Counter.builder("tusk_client_read_bytes").baseUnit("bytes")
                .description("bytes of blobs the SDK read from the nodes and verified").register(registry);
    }

    /** Times one store of {@code bytes} (a blob, a quilt, a chunk of a large file). */
    StoreResult store(long bytes, Supplier<StoreResult> store) {
        long start = System.nanoTime();
        String result = "error";
        try {
            StoreResult stored = store.get();
            result = "ok";
            storedBytes.increment(bytes);
            return stored;
        } finally {
            timer("tusk_client_stores", "blob stores: register, upload to a quorum, certify; by result", result)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    /** Times one read from the nodes (metadata, slivers, decoding and checks). */
    byte[] read(Supplier<byte[]> read) {
        long start = System.nanoTime();
        String result = "error";
        try {
            byte[] data = read.get();
            result = "ok";
            readBytes.increment(data.length);
            return data;
        } catch (BlobNotFoundException e) {
            result = "not_found";
            throw e;
        } catch (BlobInvalidException e) {
            result = "invalid";
            throw e;
        } finally {
            timer("tusk_client_reads", "blob reads from the nodes, verified and decoded; by result", result)
                    .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private Timer timer(String name, String description, String result) {
        return Timer.builder(name).description(description).tag("result", result).register(registry);
    }
}
