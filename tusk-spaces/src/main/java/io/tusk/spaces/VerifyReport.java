package io.tusk.spaces;

import java.time.Duration;

/**
 * What {@link Space#verify} checked: versions from the head down (to version 1, or to where retention deleted
 * history), the blobs whose IDs it re-derived, tree nodes, entries and bytes; and the first break if it found one.
 *
 * @param oldestRetained the oldest version checked; older ones were deleted by retention (or this is 1)
 * @param treesChecked   false for an encrypted space read without its owner key: chain and manifests only
 */
public record VerifyReport(String space, long head, long versionsChecked, long oldestRetained, long blobsChecked,
                           long nodesChecked, long entriesChecked, long bytesChecked, boolean treesChecked,
                           Break firstBreak, Duration elapsed) {
    /** Where verification stopped: the version whose manifest, tree or entry does not match what refers to it. */
    public record Break(long version, String detail) {
    }

    public boolean ok() {
        return firstBreak == null;
    }
}
