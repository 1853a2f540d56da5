package io.tusk.gateway.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The token IDs ({@code jti}) already used, each kept until its token expires, so a token stores once. Bounded (as
 * Walrus's {@code --jwt-cache-size}): when it holds {@code capacity} unexpired IDs, further tokens are refused
 * until some expire, so a flood of tokens cannot grow the publisher's memory. With a {@link ReplayJournal} the IDs
 * are also on disk, written before the request goes on, so a restarted publisher still refuses a used token; without
 * one (tests) they are in memory only. Thread-safe.
 *
 * <p>The upload relay keeps the payments it was tipped with in one too ({@code io.tusk.gateway.RelayPayments}): the
 * ID is the payment's sender and nonce, and "time" is the control plane's epoch instead of Unix seconds (the guard
 * only compares the numbers).
 */
public final class ReplayGuard implements AutoCloseable {
    /** Outcome of {@link #claim}. */
    public enum Claim { FRESH, USED, FULL }

    private final int capacity;
    private final Map<String, Long> expiries = new HashMap<>(); // jti -> exp (Unix seconds)
    private final ReplayJournal journal;

    /** A guard in memory only. */
    ReplayGuard(int capacity) {
        this.capacity = checked(capacity);
        this.journal = null;
    }

    /** A guard kept in {@code file} (created if absent), holding the IDs it lists that are unexpired at {@code now}. */
    public ReplayGuard(int capacity, Path file, long nowSeconds) throws IOException {
        this.capacity = checked(capacity);
        this.journal = ReplayJournal.open(file, nowSeconds, expiries);
    }

    private static int checked(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the replay guard needs room for at least one ID, got " + capacity);
        }
        return capacity;
    }

    /**
     * Records {@code jti} as used until {@code exp}, unless it already is (or there is no room).
     *
     * @throws UncheckedIOException if the journal cannot record it (the token is then not admitted)
     */
    public synchronized Claim claim(String jti, long exp, long nowSeconds) {
        Long known = expiries.get(jti);
        if (known != null && known > nowSeconds) { // a token is valid until exp (exclusive)
            return Claim.USED;
        }
        if (known == null && expiries.size() >= capacity) {
            dropExpired(nowSeconds);
            if (expiries.size() >= capacity) {
                return Claim.FULL;
            }
        }
        try {
            if (journal != null) {
                journal.used(jti, exp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record " + jti + " as used in " + journal.file(), e);
        }
        expiries.put(jti, exp);
        compactIfWorthIt(nowSeconds);
        return Claim.FRESH;
    }

    /** Forgets {@code jti} (its request was refused for another reason before it was used). */
    public synchronized void release(String jti) {
        if (expiries.remove(jti) != null && journal != null) {
            try {
                journal.released(jti);
            } catch (IOException e) {
                // kept as used on disk: after a restart the token is refused, the safe side
            }
        }
    }

    synchronized int size() {
        return expiries.size();
    }

    private void compactIfWorthIt(long nowSeconds) {
        if (journal == null || !journal.wantsCompaction(expiries.size(), capacity)) {
            return;
        }
        dropExpired(nowSeconds);
        try {
            journal.rewrite(expiries);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot compact " + journal.file(), e);
        }
    }

    private void dropExpired(long nowSeconds) {
        for (Iterator<Long> it = expiries.values().iterator(); it.hasNext(); ) {
            if (it.next() <= nowSeconds) {
                it.remove();
            }
        }
    }

    @Override
    public synchronized void close() {
        if (journal != null) {
            try {
                journal.close();
            } catch (IOException e) {
                // appends were forced as they were made; nothing is lost
            }
        }
    }
}
