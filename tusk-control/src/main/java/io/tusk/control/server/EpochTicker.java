package io.tusk.control.server;

import io.tusk.control.api.Command;
import io.tusk.control.api.EpochInfo;
import io.tusk.control.api.ReplicaStatus;
import io.tusk.control.client.ControlClient;
import io.tusk.control.state.CommandResult;
import io.tusk.core.crypto.Ed25519KeyPair;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/**
 * Advances epochs on their configured duration for a replica that holds the operator (admin) key, as devnets do: once
 * the current epoch has lasted {@code epochDurationMillis} and its change is done, it submits {@code advanceEpoch}
 * with the clock's time. The state machine itself stays clock-free; this is an ordinary signed command.
 *
 * <p>One daemon thread; checks every {@code tickMillis}.
 */
public final class EpochTicker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EpochTicker.class);

    private final ControlReplica replica;
    private final Ed25519KeyPair admin;
    private final Clock clock;
    private final long tickMillis;
    private final Thread thread;
    private volatile boolean running = true;

    public EpochTicker(ControlReplica replica, Ed25519KeyPair admin, Clock clock, long tickMillis) {
        this.replica = replica;
        this.admin = admin;
        this.clock = clock;
        this.tickMillis = tickMillis;
        this.thread = Thread.ofPlatform().name("tusk-epoch-ticker").daemon(true).unstarted(this::run);
    }

    public EpochTicker start() {
        thread.start();
        return this;
    }

    private void run() {
        while (running) {
            try {
                tick();
                Thread.sleep(tickMillis);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                LOG.warn("epoch ticker failed: {}", e.toString());
                try {
                    Thread.sleep(tickMillis);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    /**
     * Advances the epoch if it is due and its change is done; returns whether it did. Only the leader submits: in a
     * group every replica given the key runs a ticker, and the others stay quiet.
     */
    public boolean tick() {
        if (!ReplicaStatus.LEADER.equals(replica.health().role())) {
            return false;
        }
        EpochInfo info;
        long nonce;
        try {
            info = replica.query(ControlReplica.Read.LINEARIZABLE, s -> s.epochInfo());
            long now = clock.millis();
            if (!info.changeDone() || now < info.startTimeMillis() + info.epochDurationMillis()) {
                return false;
            }
            nonce = replica.query(ControlReplica.Read.LINEARIZABLE, s -> s.account(admin.publicKey().address().toString())
                    .map(a -> a.nextNonce()).orElse(0L));
        } catch (NotLeaderException | ReplicaUnavailableException e) {
            return false;
        }
        long start = Math.max(clock.millis(), info.startTimeMillis());
        CommandResult result;
        try {
            String chainId = replica.query(ControlReplica.Read.LOCAL, s -> s.chainId());
            result = replica.submit(ControlClient.sign(chainId, new Command.AdvanceEpoch(start), admin, nonce));
        } catch (NotLeaderException | ReplicaUnavailableException e) {
            return false;
        }
        if (result instanceof CommandResult.Refused r) {
            LOG.info("epoch ticker: advanceEpoch refused ({}: {})", r.reason(), r.message());
            return false;
        }
        LOG.info("epoch ticker advanced to epoch {}", info.epoch() + 1);
        return true;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
