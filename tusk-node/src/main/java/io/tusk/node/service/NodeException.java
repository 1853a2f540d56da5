package io.tusk.node.service;

/** A request the node refuses, with the Walrus error to answer. Expected outcomes only: no stack trace is kept. */
public final class NodeException extends RuntimeException {
    private final NodeError error;

    public NodeException(NodeError error, String message) {
        super(message, null, false, false);
        this.error = error;
    }

    public NodeError error() {
        return error;
    }
}
