package io.tusk.cli;

import io.tusk.core.ColdStart;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.File;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What {@code ./tusk} runs for client commands: a small JVM (JDK classes only, so it starts in a few tens of
 * milliseconds) that hands the command to the warm client daemon ({@link ClientDaemon}), starting it on first use,
 * and passes standard input, output, error and the exit code through unchanged. One daemon serves one build of the
 * CLI with one set of JVM options ({@code TUSK_JAVA_OPTS}): its socket is named after them, so a rebuilt CLI gets a
 * fresh daemon and the old one exits when idle. If no daemon can be reached, the command runs in this JVM.
 *
 * <p>This JVM's own class path is the CLI's jar alone: the script passes the whole class path (the jar and its 90
 * libraries) in the system property {@value #CLASS_PATH_PROPERTY}, for the daemon and for running here. A JVM given
 * the 90 jars took about 120 ms longer to answer a command it only hands on (measured: median 286 against 160 ms).
 */
final class Launcher {
    private static final long START_TIMEOUT_MILLIS = 60_000;
    /** The CLI's whole class path, as the {@code java} command takes it ({@code dir/*} included). */
    static final String CLASS_PATH_PROPERTY = "tusk.classpath";
    /** The exit code when standard output was closed under the command: a shell's for a process killed by SIGPIPE. */
    static final int CALLER_GONE = 128 + 13;

    private Launcher() {}

    public static void main(String[] args) throws Exception {
        Path socket;
        SocketChannel channel;
        try {
            socket = socketPath();
            channel = connectOrStart(socket);
        } catch (IOException | RuntimeException e) {
            System.err.println("tusk: the client daemon is not available (" + e.getMessage() + "); running here");
            runHere(args);
            return;
        }
        System.exit(run(channel, args));
    }

    /**
     * Runs the command in this JVM, on the CLI's whole class path: a loader of its own (over the platform's, so that
     * {@link Main} and everything it uses come from the same place) rather than this JVM's class path, which may be
     * the CLI's jar alone.
     */
    private static void runHere(String[] args) throws Exception {
        List<java.net.URL> urls = new ArrayList<>();
        for (File file : classPathFiles(cliClassPath())) {
            urls.add(file.toURI().toURL());
        }
        java.net.URLClassLoader loader = new java.net.URLClassLoader(urls.toArray(java.net.URL[]::new),
                ClassLoader.getPlatformClassLoader());
        Thread.currentThread().setContextClassLoader(loader);
        // one command in this JVM, which exits after it: the scalar kernels until it has warmed (ColdStart)
        System.setProperty(ColdStart.PROPERTY, System.getProperty(ColdStart.PROPERTY, "cold")); // a constant: no class loaded
        Class.forName("io.tusk.cli.Main", true, loader).getMethod("main", String[].class).invoke(null, (Object) args);
    }

    /** The CLI's whole class path: {@value #CLASS_PATH_PROPERTY} if the script passed it, else this JVM's. */
    static String cliClassPath() {
        String passed = System.getProperty(CLASS_PATH_PROPERTY);
        return passed != null && !passed.isBlank() ? passed : System.getProperty("java.class.path");
    }

    /** A class path's files, each {@code dir/*} expanded to the jars in {@code dir} (sorted), as {@code java} does. */
    static List<File> classPathFiles(String classPath) {
        List<File> files = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.equals("*") || entry.endsWith(File.separator + "*")) {
                File directory = new File(entry.length() == 1 ? "." : entry.substring(0, entry.length() - 2));
                File[] jars = directory.listFiles((dir, name) -> name.endsWith(".jar") || name.endsWith(".JAR"));
                if (jars != null) {
                    Arrays.sort(jars);
                    files.addAll(Arrays.asList(jars));
                }
            } else if (!entry.isEmpty()) {
                files.add(new File(entry));
            }
        }
        return files;
    }

    /** Sends the command and relays frames until the daemon reports the exit code. */
    private static int run(SocketChannel channel, String[] args) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel), 1 << 16));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
        DaemonProtocol.Request request = new DaemonProtocol.Request(System.getProperty("user.dir"),
                System.console() != null, System.getenv(), Arrays.asList(args));
        byte[] encoded = request.encode();
        DaemonProtocol.write(out, DaemonProtocol.REQUEST, encoded, 0, encoded.length);
        out.flush();

        CountDownLatch finished = new CountDownLatch(1);
        Thread interrupter = new Thread(() -> {
            try {
                synchronized (out) {
                    DaemonProtocol.write(out, DaemonProtocol.INTERRUPT, new byte[0], 0, 0);
                    out.flush();
                }
                finished.await(3, TimeUnit.SECONDS); // let the command stop and its last output arrive
            } catch (IOException | InterruptedException e) {
                // the daemon is gone already
            }
        }, "tusk-interrupt");
        Runtime.getRuntime().addShutdownHook(interrupter);

        OutputStream stdout = new FileOutputStream(FileDescriptor.out);
        OutputStream stderr = new FileOutputStream(FileDescriptor.err);
        InputStream stdin = System.in;
        try {
            for (DaemonProtocol.Frame frame = DaemonProtocol.read(in); frame != null; frame = DaemonProtocol.read(in)) {
                switch (frame.type()) {
                    case DaemonProtocol.STDOUT -> {
                        if (!relay(stdout, frame.payload())) {
                            return CALLER_GONE; // closing the connection stops the command in the daemon
                        }
                    }
                    case DaemonProtocol.STDERR -> relay(stderr, frame.payload());
                    case DaemonProtocol.STDIN_WANTED -> {
                        byte[] buffer = new byte[Math.min(frame.intPayload(), 1 << 20)];
                        int n = stdin.read(buffer);
                        synchronized (out) {
                            DaemonProtocol.write(out, DaemonProtocol.STDIN, buffer, 0, Math.max(n, 0));
                            out.flush();
                        }
                    }
                    case DaemonProtocol.EXIT -> {
                        finished.countDown();
                        removeHook(interrupter);
                        return frame.intPayload();
                    }
                    default -> throw new IOException("unexpected frame type " + frame.type() + " from the daemon");
                }
            }
        } catch (IOException e) {
            stderr.write(("tusk: lost the client daemon (" + e.getMessage() + ")\n").getBytes());
            return Main.EXIT_FAILURE;
        } finally {
            finished.countDown();
        }
        stderr.write("tusk: the client daemon stopped before the command ended (see its log next to the socket)\n"
                .getBytes());
        return Main.EXIT_FAILURE;
    }

    /**
     * Writes a frame's bytes to this process's output; false if the reader has gone ({@code ./tusk ... | head}): a
     * process of its own would die of SIGPIPE there, silently, which the JVM turns into an exception.
     */
    private static boolean relay(OutputStream to, byte[] bytes) {
        try {
            to.write(bytes);
            return true;
        } catch (IOException readerGone) {
            return false;
        }
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // Ctrl-C arrived as the command ended: the hook runs and returns at once
        }
    }

    /**
     * {@code $XDG_RUNTIME_DIR/tusk} (else {@code ~/.cache/tusk/daemons}), only for this user, and a name from the
     * JVM, its options and every class-path entry's size and modification time.
     */
    static Path socketPath() throws IOException {
        String runtime = System.getenv("XDG_RUNTIME_DIR");
        Path directory = runtime != null && !runtime.isBlank() ? Path.of(runtime, "tusk")
                : Path.of(System.getProperty("user.home"), ".cache", "tusk", "daemons");
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
            Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwx------"));
        }
        StringBuilder identity = new StringBuilder(System.getProperty("java.home")).append('\n')
                .append(System.getenv().getOrDefault("TUSK_JAVA_OPTS", "")).append('\n');
        for (File file : classPathFiles(cliClassPath())) {
            identity.append(file.getPath()).append(' ').append(file.length()).append(' ').append(file.lastModified())
                    .append('\n');
        }
        return directory.resolve(String.format("%016x.sock", fnv64(identity.toString())));
    }

    private static long fnv64(String text) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            hash = (hash ^ text.charAt(i)) * 0x100000001b3L;
        }
        return hash;
    }

    private static SocketChannel connectOrStart(Path socket) throws IOException, InterruptedException {
        SocketChannel channel = tryConnect(socket);
        if (channel != null) {
            return channel;
        }
        // One launcher starts the daemon; the others wait for it.
        try (FileChannel lockFile = FileChannel.open(Path.of(socket + ".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock lock = lockFile.lock()) {
            channel = tryConnect(socket);
            if (channel != null) {
                return channel;
            }
            Files.deleteIfExists(socket);
            start(socket);
            long giveUp = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_TIMEOUT_MILLIS);
            long pause = 5;
            while (System.nanoTime() < giveUp) {
                channel = tryConnect(socket);
                if (channel != null) {
                    return channel;
                }
                Thread.sleep(pause);
                pause = Math.min(100, pause * 2);
            }
            throw new IOException("it did not start within " + START_TIMEOUT_MILLIS / 1000 + " s; see " + socket + ".log");
        }
    }

    private static SocketChannel tryConnect(Path socket) {
        if (!Files.exists(socket)) {
            return null;
        }
        try {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                channel.connect(UnixDomainSocketAddress.of(socket));
                return channel;
            } catch (IOException e) {
                channel.close();
                return null;
            }
        } catch (IOException e) {
            return null;
        }
    }

    /** Starts the daemon in its own session (Ctrl-C in this terminal must not reach it), output to its log. */
    private static void start(Path socket) throws IOException {
        List<String> command = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            command.add("/usr/bin/setsid");
        }
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:+ExitOnOutOfMemoryError");
        // An idle daemon gives back the memory a large store grew its heap to (G1 only; other collectors ignore it).
        command.add("-XX:G1PeriodicGCInterval=60000");
        String options = System.getenv().getOrDefault("TUSK_JAVA_OPTS", "").trim();
        if (!options.isEmpty()) {
            command.addAll(Arrays.asList(options.split("\\s+")));
        }
        String aotCache = System.getProperty("tusk.daemon.aotCache");
        if (aotCache != null && new File(aotCache).isFile()) {
            command.add("-XX:AOTCache=" + aotCache);
        }
        command.addAll(List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", cliClassPath(), "io.tusk.cli.ClientDaemon", socket.toString()));
        Path log = Path.of(socket + ".log");
        new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).redirectErrorStream(true).start();
    }
}
