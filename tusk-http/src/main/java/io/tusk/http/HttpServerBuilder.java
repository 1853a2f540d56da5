package io.tusk.http;

import io.tusk.core.api.ErrorReason;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Configures and starts a {@link TuskHttpServer}.
 * <pre>{@code
 * TuskHttpServer server = HttpServerBuilder.create("node")
 *     .port(0).domain(ErrorDomains.NODE)
 *     .get("/v1/blobs/{blobId}/slivers/{pairIndex}/{sliverType}", handler)
 *     .put("/v1/blobs/{blobId}/metadata", RouteOptions.maxBody(2 << 20), handler)
 *     .start();
 * }</pre>
 * Defaults: host {@code 127.0.0.1}, port 0 (ephemeral), body limit 2 MiB, request timeout 60 s, idle timeout 30 s,
 * graceful close within 5 s, bad parameters refused as 400 text.
 */
public final class HttpServerBuilder {
    public static final long DEFAULT_MAX_BODY_BYTES = 2L << 20;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(60);

    final String name;
    String host = "127.0.0.1";
    int port;
    String domain;
    ParameterErrors parameterErrors = ParameterErrors.TEXT;
    long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    Duration idleTimeout = Duration.ofSeconds(30);
    Duration stopTimeout = Duration.ofSeconds(5);
    final List<Route> routes = new ArrayList<>();
    ServerMetrics metrics;

    record Route(String method, PathTemplate template, RouteOptions options, RouteHandler handler) {
    }

    private HttpServerBuilder(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** @param name names the server in logs and thread names, e.g. "control" or "node-3" */
    public static HttpServerBuilder create(String name) {
        return new HttpServerBuilder(name);
    }

    public HttpServerBuilder host(String host) {
        this.host = Objects.requireNonNull(host, "host");
        return this;
    }

    /** 0 picks a free port; {@link TuskHttpServer#port()} reports it. */
    public HttpServerBuilder port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be in [0, 65535], got " + port);
        }
        this.port = port;
        return this;
    }

    /** The AIP-193 error domain of this service, e.g. {@code ErrorDomains.NODE}. Required. */
    public HttpServerBuilder domain(String domain) {
        this.domain = Objects.requireNonNull(domain, "domain");
        return this;
    }

    /**
     * Answers a path parameter or query that a {@link Request} typed parser refuses as AIP-193 JSON with
     * {@code reason} (a 400 reason such as {@code INVALID_ARGUMENT}), instead of the default: 400 {@code text/plain},
     * as Walrus's storage nodes (axum) answer them.
     */
    public HttpServerBuilder parameterErrors(ErrorReason reason) {
        this.parameterErrors = ParameterErrors.json(Objects.requireNonNull(reason, "reason"));
        return this;
    }

    /** Body limit of routes that set none. */
    public HttpServerBuilder maxBodyBytes(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes must be >= 0, got " + bytes);
        }
        this.maxBodyBytes = bytes;
        return this;
    }

    /** Handler time limit of routes that set none; past it the server answers 503 {@code UNAVAILABLE}. */
    public HttpServerBuilder requestTimeout(Duration timeout) {
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("request timeout must be positive, got " + timeout);
        }
        this.requestTimeout = timeout;
        return this;
    }

    /** How long an idle connection stays open. */
    public HttpServerBuilder idleTimeout(Duration timeout) {
        this.idleTimeout = Objects.requireNonNull(timeout);
        return this;
    }

    /** How long {@link TuskHttpServer#close()} waits for requests in flight. */
    public HttpServerBuilder stopTimeout(Duration timeout) {
        this.stopTimeout = Objects.requireNonNull(timeout);
        return this;
    }

    /**
     * Records every request (route, status, latency, body bytes) into {@code metrics} and serves them as Prometheus
     * text at {@code GET /metrics}.
     */
    public HttpServerBuilder metrics(ServerMetrics metrics) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        return get("/metrics", request -> metrics.response());
    }

    public HttpServerBuilder route(String method, String template, RouteOptions options, RouteHandler handler) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(handler, "handler");
        PathTemplate parsed = new PathTemplate(template);
        for (Route route : routes) {
            if (route.method().equals(method) && route.template().sameShape(parsed)) {
                throw new IllegalArgumentException(method + " " + template + " clashes with " + route.method() + " "
                        + route.template());
            }
        }
        routes.add(new Route(method, parsed, options == null ? RouteOptions.DEFAULTS : options, handler));
        return this;
    }

    public HttpServerBuilder get(String template, RouteHandler handler) {
        return route("GET", template, RouteOptions.DEFAULTS, handler);
    }

    public HttpServerBuilder get(String template, RouteOptions options, RouteHandler handler) {
        return route("GET", template, options, handler);
    }

    public HttpServerBuilder put(String template, RouteHandler handler) {
        return route("PUT", template, RouteOptions.DEFAULTS, handler);
    }

    public HttpServerBuilder put(String template, RouteOptions options, RouteHandler handler) {
        return route("PUT", template, options, handler);
    }

    public HttpServerBuilder post(String template, RouteHandler handler) {
        return route("POST", template, RouteOptions.DEFAULTS, handler);
    }

    public HttpServerBuilder post(String template, RouteOptions options, RouteHandler handler) {
        return route("POST", template, options, handler);
    }

    public HttpServerBuilder delete(String template, RouteHandler handler) {
        return route("DELETE", template, RouteOptions.DEFAULTS, handler);
    }

    /**
     * Binds and starts the server.
     *
     * @throws java.io.UncheckedIOException if the port cannot be bound
     */
    public TuskHttpServer start() {
        if (domain == null) {
            throw new IllegalStateException("server '" + name + "': set the error domain with domain(...)");
        }
        return TuskHttpServer.start(this);
    }
}
