package io.tusk.client;

import io.tusk.core.crypto.Ed25519KeyPair;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a client needs: the control plane's replica URLs, the account key that signs commands and owns blobs, and
 * limits.
 *
 * @param controlUrl            base URLs of the control plane's replicas (one, or the group's; the client follows
 *                              the leader among them)
 * @param account               the account's Ed25519 key
 * @param requestTimeout        timeout of one HTTP request to a node
 * @param maxConcurrentRequests requests in flight to all nodes together
 * @param registrationWait      how long a node may take to see a registration before it confirms
 */
public record ClientConfig(List<URI> controlUrl, Ed25519KeyPair account, Duration requestTimeout,
                           int maxConcurrentRequests, Duration registrationWait) {
    public ClientConfig {
        controlUrl = List.copyOf(Objects.requireNonNull(controlUrl, "controlUrl"));
        if (controlUrl.isEmpty()) {
            throw new IllegalArgumentException("controlUrl needs at least one URL");
        }
        Objects.requireNonNull(account, "account");
        if (maxConcurrentRequests < 1) {
            throw new IllegalArgumentException("maxConcurrentRequests must be at least 1, got " + maxConcurrentRequests);
        }
    }

    /** A client of one control-plane replica. */
    public ClientConfig(URI controlUrl, Ed25519KeyPair account, Duration requestTimeout, int maxConcurrentRequests,
                        Duration registrationWait) {
        this(List.of(controlUrl), account, requestTimeout, maxConcurrentRequests, registrationWait);
    }

    public static ClientConfig of(URI controlUrl, Ed25519KeyPair account) {
        return of(List.of(controlUrl), account);
    }

    public static ClientConfig of(List<URI> controlUrls, Ed25519KeyPair account) {
        return new ClientConfig(controlUrls, account, Duration.ofSeconds(30), 64, Duration.ofSeconds(10));
    }
}
