package io.tusk.spaces;

/** Only a space's owner may change it. */
public final class NotOwnerException extends SpaceException {
    public NotOwnerException(String message) {
        super(message);
    }
}
