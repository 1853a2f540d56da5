package io.tusk.memory.index;

import java.util.Objects;

/**
 * What to recall: by text (BM25), by vector, or both (hybrid), restricted by metadata and by time.
 *
 * @param text       words to match with BM25, or null
 * @param vector     the query's embedding, or null
 * @param topK       how many hits at most, 1..{@link #MAX_TOP_K}
 * @param filter     a metadata condition, or null
 * @param asOf       recorded time in ms: what the store knew then (superseded revisions included, later ones not);
 *                   null for now
 * @param validAt    valid time in ms: only facts true at that moment; null for any
 * @param minScore   hits scoring below are dropped (0 keeps all)
 * @param textWeight weight of the BM25 part when both text and vector are given, 0..1
 */
public record RecallQuery(String text, float[] vector, int topK, MemoryFilter filter, Long asOf, Long validAt,
                          double minScore, double textWeight) {

    public static final int MAX_TOP_K = 1000;
    /** Hybrid default: mostly meaning, with exact words (names, numbers) as a tie-breaker that can lift a hit. */
    public static final double DEFAULT_TEXT_WEIGHT = 0.3;

    public RecallQuery {
        if (text == null && vector == null) {
            throw new IllegalArgumentException("a recall needs a text, a vector or both");
        }
        if (topK < 1 || topK > MAX_TOP_K) {
            throw new IllegalArgumentException("topK " + topK + " is out of range 1.." + MAX_TOP_K);
        }
        if (!(textWeight >= 0 && textWeight <= 1)) {
            throw new IllegalArgumentException("textWeight " + textWeight + " is out of range 0..1");
        }
        if (Double.isNaN(minScore)) {
            throw new IllegalArgumentException("minScore is NaN");
        }
    }

    public static RecallQuery byVector(float[] vector, int topK) {
        return new RecallQuery(null, Objects.requireNonNull(vector, "vector"), topK, null, null, null, 0, 0);
    }

    public static RecallQuery hybrid(String text, float[] vector, int topK) {
        return new RecallQuery(text, vector, topK, null, null, null, 0, DEFAULT_TEXT_WEIGHT);
    }

    public RecallQuery withVector(float[] newVector) {
        return new RecallQuery(text, newVector, topK, filter, asOf, validAt, minScore, textWeight);
    }

    public RecallQuery withFilter(MemoryFilter newFilter) {
        return new RecallQuery(text, vector, topK, newFilter, asOf, validAt, minScore, textWeight);
    }

    public RecallQuery withAsOf(Long newAsOf) {
        return new RecallQuery(text, vector, topK, filter, newAsOf, validAt, minScore, textWeight);
    }

    public RecallQuery withValidAt(Long newValidAt) {
        return new RecallQuery(text, vector, topK, filter, asOf, newValidAt, minScore, textWeight);
    }

    public RecallQuery withMinScore(double newMinScore) {
        return new RecallQuery(text, vector, topK, filter, asOf, validAt, newMinScore, textWeight);
    }
}
