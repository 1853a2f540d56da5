package io.tusk.client;

import io.tusk.control.api.Command;
import io.tusk.control.api.CommandOutcome;
import io.tusk.control.client.ControlClient;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.http.ApiException;
import io.tusk.http.HttpTransportException;

import java.net.ConnectException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Signs and submits one account's commands to the control plane. Commands carry the account's next nonce, so two
 * threads submitting at once would sign the same nonce and one would be refused ({@code BAD_NONCE}): one client's
 * submissions are serialized here. Other clients (other processes) of the same account still race: a command refused
 * {@code BAD_NONCE} changed nothing, so it is signed again with a fresh nonce, up to {@link #NONCE_ATTEMPTS} times
 * with a random pause (two CLI writers on one space both land).
 *
 * <p>While the control plane refuses connections (it is restarting), the command cannot have been received, so it is
 * submitted again, for up to {@link #CONTROL_RESTART_WAIT}: a restart between a store's registration and its
 * certification does not waste the registration.
 */
final class CommandSubmitter {
    /** How long a command is retried while the control plane refuses connections. */
    static final Duration CONTROL_RESTART_WAIT = Duration.ofSeconds(15);
    /** How often a command refused for a nonce another client of the account took is signed again. */
    static final int NONCE_ATTEMPTS = 8;

    private final ControlClient control;
    private final Ed25519KeyPair account;
    private final ReentrantLock lock = new ReentrantLock();

    CommandSubmitter(ControlClient control, Ed25519KeyPair account) {
        this.control = control;
        this.account = account;
    }

    CommandOutcome submit(Command command) {
        long giveUp = System.nanoTime() + CONTROL_RESTART_WAIT.toNanos();
        long backoffMillis = 50;
        int nonceAttempts = 0;
        lock.lock();
        try {
            while (true) {
                try {
                    return control.submit(command, account);
                } catch (ApiException e) {
                    if (!e.isBadNonce() || ++nonceAttempts >= NONCE_ATTEMPTS) {
                        throw e;
                    }
                    pauseAfterNonceRace(nonceAttempts);
                    continue;
                } catch (HttpTransportException e) {
                    if (!(e.getCause() instanceof ConnectException) || System.nanoTime() > giveUp) {
                        throw e;
                    }
                }
                sleep(backoffMillis, "waiting for the control plane to accept connections");
                backoffMillis = Math.min(1_000, backoffMillis * 2);
            }
        } finally {
            lock.unlock();
        }
    }

    private static void pauseAfterNonceRace(int attempt) {
        sleep(ThreadLocalRandom.current().nextLong(1, 20L * attempt + 2), "re-signing a command after a nonce race");
    }

    private static void sleep(long millis, String doing) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + doing);
        }
    }
}
