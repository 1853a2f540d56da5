package io.tusk.http;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The transport against a hand-written HTTP/1.1 peer on a real socket, which misbehaves as real servers do: it closes a
 * kept-alive connection just as the next request arrives on it (the stale pooled connection), or breaks a connection
 * in the middle of an answer.
 */
class HttpTransportTest {
    private HttpTransport transport;
    private ServerSocket listener;
    private final AtomicInteger connections = new AtomicInteger();

    @BeforeEach
    void setUp() throws IOException {
        transport = HttpTransport.create("transport-test");
        listener = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void tearDown() throws IOException {
        listener.close();
        transport.close();
    }

    /** Serves connections on a virtual thread: each connection answers {@code answered} requests, then the peer acts. */
    private void serve(int answered, String afterwards) {
        Thread.ofVirtual().start(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket socket = listener.accept();
                    connections.incrementAndGet();
                    Thread.ofVirtual().start(() -> handle(socket, answered, afterwards));
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private static void handle(Socket socket, int answered, String afterwards) {
        try (socket) {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            for (int i = 0; ; i++) {
                int bodyLength = readRequest(in);
                if (bodyLength < 0) {
                    return;
                }
                in.readNBytes(bodyLength);
                if (i >= answered) {
                    if (afterwards.equals("half-answer")) {
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nshort".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                    return; // close without (a whole) answer
                }
                byte[] body = ("answer " + i + " on this connection").getBytes(StandardCharsets.US_ASCII);
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            }
        } catch (IOException e) {
            // the client went away
        }
    }

    /** Reads a request head; returns its Content-Length (0 if none), or -1 at the end of the stream. */
    private static int readRequest(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int b;
        while ((b = in.read()) >= 0) {
            head.append((char) b);
            if (head.toString().endsWith("\r\n\r\n")) {
                for (String line : head.toString().split("\r\n")) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        return Integer.parseInt(line.substring(15).trim());
                    }
                }
                return 0;
            }
        }
        return -1;
    }

    private HttpTransport.Answer send(String method, byte[] body) {
        return transport.send(new HttpTransport.Exchange(method, URI.create("http://127.0.0.1:" + listener.getLocalPort()
                + "/x"), List.of(), "application/octet-stream", body == null ? null : new ByteBuffer[] {ByteBuffer.wrap(body)},
                Duration.ofSeconds(10), 1 << 20));
    }

    @Test
    void shouldSendARequestAgainWhenItsPooledConnectionIsClosedUnderIt() {
        serve(1, "close");
        assertThat(new String(send("GET", null).body(), StandardCharsets.US_ASCII)).isEqualTo("answer 0 on this connection");
        // The pooled connection is closed by the peer as this request arrives: sent again on a new connection.
        HttpTransport.Answer again = send("PUT", new byte[1000]);
        assertThat(again.status()).isEqualTo(200);
        assertThat(new String(again.body(), StandardCharsets.US_ASCII)).isEqualTo("answer 0 on this connection");
        assertThat(connections.get()).isEqualTo(2);
    }

    @Test
    void shouldSendAgainOnlyOnce() {
        serve(0, "close"); // every connection closes on its first request
        HttpTransportException failed = catchThrowableOfType(HttpTransportException.class, () -> send("GET", null));
        assertThat(failed).hasMessageContaining("GET http://127.0.0.1:");
        assertThat(connections.get()).isEqualTo(2);
    }

    @Test
    void shouldNotSendAgainOnceAnAnswerBegan() {
        serve(0, "half-answer");
        HttpTransportException failed = catchThrowableOfType(HttpTransportException.class, () -> send("GET", null));
        assertThat(failed).isNotNull();
        assertThat(connections.get()).isEqualTo(1);
    }

    @Test
    void shouldReportARefusedConnectionWithItsCauseAndNotRetry() throws IOException {
        int port = listener.getLocalPort();
        listener.close();
        HttpTransportException refused = catchThrowableOfType(HttpTransportException.class, () ->
                transport.send(new HttpTransport.Exchange("GET", URI.create("http://127.0.0.1:" + port + "/x"),
                        List.of(), null, null, Duration.ofSeconds(5), 1024)));
        assertThat(refused.getCause()).isInstanceOf(ConnectException.class);
    }

    @Test
    void shouldRefuseAnAnswerOverTheLimit() {
        serve(5, "close");
        HttpTransportException tooLarge = catchThrowableOfType(HttpTransportException.class, () ->
                transport.send(new HttpTransport.Exchange("GET", URI.create("http://127.0.0.1:"
                        + listener.getLocalPort() + "/x"), List.of(), null, null, Duration.ofSeconds(5), 10)));
        assertThat(tooLarge).hasMessageContaining("larger than the limit of 10 bytes");
        assertThat(connections.get()).isEqualTo(1);
    }

    @Test
    void shouldNeverKeepAJvmAlive() {
        serve(5, "close");
        send("GET", null); // starts the client's selector, scheduler and workers
        List<Thread> threads = Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.getName().startsWith("transport-test")).toList();
        assertThat(threads).isNotEmpty();
        assertThat(threads).allSatisfy(thread -> assertThat(thread.isDaemon()).as(thread.getName()).isTrue());
    }

    @Test
    void shouldLeaveTheCallersBuffersAsTheyWere() {
        serve(5, "close");
        ByteBuffer body = ByteBuffer.wrap(new byte[100]);
        body.position(10);
        transport.send(new HttpTransport.Exchange("PUT", URI.create("http://127.0.0.1:" + listener.getLocalPort() + "/x"),
                List.of(), "application/octet-stream", new ByteBuffer[] {body}, Duration.ofSeconds(5), 1024));
        assertThat(body.position()).isEqualTo(10);
        assertThat(body.remaining()).isEqualTo(90);
    }
}
