package io.tusk.node.service;

import io.tusk.core.api.ErrorReason;

/**
 * A request the node refuses, with the Walrus error to answer (domain {@code storage.walrus.space}). Expected
 * outcomes only: no stack trace is kept.
 */
public final class NodeException extends RuntimeException {
    private final ErrorReason reason;

    public NodeException(ErrorReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public ErrorReason reason() {
        return reason;
    }
}
