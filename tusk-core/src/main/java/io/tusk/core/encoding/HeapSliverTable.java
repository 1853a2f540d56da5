package io.tusk.core.encoding;

/** A {@link SliverTable} of one array per slot. */
final class HeapSliverTable implements SliverTable {
    private final byte[][] slots;
    private final int sliverBytes;

    HeapSliverTable(int slots, int sliverBytes) {
        if (slots < 0 || sliverBytes < 0) {
            throw new IllegalArgumentException("a sliver table needs slots >= 0 and sliverBytes >= 0, got " + slots
                    + " and " + sliverBytes);
        }
        this.slots = new byte[slots][sliverBytes];
        this.sliverBytes = sliverBytes;
    }

    @Override
    public int slots() {
        return slots.length;
    }

    @Override
    public int sliverBytes() {
        return sliverBytes;
    }

    @Override
    public byte[] array(int slot) {
        return slots[slot];
    }

    @Override
    public void write(int slot, int offset, byte[] src, int srcOffset, int length) {
        System.arraycopy(src, srcOffset, slots[slot], offset, length);
    }

    @Override
    public void read(int slot, int offset, byte[] dst, int dstOffset, int length) {
        System.arraycopy(slots[slot], offset, dst, dstOffset, length);
    }

    @Override
    public void close() {
        // the arrays go with the table
    }
}
