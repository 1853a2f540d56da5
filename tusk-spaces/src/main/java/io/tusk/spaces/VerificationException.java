package io.tusk.spaces;

/**
 * Stored bytes do not match what refers to them: a manifest whose blob ID is not the one its head or successor names,
 * a node or entry whose hash differs from its reference, or a manifest that breaks the format's rules.
 */
public final class VerificationException extends SpaceException {
    public VerificationException(String message) {
        super(message);
    }

    public VerificationException(String message, Throwable cause) {
        super(message, cause);
    }
}
