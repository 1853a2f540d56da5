package io.tusk.node.http;

import io.tusk.core.api.ErrorDomains;
import io.tusk.core.encoding.Sliver;
import io.tusk.http.HttpRejection;
import io.tusk.http.HttpServerBuilder;
import io.tusk.http.Request;
import io.tusk.http.Response;
import io.tusk.http.RouteHandler;
import io.tusk.http.RouteOptions;
import io.tusk.http.ServerMetrics;
import io.tusk.http.TuskHttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves a {@link NodeApi} on the shared Tusk server stack (tusk-http: Jetty 12, virtual threads, open CORS). Every
 * Walrus node route is registered so that tusk-http answers unknown routes (404) and wrong methods (405); the
 * handlers hand the request to {@link NodeApi}, which parses parameters and enforces the node's own body limits.
 */
public final class NodeHttpServer implements AutoCloseable {
    /**
     * The transport-level cap on bodies. The node's limits are tighter and checked by {@link NodeApi} (metadata over
     * 2 MiB is a 400 INVALID_CONTENT_TYPE there, as in Walrus); only bodies past this cap get tusk-http's 413.
     */
    static final long TRANSPORT_BODY_LIMIT = Sliver.MAX_SLIVER_BYTES + 1024L;

    private final TuskHttpServer server;

    private NodeHttpServer(TuskHttpServer server) {
        this.server = server;
    }

    /** Binds {@code host:port} (0 = any free port) and starts serving, with {@code metrics} at {@code /metrics}. */
    public static NodeHttpServer start(NodeApi api, String host, int port, Duration maxRequestTime,
                                       ServerMetrics metrics) {
        RouteHandler handler = request -> toResponse(api.handle(new TuskRequest(request)));
        RouteOptions body = RouteOptions.maxBody(TRANSPORT_BODY_LIMIT);
        String blob = "/v1/blobs/{blobId}";
        String sliver = blob + "/slivers/{sliverPairIndex}/{sliverType}";
        TuskHttpServer server = HttpServerBuilder.create("node").host(host).port(port).domain(ErrorDomains.NODE)
                .requestTimeout(maxRequestTime)
                .metrics(metrics)
                .get("/v1/health", handler)
                .get(blob + "/metadata", handler)
                .put(blob + "/metadata", body, handler)
                .get(blob + "/metadata/status", handler)
                .get(sliver, handler)
                .put(sliver, body, handler)
                .get(sliver + "/status", handler)
                .get(blob + "/confirmation/permanent", handler)
                .get(blob + "/confirmation/deletable/{objectId}", handler)
                .get(blob + "/status", handler)
                .get(blob + "/recoverySymbols", handler)
                .get(blob + "/decodingSymbols", handler)
                .post("/v1/migrate/sync_shard", body, handler)
                .post(blob + "/inconsistencyProof/{sliverType}", body, handler)
                .start();
        return new NodeHttpServer(server);
    }

    private static Response toResponse(HttpResult result) {
        if (result.contentType() == null) {
            return Response.empty(result.status());
        }
        return Response.bytes(result.status(), result.contentType(), result.body());
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.close();
    }

    private static final class TuskRequest implements ApiRequest {
        private final Request request;
        private Map<String, List<String>> query;

        TuskRequest(Request request) {
            this.request = request;
        }

        @Override
        public String method() {
            return request.method();
        }

        @Override
        public String path() {
            return request.path();
        }

        @Override
        public Map<String, List<String>> query() {
            if (query == null) {
                Map<String, List<String>> out = new LinkedHashMap<>();
                for (String name : request.queryNames()) {
                    out.put(name, request.queryAll(name));
                }
                query = out;
            }
            return query;
        }

        @Override
        public String header(String name) {
            return request.header(name).orElse(null);
        }

        @Override
        public byte[] body(long limit) throws BodyTooLargeException {
            if (request.contentLength().orElse(-1) > limit) {
                throw new BodyTooLargeException(limit);
            }
            try (InputStream in = request.bodyStream()) {
                long declared = request.contentLength().orElse(-1);
                if (declared >= 0) { // read straight into an array of the right size: slivers are megabytes
                    byte[] body = new byte[(int) declared];
                    int read = in.readNBytes(body, 0, body.length);
                    if (read < body.length) {
                        throw new java.io.EOFException("the request body ended after " + read + " of " + declared + " bytes");
                    }
                    return body;
                }
                byte[] body = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
                if (body.length > limit) {
                    throw new BodyTooLargeException(limit);
                }
                return body;
            } catch (HttpRejection e) {
                throw new BodyTooLargeException(limit);
            } catch (IOException e) {
                throw new UncheckedIOException("reading the request body failed", e);
            }
        }
    }
}
