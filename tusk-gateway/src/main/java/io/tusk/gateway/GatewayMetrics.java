package io.tusk.gateway;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.tusk.http.ServerMetrics;

import java.util.function.ToDoubleFunction;

/**
 * The gateway's own meters: the edge cache (lookups by tier and result, bytes and entries held) and what the
 * publisher stored. Requests by route and status, their latency and bytes in and out are measured by the HTTP server
 * ({@code tusk_http_server_*}). Thread-safe.
 */
final class GatewayMetrics {
    private final MeterRegistry registry;

    GatewayMetrics(ServerMetrics metrics, BlobCache cache) {
        this.registry = metrics.registry();
        cacheLookups(cache, "memory", BlobCache::memoryHits);
        cacheLookups(cache, "disk", BlobCache::diskHits);
        cacheLookups(cache, "miss", BlobCache::misses);
        cacheGauge(cache, "tusk_gateway_cache_bytes", "memory", "bytes of blobs in the cache, by tier", "bytes",
                BlobCache::memoryBytes);
        cacheGauge(cache, "tusk_gateway_cache_bytes", "disk", "bytes of blobs in the cache, by tier", "bytes",
                BlobCache::diskBytes);
        cacheGauge(cache, "tusk_gateway_cache_entries", "memory", "blobs in the cache, by tier", null,
                BlobCache::memoryEntries);
        cacheGauge(cache, "tusk_gateway_cache_entries", "disk", "blobs in the cache, by tier", null,
                BlobCache::diskEntries);
    }

    private void cacheLookups(BlobCache cache, String result, ToDoubleFunction<BlobCache> count) {
        FunctionCounter.builder("tusk_gateway_cache_lookups", cache, count)
                .description("cache lookups of reads, by result: a memory hit, a disk hit or a miss")
                .tag("result", result).register(registry);
    }

    private void cacheGauge(BlobCache cache, String name, String tier, String description, String unit,
                            ToDoubleFunction<BlobCache> value) {
        Gauge.builder(name, cache, value).description(description).tag("tier", tier).baseUnit(unit)
                .register(registry);
    }

    /**
     * One blob (or large file, or quilt) stored through the publisher.
     *
     * @param result {@code newly_created}, {@code already_certified} or {@code marked_invalid}
     */
    void stored(String result, long bytes) {
        Counter.builder("tusk_gateway_blobs_stored").description("stores through the publisher, by result")
                .tag("result", result).register(registry).increment();
        if (bytes > 0) {
            Counter.builder("tusk_gateway_stored_bytes").baseUnit("bytes")
                    .description("bytes of blobs stored through the publisher (unencoded)").register(registry)
                    .increment(bytes);
        }
    }
}
