package io.tusk.node.store;

/**
 * How the store trades durability for speed. Blob info and the event cursor are always written with a synced WAL,
 * since a lost event would leave the node with a wrong view of the registry; metadata and slivers can be re-sent by
 * clients or recovered from other nodes, so their WAL sync is optional.
 *
 * @param syncDataWrites sync the WAL on every metadata and sliver write (default false)
 * @param blockCacheBytes RocksDB block cache size
 * @param writeBufferBytes memory for all memtables together; when full, the largest are flushed to disk
 */
public record StoreOptions(boolean syncDataWrites, long blockCacheBytes, long writeBufferBytes) {
    public static final StoreOptions DEFAULT = new StoreOptions(false, 64L << 20, 256L << 20);

    public StoreOptions(boolean syncDataWrites, long blockCacheBytes) {
        this(syncDataWrites, blockCacheBytes, DEFAULT.writeBufferBytes());
    }

    public StoreOptions {
        if (blockCacheBytes < 0) {
            throw new IllegalArgumentException("blockCacheBytes must not be negative, got " + blockCacheBytes);
        }
        if (writeBufferBytes < (1 << 20)) {
            throw new IllegalArgumentException("writeBufferBytes must be at least 1 MiB, got " + writeBufferBytes);
        }
    }
}
