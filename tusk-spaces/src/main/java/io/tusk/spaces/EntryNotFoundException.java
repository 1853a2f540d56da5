package io.tusk.spaces;

/** The version read has no entry with that key. */
public final class EntryNotFoundException extends SpaceException {
    public EntryNotFoundException(String message) {
        super(message);
    }
}
