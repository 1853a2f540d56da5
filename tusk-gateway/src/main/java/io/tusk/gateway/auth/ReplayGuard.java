package io.tusk.gateway.auth;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The token IDs ({@code jti}) already used, each kept until its token expires, so a token stores once. Bounded (as
 * Walrus's {@code --jwt-cache-size}): when it holds {@code capacity} unexpired IDs, further tokens are refused
 * until some expire, so a flood of tokens cannot grow the publisher's memory. Held in memory: a restarted publisher
 * forgets the used IDs, which is why tokens should live minutes, not days. Thread-safe.
 */
final class ReplayGuard {
    /** Outcome of {@link #claim}. */
    enum Claim { FRESH, USED, FULL }

    private final int capacity;
    private final Map<String, Long> expiries = new HashMap<>(); // jti -> exp (Unix seconds)

    ReplayGuard(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("the JWT cache needs room for at least one token, got " + capacity);
        }
        this.capacity = capacity;
    }

    /** Records {@code jti} as used until {@code exp}, unless it already is (or there is no room). */
    synchronized Claim claim(String jti, long exp, long nowSeconds) {
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
        expiries.put(jti, exp);
        return Claim.FRESH;
    }

    /** Forgets {@code jti} (its request was refused for another reason before it was used). */
    synchronized void release(String jti) {
        expiries.remove(jti);
    }

    synchronized int size() {
        return expiries.size();
    }

    private void dropExpired(long nowSeconds) {
        for (Iterator<Long> it = expiries.values().iterator(); it.hasNext(); ) {
            if (it.next() <= nowSeconds) {
                it.remove();
            }
        }
    }
}
