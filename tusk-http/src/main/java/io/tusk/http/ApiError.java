package io.tusk.http;

import io.tusk.core.api.ErrorReason;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A typed error a handler throws; the server answers it as AIP-193 JSON with the reason's status:
 * <pre>{"error":{"code":400,"status":"FAILED_PRECONDITION","message":"…",
 *  "details":[{"@type":"ErrorInfo","reason":"NOT_REGISTERED","domain":"storage.walrus.space","metadata":{}}]}}</pre>
 * The domain is, in order: the one set here, the reason's fixed domain, the server's domain.
 */
public final class ApiError extends RuntimeException {
    private final ErrorReason reason;
    private final Map<String, Object> metadata;
    private final String domain;

    private ApiError(ErrorReason reason, String message, Map<String, Object> metadata, String domain,
                     Throwable cause) {
        super(message, cause);
        this.reason = Objects.requireNonNull(reason, "reason");
        this.metadata = metadata;
        this.domain = domain;
    }

    public ApiError(ErrorReason reason, String message) {
        this(reason, message, Map.of(), null, null);
    }

    public ApiError(ErrorReason reason, String message, Throwable cause) {
        this(reason, message, Map.of(), null, cause);
    }

    public static ApiError of(ErrorReason reason, String message) {
        return new ApiError(reason, message);
    }

    /** A copy with one more metadata entry (AIP-193 {@code ErrorInfo.metadata}); entries keep their order. */
    public ApiError withMetadata(String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(metadata);
        copy.put(key, value);
        return new ApiError(reason, getMessage(), Collections.unmodifiableMap(copy), domain, getCause());
    }

    /** A copy answered under {@code domain} instead of the server's. */
    public ApiError withDomain(String domain) {
        return new ApiError(reason, getMessage(), metadata, domain, getCause());
    }

    public ErrorReason reason() {
        return reason;
    }

    public Map<String, Object> metadata() {
        return metadata;
    }

    /** The domain set on this error, or {@code null} to use the reason's fixed domain or else the server's. */
    public String domain() {
        return domain;
    }

    public int httpStatus() {
        return reason.httpStatus();
    }
}
