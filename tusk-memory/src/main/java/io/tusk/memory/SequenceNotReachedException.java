package io.tusk.memory;

/**
 * A recall asked for a commit sequence ({@code minSequence}) that the index did not reach within the
 * read-your-writes wait: the commit is not in the space yet (another writer has not committed it), or the space
 * could not be read. Retrying later may succeed.
 */
public final class SequenceNotReachedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;
    private final long wanted;
    private final long reached;

    public SequenceNotReachedException(String message, long wanted, long reached) {
        super(message);
        this.wanted = wanted;
        this.reached = reached;
    }

    /** The sequence the caller asked for. */
    public long wanted() {
        return wanted;
    }

    /** The sequence the index had reached when the wait ended. */
    public long reached() {
        return reached;
    }
}
