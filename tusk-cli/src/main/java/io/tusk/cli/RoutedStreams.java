package io.tusk.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.function.Function;

/**
 * {@code System.in}, {@code System.out} and {@code System.err} of the client daemon: each write or read goes to the
 * streams of the {@link Invocation} the calling thread runs (its caller's terminal), or, on threads that run none,
 * to the daemon's own (its log).
 */
final class RoutedStreams {
    private RoutedStreams() {}

    /** Replaces this process's standard streams by routed ones. */
    static void install() {
        InputStream in = System.in;
        PrintStream out = System.out;
        PrintStream err = System.err;
        System.setIn(new RoutedInput(in));
        System.setOut(new PrintStream(new RoutedOutput(Invocation::out, out), true));
        System.setErr(new PrintStream(new RoutedOutput(Invocation::err, err), true));
    }

    private static final class RoutedOutput extends OutputStream {
        private final Function<Invocation, PrintStream> select;
        private final PrintStream own;

        RoutedOutput(Function<Invocation, PrintStream> select, PrintStream own) {
            this.select = select;
            this.own = own;
        }

        private PrintStream target() {
            Invocation invocation = Invocation.ofThread();
            return invocation != null ? select.apply(invocation) : own;
        }

        @Override
        public void write(int b) {
            target().write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            target().write(b, off, len);
        }

        @Override
        public void flush() {
            target().flush();
        }
    }

    private static final class RoutedInput extends InputStream {
        private final InputStream own;

        RoutedInput(InputStream own) {
            this.own = own;
        }

        private InputStream source() {
            Invocation invocation = Invocation.ofThread();
            return invocation != null ? invocation.in() : own;
        }

        @Override
        public int read() throws IOException {
            return source().read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return source().read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            return source().available();
        }
    }
}
