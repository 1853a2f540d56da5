package io.tusk.spaces;

import java.util.List;

/**
 * What {@link Space#retain} did: the versions it pruned (none: nothing was committed), the version recording it,
 * the blobs deleted (their storage is reclaimed when the nodes apply the deletion) and the blobs kept because a
 * kept version still needs them.
 */
public record RetentionReport(List<Long> prunedVersions, long version, int blobsDeleted, int blobsKept,
                              List<String> warnings) {
    public RetentionReport {
        prunedVersions = List.copyOf(prunedVersions);
        warnings = List.copyOf(warnings);
    }
}
