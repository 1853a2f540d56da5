package io.tusk.client;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How much of the heap encodings may hold at once. A blob is encoded on the heap (fastest) only while the blobs
 * encoded there together stay within the budget; otherwise it is encoded from a file with its slivers in temporary
 * files, so any number of concurrent stores of any size fit a small heap (a 512 MiB gateway, say). Thread-safe.
 */
final class HeapBudget {
    /** An in-memory encoding holds the blob, its sliver copies and the encoder's scratch: about six times the blob. */
    static final int HEAP_BYTES_PER_BLOB_BYTE = 6;

    private final long limit;
    private final AtomicLong reserved = new AtomicLong();

    HeapBudget(long limit) {
        this.limit = limit;
    }

    /** Half the heap for encodings. */
    static HeapBudget ofHeap() {
        return new HeapBudget(Runtime.getRuntime().maxMemory() / 2);
    }

    /**
     * Reserves room to encode a blob of {@code blobLength} bytes on the heap, or returns null if that would exceed
     * the budget. Close the reservation when the encoding is no longer used.
     */
    Reservation tryReserve(long blobLength) {
        long bytes = Math.multiplyHigh(blobLength, HEAP_BYTES_PER_BLOB_BYTE) != 0 ? Long.MAX_VALUE
                : blobLength * HEAP_BYTES_PER_BLOB_BYTE;
        while (true) {
            long now = reserved.get();
            if (bytes > limit - now) {
                return null;
            }
            if (reserved.compareAndSet(now, now + bytes)) {
                return new Reservation(bytes);
            }
        }
    }

    long reserved() {
        return reserved.get();
    }

    /** Room held for one in-memory encoding; closing it twice releases it once. */
    final class Reservation implements AutoCloseable {
        private final long bytes;
        private boolean released;

        private Reservation(long bytes) {
            this.bytes = bytes;
        }

        @Override
        public synchronized void close() {
            if (!released) {
                released = true;
                reserved.addAndGet(-bytes);
            }
        }
    }
}
