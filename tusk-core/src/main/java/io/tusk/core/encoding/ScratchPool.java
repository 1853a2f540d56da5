package io.tusk.core.encoding;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;

/**
 * Work buffers shared by the parallel chunks of one encoding: a chunk takes a buffer set, uses it, gives it back, so
 * one set per running thread is allocated instead of one per chunk.
 */
final class ScratchPool<T> {
    private final ConcurrentLinkedQueue<T> free = new ConcurrentLinkedQueue<>();
    private final Supplier<T> factory;

    ScratchPool(Supplier<T> factory) {
        this.factory = factory;
    }

    T take() {
        T scratch = free.poll();
        return scratch != null ? scratch : factory.get();
    }

    void give(T scratch) {
        free.offer(scratch);
    }
}
