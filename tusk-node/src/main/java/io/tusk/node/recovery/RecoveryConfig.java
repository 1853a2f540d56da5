package io.tusk.node.recovery;

import java.time.Duration;

/**
 * Tuning of node recovery.
 *
 * @param concurrency      blobs recovered at once
 * @param maxInflightBytes bound on the estimated bytes of slivers being rebuilt at once (a larger blob takes the
 *                         whole budget alone)
 * @param delay            wait after a blob's certification before rebuilding what is missing, so that slivers the
 *                         client is still uploading arrive first
 * @param maxBackoff       longest wait before retrying a blob that could not be rebuilt yet
 * @param requestTimeout   timeout of one request to another node
 * @param verifyOnStartup  at start, check every stored sliver of certified blobs against the metadata (not only its
 *                         presence) and rebuild the ones that do not match
 */
public record RecoveryConfig(int concurrency, long maxInflightBytes, Duration delay, Duration maxBackoff,
                             Duration requestTimeout, boolean verifyOnStartup) {
    public static final RecoveryConfig DEFAULT = new RecoveryConfig(8, 256L << 20, Duration.ofSeconds(2),
            Duration.ofSeconds(30), Duration.ofSeconds(60), true);

    public RecoveryConfig {
        if (concurrency < 1 || maxInflightBytes < 1) {
            throw new IllegalArgumentException("recovery concurrency and byte budget must be positive");
        }
    }

    public RecoveryConfig withDelay(Duration newDelay) {
        return new RecoveryConfig(concurrency, maxInflightBytes, newDelay, maxBackoff, requestTimeout, verifyOnStartup);
    }

    public RecoveryConfig withConcurrency(int newConcurrency) {
        return new RecoveryConfig(newConcurrency, maxInflightBytes, delay, maxBackoff, requestTimeout, verifyOnStartup);
    }

    public RecoveryConfig withMaxBackoff(Duration newMaxBackoff) {
        return new RecoveryConfig(concurrency, maxInflightBytes, delay, newMaxBackoff, requestTimeout, verifyOnStartup);
    }
}
