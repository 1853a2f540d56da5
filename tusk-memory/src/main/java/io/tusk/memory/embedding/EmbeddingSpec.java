package io.tusk.memory.embedding;

import java.util.Objects;

/**
 * The embedding model a collection is fixed to: its name and its dimension. A collection records its spec when it is
 * created and refuses vectors of any other dimension, and a client that opens it with another model, so that vectors
 * of two models (whose similarities mean nothing to each other) never mix in one index.
 *
 * @param model     the model's name, for example {@code all-minilm-l6-v2-q}
 * @param dimension the length of every vector, at least 1
 */
public record EmbeddingSpec(String model, int dimension) {

    /** The largest dimension accepted: far above today's models (3,072 for the largest common ones). */
    public static final int MAX_DIMENSION = 16_384;

    public EmbeddingSpec {
        Objects.requireNonNull(model, "model");
        if (model.isBlank()) {
            throw new IllegalArgumentException("embedding model name is blank");
        }
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw new IllegalArgumentException(
                    "embedding dimension " + dimension + " is out of range 1.." + MAX_DIMENSION);
        }
    }

    /**
     * Checks one vector against this spec.
     *
     * @throws DimensionMismatchException if its length is not {@link #dimension()}
     * @throws IllegalArgumentException   if it holds NaN or an infinity (they poison every similarity)
     */
    public float[] check(float[] vector) {
        Objects.requireNonNull(vector, "vector");
        if (vector.length != dimension) {
            throw new DimensionMismatchException(this, vector.length);
        }
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                throw new IllegalArgumentException("embedding component " + i + " is " + vector[i]);
            }
        }
        return vector;
    }

    /**
     * Checks that a client's model is the one this collection was created with.
     *
     * @throws DimensionMismatchException if the dimensions differ
     * @throws IllegalArgumentException   if only the names differ
     */
    public void requireSame(EmbeddingSpec other) {
        if (other.dimension != dimension) {
            throw new DimensionMismatchException(this, other.dimension);
        }
        if (!other.model.equals(model)) {
            throw new IllegalArgumentException("this collection's embeddings come from model " + model
                    + " (" + dimension + " dimensions), not " + other.model
                    + ": vectors of different models cannot be compared; use a new collection");
        }
    }
}
