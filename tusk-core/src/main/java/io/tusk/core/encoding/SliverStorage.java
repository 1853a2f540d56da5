package io.tusk.core.encoding;

/** Where an encoding keeps the slivers it computes: {@link #HEAP}, or temporary files (the SDK's). */
@FunctionalInterface
public interface SliverStorage {
    /** A table of {@code slots} slots of {@code sliverBytes} bytes each. */
    SliverTable allocate(int slots, int sliverBytes);

    /** Arrays on the heap, one per slot. */
    SliverStorage HEAP = HeapSliverTable::new;
}
