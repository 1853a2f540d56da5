package io.tusk.core.encoding;

import java.util.Arrays;

/**
 * The rows of a blob's {@code p x s} message matrix, read from its {@link BlobSource}: row {@code r} is bytes
 * {@code [r * rowBytes, (r + 1) * rowBytes)} of the blob, zero-padded past its end. Rows of an in-memory blob that lie
 * wholly inside it are read in place.
 */
final class MessageRows {
    private final BlobSource source;
    private final byte[] array;
    private final long length;
    private final int rowBytes;

    MessageRows(BlobSource source, int rowBytes) {
        this.source = source;
        this.array = source instanceof BlobSource.OfArray inMemory ? inMemory.bytes() : null;
        this.length = source.length();
        this.rowBytes = rowBytes;
    }

    int rowBytes() {
        return rowBytes;
    }

    /** The blob's own array if row {@code r} lies wholly inside it (read it at {@link #offset}), else null. */
    byte[] inPlace(int r) {
        return array != null && (long) (r + 1) * rowBytes <= length ? array : null;
    }

    /** Where row {@code r} starts in the blob. */
    long offset(int r) {
        return (long) r * rowBytes;
    }

    /** Copies bytes {@code [from, from + count)} of row {@code r} into {@code dst} at {@code dstOffset}, zero past the end. */
    void read(int r, int from, int count, byte[] dst, int dstOffset) {
        long start = offset(r) + from;
        int available = (int) Math.max(0, Math.min(count, length - start));
        if (available > 0) {
            source.read(start, dst, dstOffset, available);
        }
        if (available < count) {
            Arrays.fill(dst, dstOffset + available, dstOffset + count, (byte) 0);
        }
    }

    /** A copy of row {@code r}: primary sliver {@code r}'s bytes. */
    byte[] copy(int r) {
        byte[] row = new byte[rowBytes];
        read(r, 0, rowBytes, row, 0);
        return row;
    }
}
