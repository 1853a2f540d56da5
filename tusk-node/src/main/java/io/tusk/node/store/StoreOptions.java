package io.tusk.node.store;

/**
 * How the store trades durability for speed. Blob info and the event cursor are always written with a synced WAL,
 * since a lost event would leave the node with a wrong view of the registry; metadata and slivers can be re-sent by
 * clients or recovered from other nodes, so their WAL sync is optional.
 *
 * @param syncDataWrites sync the WAL on every metadata and sliver write (default false)
 * @param blockCacheBytes RocksDB block cache size
 * @param writeBufferBytes memory for all memtables together; when full, the largest are flushed to disk
 * @param verifyFilesOnOpen check the checksums of every SST file when the store opens, and drop (for recovery to
 *                          rebuild) the sliver and metadata families that have a corrupt one
 */
public record StoreOptions(boolean syncDataWrites, long blockCacheBytes, long writeBufferBytes,
                           boolean verifyFilesOnOpen) {
    public static final StoreOptions DEFAULT = new StoreOptions(false, 64L << 20, 256L << 20, true);

    public StoreOptions(boolean syncDataWrites, long blockCacheBytes) {
        this(syncDataWrites, blockCacheBytes, DEFAULT.writeBufferBytes(), DEFAULT.verifyFilesOnOpen());
    }

    public StoreOptions withVerifyFilesOnOpen(boolean verify) {
        return new StoreOptions(syncDataWrites, blockCacheBytes, writeBufferBytes, verify);
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
