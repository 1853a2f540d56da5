package io.tusk.control.server;

/**
 * The replica cannot serve the request now: it has no leader, its disk is full, its log failed and it is restarting,
 * or a command was not committed in time. The message says which. For a command the outcome may be unknown (it may
 * still commit): the client resends the same signed command, which the state answers with its original outcome.
 */
public final class ReplicaUnavailableException extends RuntimeException {
    public ReplicaUnavailableException(String message) {
        super(message);
    }

    public ReplicaUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
