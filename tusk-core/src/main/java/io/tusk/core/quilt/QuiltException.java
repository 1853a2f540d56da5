package io.tusk.core.quilt;

/** Base of every quilt error: bad input to the encoder, or bytes that are not a well-formed quilt. */
public class QuiltException extends IllegalArgumentException {
    public QuiltException(String message) {
        super(message);
    }
}
