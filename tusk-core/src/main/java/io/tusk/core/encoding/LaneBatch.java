package io.tusk.core.encoding;

/**
 * Packs the GF(2^16) lanes of many Walrus symbols into one long Reed-Solomon shard, and back.
 *
 * <p>Reed-Solomon acts lane by lane: lane {@code l} of every output shard depends only on lane {@code l} of the
 * input shards. So the same code applied to many codewords (every column of the message matrix, say) is one call on
 * "batch shards" whose lanes are the lanes of all those codewords' symbols, one after another. A symbol of {@code sym}
 * bytes holds {@code sym/2} lanes in reed-solomon-simd's layout: 64-byte blocks of 32 low bytes then 32 high bytes,
 * and a tail of {@code t = sym mod 64} bytes split into {@code t/2} low then {@code t/2} high bytes. A batch shard
 * uses the same 64-byte block layout, so its length is a multiple of 64 and the vectorised kernel never sees a tail.
 * Each symbol occupies a <em>slot</em> of {@link #slotLanes} lanes: for large symbols the slot is rounded up to whole
 * blocks, so that every full block of the symbol moves with one 64-byte copy; for small symbols, where that would
 * waste too much work, slots are dense. Unused lanes (slot padding, the end of a shard) may hold anything: lanes
 * are independent, so they never affect the lanes that are read back.
 */
final class LaneBatch {
    static final int BLOCK_BYTES = 64;
    static final int BLOCK_LANES = 32;

    private LaneBatch() {}

    /** Slots may waste at most this share of lanes (in percent) to be block-aligned. */
    private static final int MAX_ALIGNMENT_WASTE_PERCENT = 15;

    /** Lanes per symbol slot: {@code sym/2} rounded up to a whole block when that wastes little, else {@code sym/2}. */
    static int slotLanes(int symbolSize) {
        int lanes = symbolSize / 2;
        int aligned = (lanes + BLOCK_LANES - 1) / BLOCK_LANES * BLOCK_LANES;
        return (long) aligned * 100 <= (long) lanes * (100 + MAX_ALIGNMENT_WASTE_PERCENT) ? aligned : lanes;
    }

    /** Bytes of a batch shard holding {@code lanes} lanes: whole 64-byte blocks. */
    static int shardBytes(long lanes) {
        long bytes = (lanes + BLOCK_LANES - 1) / BLOCK_LANES * BLOCK_BYTES;
        if (bytes > Integer.MAX_VALUE - 64) {
            throw new IllegalArgumentException("batch of " + lanes + " lanes is too large for one shard");
        }
        return (int) bytes;
    }

    /**
     * Copies the lanes of {@code count} symbols, symbol {@code i} at {@code src[srcOffset + i * srcStride]}, into
     * consecutive slots of {@code dst} starting at lane {@code dstLane} (a multiple of the slot size).
     */
    static void pack(byte[] src, int srcOffset, int srcStride, int symbolSize, int count, byte[] dst, int dstLane) {
        int lanesPerSymbol = slotLanes(symbolSize);
        int fullBlocks = symbolSize / BLOCK_BYTES;
        int tailLanes = (symbolSize % BLOCK_BYTES) / 2;
        for (int i = 0; i < count; i++) {
            int symbol = srcOffset + i * srcStride;
            int lane = dstLane + i * lanesPerSymbol;
            if ((lane & (BLOCK_LANES - 1)) == 0) { // block-aligned slot: whole blocks keep their layout
                System.arraycopy(src, symbol, dst, lane * 2, fullBlocks * BLOCK_BYTES);
                lane += fullBlocks * BLOCK_LANES;
            } else {
                for (int w = 0; w < fullBlocks; w++) {
                    int block = symbol + w * BLOCK_BYTES;
                    packRun(src, block, block + BLOCK_LANES, BLOCK_LANES, dst, lane);
                    lane += BLOCK_LANES;
                }
            }
            if (tailLanes > 0) {
                int tail = symbol + fullBlocks * BLOCK_BYTES;
                packRun(src, tail, tail + tailLanes, tailLanes, dst, lane);
            }
        }
    }

    /**
     * The inverse of {@link #pack}: writes {@code count} symbols from consecutive lanes of {@code src} starting at
     * {@code srcLane}, symbol {@code i} to {@code dst[dstOffset + i * dstStride]}.
     */
    static void unpack(byte[] src, int srcLane, int symbolSize, int count, byte[] dst, int dstOffset, int dstStride) {
        int lanesPerSymbol = slotLanes(symbolSize);
        int fullBlocks = symbolSize / BLOCK_BYTES;
        int tailLanes = (symbolSize % BLOCK_BYTES) / 2;
        for (int i = 0; i < count; i++) {
            int symbol = dstOffset + i * dstStride;
            int lane = srcLane + i * lanesPerSymbol;
            if ((lane & (BLOCK_LANES - 1)) == 0) {
                System.arraycopy(src, lane * 2, dst, symbol, fullBlocks * BLOCK_BYTES);
                lane += fullBlocks * BLOCK_LANES;
            } else {
                for (int w = 0; w < fullBlocks; w++) {
                    int block = symbol + w * BLOCK_BYTES;
                    unpackRun(src, lane, BLOCK_LANES, dst, block, block + BLOCK_LANES);
                    lane += BLOCK_LANES;
                }
            }
            if (tailLanes > 0) {
                int tail = symbol + fullBlocks * BLOCK_BYTES;
                unpackRun(src, lane, tailLanes, dst, tail, tail + tailLanes);
            }
        }
    }

    /** Moves {@code length} lanes whose low bytes start at {@code lowPos} and high bytes at {@code highPos}. */
    private static void packRun(byte[] src, int lowPos, int highPos, int length, byte[] dst, int lane) {
        while (length > 0) {
            int block = (lane >>> 5) * BLOCK_BYTES;
            int within = lane & (BLOCK_LANES - 1);
            int run = Math.min(length, BLOCK_LANES - within);
            copy(src, lowPos, dst, block + within, run);
            copy(src, highPos, dst, block + BLOCK_LANES + within, run);
            lowPos += run;
            highPos += run;
            lane += run;
            length -= run;
        }
    }

    private static void unpackRun(byte[] src, int lane, int length, byte[] dst, int lowPos, int highPos) {
        while (length > 0) {
            int block = (lane >>> 5) * BLOCK_BYTES;
            int within = lane & (BLOCK_LANES - 1);
            int run = Math.min(length, BLOCK_LANES - within);
            copy(src, block + within, dst, lowPos, run);
            copy(src, block + BLOCK_LANES + within, dst, highPos, run);
            lowPos += run;
            highPos += run;
            lane += run;
            length -= run;
        }
    }

    /** Short runs (small symbols) are cheaper as a loop than as an arraycopy call. */
    private static void copy(byte[] src, int from, byte[] dst, int to, int length) {
        if (length <= 8) {
            for (int i = 0; i < length; i++) {
                dst[to + i] = src[from + i];
            }
        } else {
            System.arraycopy(src, from, dst, to, length);
        }
    }
}
