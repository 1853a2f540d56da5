package io.tusk.memory;

import io.tusk.memory.index.Hit;
import io.tusk.memory.index.IndexedMemory;
import java.time.Instant;
import java.util.Map;

/**
 * A recalled memory revision.
 *
 * @param score      how well it matched (1 best); 1 where nothing was ranked (history, get)
 * @param validTo    null while open-ended
 * @param recordedTo when a later revision superseded it; null while current
 */
public record Memory(String id, long revision, String text, Map<String, Object> metadata, double score,
                     Instant validFrom, Instant validTo, Instant recordedAt, Instant recordedTo) {

    static Memory of(Hit hit) {
        return new Memory(hit.id(), hit.revision(), hit.text(), hit.metadata(), hit.score(),
                Instant.ofEpochMilli(hit.validFrom()), instantOrNull(hit.validTo()),
                Instant.ofEpochMilli(hit.recordedAt()), instantOrNull(hit.recordedTo()));
    }

    private static Instant instantOrNull(long millis) {
        return millis == IndexedMemory.OPEN ? null : Instant.ofEpochMilli(millis);
    }

    public boolean current() {
        return recordedTo == null;
    }
}
