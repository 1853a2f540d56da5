package io.tusk.node.http;

/**
 * A request refused before it reaches the node's logic (bad path parameter, bad query, body too large): answered
 * with plain text, as Walrus's framework (axum) answers them.
 */
final class RequestRejected extends RuntimeException {
    private final int status;

    RequestRejected(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
