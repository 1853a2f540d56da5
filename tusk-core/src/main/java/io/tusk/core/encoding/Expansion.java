package io.tusk.core.encoding;

import io.tusk.core.merkle.MerkleTree;
import io.tusk.core.rs.ReedSolomonCode;

import java.util.List;

/**
 * Single-codeword operations: expanding one sliver to its {@code n} cells, and decoding one sliver from any
 * {@code k} of its cells. Each symbol becomes its own (lane-packed) shard; the batched paths are in
 * {@link BlobEncoder} and {@link BlobDecoder}.
 */
final class Expansion {
    private Expansion() {}

    /** The full expansion ({@code n * symbolSize} bytes) of a sliver whose {@code k} symbols are {@code data}. */
    static byte[] expand(EncodingConfig config, SliverType type, byte[] data, int symbolSize) {
        ReedSolomonCode code = Codes.expanding(config, type);
        int k = code.originalCount();
        int r = code.recoveryCount();
        int shardBytes = LaneBatch.shardBytes(LaneBatch.slotLanes(symbolSize));
        byte[][] originals = new byte[k][shardBytes];
        byte[][] recovery = new byte[r][shardBytes];
        for (int i = 0; i < k; i++) {
            LaneBatch.pack(data, i * symbolSize, symbolSize, symbolSize, 1, originals[i], 0);
        }
        code.encode(originals, recovery);
        byte[] expanded = new byte[(k + r) * symbolSize];
        System.arraycopy(data, 0, expanded, 0, k * symbolSize);
        for (int j = 0; j < r; j++) {
            LaneBatch.unpack(recovery[j], 0, symbolSize, 1, expanded, (k + j) * symbolSize, symbolSize);
        }
        return expanded;
    }

    /**
     * The Merkle root over the {@code n} cells of a sliver's expansion ({@link #expand}) without building the
     * expansion: the source cells ({@code k * symbolSize} bytes at {@code data[offset ..)}) are hashed where they are,
     * only the repair cells are unpacked, all into pooled buffers. This is what a node runs for every sliver it receives.
     */
    static byte[] merkleRoot(EncodingConfig config, SliverType type, byte[] data, int offset, int symbolSize) {
        ReedSolomonCode code = Codes.expanding(config, type);
        int k = code.originalCount();
        int r = code.recoveryCount();
        ExpansionScratch scratch = ExpansionScratch.take(k, r, LaneBatch.shardBytes(LaneBatch.slotLanes(symbolSize)), symbolSize);
        try {
            for (int i = 0; i < k; i++) {
                LaneBatch.pack(data, offset + i * symbolSize, symbolSize, symbolSize, 1, scratch.originals[i], 0);
            }
            code.encode(scratch.originals, scratch.recovery);
            for (int j = 0; j < r; j++) {
                LaneBatch.unpack(scratch.recovery[j], 0, symbolSize, 1, scratch.repairCells, j * symbolSize, symbolSize);
            }
            MerkleTree.leafHashes(data, offset, symbolSize, k, scratch.leafHashes, 0);
            MerkleTree.leafHashes(scratch.repairCells, 0, symbolSize, r, scratch.leafHashes, 32 * k);
            return MerkleTree.rootOfLeafHashes(scratch.leafHashes, 0, k + r);
        } finally {
            scratch.give();
        }
    }

    /**
     * {@link #merkleRoot} of many slivers of one type and symbol size at once, as the encoder works: one Reed-Solomon
     * encoding with sliver {@code s}'s symbols in slot {@code s} of every shard, then every cell's leaf hash and each
     * tree level of all slivers in one hashing call. A reader checking a blob's {@code p} slivers of a few bytes' symbols
     * otherwise runs {@code p} encodings of mostly empty shards and hashes the upper tree levels a node or two at a time.
     *
     * @param slivers each {@code k * symbolSize} bytes, {@code k} the source symbols of the type's expanding code
     * @return the roots, 32 bytes each, in the order of {@code slivers}
     */
    static byte[][] merkleRoots(EncodingConfig config, SliverType type, List<byte[]> slivers, int symbolSize) {
        if (slivers.size() == 1) {
            return new byte[][] {merkleRoot(config, type, slivers.getFirst(), 0, symbolSize)}; // pooled buffers
        }
        ReedSolomonCode code = Codes.expanding(config, type);
        int k = code.originalCount();
        int r = code.recoveryCount();
        int count = slivers.size();
        int slot = LaneBatch.slotLanes(symbolSize);
        int shardBytes = LaneBatch.shardBytes((long) slot * count);
        byte[][] originals = new byte[k][shardBytes];
        byte[][] recovery = new byte[r][shardBytes];
        for (int s = 0; s < count; s++) {
            byte[] data = slivers.get(s);
            for (int i = 0; i < k; i++) {
                LaneBatch.pack(data, i * symbolSize, symbolSize, symbolSize, 1, originals[i], s * slot);
            }
        }
        code.encode(originals, recovery);
        int cellsPerSliver = k + r;
        byte[] cells = new byte[Math.multiplyExact(count * cellsPerSliver, symbolSize)];
        for (int s = 0; s < count; s++) {
            int at = s * cellsPerSliver * symbolSize;
            System.arraycopy(slivers.get(s), 0, cells, at, k * symbolSize);
            for (int j = 0; j < r; j++) {
                LaneBatch.unpack(recovery[j], s * slot, symbolSize, 1, cells, at + (k + j) * symbolSize, symbolSize);
            }
        }
        byte[] leafHashes = new byte[count * cellsPerSliver * 32];
        MerkleTree.leafHashes(cells, 0, symbolSize, count * cellsPerSliver, leafHashes, 0);
        return MerkleTree.rootsOfLeafHashes(leafHashes, count, cellsPerSliver);
    }

    /**
     * Decodes the {@code k} source symbols of one codeword of {@code code} from symbols given by their position in
     * the expansion ({@code symbols[i]} is position {@code i}, or null if missing).
     *
     * @return the {@code k * symbolSize} source bytes
     * @throws io.tusk.core.rs.NotEnoughShardsException if fewer than {@code k} symbols are present
     */
    static byte[] decode(ReedSolomonCode code, byte[][] symbols, int symbolSize) {
        int k = code.originalCount();
        int r = code.recoveryCount();
        int shardBytes = LaneBatch.shardBytes(LaneBatch.slotLanes(symbolSize));
        byte[][] originals = new byte[k][];
        byte[][] recovery = new byte[r][];
        for (int i = 0; i < k + r && i < symbols.length; i++) {
            if (symbols[i] == null) {
                continue;
            }
            byte[] shard = new byte[shardBytes];
            LaneBatch.pack(symbols[i], 0, symbolSize, symbolSize, 1, shard, 0);
            if (i < k) {
                originals[i] = shard;
            } else {
                recovery[i - k] = shard;
            }
        }
        code.reconstruct(originals, recovery);
        byte[] out = new byte[k * symbolSize];
        for (int i = 0; i < k; i++) {
            LaneBatch.unpack(originals[i], 0, symbolSize, 1, out, i * symbolSize, symbolSize);
        }
        return out;
    }
}
