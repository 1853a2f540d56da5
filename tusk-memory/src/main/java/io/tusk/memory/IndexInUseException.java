package io.tusk.memory;

/**
 * A local recall index directory is held by another process (Lucene's write lock): open the collection with an
 * index in memory instead, or wait for the other process to finish.
 */
public final class IndexInUseException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public IndexInUseException(String message, Throwable cause) {
        super(message, cause);
    }
}
