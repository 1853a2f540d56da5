package io.tusk.spaces;

/** A conditional change ({@link Condition}) does not hold on the version it would apply to; nothing was committed. */
public final class PreconditionFailedException extends SpaceException {
    public PreconditionFailedException(String message) {
        super(message);
    }
}
