package io.tusk.node.client;

/**
 * A storage node did not do what was asked: an AIP-193 error answer (with its HTTP status and reason), a malformed
 * answer, a timeout, or no connection ({@code status} 0).
 */
public final class NodeRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String node;
    private final int status;
    private final String reason;

    public NodeRequestException(String node, int status, String reason, String message, Throwable cause) {
        super(node + ": " + message, cause);
        this.node = node;
        this.status = status;
        this.reason = reason;
    }

    public String node() {
        return node;
    }

    /** The HTTP status, or 0 when no answer came. */
    public int status() {
        return status;
    }

    /** The AIP-193 reason, or null. */
    public String reason() {
        return reason;
    }

    public boolean isNotRegistered() {
        return "NOT_REGISTERED".equals(reason);
    }

    public boolean isNotFound() {
        return status == 404;
    }

    public boolean isShardNotAssigned() {
        return "SHARD_NOT_ASSIGNED".equals(reason);
    }
}
