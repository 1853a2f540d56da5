package io.tusk.cli;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;

/**
 * The world one command sees: its standard streams, environment, working directory and whether it runs on a
 * terminal. In a plain run these are the process's own; in the client daemon ({@link ClientDaemon}) each command
 * brings its caller's, and the threads it starts inherit them, so that {@code System.out}, {@code System.err} and
 * {@code System.in} (routed by the daemon, {@link RoutedStreams}), environment lookups and relative paths behave as
 * in a process of its own.
 */
final class Invocation {
    private static final InheritableThreadLocal<Invocation> CURRENT = new InheritableThreadLocal<>();

    private final InputStream in;
    private final PrintStream out;
    private final PrintStream err;
    private final Map<String, String> environment;
    /** The caller's working directory, or null for this process's own. */
    private final Path workingDirectory;
    private final boolean interactive;

    Invocation(InputStream in, PrintStream out, PrintStream err, Map<String, String> environment, Path workingDirectory,
               boolean interactive) {
        this.in = Objects.requireNonNull(in, "in");
        this.out = Objects.requireNonNull(out, "out");
        this.err = Objects.requireNonNull(err, "err");
        this.environment = Map.copyOf(environment);
        this.workingDirectory = workingDirectory;
        this.interactive = interactive;
    }

    /** The invocation of the calling thread: the daemon's current command, else this process's own streams. */
    static Invocation current() {
        Invocation invocation = CURRENT.get();
        return invocation != null ? invocation : ofProcess();
    }

    private static Invocation ofProcess() {
        return new Invocation(System.in, System.out, System.err, System.getenv(), null, System.console() != null);
    }

    /** Runs {@code task} as {@code invocation}: on this thread and on every thread it starts. */
    static <T> T run(Invocation invocation, Callable<T> task) throws Exception {
        Invocation previous = CURRENT.get();
        CURRENT.set(invocation);
        try {
            return task.call();
        } finally {
            CURRENT.set(previous);
        }
    }

    /** The invocation of the calling thread if it runs one in the daemon, else null (for {@link RoutedStreams}). */
    static Invocation ofThread() {
        return CURRENT.get();
    }

    InputStream in() {
        return in;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }

    /** An environment variable of the caller, or null. */
    String env(String name) {
        return environment.get(name);
    }

    /** Whether the caller runs on a terminal (progress bars). */
    boolean interactive() {
        return interactive;
    }

    /**
     * {@code path} as the caller means it: relative paths are resolved against the caller's working directory. (A
     * path is kept as typed for messages; resolve it where the file is opened.)
     */
    Path resolve(Path path) {
        return workingDirectory == null || path.isAbsolute() ? path : workingDirectory.resolve(path);
    }

    /** The caller's home directory ({@code HOME}), else this process's {@code user.home}. */
    Path home() {
        String home = env("HOME");
        return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"));
    }
}
