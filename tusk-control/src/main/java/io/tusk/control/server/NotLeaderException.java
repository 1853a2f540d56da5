package io.tusk.control.server;

import java.net.URI;
import java.util.Optional;

/**
 * This replica is not the leader, which alone orders commands; the request should go to the leader, named when this
 * replica knows it. Nothing was ordered.
 */
public final class NotLeaderException extends RuntimeException {
    private final String leaderId;
    private final URI leaderUrl;

    public NotLeaderException(String message, String leaderId, URI leaderUrl) {
        super(message);
        this.leaderId = leaderId;
        this.leaderUrl = leaderUrl;
    }

    public Optional<String> leaderId() {
        return Optional.ofNullable(leaderId);
    }

    public Optional<URI> leaderUrl() {
        return Optional.ofNullable(leaderUrl);
    }
}
