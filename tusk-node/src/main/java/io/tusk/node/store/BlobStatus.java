package io.tusk.node.store;

/**
 * A blob's status as a storage node reports it (Walrus {@code BlobStatus}): one of four variants. Event references
 * are control-plane event cursors; the HTTP layer renders them as Walrus {@code EventID}s.
 */
public sealed interface BlobStatus {

    /** Walrus {@code DeletableCounts}: live deletable objects, and how many of them are certified. */
    record DeletableCounts(long total, long certified) {
    }

    enum Nonexistent implements BlobStatus {
        INSTANCE
    }

    /** The blob ID was marked invalid by the event at cursor {@code event}. */
    record Invalid(long event) implements BlobStatus {
    }

    /**
     * At least one live permanent object. {@code endEpoch} and {@code statusEvent} come from the certified object
     * with the latest end if there is one, else from the registered one with the latest end.
     */
    record Permanent(long endEpoch, boolean isCertified, long statusEvent, DeletableCounts deletableCounts,
                     Long initialCertifiedEpoch) implements BlobStatus {
    }

    /** Only deletable objects are live. {@code initialCertifiedEpoch} is {@code null} when none is certified. */
    record Deletable(Long initialCertifiedEpoch, DeletableCounts deletableCounts) implements BlobStatus {
    }
}
