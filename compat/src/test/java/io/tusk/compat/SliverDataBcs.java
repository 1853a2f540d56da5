package io.tusk.compat;

import java.util.Arrays;

/**
 * A parsed BCS {@code SliverData}: ULEB128(length) ‖ sliver bytes ‖ symbol size u16 LE ‖ sliver index u16 LE
 * (walrus-protocol.md §2). Test-side reader, independent of Tusk's own BCS code.
 */
public record SliverDataBcs(byte[] data, int symbolSize, int index) {

    public static SliverDataBcs parse(byte[] bcs) {
        long length = 0;
        int at = 0;
        for (int shift = 0; ; shift += 7) {
            if (at >= bcs.length || shift > 28) {
                throw new IllegalArgumentException("bad ULEB128 length prefix in " + bcs.length + "-byte SliverData");
            }
            int b = bcs[at++] & 0xFF;
            length |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (at + length + 4 != bcs.length) {
            throw new IllegalArgumentException("SliverData of " + bcs.length + " bytes: prefix " + at
                    + " + data " + length + " + 4 != total");
        }
        int end = at + (int) length;
        int symbolSize = (bcs[end] & 0xFF) | (bcs[end + 1] & 0xFF) << 8;
        int index = (bcs[end + 2] & 0xFF) | (bcs[end + 3] & 0xFF) << 8;
        return new SliverDataBcs(Arrays.copyOfRange(bcs, at, end), symbolSize, index);
    }

    /** Symbol {@code i} of the sliver. */
    public byte[] symbol(int i) {
        return Arrays.copyOfRange(data, i * symbolSize, (i + 1) * symbolSize);
    }
}
