package io.tusk.gateway.console;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.metadata.BlobId;
import io.tusk.http.ApiError;
import io.tusk.http.HttpServerBuilder;
import io.tusk.http.Request;
import io.tusk.http.Response;
import io.tusk.http.ServerMetrics;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The web console at {@code /console}: static pages from the jar (no CDN, nothing fetched from elsewhere, so it works
 * offline and under a strict Content-Security-Policy) and the JSON they poll:
 * <ul>
 *   <li>{@code GET /console/api/overview}: {@link NetworkOverview.Overview};</li>
 *   <li>{@code GET /console/api/blobs/{blobId}}: {@link NetworkOverview.BlobLookup};</li>
 *   <li>{@code GET /console/api/stats}: this gateway's cumulative request counters and latency sums, from which the
 *       page draws rates and mean latency per interval.</li>
 * </ul>
 */
public final class ConsoleRoutes {
    static final String RESOURCES = "/io/tusk/gateway/console/";
    /** The files the console serves: nothing else under /console/assets is answered. */
    private static final Map<String, String> ASSETS = Map.of(
            "console.css", "text/css; charset=utf-8",
            "console.js", "text/javascript; charset=utf-8",
            "favicon.svg", "image/svg+xml");
    /** Scripts and styles only from this origin; data only from this origin's API. */
    private static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final NetworkOverview overview;
    private final MeterRegistry registry;
    private final byte[] index;
    private final Map<String, byte[]> assets = new LinkedHashMap<>();

    private ConsoleRoutes(NetworkOverview overview, ServerMetrics metrics) {
        this.overview = overview;
        this.registry = metrics.registry();
        this.index = resource("index.html");
        ASSETS.keySet().forEach(name -> assets.put(name, resource(name)));
    }

    /** Adds the console's routes to a gateway being built. */
    public static HttpServerBuilder register(HttpServerBuilder server, NetworkOverview overview, ServerMetrics metrics) {
        ConsoleRoutes console = new ConsoleRoutes(overview, metrics);
        return server
                .get("/console", console::page)
                .get("/console/assets/{file}", console::asset)
                .get("/console/api/overview", request -> Response.ok(overview.collect()))
                .get("/console/api/blobs/{blobId}", console::lookup)
                .get("/console/api/stats", request -> Response.ok(console.stats()));
    }

    private Response page(Request request) {
        return secured(Response.bytes(200, "text/html; charset=utf-8", index));
    }

    private Response asset(Request request) {
        String file = request.pathParam("file");
        byte[] body = assets.get(file);
        if (body == null) {
            throw new ApiError(ErrorReason.NOT_FOUND, "the console has no asset '" + abbreviate(file) + "'");
        }
        return secured(Response.bytes(200, ASSETS.get(file), body));
    }

    private static Response secured(Response response) {
        return response.header("Content-Security-Policy", CSP).header("X-Content-Type-Options", "nosniff")
                .header("Cache-Control", "no-cache").header("Referrer-Policy", "no-referrer");
    }

    private Response lookup(Request request) {
        String text = request.pathParam("blobId");
        BlobId blobId;
        try {
            blobId = BlobId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiError(ErrorReason.INVALID_ID_FORMAT, "'" + abbreviate(text) + "' is not a blob ID (43 "
                    + "characters of URL-safe base64): " + e.getMessage());
        }
        return Response.ok(overview.lookup(blobId));
    }

    /** This gateway's counters since it started; the page turns two of them into a rate. */
    Map<String, Object> stats() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("timeMillis", System.currentTimeMillis());
        long reads = 0;
        double readSeconds = 0;
        long writes = 0;
        double writeSeconds = 0;
        long errors = 0;
        for (Timer timer : registry.find("tusk_http_server_requests").timers()) {
            String route = String.valueOf(timer.getId().getTag("route"));
            String method = String.valueOf(timer.getId().getTag("method"));
            String status = timer.getId().getTag("status");
            boolean ok = status != null && status.startsWith("2");
            if (!ok && status != null && status.startsWith("5")) {
                errors += timer.count();
            }
            if (!ok) {
                continue;
            }
            // Walrus's API: reads are GET/HEAD of /v1/blobs/... and /v1/quilts/..., writes are PUT /v1/blobs or quilts.
            boolean api = route.startsWith("/v1/blobs") || route.startsWith("/v1/quilts");
            if (api && (method.equals("GET") || method.equals("HEAD"))) {
                reads += timer.count();
                readSeconds += timer.totalTime(TimeUnit.SECONDS);
            } else if (api && method.equals("PUT")) {
                writes += timer.count();
                writeSeconds += timer.totalTime(TimeUnit.SECONDS);
            }
        }
        out.put("reads", reads);
        out.put("readSeconds", readSeconds);
        out.put("writes", writes);
        out.put("writeSeconds", writeSeconds);
        out.put("serverErrors", errors);
        out.put("bytesIn", sum("tusk_http_server_request_bytes"));
        out.put("bytesOut", sum("tusk_http_server_response_bytes"));
        out.put("cacheHits", sumCounters("tusk_gateway_cache_lookups", "memory")
                + sumCounters("tusk_gateway_cache_lookups", "disk"));
        out.put("cacheMisses", sumCounters("tusk_gateway_cache_lookups", "miss"));
        return out;
    }

    private double sum(String counter) {
        return registry.find(counter).counters().stream().mapToDouble(c -> c.count()).sum();
    }

    private double sumCounters(String name, String result) {
        return registry.find(name).tag("result", result).functionCounters().stream()
                .mapToDouble(FunctionCounter::count).sum();
    }

    private static byte[] resource(String name) {
        try (InputStream in = ConsoleRoutes.class.getResourceAsStream(RESOURCES + name)) {
            if (in == null) {
                throw new IllegalStateException("the console's " + name + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
