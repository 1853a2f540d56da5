package io.tusk.memory.embedding;

/** A vector whose length is not the dimension its collection fixed. Nothing was written. */
public final class DimensionMismatchException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int expected;
    private final int actual;

    public DimensionMismatchException(EmbeddingSpec spec, int actual) {
        super("this collection fixes embedding dimension " + spec.dimension() + " (model " + spec.model()
                + "); a vector of dimension " + actual + " was refused");
        this.expected = spec.dimension();
        this.actual = actual;
    }

    public int expected() {
        return expected;
    }

    public int actual() {
        return actual;
    }
}
