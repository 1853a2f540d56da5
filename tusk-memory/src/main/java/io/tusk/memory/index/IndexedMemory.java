package io.tusk.memory.index;

import java.util.Map;
import java.util.Objects;

/**
 * One revision of a memory as the index holds it. Times are milliseconds since the epoch; {@link #OPEN} marks a
 * valid time without an end.
 *
 * @param id          the memory's id (stable across its revisions)
 * @param revision    the commit sequence that recorded this revision
 * @param text        the text that is searched and returned, or null for a memory without text
 * @param vector      its embedding
 * @param metadata    typed metadata ({@link MetadataValues})
 * @param contentHash hex hash of the content, for exact deduplication, or null
 * @param validFrom   when the fact became true
 * @param validTo     when it stopped being true, or {@link #OPEN}
 * @param recordedAt  when the store learnt it (its commit time)
 */
public record IndexedMemory(String id, long revision, String text, float[] vector, Map<String, Object> metadata,
                            String contentHash, long validFrom, long validTo, long recordedAt) {

    public static final long OPEN = Long.MAX_VALUE;

    public IndexedMemory {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(vector, "vector");
        metadata = MetadataValues.checked(metadata);
        if (validTo <= validFrom) {
            throw new IllegalArgumentException("memory " + id + ": valid time ends (" + validTo
                    + ") at or before it starts (" + validFrom + ")");
        }
    }
}
