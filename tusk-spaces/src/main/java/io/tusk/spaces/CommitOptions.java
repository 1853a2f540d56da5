package io.tusk.spaces;

import java.util.Objects;

/**
 * How a commit lands.
 *
 * @param message         a message kept in the version's details (at most 4 KiB)
 * @param expectedVersion the version to build on, or -1 to build on whatever the head is and re-apply the changes
 *                        after losing a race; with a version, a lost race throws {@link VersionConflictException}
 */
public record CommitOptions(String message, long expectedVersion) {
    public CommitOptions {
        Objects.requireNonNull(message, "message");
    }

    public static CommitOptions defaults() {
        return new CommitOptions("", -1);
    }

    public static CommitOptions message(String message) {
        return new CommitOptions(message, -1);
    }

    public CommitOptions expecting(long version) {
        return new CommitOptions(message, version);
    }
}
