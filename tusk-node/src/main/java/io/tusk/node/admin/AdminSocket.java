package io.tusk.node.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The node's local administration socket (a Unix domain socket, as Walrus's {@code admin_socket_path}): operator
 * commands for a running node that must not be reachable over the network. The socket file is made owner-only
 * ({@code srw-------}), so the file system decides who may use it; nothing else is checked.
 *
 * <p>Protocol: one request line, one JSON answer line, then the connection closes.
 * <ul>
 *   <li>{@code checkpoint} takes a checkpoint into the checkpoint directory (retention applies);</li>
 *   <li>{@code checkpoint <absolute path>} takes one into that new folder;</li>
 *   <li>{@code list-checkpoints} lists the checkpoint directory.</li>
 * </ul>
 * Answers: {@code {"ok":true,...}} or {@code {"ok":false,"error":"..."}}. A request line is at most 4 KiB and must
 * arrive within 10 s.
 */
public final class AdminSocket implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AdminSocket.class);
    static final int MAX_REQUEST_BYTES = 4096;
    /** Linux's limit on a socket path ({@code sun_path} is 108 bytes with the terminating zero). */
    static final int MAX_PATH_BYTES = 107;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path path;
    private final Checkpoints checkpoints;
    private final ServerSocketChannel server;
    private final Thread acceptor;
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("tusk-node-admin-deadlines").daemon().factory());

    private AdminSocket(Path path, Checkpoints checkpoints, ServerSocketChannel server) {
        this.path = path;
        this.checkpoints = checkpoints;
        this.server = server;
        this.acceptor = Thread.ofVirtual().name("tusk-node-admin").start(this::accept);
    }

    /**
     * Binds {@code path}. A socket file left by a node that died is replaced; one that a live node answers on is not.
     *
     * @throws IOException if the path is too long, is served by another node, or cannot be bound
     */
    public static AdminSocket start(Path path, Checkpoints checkpoints) throws IOException {
        Path absolute = path.toAbsolutePath().normalize();
        if (absolute.toString().getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new IOException("the admin socket path " + absolute + " is longer than " + MAX_PATH_BYTES
                    + " bytes, the operating system's limit; set adminSocket to a shorter path");
        }
        if (Files.exists(absolute)) {
            if (AdminClient.answers(absolute)) {
                throw new IOException("another running node serves the admin socket " + absolute
                        + "; give each node its own adminSocket");
            }
            Files.delete(absolute); // left by a node that did not stop cleanly
        }
        Files.createDirectories(absolute.getParent());
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            server.bind(UnixDomainSocketAddress.of(absolute));
            try {
                Files.setPosixFilePermissions(absolute, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                LOG.warn("the file system of {} has no POSIX permissions: any local user may use it", absolute);
            }
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        LOG.info("admin socket at {}", absolute);
        return new AdminSocket(absolute, checkpoints, server);
    }

    public Path path() {
        return path;
    }

    private void accept() {
        while (server.isOpen()) {
            SocketChannel connection;
            try {
                connection = server.accept();
            } catch (IOException e) {
                if (server.isOpen()) {
                    LOG.warn("admin socket accept failed: {}", e.toString());
                }
                return;
            }
            Thread.ofVirtual().name("tusk-node-admin-request").start(() -> serve(connection));
        }
    }

    private void serve(SocketChannel connection) {
        // A client that never finishes its line is cut off: a slow checkpoint is fine, a silent client is not.
        var deadline = deadlines.schedule(() -> closeQuietly(connection), 10, TimeUnit.SECONDS);
        try (connection) {
            String request = readLine(connection);
            deadline.cancel(false);
            if (request == null) {
                return; // a probe: connected and closed (AdminClient.answers, a starting node)
            }
            byte[] answer = (JSON.writeValueAsString(answer(request)) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(answer);
            while (buffer.hasRemaining()) {
                connection.write(buffer);
            }
        } catch (IOException e) {
            LOG.debug("admin connection ended: {}", e.toString());
        } finally {
            deadline.cancel(false);
        }
    }

    /** The request line, or null if the client closed without sending anything. */
    private static String readLine(SocketChannel connection) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        ByteBuffer buffer = ByteBuffer.allocate(512);
        while (true) {
            buffer.clear();
            int n = connection.read(buffer);
            if (n < 0) {
                if (line.size() == 0) {
                    return null;
                }
                break;
            }
            for (int i = 0; i < n; i++) {
                byte b = buffer.get(i);
                if (b == '\n') {
                    return line.toString(StandardCharsets.UTF_8).trim();
                }
                line.write(b);
            }
            if (line.size() > MAX_REQUEST_BYTES) {
                throw new IOException("admin request longer than " + MAX_REQUEST_BYTES + " bytes");
            }
        }
        return line.toString(StandardCharsets.UTF_8).trim();
    }

    ObjectNode answer(String request) {
        ObjectNode answer = JSON.createObjectNode();
        try {
            String[] words = request.split("\\s+", 2);
            switch (words[0]) {
                case "checkpoint" -> {
                    Checkpoints.Checkpoint made = words.length == 1 ? checkpoints.create()
                            : checkpoints.createAt(target(words[1]));
                    answer.put("ok", true);
                    answer.set("checkpoint", describe(made));
                    answer.put("directory", checkpoints.config().directory().toString());
                }
                case "list-checkpoints" -> {
                    answer.put("ok", true);
                    answer.put("directory", checkpoints.config().directory().toString());
                    ArrayNode list = answer.putArray("checkpoints");
                    checkpoints.list().forEach(c -> list.add(describe(c)));
                }
                default -> throw new IllegalArgumentException("unknown admin request '" + abbreviate(request)
                        + "'; expected checkpoint [PATH] or list-checkpoints");
            }
        } catch (RuntimeException e) {
            answer.removeAll();
            answer.put("ok", false);
            answer.put("error", String.valueOf(e.getMessage()));
            LOG.warn("admin request '{}' failed: {}", abbreviate(request), e.toString());
        }
        return answer;
    }

    private static Path target(String text) {
        Path target = Path.of(text.trim());
        if (!target.isAbsolute()) {
            throw new IllegalArgumentException("a checkpoint path must be absolute (the node's working directory is "
                    + "not yours), got " + text.trim());
        }
        return target;
    }

    static ObjectNode describe(Checkpoints.Checkpoint checkpoint) {
        ObjectNode node = JSON.createObjectNode();
        node.put("path", checkpoint.path().toString());
        node.put("created", checkpoint.created().toString());
        node.put("bytes", checkpoint.bytes());
        return node;
    }

    private static String abbreviate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 97) + "...";
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("closing an admin connection failed: {}", e.toString());
        }
    }

    @Override
    public void close() throws IOException {
        try {
            server.close();
            acceptor.join(java.time.Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            deadlines.shutdownNow();
            Files.deleteIfExists(path);
        }
    }
}
