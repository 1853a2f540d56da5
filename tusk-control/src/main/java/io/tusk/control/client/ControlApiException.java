package io.tusk.control.client;

import java.io.IOException;

/**
 * The control plane answered an error: its HTTP status, and for AIP-193 errors the reason (e.g. {@code BAD_NONCE})
 * and domain; for plain-text rejections (413 and the like) the reason is empty and the message is the text.
 */
public final class ControlApiException extends IOException {
    private final int httpStatus;
    private final String reason;
    private final String domain;

    public ControlApiException(int httpStatus, String reason, String domain, String message) {
        super(httpStatus + (reason.isEmpty() ? "" : " " + reason) + ": " + message);
        this.httpStatus = httpStatus;
        this.reason = reason;
        this.domain = domain;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The AIP-193 reason, or empty for a plain-text rejection. */
    public String reason() {
        return reason;
    }

    public String domain() {
        return domain;
    }

    public boolean isBadNonce() {
        return reason.equals("BAD_NONCE");
    }

    public boolean isNotFound() {
        return reason.equals("NOT_FOUND");
    }

    public boolean isInsufficientBalance() {
        return reason.equals("INSUFFICIENT_BALANCE");
    }

    public boolean isInvalidCertificate() {
        return reason.equals("INVALID_CERTIFICATE");
    }
}
