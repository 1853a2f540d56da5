package io.tusk.client;

import io.tusk.core.crypto.Ed25519KeyPair;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * What a client needs: the control plane's URL, the account key that signs commands and owns blobs, and limits.
 *
 * @param controlUrl            base URL of the control plane's HTTP API
 * @param account               the account's Ed25519 key
 * @param requestTimeout        timeout of one HTTP request to a node
 * @param maxConcurrentRequests requests in flight to all nodes together
 * @param registrationWait      how long a node may take to see a registration before it confirms
 */
public record ClientConfig(URI controlUrl, Ed25519KeyPair account, Duration requestTimeout, int maxConcurrentRequests,
                           Duration registrationWait) {
    public ClientConfig {
        Objects.requireNonNull(controlUrl, "controlUrl");
        Objects.requireNonNull(account, "account");
        if (maxConcurrentRequests < 1) {
            throw new IllegalArgumentException("maxConcurrentRequests must be at least 1, got " + maxConcurrentRequests);
        }
    }

    public static ClientConfig of(URI controlUrl, Ed25519KeyPair account) {
        return new ClientConfig(controlUrl, account, Duration.ofSeconds(30), 64, Duration.ofSeconds(10));
    }
}
