package io.tusk.spaces;

/**
 * The changes of one commit, recorded against {@link #base()}, the version this attempt builds on. The last change
 * to a key wins. Nothing is stored until the commit runs.
 */
public interface Transaction {
    /** The version this attempt builds on (read it to decide what to change). */
    Snapshot base();

    Transaction put(String key, byte[] data, PutOptions options);

    /** A large or streamed entry: uploaded with bounded memory, once however often the commit is retried. */
    Transaction put(String key, Content content, PutOptions options);

    default Transaction put(String key, byte[] data) {
        return put(key, data, PutOptions.defaults());
    }

    /** Deletes the entry; a key that does not exist is ignored. */
    Transaction delete(String key);

    /** Deletes the entry if {@code condition} holds (else the commit fails with {@link PreconditionFailedException}). */
    Transaction delete(String key, Condition condition);

    /** Sets tag {@code tag} to {@code version} (a version of the space, at most the new version). */
    Transaction tag(String tag, long version);

    Transaction untag(String tag);
}
