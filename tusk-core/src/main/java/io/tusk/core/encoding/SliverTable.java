package io.tusk.core.encoding;

/**
 * Fixed-size slots of sliver bytes that an encoding writes and reads back: on the heap ({@link SliverStorage#HEAP})
 * or, in the SDK, in a temporary file, so that the slivers of a blob larger than the heap need not be held in it.
 * Writes and reads of distinct ranges may run concurrently. Closing releases the storage.
 */
public interface SliverTable extends AutoCloseable {
    int slots();

    int sliverBytes();

    /**
     * The slot's own array when the table is on the heap (the encoder then writes into it in place and slivers wrap
     * it without a copy), else null.
     */
    byte[] array(int slot);

    /** Writes {@code src[srcOffset, srcOffset + length)} at byte {@code offset} of slot {@code slot}. */
    void write(int slot, int offset, byte[] src, int srcOffset, int length);

    /** Reads bytes {@code [offset, offset + length)} of slot {@code slot} into {@code dst} at {@code dstOffset}. */
    void read(int slot, int offset, byte[] dst, int dstOffset, int length);

    @Override
    void close();
}
