package io.tusk.core.encoding;

import io.tusk.core.merkle.MerkleNode;
import io.tusk.core.merkle.MerkleTree;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadata;
import io.tusk.core.metadata.BlobMetadataWithId;
import io.tusk.core.metadata.EncodingType;
import io.tusk.core.metadata.SliverPairMetadata;
import io.tusk.core.rs.ReedSolomonCode;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * RS2 ("Red Stuff" over Reed-Solomon) encoder, byte-identical to Walrus: blob to sliver pairs, sliver hashes,
 * metadata and blob ID.
 *
 * <p>The blob, zero-padded, is the {@code p x s} message matrix of {@code sym}-byte symbols, row-major. The encoder
 * never materialises the {@code n x n} expanded matrix. It works in two batched passes:
 * <ol>
 *   <li>the secondary code on the {@code p} systematic rows, batched over row chunks, yields the {@code f} repair
 *       columns (secondary slivers {@code s..n-1});</li>
 *   <li>the primary code on all {@code n} columns, batched over column chunks, yields the repair rows of each
 *       chunk; each finished column is hashed at once (its Merkle root is the secondary sliver hash), and the leaf
 *       hashes of its cells are kept, because a cell's leaf hash {@code H(0x00 || cell)} is the same in its row's
 *       tree and its column's: every cell is hashed once, and the row trees are built from kept leaf hashes.</li>
 * </ol>
 * Chunks run in parallel on the common fork-join pool. Instances are immutable and thread-safe.
 */
public final class BlobEncoder {
    /** Target bytes per batch shard: large enough for the vector kernel, small enough to stay in cache. */
    private static final int CHUNK_TARGET_BYTES = 8 * 1024;
    private static final int HASH_BYTES = 32;

    private final EncodingConfig config;
    private final ReedSolomonCode primaryCode;
    private final ReedSolomonCode secondaryCode;

    public BlobEncoder(int shardCount) {
        this(new EncodingConfig(shardCount));
    }

    public BlobEncoder(EncodingConfig config) {
        this.config = config;
        this.primaryCode = Codes.primary(config);
        this.secondaryCode = Codes.secondary(config);
    }

    public EncodingConfig config() {
        return config;
    }

    /** The metadata and blob ID of {@code blob}, without keeping its slivers. */
    public BlobMetadataWithId computeMetadata(byte[] blob) {
        return new Run(blob, false).metadata();
    }

    /** All {@code n} sliver pairs of {@code blob} and its metadata. */
    public EncodedBlob encode(byte[] blob) {
        Run run = new Run(blob, true);
        BlobMetadataWithId metadata = run.metadata();
        return new EncodedBlob(metadata, run.pairs());
    }

    /** One encoding of one blob: the state shared by the passes. */
    private final class Run {
        private final byte[] blob;
        private final boolean keepSlivers;
        private final int n;
        private final int p;
        private final int s;
        private final int sym;
        private final int slotLanes;
        private final int rowBytes;
        /** Rows of the message matrix that run past the end of the blob, zero-padded; null for rows inside it. */
        private final byte[][] paddedRows;
        /** Secondary slivers {@code s..n-1}: cell {@code (r, s + j)} at {@code repairColumns[j][r * sym]}. */
        private final byte[][] repairColumns;
        /** {@code leafHashes[r]} holds the leaf hashes of cells {@code (r, 0..n-1)}, 32 bytes each. */
        private final byte[][] leafHashes;
        private final MerkleNode[] primaryHashes;
        private final MerkleNode[] secondaryHashes;
        private final byte[][] primaryRepairSlivers;
        private final byte[][] systematicSecondarySlivers;

        Run(byte[] blob, boolean keepSlivers) {
            this.blob = blob;
            this.keepSlivers = keepSlivers;
            this.n = config.shardCount();
            this.p = config.primarySourceSymbols();
            this.s = config.secondarySourceSymbols();
            this.sym = config.symbolSize(blob.length);
            this.slotLanes = LaneBatch.slotLanes(sym);
            this.rowBytes = s * sym;
            this.paddedRows = padRows();
            this.repairColumns = new byte[n - s][p * sym];
            this.leafHashes = new byte[n][n * HASH_BYTES];
            this.primaryHashes = new MerkleNode[n];
            this.secondaryHashes = new MerkleNode[n];
            this.primaryRepairSlivers = keepSlivers ? new byte[n - p][rowBytes] : null;
            this.systematicSecondarySlivers = keepSlivers ? new byte[s][] : null;
            encodeRepairColumns();
            encodeColumns();
            hashRows();
        }

        private byte[][] padRows() {
            byte[][] padded = new byte[p][];
            byte[] zeroRow = null;
            for (int r = 0; r < p; r++) {
                long start = (long) r * rowBytes;
                if (start + rowBytes <= blob.length) {
                    continue;
                }
                if (start >= blob.length) {
                    zeroRow = zeroRow == null ? new byte[rowBytes] : zeroRow;
                    padded[r] = zeroRow;
                } else {
                    padded[r] = new byte[rowBytes];
                    System.arraycopy(blob, (int) start, padded[r], 0, blob.length - (int) start);
                }
            }
            return padded;
        }

        private byte[] rowArray(int r) {
            return paddedRows[r] != null ? paddedRows[r] : blob;
        }

        private int rowOffset(int r) {
            return paddedRows[r] != null ? 0 : r * rowBytes;
        }

        /** Pass 1: the secondary code over every systematic row gives the repair columns {@code s..n-1}. */
        private void encodeRepairColumns() {
            int rowsPerChunk = chunkSize(p);
            int chunks = (p + rowsPerChunk - 1) / rowsPerChunk;
            int fullShardBytes = LaneBatch.shardBytes((long) rowsPerChunk * slotLanes);
            ScratchPool<byte[][][]> pool = new ScratchPool<>(() -> new byte[][][] {
                    new byte[s][fullShardBytes], new byte[n - s][fullShardBytes]});
            IntStream.range(0, chunks).parallel().forEach(chunk -> {
                int r0 = chunk * rowsPerChunk;
                int rows = Math.min(rowsPerChunk, p - r0);
                int shardBytes = LaneBatch.shardBytes((long) rows * slotLanes);
                byte[][][] scratch = pool.take();
                byte[][] originals = scratch[0];
                byte[][] recovery = scratch[1];
                for (int i = 0; i < rows; i++) {
                    int r = r0 + i;
                    byte[] row = rowArray(r);
                    int offset = rowOffset(r);
                    for (int c = 0; c < s; c++) {
                        LaneBatch.pack(row, offset + c * sym, sym, sym, 1, originals[c], i * slotLanes);
                    }
                }
                secondaryCode.encode(originals, recovery, 0, shardBytes);
                for (int j = 0; j < n - s; j++) {
                    LaneBatch.unpack(recovery[j], 0, sym, rows, repairColumns[j], r0 * sym, sym);
                }
                pool.give(scratch);
            });
        }

        /** Pass 2: the primary code over every column gives the repair rows; columns are hashed as they finish. */
        private void encodeColumns() {
            int columnsPerChunk = chunkSize(n);
            int chunks = (n + columnsPerChunk - 1) / columnsPerChunk;
            ScratchPool<ColumnScratch> pool = new ScratchPool<>(() -> new ColumnScratch(columnsPerChunk));
            IntStream.range(0, chunks).parallel().forEach(chunk -> {
                int c0 = chunk * columnsPerChunk;
                ColumnScratch scratch = pool.take();
                encodeColumnChunk(c0, Math.min(columnsPerChunk, n - c0), scratch);
                pool.give(scratch);
            });
        }

        /** Buffers of one column chunk, reused by the next chunk the same thread runs. */
        private final class ColumnScratch {
            final byte[][] originals;
            final byte[][] recovery;
            /** The chunk's full columns, each n cells top to bottom (Walrus symbol layout), back to back. */
            final byte[] columns;
            final byte[] columnLeaves = new byte[n * HASH_BYTES];

            ColumnScratch(int width) {
                int shardBytes = LaneBatch.shardBytes((long) width * slotLanes);
                originals = new byte[p][shardBytes];
                recovery = new byte[n - p][shardBytes];
                columns = new byte[width * n * sym];
            }
        }

        private void encodeColumnChunk(int c0, int width, ColumnScratch scratch) {
            int columnBytes = n * sym;
            int shardBytes = LaneBatch.shardBytes((long) width * slotLanes);
            byte[][] originals = scratch.originals;
            byte[][] recovery = scratch.recovery;
            int systematicWidth = Math.max(0, Math.min(c0 + width, s) - c0);
            for (int r = 0; r < p; r++) {
                if (systematicWidth > 0) {
                    LaneBatch.pack(rowArray(r), rowOffset(r) + c0 * sym, sym, sym, systematicWidth, originals[r], 0);
                }
                for (int i = systematicWidth; i < width; i++) {
                    LaneBatch.pack(repairColumns[c0 + i - s], r * sym, sym, sym, 1, originals[r], i * slotLanes);
                }
            }
            primaryCode.encode(originals, recovery, 0, shardBytes);

            byte[] columns = scratch.columns;
            for (int i = 0; i < width; i++) {
                int c = c0 + i;
                int base = i * columnBytes;
                if (c < s) {
                    for (int r = 0; r < p; r++) {
                        System.arraycopy(rowArray(r), rowOffset(r) + c * sym, columns, base + r * sym, sym);
                    }
                } else {
                    System.arraycopy(repairColumns[c - s], 0, columns, base, p * sym);
                }
            }
            for (int r = p; r < n; r++) {
                LaneBatch.unpack(recovery[r - p], 0, sym, width, columns, r * sym, columnBytes);
                if (keepSlivers && systematicWidth > 0) {
                    LaneBatch.unpack(recovery[r - p], 0, sym, systematicWidth, primaryRepairSlivers[r - p], c0 * sym, sym);
                }
            }
            byte[] columnLeaves = scratch.columnLeaves;
            for (int i = 0; i < width; i++) {
                int c = c0 + i;
                int base = i * columnBytes;
                MerkleTree.leafHashes(columns, base, sym, n, columnLeaves, 0);
                secondaryHashes[c] = MerkleNode.digest(MerkleTree.rootOfLeafHashes(columnLeaves, 0, n));
                for (int r = 0; r < n; r++) {
                    System.arraycopy(columnLeaves, r * HASH_BYTES, leafHashes[r], c * HASH_BYTES, HASH_BYTES);
                }
                if (keepSlivers && c < s) {
                    byte[] secondary = new byte[p * sym];
                    System.arraycopy(columns, base, secondary, 0, p * sym);
                    systematicSecondarySlivers[c] = secondary;
                }
            }
        }

        /** Pass 3: each primary sliver's hash is the root over the kept leaf hashes of its row. */
        private void hashRows() {
            IntStream.range(0, n).parallel().forEach(r ->
                    primaryHashes[r] = MerkleNode.digest(MerkleTree.rootOfLeafHashes(leafHashes[r], 0, n)));
        }

        /** Codewords per batch so that a batch shard holds about {@link #CHUNK_TARGET_BYTES}, with enough chunks for every core. */
        private int chunkSize(int codewords) {
            int bySize = Math.max(1, CHUNK_TARGET_BYTES / sym);
            int cores = Math.max(1, Runtime.getRuntime().availableProcessors());
            int byCores = Math.max(1, (codewords + 4 * cores - 1) / (4 * cores));
            return Math.min(codewords, Math.min(bySize, Math.max(byCores, 8)));
        }

        BlobMetadataWithId metadata() {
            List<SliverPairMetadata> pairs = new ArrayList<>(n);
            for (int q = 0; q < n; q++) {
                pairs.add(new SliverPairMetadata(primaryHashes[q], secondaryHashes[n - 1 - q]));
            }
            BlobMetadata metadata = new BlobMetadata(EncodingType.RS2, blob.length, pairs);
            BlobId id = metadata.computeBlobId();
            return new BlobMetadataWithId(id, metadata);
        }

        List<SliverPair> pairs() {
            List<SliverPair> pairs = new ArrayList<>(n);
            for (int q = 0; q < n; q++) {
                pairs.add(new SliverPair(q, new Sliver(SliverType.PRIMARY, q, sym, primarySliver(q), false),
                        new Sliver(SliverType.SECONDARY, n - 1 - q, sym, secondarySliver(n - 1 - q), false)));
            }
            return pairs;
        }

        private byte[] primarySliver(int index) {
            if (index >= p) {
                return primaryRepairSlivers[index - p];
            }
            byte[] sliver = new byte[rowBytes];
            System.arraycopy(rowArray(index), rowOffset(index), sliver, 0, rowBytes);
            return sliver;
        }

        private byte[] secondarySliver(int index) {
            return index >= s ? repairColumns[index - s] : systematicSecondarySlivers[index];
        }
    }
}
