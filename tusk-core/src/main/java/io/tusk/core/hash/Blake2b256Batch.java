package io.tusk.core.hash;

import java.util.Objects;

/**
 * Blake2b-256 of many equal-length messages {@code prefix || chunk}, where the chunks sit back to back in one
 * array. This is the shape of every Merkle level in Walrus: leaves are {@code H(0x00 || symbol)} over equal
 * symbols, and inner nodes are {@code H(0x01 || left || right)} over 64-byte pairs.
 *
 * <p>The constants are interchangeable implementations that give identical output; {@link #fastest()} is the
 * one to use. {@link #SCALAR} is the reference and needs nothing beyond the JDK.
 *
 * <p>Allocation: none per call or message (each thread keeps its scratch arrays). Thread-safe: no shared mutable
 * state.
 */
public enum Blake2b256Batch {

    /** One message at a time with the unrolled scalar compression function. */
    SCALAR {
        @Override
        void hashUnchecked(byte prefix, byte[] data, int offset, int chunkSize, int count, byte[] out,
                           int outOffset) {
            hashScalar(prefix, data, offset, chunkSize, 0, count, out, outOffset);
        }
    },

    /** Four messages at once in the lanes of a 256-bit {@code LongVector} (AVX2). */
    LANES_4 {
        @Override
        void hashUnchecked(byte prefix, byte[] data, int offset, int chunkSize, int count, byte[] out,
                           int outOffset) {
            Blake2bLanes4.hash(prefix, data, offset, chunkSize, count, out, outOffset);
        }

        @Override
        public boolean isAvailable() {
            return VECTOR_API;
        }
    },

    /** Eight messages at once in the lanes of a 512-bit {@code LongVector} (AVX-512). */
    LANES_8 {
        @Override
        void hashUnchecked(byte prefix, byte[] data, int offset, int chunkSize, int count, byte[] out,
                           int outOffset) {
            Blake2bLanes8.hash(prefix, data, offset, chunkSize, count, out, outOffset);
        }

        @Override
        public boolean isAvailable() {
            return VECTOR_API;
        }
    };

    /** System property that forces an implementation by name, e.g. {@code -Dtusk.blake2b.batch=SCALAR}. */
    public static final String IMPLEMENTATION_PROPERTY = "tusk.blake2b.batch";

    private static final boolean VECTOR_API = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /**
     * Returns the implementation to use in this JVM: the one named by {@link #IMPLEMENTATION_PROPERTY} if
     * set, otherwise the widest vector one the CPU runs natively, otherwise {@link #SCALAR}.
     */
    public static Blake2b256Batch fastest() {
        return io.tusk.core.ColdStart.vectorKernels() ? Fastest.CHOICE : SCALAR;
    }

    /** Whether this implementation can run in this JVM (the Vector API ones need jdk.incubator.vector). */
    public boolean isAvailable() {
        return true;
    }

    /**
     * Writes {@code H(prefix || data[offset + i*chunkSize .. offset + (i+1)*chunkSize))} to
     * {@code out[outOffset + 32*i ..)} for i = 0..count-1.
     *
     * <p>{@code out} may be {@code data} (hashing a Merkle level in place) when {@code outOffset <= offset}
     * and {@code chunkSize >= 32}: chunk i is read before digest i is written, and digest i never reaches a
     * later chunk.
     *
     * @throws IndexOutOfBoundsException if a range lies outside its array
     * @throws IllegalArgumentException   if {@code chunkSize} or {@code count} is negative
     */
    public void hashPrefixedChunks(byte prefix, byte[] data, int offset, int chunkSize, int count, byte[] out,
                                   int outOffset) {
        if (chunkSize < 0 || count < 0) {
            throw new IllegalArgumentException("chunkSize " + chunkSize + " and count " + count
                    + " must not be negative");
        }
        long inBytes = (long) chunkSize * count;
        long outBytes = (long) Blake2b256.DIGEST_LENGTH * count;
        Objects.checkFromIndexSize(offset, inBytes, data.length);
        Objects.checkFromIndexSize(outOffset, outBytes, out.length);
        if (!isAvailable()) {
            throw new UnsupportedOperationException(this + " needs --add-modules jdk.incubator.vector");
        }
        hashUnchecked(prefix, data, offset, chunkSize, count, out, outOffset);
    }

    /** Holder so the choice (which may touch the Vector API) is made on first use, not at enum init. */
    private static final class Fastest {
        static final Blake2b256Batch CHOICE = choose();

        private static Blake2b256Batch choose() {
            String forced = System.getProperty(IMPLEMENTATION_PROPERTY);
            if (forced != null) {
                Blake2b256Batch choice = valueOf(forced.trim());
                if (!choice.isAvailable()) {
                    throw new IllegalStateException(IMPLEMENTATION_PROPERTY + "=" + forced
                            + " needs --add-modules jdk.incubator.vector");
                }
                return choice;
            }
            if (!VECTOR_API) {
                return SCALAR;
            }
            return VectorWidth.preferredBits() >= 512 ? LANES_8 : VectorWidth.preferredBits() >= 256 ? LANES_4
                    : SCALAR;
        }
    }

    abstract void hashUnchecked(byte prefix, byte[] data, int offset, int chunkSize, int count, byte[] out,
                                int outOffset);

    /** This thread's scalar state: allocating it per call made garbage on every Merkle level. */
    private static final ThreadLocal<long[]> SCALAR_STATE =
            ThreadLocal.withInitial(() -> new long[Blake2bCompress.STATE_WORDS]);

    /** Scalar loop over messages first..count-1; also the remainder path of the vector implementations. */
    static void hashScalar(byte prefix, byte[] data, int offset, int chunkSize, int first, int count, byte[] out,
                           int outOffset) {
        if (first >= count) {
            return;
        }
        long[] s = SCALAR_STATE.get();
        int messageLength = chunkSize + 1;
        int blocks = (messageLength + Blake2bCompress.BLOCK - 1) / Blake2bCompress.BLOCK;
        for (int i = first; i < count; i++) {
            int chunk = offset + i * chunkSize;
            Blake2bCompress.init(s);
            for (int k = 0; k < blocks; k++) {
                int blockStart = k * Blake2bCompress.BLOCK;
                Blake2bCompress.loadPrefixedBlocks(s, Blake2bCompress.M, 1, prefix, data, chunk, chunkSize, blockStart);
                boolean last = k == blocks - 1;
                long counter = last ? messageLength : blockStart + Blake2bCompress.BLOCK;
                Blake2bCompress.compress(s, counter, 0, last);
            }
            Blake2bCompress.storeDigest(s, out, outOffset + Blake2b256.DIGEST_LENGTH * i);
        }
    }
}
