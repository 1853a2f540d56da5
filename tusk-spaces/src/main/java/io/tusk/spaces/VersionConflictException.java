package io.tusk.spaces;

/**
 * The space's head moved: another commit won the version this one was built on. Thrown by a commit with an explicit
 * expected version, or after the commit retried as often as it may.
 */
public final class VersionConflictException extends SpaceException {
    private final long expectedVersion;

    public VersionConflictException(String message, long expectedVersion) {
        super(message);
        this.expectedVersion = expectedVersion;
    }

    /** The version the losing commit was built on. */
    public long expectedVersion() {
        return expectedVersion;
    }
}
