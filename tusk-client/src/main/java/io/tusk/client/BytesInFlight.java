package io.tusk.client;

import java.util.concurrent.Semaphore;

/**
 * Bounds the bytes of slivers that stores read back from temporary files and hold while sending them, across all
 * stores of a client (in-memory encodings hold their slivers anyway and are not counted). Thread-safe.
 */
final class BytesInFlight {
    private final int capacity;
    private final Semaphore permits;

    BytesInFlight(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1 byte, got " + capacity);
        }
        this.capacity = capacity;
        this.permits = new Semaphore(capacity, true);
    }

    /** 64 MiB, or an eighth of the heap if that is smaller. */
    static BytesInFlight ofHeap() {
        return new BytesInFlight((int) Math.max(1 << 20, Math.min(64L << 20, Runtime.getRuntime().maxMemory() / 8)));
    }

    /**
     * Waits until {@code bytes} more may be held (a sliver larger than the whole capacity takes all of it) and returns
     * the amount to {@link #release}.
     */
    int acquire(int bytes) throws InterruptedException {
        int held = Math.min(bytes, capacity);
        permits.acquire(held);
        return held;
    }

    void release(int held) {
        permits.release(held);
    }
}
