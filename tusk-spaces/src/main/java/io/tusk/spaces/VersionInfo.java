package io.tusk.spaces;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One version in a space's history: its manifest blob, commit time, message, what it changed (entries put and
 * deleted; the first 1000 keys, {@code truncated} if there were more) and the tags it carries.
 */
public record VersionInfo(long version, String manifestBlobId, Instant commitTime, String message, long puts,
                          long deletes, List<String> changedKeys, boolean truncated, long entryCount,
                          List<String> tags) {
    public VersionInfo {
        changedKeys = List.copyOf(changedKeys);
        tags = List.copyOf(tags);
    }

    static List<String> tagsOf(Map<String, Long> tags, long version) {
        return tags.entrySet().stream().filter(e -> e.getValue() == version).map(Map.Entry::getKey).toList();
    }
}
