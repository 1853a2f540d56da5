package io.tusk.node.service;

/**
 * Every error the node's REST API answers with a JSON body: the AIP-193 reason, HTTP code and status word, as
 * Walrus's node does (walrus-node-api.md §2.15). The domain is always {@code storage.walrus.space}.
 */
public enum NodeError {
    INVALID_CONTENT_TYPE(400, "INVALID_ARGUMENT"),
    INDEX_OUT_OF_RANGE(400, "INVALID_ARGUMENT"),
    SHARD_NOT_ASSIGNED(400, "FAILED_PRECONDITION"),
    NOT_REGISTERED(400, "FAILED_PRECONDITION"),
    MISSING_SLIVERS(400, "FAILED_PRECONDITION"),
    CACHE_SATURATED(400, "FAILED_PRECONDITION"),
    INVALID_METADATA(400, "INVALID_ARGUMENT"),
    INVALID_BLOB(400, "INVALID_ARGUMENT"),
    UNSUPPORTED_ENCODING_TYPE(400, "INVALID_ARGUMENT"),
    /** 400 on writes and proofs; reads use {@link #METADATA_NOT_FOUND_ON_READ}. */
    METADATA_NOT_FOUND(400, "FAILED_PRECONDITION"),
    METADATA_NOT_FOUND_ON_READ(404, "NOT_FOUND", "METADATA_NOT_FOUND"),
    INVALID_SLIVER(400, "INVALID_ARGUMENT"),
    SLIVER_INDEX_MISMATCH(400, "INVALID_ARGUMENT"),
    SLIVER_TOO_LARGE(400, "INVALID_ARGUMENT"),
    SYMBOL_NOT_PRESENT_AT_SHARDS(400, "FAILED_PRECONDITION"),
    NO_SYMBOLS_SPECIFIED(400, "INVALID_ARGUMENT"),
    INVALID_FILTER(400, "INVALID_ARGUMENT"),
    NO_TARGET_SLIVERS_SPECIFIED(400, "INVALID_ARGUMENT"),
    RECOVERY_SYMBOL_OUT_OF_RANGE(400, "INVALID_ARGUMENT"),
    INVALID_PROOF(400, "INVALID_ARGUMENT"),
    SLIVER_NOT_FOUND(404, "NOT_FOUND"),
    FORBIDDEN_BLOB(451, "UNAVAILABLE_FOR_LEGAL_REASONS"),
    UNAVAILABLE(503, "UNAVAILABLE"),
    INTERNAL_ERROR(500, "INTERNAL");

    public static final String DOMAIN = "storage.walrus.space";

    private final int httpCode;
    private final String status;
    private final String reason;

    NodeError(int httpCode, String status) {
        this(httpCode, status, null);
    }

    NodeError(int httpCode, String status, String reason) {
        this.httpCode = httpCode;
        this.status = status;
        this.reason = reason;
    }

    public int httpCode() {
        return httpCode;
    }

    /** The AIP-193 status word paired with {@link #httpCode()}. */
    public String status() {
        return status;
    }

    /** The ErrorInfo reason. */
    public String reason() {
        return reason != null ? reason : name();
    }

    public NodeException exception(String message) {
        return new NodeException(this, message);
    }
}
