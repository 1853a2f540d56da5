package io.tusk.cli;

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;

/**
 * The warm client process the {@code tusk} launcher hands client commands to (started on first use, as build tools
 * start theirs), so that a command costs a connection instead of a JVM start, class loading and JIT warm-up. Each
 * command runs as it would in a process of its own: {@link Main#run} with the caller's arguments, environment,
 * working directory and standard streams ({@link Invocation}), its exit code passed back; nothing is kept between
 * commands but loaded classes and compiled code: the configuration is read again by every command, and clients (with
 * their control-plane and node addresses) are created and closed by each.
 *
 * <p>It listens on a Unix domain socket in a directory only its user can enter, and exits after
 * {@code TUSK_DAEMON_IDLE_MINUTES} (default 30) without a command. Its own output goes to the log next to the socket.
 */
final class ClientDaemon {
    private final Path socket;
    private final Duration idle;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong lastActivity = new AtomicLong(System.nanoTime());
    /**
     * The parser for the next command, built ahead (while the daemon waits, or while the previous command runs): a
     * parser reads every command's annotations, which cost each command tens of milliseconds. Each is used once, so
     * no option value of one command can reach the next.
     */
    private final AtomicReference<CommandLine> prepared = new AtomicReference<>();

    private ClientDaemon(Path socket, Duration idle) {
        this.socket = socket;
        this.idle = idle;
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: ClientDaemon SOCKET");
            System.exit(Main.EXIT_USAGE);
        }
        String minutes = System.getenv("TUSK_DAEMON_IDLE_MINUTES");
        Duration idle = Duration.ofMinutes(minutes == null || minutes.isBlank() ? 30 : Long.parseLong(minutes.trim()));
        RoutedStreams.install();
        new ClientDaemon(Path.of(args[0]), idle).serve();
    }

    private void serve() throws IOException {
        ServerSocketChannel server = bind();
        if (server == null) {
            return; // another daemon answers on this socket
        }
        Thread.ofPlatform().daemon().name("tusk-daemon-idle").start(this::exitWhenIdle);
        prepareNextCommandLine();
        System.err.println("tusk client daemon listening on " + socket + " (pid " + ProcessHandle.current().pid() + ")");
        while (true) {
            SocketChannel connection = server.accept();
            running.incrementAndGet();
            lastActivity.set(System.nanoTime());
            Thread.ofVirtual().name("tusk-command").start(() -> {
                try (connection) {
                    handle(connection);
                } catch (IOException | RuntimeException e) {
                    System.err.println("tusk client daemon: a command's connection failed: " + e);
                } finally {
                    lastActivity.set(System.nanoTime());
                    running.decrementAndGet();
                }
            });
        }
    }

    /** Binds the socket, replacing a stale one; null if a live daemon already answers there. */
    private ServerSocketChannel bind() throws IOException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
        if (Files.exists(socket)) {
            try (SocketChannel probe = SocketChannel.open(address)) {
                return null;
            } catch (IOException stale) {
                Files.deleteIfExists(socket);
            }
        }
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(address);
        return server;
    }

    private void exitWhenIdle() {
        while (true) {
            try {
                Thread.sleep(Math.min(idle.toMillis(), 30_000));
            } catch (InterruptedException e) {
                return;
            }
            if (running.get() == 0 && System.nanoTime() - lastActivity.get() > idle.toNanos()) {
                System.err.println("tusk client daemon: idle for " + idle.toMinutes() + " min, exiting");
                try {
                    Files.deleteIfExists(socket);
                } catch (IOException e) {
                    System.err.println("tusk client daemon: cannot remove " + socket + ": " + e.getMessage());
                }
                Runtime.getRuntime().halt(0);
            }
        }
    }

    private void handle(SocketChannel connection) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Channels.newInputStream(connection)));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(connection), 1 << 16));
        DaemonProtocol.Frame first = DaemonProtocol.read(in);
        if (first == null || first.type() != DaemonProtocol.REQUEST) {
            return;
        }
        DaemonProtocol.Request request;
        try {
            request = DaemonProtocol.Request.decode(first.payload());
        } catch (IOException e) {
            send(out, DaemonProtocol.STDERR, ("tusk: " + e.getMessage() + "\n").getBytes());
            send(out, DaemonProtocol.EXIT, DaemonProtocol.intPayload(Main.EXIT_FAILURE));
            return;
        }
        CallerInput stdin = new CallerInput(out);
        PrintStream stdout = new PrintStream(new FrameOutput(out, DaemonProtocol.STDOUT), false);
        PrintStream stderr = new PrintStream(new FrameOutput(out, DaemonProtocol.STDERR), true);
        Invocation invocation = new Invocation(stdin, stdout, stderr, request.environment(),
                Path.of(request.workingDirectory()), request.interactive());
        Thread command = Thread.currentThread();
        Thread.ofVirtual().name("tusk-command-input").start(() -> readCaller(in, stdin, command));
        int exit;
        try {
            CommandLine cli = takeCommandLine();
            exit = Invocation.run(invocation, () -> Main.run(cli, new PrintWriter(stdout, true),
                    new PrintWriter(stderr, true), request.arguments().toArray(String[]::new)));
        } catch (Exception e) {
            stderr.println("tusk: " + Main.oneLine(e));
            exit = Main.EXIT_FAILURE;
        }
        stdout.flush();
        stderr.flush();
        send(out, DaemonProtocol.EXIT, DaemonProtocol.intPayload(exit));
    }

    /** The prepared parser (or a new one if none is ready), and a replacement is started. */
    private CommandLine takeCommandLine() {
        CommandLine ready = prepared.getAndSet(null);
        prepareNextCommandLine();
        return ready != null ? ready : Main.commandLine();
    }

    private void prepareNextCommandLine() {
        Thread.ofVirtual().name("tusk-prepare-command-line").start(() -> prepared.compareAndSet(null, Main.commandLine()));
    }

    /** Frames from the caller while its command runs: input, and Ctrl-C (which interrupts the command). */
    private static void readCaller(DataInputStream in, CallerInput stdin, Thread command) {
        try {
            for (DaemonProtocol.Frame frame = DaemonProtocol.read(in); frame != null; frame = DaemonProtocol.read(in)) {
                switch (frame.type()) {
                    case DaemonProtocol.STDIN -> stdin.deliver(frame.payload());
                    case DaemonProtocol.INTERRUPT -> command.interrupt();
                    default -> { }
                }
            }
        } catch (IOException e) {
            // the caller went away
        }
        stdin.deliver(new byte[0]);
        command.interrupt(); // the caller is gone (killed, or its terminal closed): stop its command
    }

    private static void send(DataOutputStream out, byte type, byte[] payload) throws IOException {
        synchronized (out) {
            DaemonProtocol.write(out, type, payload, 0, payload.length);
            out.flush();
        }
    }

    /** A command's standard output or error, sent to the caller as frames. */
    private static final class FrameOutput extends OutputStream {
        private final DataOutputStream out;
        private final byte type;

        FrameOutput(DataOutputStream out, byte type) {
            this.out = out;
            this.type = type;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            synchronized (out) {
                for (int done = 0; done < len; ) {
                    int piece = Math.min(len - done, 1 << 20);
                    DaemonProtocol.write(out, type, b, off + done, piece);
                    done += piece;
                }
            }
        }

        @Override
        public void flush() throws IOException {
            synchronized (out) {
                out.flush();
            }
        }
    }

    /** The caller's standard input, asked for only when the command reads it (so unread input stays with the caller). */
    private static final class CallerInput extends InputStream {
        private final DataOutputStream out;
        private final BlockingQueue<byte[]> arrived = new ArrayBlockingQueue<>(1);
        private byte[] current = new byte[0];
        private int position;
        private boolean ended;

        CallerInput(DataOutputStream out) {
            this.out = out;
        }

        void deliver(byte[] bytes) {
            arrived.offer(bytes);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (position == current.length) {
                if (ended) {
                    return -1;
                }
                send(out, DaemonProtocol.STDIN_WANTED, DaemonProtocol.intPayload(Math.max(len, 1 << 16)));
                try {
                    current = arrived.take();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for standard input");
                }
                position = 0;
                if (current.length == 0) {
                    ended = true;
                    return -1;
                }
            }
            int n = Math.min(len, current.length - position);
            System.arraycopy(current, position, b, off, n);
            position += n;
            return n;
        }
    }
}
