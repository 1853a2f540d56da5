package io.tusk.s3;

import io.tusk.spaces.Snapshot;
import io.tusk.spaces.Transaction;

import java.util.Set;

/**
 * One S3 request's change to a bucket's space, committed together with others ({@link CommitQueue}).
 *
 * @param <T> what the request learns from it (e.g. the version ID it wrote)
 */
interface Change<T> {
    /**
     * The object keys (or internal keys) it reads and writes: changes in one commit touch disjoint keys, so each one
     * sees the version it builds on as if it were alone.
     */
    Set<String> keys();

    /** Bytes it holds in memory for the commit's pack (small object bodies). */
    default long bytes() {
        return 0;
    }

    /**
     * Checks the change against {@code base} and records it in {@code tx}, the transaction of version
     * {@code version}. It must throw (an {@link S3Exception}: that request fails, the others go on) before it records
     * anything. Runs again on a newer base if the commit loses a race.
     */
    T apply(Snapshot base, Transaction tx, long version);

    /** A short description for the commit message, e.g. {@code PUT photos/a.jpg}. */
    String describe();
}
