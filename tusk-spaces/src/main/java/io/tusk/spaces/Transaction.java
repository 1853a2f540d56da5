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

    /**
     * Content stored beforehand ({@link Space#upload}, {@link Space#concatenate}), committed by reference: nothing is
     * uploaded by the commit, however often it is retried.
     */
    Transaction put(String key, StagedContent content, PutOptions options);

    /**
     * A new entry under {@code key} (this commit's version and time, {@code options}' content type and metadata) with
     * the content of {@code sourceKey} in {@code source}, a version of this space: the content is shared, not copied.
     * The commit fails with {@link EntryNotFoundException} if the source has no such entry.
     */
    Transaction copy(String key, Snapshot source, String sourceKey, PutOptions options);

    /**
     * The entry {@code sourceKey} of {@code source} (a version of this space) exactly as it is (content, content type,
     * metadata, etag, the version that wrote it and its time) under {@code key}: keeps an old entry reachable under
     * another name, e.g. an S3 object's noncurrent version.
     */
    Transaction copyAsIs(String key, Snapshot source, String sourceKey);

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
