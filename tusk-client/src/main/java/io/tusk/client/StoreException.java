package io.tusk.client;

/** A store that could not finish: too few nodes confirmed, or a step was refused. */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }
}
