package io.tusk.memory;

/**
 * How duplicates are merged instead of stored twice.
 *
 * @param exact          merge a memory whose text and content hash equal a current memory's
 * @param nearSimilarity merge a memory whose embedding has at least this cosine similarity with a current memory's
 *                       (1 = identical direction) and whose text holds the same numbers; above 1 turns near-duplicate
 *                       merging off
 */
public record DedupPolicy(boolean exact, double nearSimilarity) {

    /** Exact duplicates and near-identical rewordings (cosine 0.95: "I live in Paris" / "I live in Paris."). */
    public static final DedupPolicy DEFAULT = new DedupPolicy(true, 0.95);
    public static final DedupPolicy OFF = new DedupPolicy(false, 2);

    public DedupPolicy {
        if (!(nearSimilarity >= -1)) {
            throw new IllegalArgumentException("nearSimilarity " + nearSimilarity + " is below -1");
        }
    }

    boolean near() {
        return nearSimilarity <= 1;
    }
}
