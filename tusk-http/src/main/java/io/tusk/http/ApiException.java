package io.tusk.http;

import io.tusk.core.api.ApiStatus;
import io.tusk.core.api.ErrorReason;

import java.util.Map;

/**
 * An HTTP error answer a {@link JsonHttpClient} received. For an AIP-193 body it carries the status, reason,
 * domain and metadata; for a plain-text framework rejection (or anything else) only the HTTP status and the body
 * text as the message, with {@link #reason()} {@code null}.
 */
public final class ApiException extends RuntimeException {
    private final int httpStatus;
    private final ApiStatus status;
    private final String reason;
    private final String domain;
    private final Map<String, Object> metadata;

    public ApiException(int httpStatus, ApiStatus status, String reason, String domain, String message,
                        Map<String, Object> metadata) {
        super(message);
        this.httpStatus = httpStatus;
        this.status = status;
        this.reason = reason;
        this.domain = domain;
        this.metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The AIP-193 status, or {@code null} when the body was not AIP-193. */
    public ApiStatus status() {
        return status;
    }

    /** The wire reason ({@code ErrorInfo.reason}), or {@code null}. */
    public String reason() {
        return reason;
    }

    /** The error domain, or {@code null}. */
    public String domain() {
        return domain;
    }

    public Map<String, Object> metadata() {
        return metadata;
    }

    /** The reason constant matching the wire reason and HTTP status, or {@code null}. */
    public ErrorReason errorReason() {
        return reason == null ? null : ErrorReason.forWire(reason, httpStatus);
    }

    /** Whether this is {@code expected}: same wire reason and same HTTP status. */
    public boolean is(ErrorReason expected) {
        return expected.reason().equals(reason) && expected.httpStatus() == httpStatus;
    }

    /** Whether the body was an AIP-193 error (not a plain-text framework rejection). */
    public boolean isTyped() {
        return reason != null;
    }

    public boolean isShardNotAssigned() {
        return is(ErrorReason.SHARD_NOT_ASSIGNED);
    }

    public boolean isNotRegistered() {
        return is(ErrorReason.NOT_REGISTERED);
    }

    public boolean isMissingSlivers() {
        return is(ErrorReason.MISSING_SLIVERS);
    }

    public boolean isForbiddenBlob() {
        return is(ErrorReason.FORBIDDEN_BLOB);
    }

    /** Any 404, typed or not (Walrus readers count 404 as "not there"). */
    public boolean isNotFound() {
        return httpStatus == 404;
    }

    public boolean isBadNonce() {
        return is(ErrorReason.BAD_NONCE);
    }

    /** 5xx: the server failed or is overloaded; worth retrying. */
    public boolean isServerError() {
        return httpStatus >= 500;
    }

    @Override
    public String toString() {
        return "ApiException[" + httpStatus + (status == null ? "" : " " + status) + (reason == null ? "" : " "
                + reason) + (domain == null ? "" : " @" + domain) + ": " + getMessage() + "]";
    }
}
