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
 *
 * <p>Memory: the blob is read through a {@link BlobSource} and the repair slivers go to {@link SliverTable}s, so with
 * a file source and file-backed tables ({@link #encode(BlobSource, SliverStorage)}) the heap holds only the passes'
 * scratch (a few rows or columns per thread) and the {@code n x n} leaf hashes (32 MB at 1000 shards), whatever the
 * blob's size. {@link #encode(byte[])} keeps everything on the heap, about 5x the blob.
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
        return computeMetadata(BlobSource.ofArray(blob), SliverStorage.HEAP);
    }

    /**
     * The metadata and blob ID of the blob {@code source} holds; its repair columns (about half the blob) are kept in
     * {@code storage} between the passes and released before this returns.
     *
     * @throws BlobTooLargeException if the blob is larger than this committee's largest blob
     */
    public BlobMetadataWithId computeMetadata(BlobSource source, SliverStorage storage) {
        Run run = new Run(source, storage, false);
        try {
            return run.metadata();
        } finally {
            run.repairColumns.close();
        }
    }

    /** All {@code n} sliver pairs of {@code blob} and its metadata, on the heap. */
    public EncodedBlob encode(byte[] blob) {
        Run run = new Run(BlobSource.ofArray(blob), SliverStorage.HEAP, true);
        return new EncodedBlob(run.metadata(), run.pairs());
    }

    /**
     * Encodes the blob {@code source} holds with bounded memory: repair slivers go to {@code storage} (about 2.5x the
     * blob), systematic slivers are read back from {@code source} when asked for, so the source must stay readable
     * until the returned encoding is no longer used. Close the encoding to release the storage.
     *
     * @throws BlobTooLargeException if the blob is larger than this committee's largest blob
     */
    public BlobEncoding encode(BlobSource source, SliverStorage storage) {
        Run run = new Run(source, storage, true);
        return new TableEncoding(config, run.metadata(), run.rows, run.sym, run.repairColumns, run.repairRows);
    }

    /** One encoding of one blob: the state shared by the passes. */
    private final class Run {
        private final long length;
        private final boolean keepSlivers;
        private final int n;
        private final int p;
        private final int s;
        private final int sym;
        private final int slotLanes;
        private final int rowBytes;
        private final MessageRows rows;
        /** Secondary slivers {@code s..n-1}: cell {@code (r, s + j)} at byte {@code r * sym} of slot {@code j}. */
        private final SliverTable repairColumns;
        /** Primary slivers {@code p..n-1} (slot {@code r - p}), when slivers are kept. */
        private final SliverTable repairRows;
        /** Secondary slivers {@code 0..s-1}, kept only by an encoding on the heap (others gather them from the source). */
        private final byte[][] systematicColumns;
        /** {@code leafHashes[r]} holds the leaf hashes of cells {@code (r, 0..n-1)}, 32 bytes each. */
        private final byte[][] leafHashes;
        private final MerkleNode[] primaryHashes;
        private final MerkleNode[] secondaryHashes;

        Run(BlobSource source, SliverStorage storage, boolean keepSlivers) {
            this.length = source.length();
            io.tusk.core.ColdStart.blobWork(length);
            this.keepSlivers = keepSlivers;
            this.n = config.shardCount();
            this.p = config.primarySourceSymbols();
            this.s = config.secondarySourceSymbols();
            this.sym = config.symbolSize(length);
            this.slotLanes = LaneBatch.slotLanes(sym);
            this.rowBytes = s * sym;
            this.rows = new MessageRows(source, rowBytes);
            this.leafHashes = new byte[n][n * HASH_BYTES];
            this.primaryHashes = new MerkleNode[n];
            this.secondaryHashes = new MerkleNode[n];
            this.systematicColumns = keepSlivers && storage == SliverStorage.HEAP ? new byte[s][] : null;
            this.repairColumns = storage.allocate(n - s, p * sym);
            SliverTable repairRowTable = null;
            try {
                repairRowTable = keepSlivers ? storage.allocate(n - p, rowBytes) : null;
                this.repairRows = repairRowTable;
                encodeRepairColumns();
                encodeColumns();
                hashRows();
            } catch (RuntimeException | Error e) {
                try (SliverTable columns = repairColumns; SliverTable rowTable = repairRowTable) {
                    throw e;
                }
            }
        }

        /** Pass 1: the secondary code over every systematic row gives the repair columns {@code s..n-1}. */
        private void encodeRepairColumns() {
            int rowsPerChunk = chunkSize(p);
            int chunks = (p + rowsPerChunk - 1) / rowsPerChunk;
            int fullShardBytes = LaneBatch.shardBytes((long) rowsPerChunk * slotLanes);
            ScratchPool<RowScratch> pool = new ScratchPool<>(() -> new RowScratch(rowsPerChunk, fullShardBytes));
            IntStream.range(0, chunks).parallel().forEach(chunk -> {
                int r0 = chunk * rowsPerChunk;
                RowScratch scratch = pool.take();
                encodeRowChunk(r0, Math.min(rowsPerChunk, p - r0), scratch);
                pool.give(scratch);
            });
        }

        /** Buffers of one row chunk, reused by the next chunk the same thread runs. */
        private final class RowScratch {
            final byte[][] originals;
            final byte[][] recovery;
            /** A row read from the source (rows of an in-memory blob are read in place), allocated on first use. */
            byte[] row;
            /** One repair column's cells of the chunk, when the table is not on the heap. */
            final byte[] columnPart;

            RowScratch(int rowsPerChunk, int shardBytes) {
                originals = new byte[s][shardBytes];
                recovery = new byte[n - s][shardBytes];
                columnPart = repairColumns.array(0) == null ? new byte[rowsPerChunk * sym] : null;
            }
        }

        private void encodeRowChunk(int r0, int count, RowScratch scratch) {
            int shardBytes = LaneBatch.shardBytes((long) count * slotLanes);
            for (int i = 0; i < count; i++) {
                int r = r0 + i;
                byte[] row = rows.inPlace(r);
                int offset;
                if (row != null) {
                    offset = (int) rows.offset(r);
                } else {
                    if (scratch.row == null) {
                        scratch.row = new byte[rowBytes];
                    }
                    row = scratch.row;
                    rows.read(r, 0, rowBytes, row, 0);
                    offset = 0;
                }
                for (int c = 0; c < s; c++) {
                    LaneBatch.pack(row, offset + c * sym, sym, sym, 1, scratch.originals[c], i * slotLanes);
                }
            }
            secondaryCode.encode(scratch.originals, scratch.recovery, 0, shardBytes);
            for (int j = 0; j < n - s; j++) {
                byte[] column = repairColumns.array(j);
                if (column != null) {
                    LaneBatch.unpack(scratch.recovery[j], 0, sym, count, column, r0 * sym, sym);
                } else {
                    LaneBatch.unpack(scratch.recovery[j], 0, sym, count, scratch.columnPart, 0, sym);
                    repairColumns.write(j, r0 * sym, scratch.columnPart, 0, count * sym);
                }
            }
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
            /** The chunk's part of one row, read from the source or written to a repair-row table off the heap. */
            final byte[] rowPart;

            ColumnScratch(int width) {
                int shardBytes = LaneBatch.shardBytes((long) width * slotLanes);
                originals = new byte[p][shardBytes];
                recovery = new byte[n - p][shardBytes];
                columns = new byte[width * n * sym];
                rowPart = new byte[width * sym];
            }
        }

        private void encodeColumnChunk(int c0, int width, ColumnScratch scratch) {
            int columnBytes = n * sym;
            int shardBytes = LaneBatch.shardBytes((long) width * slotLanes);
            byte[] columns = scratch.columns;
            int systematicWidth = Math.max(0, Math.min(c0 + width, s) - c0);
            // The chunk's p source cells of every column, in column layout: systematic ones from the blob's rows,
            // repair ones from pass 1's columns.
            for (int r = 0; r < p && systematicWidth > 0; r++) {
                byte[] row = rows.inPlace(r);
                int offset;
                if (row != null) {
                    offset = (int) rows.offset(r) + c0 * sym;
                } else {
                    row = scratch.rowPart;
                    rows.read(r, c0 * sym, systematicWidth * sym, row, 0);
                    offset = 0;
                }
                for (int i = 0; i < systematicWidth; i++) {
                    System.arraycopy(row, offset + i * sym, columns, i * columnBytes + r * sym, sym);
                }
            }
            for (int i = systematicWidth; i < width; i++) {
                repairColumns.read(c0 + i - s, 0, columns, i * columnBytes, p * sym);
            }
            for (int r = 0; r < p; r++) {
                LaneBatch.pack(columns, r * sym, columnBytes, sym, width, scratch.originals[r], 0);
            }
            primaryCode.encode(scratch.originals, scratch.recovery, 0, shardBytes);

            for (int r = p; r < n; r++) {
                LaneBatch.unpack(scratch.recovery[r - p], 0, sym, width, columns, r * sym, columnBytes);
                if (keepSlivers && systematicWidth > 0) {
                    byte[] repairRow = repairRows.array(r - p);
                    if (repairRow != null) {
                        LaneBatch.unpack(scratch.recovery[r - p], 0, sym, systematicWidth, repairRow, c0 * sym, sym);
                    } else {
                        LaneBatch.unpack(scratch.recovery[r - p], 0, sym, systematicWidth, scratch.rowPart, 0, sym);
                        repairRows.write(r - p, c0 * sym, scratch.rowPart, 0, systematicWidth * sym);
                    }
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
                if (systematicColumns != null && c < s) {
                    byte[] secondary = new byte[p * sym];
                    System.arraycopy(columns, base, secondary, 0, p * sym);
                    systematicColumns[c] = secondary;
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
            BlobMetadata metadata = new BlobMetadata(EncodingType.RS2, length, pairs);
            BlobId id = metadata.computeBlobId();
            return new BlobMetadataWithId(id, metadata);
        }

        /** The sliver pairs of an encoding on the heap, wrapping the tables' arrays. */
        List<SliverPair> pairs() {
            List<SliverPair> pairs = new ArrayList<>(n);
            for (int q = 0; q < n; q++) {
                int c = n - 1 - q;
                byte[] primary = q < p ? rows.copy(q) : repairRows.array(q - p);
                byte[] secondary = c < s ? systematicColumns[c] : repairColumns.array(c - s);
                pairs.add(new SliverPair(q, new Sliver(SliverType.PRIMARY, q, sym, primary, false),
                        new Sliver(SliverType.SECONDARY, c, sym, secondary, false)));
            }
            return pairs;
        }
    }
}
