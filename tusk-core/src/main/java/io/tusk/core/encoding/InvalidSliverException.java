package io.tusk.core.encoding;

/** A sliver or symbol with the wrong shape, index or hash. */
public final class InvalidSliverException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidSliverException(String message) {
        super(message);
    }
}
