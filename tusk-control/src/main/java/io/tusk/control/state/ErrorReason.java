package io.tusk.control.state;

/**
 * Placeholder for {@code io.tusk.core.api.ErrorReason} until the crypto branch delivers it; same constant names.
 * TODO: delete and import the core class.
 */
final class ErrorReason {
    static final String INVALID_SIGNATURE = "INVALID_SIGNATURE";
    static final String UNKNOWN_ACCOUNT = "UNKNOWN_ACCOUNT";
    static final String BAD_NONCE = "BAD_NONCE";
    static final String INSUFFICIENT_BALANCE = "INSUFFICIENT_BALANCE";
    static final String NOT_OWNER = "NOT_OWNER";
    static final String ILLEGAL_TRANSITION = "ILLEGAL_TRANSITION";
    static final String INVALID_CERTIFICATE = "INVALID_CERTIFICATE";
    static final String NOT_FOUND = "NOT_FOUND";
    static final String INVALID_ARGUMENT = "INVALID_ARGUMENT";

    private ErrorReason() {}
}
