package io.tusk.http;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmInfoMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The meters of one Tusk service (control plane, storage node or gateway) and its Prometheus text at
 * {@code GET /metrics}: the service's own meters, HTTP requests by route and status (recorded by
 * {@link TuskHttpServer} when the builder is given these metrics), and JVM and process meters.
 *
 * <p>Every meter name starts with {@code tusk_}: JVM and process meters are renamed ({@code jvm_memory_used_bytes}
 * becomes {@code tusk_jvm_memory_used_bytes}), so one prefix selects everything Tusk exports. Names and units are
 * listed in {@code docs/operations.md}. Thread-safe.
 */
public final class ServerMetrics implements AutoCloseable {
    /** The Prometheus text exposition format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    public static final String PREFIX = "tusk";
    /** Request latency buckets: loopback reads take a millisecond, large stores minutes. */
    private static final Duration[] LATENCY_BUCKETS = {
            Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5), Duration.ofMillis(10),
            Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
            Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60)};
    private static final Logger LOG = LoggerFactory.getLogger(ServerMetrics.class);

    private final PrometheusMeterRegistry registry;
    private final JvmGcMetrics gc;
    private final List<Runnable> beforeScrape = new CopyOnWriteArrayList<>();

    private ServerMetrics() {
        registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().startsWith(PREFIX) ? id : id.withName(PREFIX + "." + id.getName());
            }
        });
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new JvmInfoMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
    }

    /** A registry with the JVM and process meters bound. Close it with the service. */
    public static ServerMetrics create() {
        return new ServerMetrics();
    }

    /** Where the service registers its own meters. */
    public MeterRegistry registry() {
        return registry;
    }

    /**
     * Runs {@code refresh} before every scrape: for figures that are cheaper to read when asked for than to keep
     * current (committee tables, database properties). It must be quick and must not throw; a failure is logged and
     * the scrape goes on.
     */
    public void beforeScrape(Runnable refresh) {
        beforeScrape.add(refresh);
    }

    /** The Prometheus text of every meter. */
    public String scrape() {
        for (Runnable refresh : beforeScrape) {
            try {
                refresh.run();
            } catch (RuntimeException e) {
                LOG.warn("refreshing meters before a scrape failed: {}", e.toString());
            }
        }
        return registry.scrape();
    }

    /** The answer to {@code GET /metrics}. */
    public Response response() {
        return Response.bytes(200, CONTENT_TYPE, scrape().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Records one answered request.
     *
     * @param route the route template ({@code /v1/blobs/{blobId}}), or {@code unmatched}: never the raw path, whose
     *              values would make a series per blob
     */
    void request(String server, String method, String route, int status, long nanos, long bytesIn, long bytesOut) {
        String statusText = Integer.toString(status);
        Timer.builder("tusk_http_server_requests").description("HTTP requests answered, by route and status")
                .tag("server", server).tag("method", method).tag("route", route).tag("status", statusText)
                .serviceLevelObjectives(LATENCY_BUCKETS).register(registry)
                .record(Duration.ofNanos(nanos));
        if (bytesIn > 0) {
            Counter.builder("tusk_http_server_request_bytes").baseUnit("bytes")
                    .description("request body bytes read, by route").tag("server", server).tag("route", route)
                    .register(registry).increment(bytesIn);
        }
        if (bytesOut > 0) {
            Counter.builder("tusk_http_server_response_bytes").baseUnit("bytes")
                    .description("response body bytes written, by route").tag("server", server).tag("route", route)
                    .register(registry).increment(bytesOut);
        }
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
