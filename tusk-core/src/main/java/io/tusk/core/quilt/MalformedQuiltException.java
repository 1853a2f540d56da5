package io.tusk.core.quilt;

/** Bytes read from a quilt (its index, a patch item, a column) are not well-formed Quilt V1. */
public final class MalformedQuiltException extends QuiltException {
    public MalformedQuiltException(String message) {
        super(message);
    }
}
