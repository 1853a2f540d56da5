package io.tusk.http;

import io.tusk.core.api.ApiStatus;
import io.tusk.core.api.ErrorDomains;
import io.tusk.core.api.ErrorReason;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running HTTP server (Jetty 12 on virtual threads) built by {@link HttpServerBuilder}. Thread-safe.
 *
 * <p>Each request runs its handler on its own virtual thread under the route's timeout. Whatever happens inside a
 * handler, the server answers and keeps serving. {@link #close()} stops accepting, lets requests in flight finish
 * (up to the stop timeout) and releases the port.
 */
public final class TuskHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TuskHttpServer.class);
    /** One line per answered request at DEBUG (the CLI's --access-log), with the request's trace ID. */
    private static final Logger ACCESS = LoggerFactory.getLogger("io.tusk.http.access");
    /** The route label of requests that matched no route: never the raw path (a series per URL). */
    private static final String UNMATCHED = "unmatched";
    private static final String INTERNAL_MESSAGE = "an internal error has occurred, please report it";

    private final String name;
    private final String domain;
    private final long defaultMaxBody;
    private final Duration defaultTimeout;
    private final ParameterErrors parameterErrors;
    private final List<HttpServerBuilder.Route> routes; // INV: sorted most specific first
    private final ServerMetrics metrics; // null: not measured
    private final Server server;
    private final ServerConnector connector;
    private final ExecutorService handlerThreads;

    private TuskHttpServer(HttpServerBuilder builder) {
        this.name = builder.name;
        this.domain = builder.domain;
        this.defaultMaxBody = builder.maxBodyBytes;
        this.defaultTimeout = builder.requestTimeout;
        this.parameterErrors = builder.parameterErrors;
        List<HttpServerBuilder.Route> sorted = new ArrayList<>(builder.routes);
        sorted.sort((a, b) -> PathTemplate.specificity(a.template(), b.template()));
        this.routes = List.copyOf(sorted);
        this.metrics = builder.metrics;
        this.handlerThreads = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name(name + "-handler-", 0).factory());

        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName(name + "-http");
        pool.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name(name + "-request-", 0).factory()));
        server = new Server(pool);
        HttpConfiguration config = new HttpConfiguration();
        config.setSendServerVersion(false);
        config.setSendXPoweredBy(false);
        // An encoded '/' (%2F) inside a segment is data, not a separator: routes match raw segments and decode each
        // one alone, so a quilt patch named "dir/file.bin" is addressable as /v1/blobs/by-quilt-id/{quilt}/dir%2Ffile.bin
        // (as with Walrus's aggregator). Jetty refuses such URIs as ambiguous by default.
        config.setUriCompliance(UriCompliance.DEFAULT.with("tusk", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR));
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config));
        connector.setHost(builder.host);
        connector.setPort(builder.port);
        connector.setIdleTimeout(builder.idleTimeout.toMillis());
        server.addConnector(connector);
        server.setHandler(new GracefulHandler(new Dispatcher()));
        server.setErrorHandler(new PlainTextErrorHandler());
        server.setStopTimeout(builder.stopTimeout.toMillis());
    }

    static TuskHttpServer start(HttpServerBuilder builder) {
        TuskHttpServer server = new TuskHttpServer(builder);
        try {
            server.server.start();
        } catch (Exception e) {
            server.close();
            throw new UncheckedIOException(new IOException("server '" + builder.name + "' could not start on "
                    + builder.host + ":" + builder.port + ": " + e.getMessage(), e));
        }
        LOG.info("{} serving HTTP on {}:{} ({} routes)", builder.name, builder.host, server.port(),
                server.routes.size());
        return server;
    }

    /** The bound port (the real one when the builder asked for port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    public String host() {
        return connector.getHost();
    }

    /** {@code http://host:port}. */
    public URI uri() {
        return URI.create("http://" + host() + ":" + port());
    }

    /** Stops gracefully: no new connections, requests in flight get up to the stop timeout. Idempotent. */
    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("{}: stopping the HTTP server failed", name, e);
        } finally {
            handlerThreads.shutdownNow();
        }
    }

    // ---- dispatching ----

    private final class Dispatcher extends Handler.Abstract {
        @Override
        public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                              Callback callback) {
            long start = System.nanoTime();
            addCors(request, response);
            if ("OPTIONS".equals(request.getMethod())) {
                answerPreflight(request, response, callback);
                return true;
            }
            // The caller's trace (W3C traceparent) or a new one: the handler, its log lines and every request it
            // makes to other services carry it; the answer names it.
            String traceId = TraceContext.parseHeader(request.getHeaders().get(TraceContext.HEADER))
                    .orElseGet(TraceContext::newTraceId);
            response.getHeaders().put(TraceContext.RESPONSE_HEADER, traceId);
            Exchange exchange = new Exchange();
            TraceContext.Scope trace = TraceContext.open(traceId);
            try {
                Response answer;
                try {
                    answer = dispatch(request, exchange);
                } catch (HttpRejection rejection) {
                    answer = rejection.status() == 404 && rejection.text().isEmpty()
                            ? Response.empty(404) : Response.text(rejection.status(), rejection.text());
                } catch (ApiError error) {
                    answer = apiError(error);
                } catch (Throwable t) {
                    answer = internalError(request, t, traceId);
                }
                long bytesOut = write(request, answer, response, callback);
                finished(request, exchange, answer.status(), System.nanoTime() - start, bytesOut);
            } finally {
                trace.close();
            }
            return true;
        }
    }

    /** What dispatching learned about a request: the route it matched and the body it read. */
    private static final class Exchange {
        String route = UNMATCHED;
        Request request;
    }

    private void finished(org.eclipse.jetty.server.Request jetty, Exchange exchange, int status, long nanos,
                          long bytesOut) {
        long bytesIn = exchange.request == null ? 0 : exchange.request.bodyBytesRead();
        if (metrics != null) {
            metrics.request(name, jetty.getMethod(), exchange.route, status, nanos, bytesIn, bytesOut);
        }
        if (ACCESS.isDebugEnabled()) {
            ACCESS.debug("{} {} {} {} {} ms in={} out={}", name, jetty.getMethod(), jetty.getHttpURI().getPath(), status,
                    nanos / 1_000_000, bytesIn, bytesOut);
        }
    }

    private Response dispatch(org.eclipse.jetty.server.Request request, Exchange exchange) throws Throwable {
        String method = request.getMethod();
        String rawPath = request.getHttpURI().getPath();
        if (rawPath == null || !rawPath.startsWith("/")) {
            throw HttpRejection.badRequest("Invalid URL: the path must start with '/'");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : PathTemplate.split(rawPath)) {
            segments.add(QueryString.decode(segment, false));
        }
        Set<String> allowed = new LinkedHashSet<>();
        for (HttpServerBuilder.Route route : routes) {
            Map<String, String> params = route.template().match(segments);
            if (params == null) {
                continue;
            }
            if (!route.method().equals(method)) {
                allowed.add(route.method());
                if (UNMATCHED.equals(exchange.route)) {
                    exchange.route = route.template().toString();
                }
                continue;
            }
            exchange.route = route.template().toString();
            return invoke(route, request, params, exchange);
        }
        if (!allowed.isEmpty()) {
            return Response.empty(405).header("Allow", String.join(", ", allowed));
        }
        throw new HttpRejection(404, "");
    }

    private Response invoke(HttpServerBuilder.Route route, org.eclipse.jetty.server.Request jetty,
                            Map<String, String> params, Exchange exchange) throws Throwable {
        long maxBody = route.options().maxBodyBytes() != null ? route.options().maxBodyBytes() : defaultMaxBody;
        long declared = jetty.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (declared > maxBody) { // refuse before reading a byte
            throw new HttpRejection(413, "request body of " + declared + " bytes is larger than the limit of "
                    + maxBody + " bytes");
        }
        QueryString query = QueryString.parse(jetty.getHttpURI().getQuery());
        Request request = new Request(jetty, decodedPath(jetty), params, query, maxBody, parameterErrors);
        exchange.request = request;
        Duration timeout = route.options().timeout() != null ? route.options().timeout() : defaultTimeout;
        String traceId = TraceContext.current().orElseThrow();
        Future<Response> future = handlerThreads.submit(() -> TraceContext.call(traceId,
                () -> route.handler().handle(request)));
        try {
            Response response = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (response == null) {
                throw new IllegalStateException("handler of " + route.method() + " " + route.template()
                        + " returned null");
            }
            return response;
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new ApiError(ErrorReason.UNAVAILABLE, "the request did not complete within " + timeout.toMillis()
                    + " ms");
        } catch (ExecutionException e) {
            throw e.getCause();
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new ApiError(ErrorReason.UNAVAILABLE, "the server is shutting down");
        }
    }

    /** How much of a refused request's unread body is read and dropped to keep the connection usable. */
    private static final long DRAIN_LIMIT = 80L << 20;

    /** Reads the rest of the request body and drops it; false if it is larger than {@link #DRAIN_LIMIT} or fails. */
    private static boolean drain(org.eclipse.jetty.server.Request request) {
        long declared = request.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
        if (declared > DRAIN_LIMIT) {
            return false;
        }
        java.io.InputStream rest = Content.Source.asInputStream(request);
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try {
            for (int n = rest.read(buffer); n >= 0; n = rest.read(buffer)) {
                total += n;
                if (total > DRAIN_LIMIT) {
                    return false;
                }
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static boolean hasBody(org.eclipse.jetty.server.Request request) {
        HttpFields fields = request.getHeaders();
        return fields.getLongField(HttpHeader.CONTENT_LENGTH) > 0 || fields.contains(HttpHeader.TRANSFER_ENCODING);
    }

    private static String decodedPath(org.eclipse.jetty.server.Request jetty) {
        String decoded = jetty.getHttpURI().getDecodedPath();
        return decoded == null ? jetty.getHttpURI().getPath() : decoded;
    }

    private Response apiError(ApiError error) {
        String errorDomain = error.domain() != null ? error.domain()
                : error.reason().fixedDomain() != null ? error.reason().fixedDomain() : domain;
        byte[] body = ErrorBodies.aip193(error.reason().status(), String.valueOf(error.getMessage()),
                error.reason().reason(), errorDomain, error.metadata(), null);
        return Response.bytes(error.httpStatus(), Response.JSON, body);
    }

    private Response internalError(org.eclipse.jetty.server.Request request, Throwable t, String traceId) {
        LOG.error("{}: {} {} failed, TraceID: {}", name, request.getMethod(), request.getHttpURI().getPath(),
                traceId, t);
        byte[] body = ErrorBodies.aip193(ApiStatus.INTERNAL, INTERNAL_MESSAGE, ErrorReason.INTERNAL_ERROR.reason(),
                ErrorDomains.GLOBAL, Map.of(), traceId);
        return Response.bytes(500, Response.JSON, body);
    }

    /** Writes the answer; returns the body bytes written (for a streamed body, as many as were written). */
    private long write(org.eclipse.jetty.server.Request request, Response answer,
                       org.eclipse.jetty.server.Response response, Callback callback) {
        response.setStatus(answer.status());
        HttpFields.Mutable headers = response.getHeaders();
        if (answer.contentType() != null) {
            headers.put(HttpHeader.CONTENT_TYPE, answer.contentType());
        }
        for (Map.Entry<String, String> header : answer.headers()) {
            headers.add(header.getKey(), header.getValue());
        }
        if (answer.status() >= 400 && hasBody(request) && !drain(request)) {
            // A refused request's body may be partly unread. Up to DRAIN_LIMIT the rest is read and dropped, so the
            // client gets its answer and can reuse the connection; beyond that the connection is closed, and said so.
            headers.put(HttpHeader.CONNECTION, "close");
        }
        byte[] body = answer.body();
        if (body != null) {
            headers.put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
            return body.length;
        }
        if (answer.contentLength() >= 0) {
            headers.put(HttpHeader.CONTENT_LENGTH, answer.contentLength());
        }
        CountingOutputStream out = new CountingOutputStream(Content.Sink.asOutputStream(response));
        try (out) {
            answer.writer().writeTo(out);
        } catch (Throwable t) {
            // Headers may be out already: the only honest signal left is to abort the response.
            LOG.warn("{}: streaming the body of {} {} failed", name, request.getMethod(),
                    request.getHttpURI().getPath(), t);
            callback.failed(t);
            return out.count;
        }
        callback.succeeded();
        return out.count;
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }

    // ---- CORS: open on every route, as Walrus nodes and daemons are ----

    private static void addCors(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response) {
        HttpFields.Mutable headers = response.getHeaders();
        headers.put("Access-Control-Allow-Origin", "*");
        headers.put("Access-Control-Expose-Headers", "*");
    }

    private static void answerPreflight(org.eclipse.jetty.server.Request request,
                                        org.eclipse.jetty.server.Response response, Callback callback) {
        HttpFields.Mutable headers = response.getHeaders();
        String method = request.getHeaders().get("Access-Control-Request-Method");
        headers.put("Access-Control-Allow-Methods", method != null ? method
                : "GET, POST, PUT, DELETE, PATCH, HEAD, OPTIONS");
        // Mirror the requested headers: the "*" wildcard does not cover Authorization.
        String requested = request.getHeaders().get("Access-Control-Request-Headers");
        headers.put("Access-Control-Allow-Headers", requested != null ? requested : "*");
        headers.put("Access-Control-Max-Age", "86400");
        headers.add(new HttpField(HttpHeader.VARY, "Access-Control-Request-Method, Access-Control-Request-Headers"));
        response.setStatus(200);
        headers.put(HttpHeader.CONTENT_LENGTH, 0);
        response.write(true, null, callback);
    }

    /** Jetty's own rejections (malformed requests) as text/plain, never HTML or Jetty's JSON. */
    private static final class PlainTextErrorHandler extends ErrorHandler {
        @Override
        protected void generateResponse(org.eclipse.jetty.server.Request request,
                                        org.eclipse.jetty.server.Response response, int code, String message,
                                        Throwable cause, Callback callback) {
            byte[] body = (message == null ? "" : message).getBytes(StandardCharsets.UTF_8);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, Response.TEXT);
            response.getHeaders().put("Access-Control-Allow-Origin", "*");
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }
}
