package io.tusk.client;

/** The blob was shown to be inconsistently encoded and marked invalid: it has no well-defined content. */
public final class BlobInvalidException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BlobInvalidException(String message) {
        super(message);
    }
}
