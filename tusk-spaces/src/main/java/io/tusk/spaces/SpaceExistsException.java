package io.tusk.spaces;

/** The owner already has a space of that name. */
public final class SpaceExistsException extends SpaceException {
    public SpaceExistsException(String message) {
        super(message);
    }
}
