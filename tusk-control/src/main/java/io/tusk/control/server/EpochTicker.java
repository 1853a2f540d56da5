package io.tusk.control.server;

import io.tusk.control.api.Command;
import io.tusk.control.api.EpochInfo;
import io.tusk.control.api.ReplicaStatus;
import io.tusk.control.client.ControlClient;
import io.tusk.control.state.CommandResult;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.http.BackgroundLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;

/**
 * Advances epochs on their configured duration for a replica that holds the operator (admin) key, as devnets do: once
 * the current epoch has lasted {@code epochDurationMillis} and its change is done, it submits {@code advanceEpoch}
 * with the clock's time. The state machine itself stays clock-free; this is an ordinary signed command.
 *
 * <p>One {@link BackgroundLoop}; checks every {@code tickMillis}.
 */
public final class EpochTicker implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EpochTicker.class);

    private final ControlReplica replica;
    private final Ed25519KeyPair admin;
    private final Clock clock;
    private final BackgroundLoop loop;

    public EpochTicker(ControlReplica replica, Ed25519KeyPair admin, Clock clock, long tickMillis) {
        this.replica = replica;
        this.admin = admin;
        this.clock = clock;
        Duration tick = Duration.ofMillis(tickMillis);
        this.loop = BackgroundLoop.named("tusk-epoch-ticker", this::tick).every(tick).retryAfter(tick, tick).build();
    }

    public EpochTicker start() {
        loop.start();
        return this;
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
        loop.close();
    }
}
