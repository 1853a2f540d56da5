package io.tusk.memory;

import io.tusk.memory.index.MemoryFilter;
import io.tusk.memory.index.RecallQuery;
import java.time.Instant;
import java.util.Objects;

/**
 * A recall request.
 *
 * @param query       the question, embedded with the collection's model and matched with BM25; null with a vector
 * @param vector      a precomputed query vector, or null
 * @param topK        how many memories at most
 * @param filter      metadata condition, or null
 * @param asOf        what the store knew at that moment (recorded time), or null for now
 * @param validAt     only facts true at that moment (valid time), or null
 * @param minSequence wait until the index has this commit sequence (read-your-writes); 0 for no wait
 * @param minScore    drop hits below this score
 */
public record Recall(String query, float[] vector, int topK, MemoryFilter filter, Instant asOf, Instant validAt,
                     long minSequence, double minScore) {

    public static final int DEFAULT_TOP_K = 10;

    public Recall {
        if (query == null && vector == null) {
            throw new IllegalArgumentException("recall needs a query text or a vector");
        }
        if (topK < 1 || topK > RecallQuery.MAX_TOP_K) {
            throw new IllegalArgumentException("topK " + topK + " is out of range 1.." + RecallQuery.MAX_TOP_K);
        }
        if (minSequence < 0) {
            throw new IllegalArgumentException("minSequence " + minSequence + " is negative");
        }
    }

    public static Recall of(String query) {
        return new Recall(Objects.requireNonNull(query, "query"), null, DEFAULT_TOP_K, null, null, null, 0, 0);
    }

    public static Recall of(String query, int topK) {
        return new Recall(Objects.requireNonNull(query, "query"), null, topK, null, null, null, 0, 0);
    }

    public Recall topK(int k) {
        return new Recall(query, vector, k, filter, asOf, validAt, minSequence, minScore);
    }

    public Recall filter(MemoryFilter f) {
        return new Recall(query, vector, topK, f, asOf, validAt, minSequence, minScore);
    }

    public Recall asOf(Instant t) {
        return new Recall(query, vector, topK, filter, t, validAt, minSequence, minScore);
    }

    public Recall validAt(Instant t) {
        return new Recall(query, vector, topK, filter, asOf, t, minSequence, minScore);
    }

    public Recall minSequence(long s) {
        return new Recall(query, vector, topK, filter, asOf, validAt, s, minScore);
    }

    public Recall minScore(double s) {
        return new Recall(query, vector, topK, filter, asOf, validAt, minSequence, s);
    }
}
