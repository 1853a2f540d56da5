package io.tusk.memory.index;

import java.util.Map;

/**
 * One recalled memory revision with its score. For a vector-only query the score is LangChain4j's relevance,
 * {@code (1 + cosine) / 2}; with text it is {@code (1 - w) * relevance + w * bm25 / best bm25}.
 *
 * @param recordedTo when a later revision superseded this one, or {@link IndexedMemory#OPEN} while current
 */
public record Hit(String id, long revision, String text, double score, Map<String, Object> metadata, float[] vector,
                  long validFrom, long validTo, long recordedAt, long recordedTo) {

    public boolean current() {
        return recordedTo == IndexedMemory.OPEN;
    }
}
