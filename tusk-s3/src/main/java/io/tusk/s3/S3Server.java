package io.tusk.s3;

import io.tusk.client.BlobNotFoundException;
import io.tusk.http.ApiException;
import io.tusk.http.HttpTransportException;
import io.tusk.spaces.InvalidKeyException;
import io.tusk.spaces.SpaceNotFoundException;
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
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

/**
 * The S3-compatible API (docs/s3.md) on its own port: buckets are spaces, objects are entries. Jetty 12 on virtual
 * threads, as Tusk's other servers, but with its own dispatch: S3 addresses resources by raw path (signatures cover
 * it), Host header and query subresources, and answers every error, even a malformed request's, as S3's XML.
 * <pre>{@code
 * try (S3Server s3 = S3Server.start(S3Config.defaults(), List.of(S3Account.of(client)))) { ... s3.uri() ... }
 * }</pre>
 * Thread-safe; {@link #close()} stops serving and releases the port.
 */
public final class S3Server implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(S3Server.class);
    private static final SecureRandom IDS = new SecureRandom();

    private final S3Config config;
    private final Buckets buckets;
    private final Authenticator authenticator;
    private final S3Api api;
    private final Semaphore requests;
    private final Server server;
    private final ServerConnector connector;

    private S3Server(S3Config config, List<S3Account> accounts, Clock clock) {
        this.config = config;
        Map<String, S3Account> byKey = new ConcurrentHashMap<>();
        for (S3Account account : accounts) {
            if (byKey.putIfAbsent(account.credentials().accessKeyId(), account) != null) {
                throw new IllegalArgumentException("two accounts share the access key "
                        + account.credentials().accessKeyId());
            }
        }
        this.buckets = new Buckets(accounts, config, clock);
        this.authenticator = new Authenticator(id -> Optional.ofNullable(byKey.get(id)), config.clockSkew(), clock);
        this.api = new S3Api(new S3Context(config, buckets, clock), authenticator);
        this.requests = new Semaphore(config.maxConcurrentRequests());

        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName("s3-http");
        pool.setVirtualThreadsExecutor(Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("s3-request-", 0)
                .factory()));
        server = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setSendDateHeader(true);
        // S3 keys may hold anything a path can carry: encoded slashes, "..", empty segments. Nothing is normalized.
        http.setUriCompliance(UriCompliance.UNSAFE);
        http.setRequestHeaderSize(16 * 1024);
        // Signatures cover header values byte for byte: Jetty's header cache must not hand back "charset=utf-8" for a
        // client's "charset=UTF-8".
        http.setHeaderCacheCaseSensitive(true);
        connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(config.host());
        connector.setPort(config.port());
        connector.setIdleTimeout(300_000);
        server.addConnector(connector);
        server.setHandler(new Dispatcher());
        server.setErrorHandler(new XmlErrorHandler());
        server.setStopTimeout(5_000);
    }

    /**
     * Starts serving for {@code accounts} (each one's requests act as that account).
     *
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static S3Server start(S3Config config, List<S3Account> accounts) {
        return start(config, accounts, Clock.systemUTC());
    }

    static S3Server start(S3Config config, List<S3Account> accounts, Clock clock) {
        S3Server s3 = new S3Server(config, accounts, clock);
        try {
            s3.server.start();
        } catch (Exception e) {
            s3.close();
            throw new UncheckedIOException(new IOException("the S3 API could not start on " + config.host() + ":"
                    + config.port() + ": " + e.getMessage(), e));
        }
        LOG.info("S3 API serving http://{}:{} (region {}, {} account(s))", config.host(), s3.port(), config.region(),
                accounts.size());
        return s3;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** {@code http://host:port}: the endpoint URL for S3 clients. */
    public URI uri() {
        return URI.create("http://" + config.host() + ":" + port());
    }

    public S3Config config() {
        return config;
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("stopping the S3 API failed", e);
        } finally {
            buckets.close();
        }
    }

    // ------------------------------------------------------------------------------------------------ dispatch

    private final class Dispatcher extends Handler.Abstract {
        @Override
        public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                              Callback callback) {
            String requestId = requestId();
            boolean head = "HEAD".equals(request.getMethod());
            if (!requests.tryAcquire()) {
                write(request, response, callback, error(new S3Exception(S3Error.SLOW_DOWN), null, requestId, head),
                        requestId, head);
                return true;
            }
            try {
                S3Response answer;
                S3Request s3 = null;
                try {
                    s3 = S3Request.of(request, config.virtualHostDomains(), requestId);
                    Authentication auth = authenticator.authenticate(s3);
                    answer = api.handle(s3, auth);
                } catch (S3Exception e) {
                    answer = error(e, s3, requestId, head);
                } catch (Throwable t) {
                    answer = error(translate(t, request, requestId), s3, requestId, head);
                }
                write(request, response, callback, answer, requestId, head);
            } finally {
                requests.release();
            }
            return true;
        }
    }

    /** Errors of the layers below, as S3 errors; anything unexpected is logged and answered InternalError. */
    private static S3Exception translate(Throwable t, org.eclipse.jetty.server.Request request, String requestId) {
        if (t instanceof SpaceNotFoundException) {
            return new S3Exception(S3Error.NO_SUCH_BUCKET, t.getMessage());
        }
        if (t instanceof InvalidKeyException) {
            return new S3Exception(S3Error.INVALID_ARGUMENT, t.getMessage());
        }
        if (t instanceof HttpTransportException || (t instanceof ApiException api && api.httpStatus() == 503)) {
            LOG.warn("S3 {} {} [{}]: the network is unavailable: {}", request.getMethod(),
                    request.getHttpURI().getPath(), requestId, t.getMessage());
            return new S3Exception(S3Error.SERVICE_UNAVAILABLE, "the Tusk network is unavailable: " + t.getMessage(), t);
        }
        if (t instanceof BlobNotFoundException) {
            return new S3Exception(S3Error.INTERNAL_ERROR, "the object's data is no longer stored: " + t.getMessage(), t);
        }
        LOG.error("S3 {} {} [{}] failed", request.getMethod(), request.getHttpURI().getPath(), requestId, t);
        return new S3Exception(S3Error.INTERNAL_ERROR, S3Error.INTERNAL_ERROR.defaultMessage(), t);
    }

    private static String requestId() {
        byte[] id = new byte[8];
        IDS.nextBytes(id);
        return HexFormat.of().withUpperCase().formatHex(id);
    }

    /** S3's error document; HEAD answers and 304 carry the status and headers only. */
    private static S3Response error(S3Exception e, S3Request request, String requestId, boolean head) {
        S3Error error = e.error();
        S3Response response;
        if (head || error == S3Error.NOT_MODIFIED) {
            response = S3Response.empty(error.status());
        } else {
            XmlWriter xml = XmlWriter.plainDocument("Error").element("Code", error.code())
                    .element("Message", e.getMessage());
            e.orderedFields().forEach(xml::element);
            if (request != null) {
                xml.element("Resource", request.resource());
            }
            xml.element("RequestId", requestId).element("HostId", requestId);
            response = S3Response.xml(error.status(), xml);
        }
        e.headers().forEach(h -> response.header(h.getKey(), h.getValue()));
        if (error.status() == 503) {
            response.header("Retry-After", "1");
        }
        return response;
    }

    private void write(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
                       Callback callback, S3Response answer, String requestId, boolean head) {
        response.setStatus(answer.status());
        HttpFields.Mutable headers = response.getHeaders();
        headers.put("x-amz-request-id", requestId);
        headers.put("x-amz-id-2", requestId);
        headers.put(HttpHeader.SERVER, "TuskS3");
        if (answer.contentType() != null) {
            headers.put(HttpHeader.CONTENT_TYPE, answer.contentType());
        }
        for (Map.Entry<String, String> header : answer.headers()) {
            headers.add(header.getKey(), header.getValue());
        }
        if (answer.status() >= 400 && !drain(request)) {
            // A refused request's unread body would be taken for the next request: read and drop it, or close.
            headers.put(HttpHeader.CONNECTION, "close");
        }
        headers.put(HttpHeader.CONTENT_LENGTH, Math.max(0, answer.contentLength()));
        if (head || answer.status() == 204 || answer.status() == 304) {
            response.write(true, null, callback);
            return;
        }
        byte[] body = answer.body();
        if (body != null) {
            response.write(true, ByteBuffer.wrap(body), callback);
            return;
        }
        try (OutputStream out = Content.Sink.asOutputStream(response)) {
            answer.writer().writeTo(out);
        } catch (Throwable t) {
            // The headers are out: the only honest signal left is to cut the response short.
            LOG.warn("S3 {} {} [{}]: streaming the body failed: {}", request.getMethod(), request.getHttpURI().getPath(),
                    requestId, t.toString());
            callback.failed(t);
            return;
        }
        callback.succeeded();
    }

    /** How much of a refused request's body is read and dropped to keep its connection. */
    private static final long DRAIN_LIMIT = 8L << 20;

    private static boolean drain(org.eclipse.jetty.server.Request request) {
        HttpFields fields = request.getHeaders();
        long declared = fields.getLongField(HttpHeader.CONTENT_LENGTH);
        if (declared <= 0 && !fields.contains(HttpHeader.TRANSFER_ENCODING)) {
            return true;
        }
        if (declared > DRAIN_LIMIT) {
            return false;
        }
        try (var rest = Content.Source.asInputStream(request)) {
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
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

    /** Jetty's own rejections (malformed HTTP) as S3 XML. */
    private static final class XmlErrorHandler extends ErrorHandler {
        @Override
        protected void generateResponse(org.eclipse.jetty.server.Request request,
                                        org.eclipse.jetty.server.Response response, int code, String message,
                                        Throwable cause, Callback callback) {
            byte[] body = XmlWriter.plainDocument("Error").element("Code", code == 400 ? "InvalidRequest" : "InternalError")
                    .element("Message", message == null ? "bad request" : message).toBytes();
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, S3Response.XML);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }
}
