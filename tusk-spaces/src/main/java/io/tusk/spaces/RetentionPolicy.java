package io.tusk.spaces;

import java.time.Duration;

/**
 * Which versions {@link Space#retain} keeps: the last {@code keepLast}, those younger than {@code keepYoungerThan}
 * (null: no age rule), and, with {@code keepTagged}, every tagged version. A version any rule keeps is kept; the head
 * always is. Everything else is pruned: its manifest and the blobs no kept version needs are deleted.
 */
public record RetentionPolicy(int keepLast, Duration keepYoungerThan, boolean keepTagged) {
    public RetentionPolicy {
        if (keepLast < 1) {
            throw new IllegalArgumentException("retention keeps at least the last version, got keepLast " + keepLast);
        }
    }

    public static RetentionPolicy keepLast(int versions) {
        return new RetentionPolicy(versions, null, true);
    }

    public RetentionPolicy andYoungerThan(Duration age) {
        return new RetentionPolicy(keepLast, age, keepTagged);
    }

    public RetentionPolicy withTagged(boolean value) {
        return new RetentionPolicy(keepLast, keepYoungerThan, value);
    }
}
