package io.tusk.client;

/** No certified, unexpired blob of this ID exists (or it could not be found on enough nodes). */
public final class BlobNotFoundException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public BlobNotFoundException(String message) {
        super(message);
    }
}
