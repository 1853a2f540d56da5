package io.tusk.control.server;

import io.tusk.control.api.Command;
import io.tusk.control.api.EpochInfo;
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

    private final ControlPlane plane;
    private final Ed25519KeyPair admin;
    private final Clock clock;
    private final long tickMillis;
    private final Thread thread;
    private volatile boolean running = true;

    public EpochTicker(ControlPlane plane, Ed25519KeyPair admin, Clock clock, long tickMillis) {
        this.plane = plane;
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

    /** Advances the epoch if it is due and its change is done; returns whether it did. */
    public boolean tick() throws java.io.IOException {
        EpochInfo info = plane.read(s -> s.epochInfo());
        long now = clock.millis();
        if (!info.changeDone() || now < info.startTimeMillis() + info.epochDurationMillis()) {
            return false;
        }
        long nonce = plane.read(s -> s.account(admin.publicKey().address().toString())
                .map(a -> a.nextNonce()).orElse(0L));
        long start = Math.max(now, info.startTimeMillis());
        String chainId = plane.read(s -> s.chainId());
        CommandResult result = plane.submit(ControlClient.sign(chainId, new Command.AdvanceEpoch(start), admin, nonce));
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
