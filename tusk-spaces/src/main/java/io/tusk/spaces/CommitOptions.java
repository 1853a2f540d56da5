package io.tusk.spaces;

import java.util.Objects;

/**
 * How a commit lands.
 *
 * @param message         a message kept in the version's details (at most 4 KiB)
 * @param expectedVersion the version to build on, or -1 to build on whatever the head is and re-apply the changes
 *                        after losing a race; with a version, a lost race throws {@link VersionConflictException}
 * @param inline          whether a small commit (puts of small entries and deletes, at most 32 KiB in all) may be
 *                        held inline by the control plane instead of being stored as blobs: one command instead of
 *                        three blobs, folded into a manifest blob later (docs/spaces.md, "Inline versions")
 */
public record CommitOptions(String message, long expectedVersion, boolean inline) {
    public CommitOptions {
        Objects.requireNonNull(message, "message");
    }

    public CommitOptions(String message, long expectedVersion) {
        this(message, expectedVersion, false);
    }

    public static CommitOptions defaults() {
        return new CommitOptions("", -1);
    }

    public static CommitOptions message(String message) {
        return new CommitOptions(message, -1);
    }

    public CommitOptions expecting(long version) {
        return new CommitOptions(message, version, inline);
    }

    /** The same options, letting a small commit land inline. */
    public CommitOptions inlineWhenSmall() {
        return new CommitOptions(message, expectedVersion, true);
    }
}
