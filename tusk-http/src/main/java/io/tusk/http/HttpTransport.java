package io.tusk.http;

import org.eclipse.jetty.client.ByteBufferRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP/1.1 client under every Tusk client ({@link JsonHttpClient}, the storage-node client): Jetty's
 * {@code HttpClient}, which costs about a third less CPU per small request than the JDK's (README "Speed"). One
 * instance holds a connection pool per server; {@link #shared()} is the process's.
 *
 * <p>Blocking calls, meant for virtual threads: {@link #send} waits for the whole answer. An interrupt aborts the
 * request (its connection is closed, not reused).
 *
 * <p><b>Stale connections.</b> A server may close an idle keep-alive connection at the moment a request is written
 * on it; the request then fails without having reached the server's handler. The client closes idle connections
 * first (its idle timeout, 20 s, is shorter than tusk-http's 30 s), and a request that fails on a broken connection
 * before any answer arrived is sent once more on a new connection. Only requests that may be repeated are sent
 * again: every Tusk and Walrus API call is idempotent (reads, PUTs of content-addressed data, signed commands with
 * nonces), and bodies are buffers that can be sent twice. A refused connection, an unknown host or a timeout is not
 * retried: the server is not there, and asking again at once would not change that.
 */
public final class HttpTransport implements AutoCloseable {
    /** Shorter than tusk-http's server idle timeout (30 s), so the client closes an idle connection first. */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(20);
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

    private static final class Shared {
        static final HttpTransport INSTANCE = create("tusk-http-client");
    }

    private final HttpClient client;

    private HttpTransport(HttpClient client) {
        this.client = client;
    }

    /** The process's transport (started on first use, never closed: its threads are daemons). */
    public static HttpTransport shared() {
        return Shared.INSTANCE;
    }

    /** A transport of its own (tests, or a part that must close its connections); close it. */
    public static HttpTransport create(String name) {
        QueuedThreadPool threads = new QueuedThreadPool(64, 2);
        threads.setName(name);
        threads.setDaemon(true);
        HttpClient client = new HttpClient();
        client.setExecutor(threads);
        // Daemon threads only: a client must never keep a JVM alive (the CLI exits when its command is done).
        client.setScheduler(new ScheduledExecutorScheduler(name + "-scheduler", true));
        client.setConnectTimeout(CONNECT_TIMEOUT.toMillis());
        client.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        client.setFollowRedirects(false);
        // Callers bound their own concurrency (the SDK's request semaphore, the gateway's limiter); the client
        // must not refuse or stall their requests on its own smaller limits.
        client.setMaxConnectionsPerDestination(1024);
        client.setMaxRequestsQueuedPerDestination(1 << 16);
        client.setUserAgentField(null); // no User-Agent: nothing reads it, and it costs bytes on every request
        client.getContentDecoderFactories().clear(); // no Accept-Encoding: Tusk's bodies are not compressed
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client: " + e.getMessage(), e);
        }
        return new HttpTransport(client);
    }

    /** One request. */
    public record Exchange(String method, URI uri, List<Map.Entry<String, String>> headers, String contentType,
                           ByteBuffer[] body, Duration timeout, long maxAnswerBytes) {
        public Exchange {
            if (maxAnswerBytes < 0 || maxAnswerBytes > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("maxAnswerBytes must be in [0, 2^31 - 9], got " + maxAnswerBytes);
            }
        }
    }

    /** An answer as received: status, Content-Type (or {@code null}) and the whole body. */
    public record Answer(int status, String contentType, byte[] body) {
    }

    /**
     * Sends {@code exchange} and waits for the whole answer, whatever its status.
     *
     * @throws HttpTransportException when no answer arrives: connection refused or broken (after the one retry
     *                                described above), timeout, an answer larger than allowed, or an interrupt (the
     *                                thread's interrupt flag is set again)
     */
    public Answer send(Exchange exchange) {
        try {
            return attempt(exchange);
        } catch (StaleConnection first) {
            try {
                return attempt(exchange);
            } catch (StaleConnection second) {
                throw failure(exchange, second.getCause());
            }
        }
    }

    private Answer attempt(Exchange exchange) throws StaleConnection {
        org.eclipse.jetty.client.Request request = client.newRequest(exchange.uri())
                .method(exchange.method())
                .timeout(exchange.timeout().toMillis(), TimeUnit.MILLISECONDS);
        for (Map.Entry<String, String> header : exchange.headers()) {
            request.headers(headers -> headers.add(header.getKey(), header.getValue()));
        }
        if (exchange.body() != null) {
            // Read-only duplicates: the caller's buffers keep their positions, and a retry sends them again.
            ByteBuffer[] body = new ByteBuffer[exchange.body().length];
            for (int i = 0; i < body.length; i++) {
                body[i] = exchange.body()[i].asReadOnlyBuffer();
            }
            request.body(new ByteBufferRequestContent(exchange.contentType(), body));
        }
        Collector collector = new Collector((int) exchange.maxAnswerBytes());
        request.send(collector);
        try {
            return collector.answer.get();
        } catch (InterruptedException e) {
            request.abort(e);
            Thread.currentThread().interrupt();
            throw new HttpTransportException(exchange.method() + " " + exchange.uri() + " was interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (collector.gotStatus == 0 && isBrokenConnection(cause)) {
                throw new StaleConnection(cause);
            }
            throw failure(exchange, cause);
        }
    }

    private static HttpTransportException failure(Exchange exchange, Throwable cause) {
        String what = cause instanceof TimeoutException ? "timed out after " + exchange.timeout().toMillis() + " ms"
                : "failed: " + cause;
        return new HttpTransportException(exchange.method() + " " + exchange.uri() + " " + what, cause);
    }

    /**
     * A connection that broke under the request: the server closed or reset it. Not a refused connection (nobody
     * listens), an unknown host or a timeout.
     */
    private static boolean isBrokenConnection(Throwable cause) {
        if (cause instanceof ConnectException || cause instanceof UnknownHostException
                || cause instanceof NoRouteToHostException) {
            return false;
        }
        return cause instanceof EOFException || cause instanceof ClosedChannelException
                || cause instanceof IOException && !(cause instanceof java.net.SocketTimeoutException);
    }

    /** Collects an answer into one array, sized by its Content-Length when there is one. */
    private static final class Collector implements org.eclipse.jetty.client.Response.Listener {
        final CompletableFuture<Answer> answer = new CompletableFuture<>();
        private final int maxBytes;
        volatile int gotStatus;
        private byte[] body;
        private int length;
        private ByteArrayOutputStream chunked;

        Collector(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        @Override
        public void onHeaders(org.eclipse.jetty.client.Response response) {
            gotStatus = response.getStatus();
            long declared = response.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH);
            if (declared > maxBytes) {
                response.abort(new IOException("the answer of " + declared + " bytes is larger than the limit of "
                        + maxBytes + " bytes"));
            } else if (declared >= 0) {
                body = new byte[(int) declared];
            } else {
                chunked = new ByteArrayOutputStream();
            }
        }

        @Override
        public void onContent(org.eclipse.jetty.client.Response response, ByteBuffer content) {
            int n = content.remaining();
            if (chunked != null) {
                if (chunked.size() + (long) n > maxBytes) {
                    response.abort(new IOException("the answer is larger than the limit of " + maxBytes + " bytes"));
                    return;
                }
                byte[] bytes = new byte[n];
                content.get(bytes);
                chunked.write(bytes, 0, n);
            } else if (body != null && length + n <= body.length) {
                content.get(body, length, n);
                length += n;
            } else {
                response.abort(new IOException("the answer is longer than its Content-Length"));
            }
        }

        @Override
        public void onComplete(Result result) {
            if (result.isFailed()) {
                answer.completeExceptionally(result.getFailure());
                return;
            }
            org.eclipse.jetty.client.Response response = result.getResponse();
            byte[] bytes = chunked != null ? chunked.toByteArray() : body == null ? new byte[0] : body;
            if (chunked == null && body != null && length != body.length) {
                answer.completeExceptionally(new EOFException("the answer ended after " + length + " of "
                        + body.length + " bytes"));
                return;
            }
            HttpField type = response.getHeaders().getField(HttpHeader.CONTENT_TYPE);
            answer.complete(new Answer(response.getStatus(), type == null ? null : type.getValue(), bytes));
        }
    }

    /** A request that may be sent again: its connection broke before any answer. */
    private static final class StaleConnection extends Exception {
        StaleConnection(Throwable cause) {
            super(cause.toString(), cause, false, false);
        }
    }

    /** Closes the connections (never the shared transport's). */
    @Override
    public void close() {
        if (this == Shared.INSTANCE) {
            return;
        }
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException("stopping the HTTP client failed: " + e.getMessage(), e);
        }
    }
}
