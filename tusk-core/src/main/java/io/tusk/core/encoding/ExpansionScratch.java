package io.tusk.core.encoding;

import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Work buffers for hashing one sliver's expansion ({@link Expansion#merkleRoot}): the packed shards of the code
 * (exact lengths, as the Reed-Solomon code requires), the unpacked repair cells and the leaf hashes. A storage node
 * checks every sliver it receives, and slivers of one blob share their shape, so sets are kept in a small pool and
 * reused instead of allocating about {@code 2n} symbols per sliver (2.4 GB of garbage per 128 MiB blob at 100
 * shards). The pool holds at most {@link #SLOTS} sets and {@link #MAX_POOLED_BYTES} bytes in each.
 */
final class ExpansionScratch {
    private static final int SLOTS = Math.max(2, 2 * Runtime.getRuntime().availableProcessors());
    /** Larger sets (huge symbols at large committees) are used once and dropped, so the pool stays small. */
    private static final long MAX_POOLED_BYTES = 24L << 20;
    private static final AtomicReferenceArray<ExpansionScratch> POOL = new AtomicReferenceArray<>(SLOTS);

    final int sourceCount;
    final int repairCount;
    final int shardBytes;
    final int symbolSize;
    final byte[][] originals;
    final byte[][] recovery;
    /** The repair cells, back to back: cell {@code k + j} of the expansion at {@code j * symbolSize}. */
    final byte[] repairCells;
    /** Leaf hashes of all {@code k + r} cells, 32 bytes each. */
    final byte[] leafHashes;

    private ExpansionScratch(int sourceCount, int repairCount, int shardBytes, int symbolSize) {
        this.sourceCount = sourceCount;
        this.repairCount = repairCount;
        this.shardBytes = shardBytes;
        this.symbolSize = symbolSize;
        this.originals = new byte[sourceCount][shardBytes];
        this.recovery = new byte[repairCount][shardBytes];
        this.repairCells = new byte[repairCount * symbolSize];
        this.leafHashes = new byte[(sourceCount + repairCount) * 32];
    }

    static ExpansionScratch take(int sourceCount, int repairCount, int shardBytes, int symbolSize) {
        for (int i = 0; i < SLOTS; i++) {
            ExpansionScratch pooled = POOL.get(i);
            if (pooled != null && pooled.fits(sourceCount, repairCount, shardBytes, symbolSize)
                    && POOL.compareAndSet(i, pooled, null)) {
                return pooled;
            }
        }
        return new ExpansionScratch(sourceCount, repairCount, shardBytes, symbolSize);
    }

    /** Returns the set to the pool: into an empty slot, else in place of a set of another shape, else dropped. */
    void give() {
        if (bytes() > MAX_POOLED_BYTES) {
            return;
        }
        for (int i = 0; i < SLOTS; i++) {
            if (POOL.get(i) == null && POOL.compareAndSet(i, null, this)) {
                return;
            }
        }
        for (int i = 0; i < SLOTS; i++) {
            ExpansionScratch pooled = POOL.get(i);
            if (pooled != null && !pooled.fits(sourceCount, repairCount, shardBytes, symbolSize)
                    && POOL.compareAndSet(i, pooled, this)) {
                return;
            }
        }
    }

    private boolean fits(int k, int r, int shard, int symbol) {
        return sourceCount == k && repairCount == r && shardBytes == shard && symbolSize == symbol;
    }

    private long bytes() {
        return (long) (sourceCount + repairCount) * shardBytes + repairCells.length + leafHashes.length;
    }
}
