package io.tusk.spaces;

/** An encrypted space or entry cannot be read: no key for it, a wrong key, or its data key was destroyed (forgotten). */
public class SpaceKeyException extends SpaceException {
    public SpaceKeyException(String message) {
        super(message);
    }

    public SpaceKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
