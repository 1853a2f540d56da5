package io.tusk.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy between two processes of a test, on one network link, that can fail the way networks do: refuse
 * connections (nothing listens, open connections are cut), hang them (connections are accepted and kept, nothing is
 * forwarded either way), or slow them (every chunk of bytes waits before it is forwarded). {@link Mode#PASS} heals.
 * Virtual threads: one acceptor, two pumps per connection.
 */
final class FaultyProxy implements AutoCloseable {
    enum Mode { PASS, REFUSE, HANG, SLOW }

    private final InetSocketAddress listen;
    private final InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile Mode mode = Mode.PASS;
    private volatile long slowMillis = 200;
    private volatile boolean closed;
    private ServerSocket server;
    private Thread acceptor;

    FaultyProxy(InetSocketAddress listen, InetSocketAddress target) {
        this.listen = listen;
        this.target = target;
    }

    synchronized FaultyProxy start() throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(listen, 64);
        server = socket;
        acceptor = Thread.ofVirtual().name("proxy-accept-" + listen).start(() -> accept(socket));
        return this;
    }

    Mode mode() {
        return mode;
    }

    /** Switches the failure (PASS heals); SLOW delays every chunk by {@code delayMillis}. */
    synchronized void set(Mode next, long delayMillis) throws IOException {
        slowMillis = delayMillis;
        Mode previous = mode;
        mode = next;
        if (next == Mode.REFUSE && previous != Mode.REFUSE) {
            stopListening();
        } else if (previous == Mode.REFUSE && next != Mode.REFUSE) {
            start();
        }
        synchronized (gate) {
            gate.notifyAll();
        }
    }

    private void stopListening() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
        open.clear();
    }

    private void accept(ServerSocket socket) {
        while (!closed && !socket.isClosed()) {
            Socket inbound;
            try {
                inbound = socket.accept();
            } catch (IOException e) {
                return; // closed to refuse, or for good
            }
            Thread.ofVirtual().start(() -> connect(inbound));
        }
    }

    private void connect(Socket inbound) {
        Socket outbound = new Socket();
        try {
            outbound.connect(target, 2_000);
        } catch (IOException e) {
            closeQuietly(inbound);
            closeQuietly(outbound);
            return;
        }
        open.add(inbound);
        open.add(outbound);
        Thread.ofVirtual().start(() -> pump(inbound, outbound));
        Thread.ofVirtual().start(() -> pump(outbound, inbound));
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                awaitForwarding();
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException | InterruptedException e) {
            // a side closed, or the proxy cut it
        } finally {
            open.remove(from);
            open.remove(to);
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Holds a chunk while the link hangs; delays it while the link is slow. */
    private void awaitForwarding() throws InterruptedException {
        synchronized (gate) {
            while (mode == Mode.HANG && !closed) {
                gate.wait(1000);
            }
        }
        if (mode == Mode.SLOW) {
            Thread.sleep(slowMillis);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }

    @Override
    public synchronized void close() throws IOException {
        closed = true;
        synchronized (gate) {
            gate.notifyAll();
        }
        if (server != null) {
            server.close();
        }
        for (Socket s : open) {
            closeQuietly(s);
        }
    }
}
