package io.tusk.spaces;

/** A key (or space name, tag, metadata) breaks the rules: empty, too long, or not valid UTF-8. */
public final class InvalidKeyException extends SpaceException {
    public InvalidKeyException(String message) {
        super(message);
    }
}
