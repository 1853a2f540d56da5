package io.tusk.memory;

/** No current memory has this id (never remembered, or forgotten). */
public final class MemoryNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public MemoryNotFoundException(String collection, String id) {
        super("memory collection " + collection + " has no memory " + id);
    }
}
