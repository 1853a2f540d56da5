package io.tusk.control.server;

import io.tusk.control.state.GenesisConfig;
import io.tusk.http.ServerMetrics;
import io.tusk.http.TuskHttpServer;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * A control plane replica and its HTTP API, started and closed together: what {@code tusk control} and
 * {@code tusk devnet} run.
 */
public final class ControlServer implements AutoCloseable {
    private final ControlPlane plane;
    private final TuskHttpServer http;
    private final ServerMetrics metrics;
    private volatile EpochTicker ticker;

    private ControlServer(ControlPlane plane, TuskHttpServer http, ServerMetrics metrics) {
        this.plane = plane;
        this.http = http;
        this.metrics = metrics;
    }

    /**
     * Like {@link #start(Path, GenesisConfig, String, int)}, and with the operator's key advances epochs on their
     * configured duration (devnets); {@code admin} may be null for a replica that only follows commands.
     */
    public static ControlServer start(Path directory, GenesisConfig genesis, String host, int port,
                                      io.tusk.core.crypto.Ed25519KeyPair admin) throws IOException {
        ControlServer server = start(directory, genesis, host, port);
        if (admin != null) {
            server.ticker = new EpochTicker(server.plane, admin, java.time.Clock.systemUTC(), 200).start();
        }
        return server;
    }

    /**
     * Opens the replica in {@code directory} (see {@link ControlPlane#open(Path, GenesisConfig, int)}) and serves it
     * on {@code host:port}; port 0 picks a free port.
     */
    public static ControlServer start(Path directory, GenesisConfig genesis, String host, int port) throws IOException {
        ControlPlane plane = ControlPlane.open(directory, genesis);
        ServerMetrics metrics = ServerMetrics.create();
        try {
            return new ControlServer(plane, ControlHttpApi.start(plane, host, port, metrics), metrics);
        } catch (RuntimeException e) {
            metrics.close();
            try {
                plane.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    public ControlPlane plane() {
        return plane;
    }

    public int port() {
        return http.port();
    }

    /** {@code http://host:port}. */
    public URI uri() {
        return http.uri();
    }

    @Override
    public void close() throws IOException {
        if (ticker != null) {
            ticker.close();
        }
        plane.stopWaiting();
        try {
            http.close();
        } finally {
            metrics.close();
            plane.close();
        }
    }
}
