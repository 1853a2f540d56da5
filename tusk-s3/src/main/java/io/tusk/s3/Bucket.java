package io.tusk.s3;

import io.tusk.control.api.BucketInfo;
import io.tusk.spaces.Entry;
import io.tusk.spaces.Snapshot;
import io.tusk.spaces.Space;

import java.time.Instant;
import java.util.Optional;

/**
 * A bucket: its name and owner (from the control plane) and its space, the owner's space of the same name. The space
 * is missing only if its creation failed after the name was claimed; it is then created by the first write
 * ({@link Buckets#writable}). Writes go through the bucket's {@link CommitQueue}, present when this server holds the
 * owner's key.
 */
final class Bucket {
    private final BucketInfo info;
    private final boolean ownedHere;
    private volatile Space space;
    private volatile CommitQueue queue;

    Bucket(BucketInfo info, Space space, CommitQueue queue, boolean ownedHere) {
        this.info = info;
        this.space = space;
        this.queue = queue;
        this.ownedHere = ownedHere;
    }

    String name() {
        return info.name();
    }

    String owner() {
        return info.owner();
    }

    BucketInfo info() {
        return info;
    }

    Instant created() {
        return Instant.ofEpochMilli(info.createdMillis());
    }

    Optional<Space> space() {
        return Optional.ofNullable(space);
    }

    void attach(Space created, CommitQueue commits) {
        this.space = created;
        this.queue = commits;
    }

    /** Whether this server holds the owner's key (and so may write to it). */
    boolean ownedHere() {
        return ownedHere;
    }

    CommitQueue queue() {
        return queue;
    }

    /** The head of the bucket's space, or null if the space does not exist yet (an empty bucket). */
    Snapshot head() {
        Space s = space;
        return s == null ? null : s.snapshot();
    }

    static BucketSettings settings(Snapshot snapshot) {
        if (snapshot == null) {
            return BucketSettings.NEW;
        }
        Optional<Entry> config = snapshot.entry(InternalKeys.CONFIG);
        return config.map(BucketSettings::of).orElse(BucketSettings.NEW);
    }
}
