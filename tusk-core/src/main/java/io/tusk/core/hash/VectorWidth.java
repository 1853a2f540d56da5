package io.tusk.core.hash;

import jdk.incubator.vector.LongVector;

/** Isolates the Vector API so {@link Blake2b256Batch} loads without jdk.incubator.vector. */
final class VectorWidth {

    private VectorWidth() {
    }

    /** Bit size of the CPU's preferred (natively supported, widest) long vector. */
    static int preferredBits() {
        return LongVector.SPECIES_PREFERRED.vectorBitSize();
    }
}
