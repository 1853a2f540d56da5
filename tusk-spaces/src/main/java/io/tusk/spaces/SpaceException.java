package io.tusk.spaces;

/** The base of every error the spaces SDK throws: unchecked, with a message that names what failed. */
public class SpaceException extends RuntimeException {
    public SpaceException(String message) {
        super(message);
    }

    public SpaceException(String message, Throwable cause) {
        super(message, cause);
    }
}
