package io.tusk.node.http;

import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;

/**
 * Serves a {@link NodeApi} over HTTP/1.1 with Jetty 12 on virtual threads, with open CORS on every route (preflights
 * succeed) as Walrus's node has.
 */
public final class NodeHttpServer implements AutoCloseable {
    private final Server server;
    private final ServerConnector connector;

    public NodeHttpServer(NodeApi api, String host, int port) {
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("tusk-node-http");
        threads.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        this.server = new Server(threads);
        this.connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new ApiHandler(api));
    }

    public void start() {
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the node HTTP server on " + connector.getHost() + ":"
                    + connector.getPort() + ": " + e.getMessage(), e);
        }
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            throw new IllegalStateException("cannot stop the node HTTP server", e);
        }
    }

    private static final class ApiHandler extends Handler.Abstract {
        private final NodeApi api;

        ApiHandler(NodeApi api) {
            super(InvocationType.BLOCKING);
            this.api = api;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            response.getHeaders().put("Access-Control-Allow-Origin", "*");
            if (HttpMethod.OPTIONS.is(request.getMethod())
                    && request.getHeaders().get("Access-Control-Request-Method") != null) {
                response.getHeaders().put("Access-Control-Allow-Methods", "*");
                String requested = request.getHeaders().get("Access-Control-Request-Headers");
                response.getHeaders().put("Access-Control-Allow-Headers", requested != null ? requested : "*");
                response.setStatus(200);
                callback.succeeded();
                return true;
            }
            HttpResult result;
            JettyRequest apiRequest = new JettyRequest(request);
            try {
                result = api.handle(apiRequest);
            } catch (IllegalArgumentException e) {
                // Jetty's query parser rejects malformed percent-encoding.
                result = HttpResult.text(400, "Failed to deserialize query string: " + e.getMessage());
            }
            if (!apiRequest.finishBody()) {
                // Unread body left on the connection: close it rather than let the client reuse it.
                response.getHeaders().put(HttpHeader.CONNECTION, "close");
            }
            response.setStatus(result.status());
            if (result.contentType() != null) {
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, result.contentType());
            }
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, result.body().length);
            response.write(true, ByteBuffer.wrap(result.body()), callback);
            return true;
        }
    }

    private static final class JettyRequest implements ApiRequest {
        /** Bodies up to this size that no handler read are drained so the connection stays reusable. */
        private static final long DRAIN_LIMIT = 64 * 1024;

        private final Request request;
        private Map<String, List<String>> query;
        private boolean bodyConsumed;
        private boolean bodyOverLimit;

        JettyRequest(Request request) {
            this.request = request;
        }

        /** Drains a small unread body; returns false if the connection must be closed instead. */
        boolean finishBody() {
            if (bodyConsumed) {
                return true;
            }
            if (bodyOverLimit) {
                return false;
            }
            long declared = request.getLength();
            if (declared == 0 || declared < 0 && !request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING)) {
                return true;
            }
            if (declared < 0 || declared > DRAIN_LIMIT) {
                return false;
            }
            try {
                Content.Source.asInputStream(request).readNBytes((int) DRAIN_LIMIT + 1);
                return true;
            } catch (IOException e) {
                return false;
            }
        }

        @Override
        public String method() {
            return request.getMethod();
        }

        @Override
        public String path() {
            return request.getHttpURI().getPath();
        }

        @Override
        public Map<String, List<String>> query() {
            if (query == null) {
                Map<String, List<String>> out = new LinkedHashMap<>();
                Fields fields = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
                for (Fields.Field field : fields) {
                    out.put(field.getName(), new ArrayList<>(field.getValues()));
                }
                query = out;
            }
            return query;
        }

        @Override
        public String header(String name) {
            HttpField field = request.getHeaders().getField(name);
            return field == null ? null : field.getValue();
        }

        @Override
        public byte[] body(long limit) throws BodyTooLargeException {
            long declared = request.getLength();
            if (declared > limit) {
                bodyOverLimit = true;
                throw new BodyTooLargeException(limit);
            }
            try {
                InputStream in = Content.Source.asInputStream(request);
                int cap = (int) Math.min(limit + 1, Integer.MAX_VALUE - 8);
                byte[] body = in.readNBytes(cap);
                if (body.length > limit) {
                    bodyOverLimit = true;
                    throw new BodyTooLargeException(limit);
                }
                bodyConsumed = true;
                return body;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the request body", e);
            }
        }
    }
}
