package io.tusk.control.server;

import io.tusk.control.state.GenesisConfig;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.http.ServerMetrics;
import io.tusk.http.TuskHttpServer;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;

/**
 * One control-plane replica with its HTTP API (and, given the operator's key, its epoch ticker), started and closed
 * together: what {@code tusk control} and {@code tusk devnet} run.
 */
public final class ControlServer implements AutoCloseable {
    private final RaftReplica replica;
    private final TuskHttpServer http;
    private final ServerMetrics metrics;
    private final EpochTicker ticker;

    private ControlServer(RaftReplica replica, TuskHttpServer http, ServerMetrics metrics, EpochTicker ticker) {
        this.replica = replica;
        this.http = http;
        this.metrics = metrics;
        this.ticker = ticker;
    }

    /** A replica that only follows and orders commands (no operator key). */
    public static ControlServer start(ReplicaConfig config, GenesisConfig genesis) throws IOException {
        return start(config, genesis, null);
    }

    /**
     * Starts the replica (see {@link RaftReplica#start}) and serves its HTTP API on {@code config.bindHost()} and
     * {@code config.httpPort()}. With the operator's key ({@code admin}, may be null) the replica advances epochs on
     * their configured duration while it is the leader (devnets).
     */
    public static ControlServer start(ReplicaConfig config, GenesisConfig genesis, Ed25519KeyPair admin)
            throws IOException {
        RaftReplica replica = RaftReplica.start(config, genesis);
        ServerMetrics metrics = ServerMetrics.create();
        TuskHttpServer http;
        try {
            http = ControlHttpApi.start(replica, replica.genesis().adminAddress(), replica.network().chainId(),
                    config.bindHost(), config.httpPort(), metrics);
        } catch (RuntimeException e) {
            metrics.close();
            replica.close();
            throw e;
        }
        EpochTicker ticker = admin == null ? null : new EpochTicker(replica, admin, Clock.systemUTC(), 200).start();
        return new ControlServer(replica, http, metrics, ticker);
    }

    public RaftReplica replica() {
        return replica;
    }

    public int port() {
        return http.port();
    }

    /** {@code http://host:port} of the HTTP API as bound. */
    public URI uri() {
        return http.uri();
    }

    @Override
    public void close() {
        if (ticker != null) {
            ticker.close();
        }
        replica.stopWaiting();
        try {
            http.close();
        } finally {
            metrics.close();
            replica.close();
        }
    }
}
