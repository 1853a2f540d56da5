package io.tusk.spaces;

/** No space of that name exists for that owner. */
public final class SpaceNotFoundException extends SpaceException {
    public SpaceNotFoundException(String message) {
        super(message);
    }
}
