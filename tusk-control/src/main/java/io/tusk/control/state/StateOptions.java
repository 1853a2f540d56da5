package io.tusk.control.state;

/**
 * How a replica keeps its control state: memory for RocksDB (outside the Java heap), whether writes are forced to
 * disk, and how many events it keeps.
 *
 * @param blockCacheBytes  RocksDB block cache (reads of recent state stay in memory)
 * @param writeBufferBytes RocksDB memtables, all families together
 * @param syncWrites       force each command's write to disk; off by default, because the replicated log (or the
 *                         journal) is what is durable and the state replays it from its last applied index
 * @param retainedEvents   how many of the latest events this replica keeps; older ones are deleted, and asking for
 *                         them is an error ({@link EventsPrunedException}); a replica setting, not part of the state
 *                         machine's outcomes
 */
public record StateOptions(long blockCacheBytes, long writeBufferBytes, boolean syncWrites, long retainedEvents) {
    public static final long DEFAULT_BLOCK_CACHE_BYTES = 64L << 20;
    public static final long DEFAULT_WRITE_BUFFER_BYTES = 64L << 20;

    public StateOptions {
        if (blockCacheBytes < (1 << 20) || writeBufferBytes < (1 << 20)) {
            throw new IllegalArgumentException("blockCacheBytes and writeBufferBytes must be at least 1 MiB, got "
                    + blockCacheBytes + " and " + writeBufferBytes);
        }
        if (retainedEvents < 1) {
            throw new IllegalArgumentException("retainedEvents must be at least 1, got " + retainedEvents);
        }
    }

    /** 64 MiB cache, 64 MiB write buffers, unforced writes, every event kept. */
    public static StateOptions defaults() {
        return new StateOptions(DEFAULT_BLOCK_CACHE_BYTES, DEFAULT_WRITE_BUFFER_BYTES, false, Long.MAX_VALUE);
    }

    public StateOptions withRetainedEvents(long events) {
        return new StateOptions(blockCacheBytes, writeBufferBytes, syncWrites, events);
    }

    public StateOptions withSyncWrites(boolean sync) {
        return new StateOptions(blockCacheBytes, writeBufferBytes, sync, retainedEvents);
    }
}
