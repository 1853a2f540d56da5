package io.tusk.core.quilt;

import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.encoding.EncodingConfig;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds Quilt V1 blobs byte-identical to Walrus's ({@code encodeQuilt} of {@code @mysten/walrus}, Rust
 * {@code QuiltEncoderV1}); walrus-protocol.md §11.
 *
 * <p>The quilt blob is the whole {@code p × s} message matrix of RS2 for a quilt-specific symbol size. Each item
 * (first the index, then the patches sorted by identifier) goes in from the top of a fresh column, filling column
 * after column; so column j, top to bottom, is exactly secondary sliver j of the stored blob, and one patch can be
 * read from its own secondary slivers alone.
 *
 * <p>A patch item is {@code 0x01 ‖ u32 LE length ‖ mask ‖ u16 LE |BCS(id)| ‖ BCS(id) ‖ [u16 LE |BCS(tags)| ‖
 * BCS(tags)] ‖ data}, the tags section present (and mask bit 0 set) only for non-empty tags; length counts the bytes
 * after the 6-byte header. Thread-safe.
 */
public final class QuiltEncoder {
    /** Bytes of a patch item's header: version, u32 length, mask. */
    public static final int PATCH_HEADER_BYTES = 6;
    /** Mask bit set when the patch item has a tags section. */
    public static final int HAS_TAGS_FLAG = 1;

    private final EncodingConfig config;

    public QuiltEncoder(EncodingConfig config) {
        this.config = config;
    }

    public QuiltEncoder(int shardCount) {
        this(new EncodingConfig(shardCount));
    }

    public EncodingConfig config() {
        return config;
    }

    /** The most patches a quilt can hold for this shard count: {@code s - 1}. */
    public int maxPatches() {
        return config.secondarySourceSymbols() - 1;
    }

    /**
     * Builds the quilt of {@code patches} (any order; they are sorted by identifier).
     *
     * @throws TooManyPatchesException      more than {@code s - 1} patches
     * @throws DuplicateIdentifierException two patches share an identifier
     * @throws QuiltTooLargeException       the patches need a symbol size above 65534 (or more than 2 GiB of blob)
     * @throws InvalidTagsException         a patch's tags exceed 65535 bytes of BCS
     */
    public EncodedQuilt encode(List<QuiltPatch> patches) {
        int p = config.primarySourceSymbols();
        int s = config.secondarySourceSymbols();
        if (patches.size() + 1 > s) {
            throw new TooManyPatchesException(patches.size(), s - 1, config.shardCount());
        }
        List<QuiltPatch> sorted = new ArrayList<>(patches);
        sorted.sort((a, b) -> QuiltIdentifiers.compare(a.identifier(), b.identifier()));
        Set<String> seen = new HashSet<>();
        for (QuiltPatch patch : sorted) {
            if (!seen.add(patch.identifier())) {
                throw new DuplicateIdentifierException(patch.identifier());
            }
        }

        // Item sizes: the index (with placeholder end columns; u16 is fixed width) and every patch item.
        int m = sorted.size();
        long[] sizes = new long[m + 1];
        byte[][] prefixes = new byte[m][];
        List<QuiltPatchInfo> placeholder = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            QuiltPatch patch = sorted.get(i);
            placeholder.add(new QuiltPatchInfo(patch.identifier(), patch.tags(), i, i + 1));
            prefixes[i] = patchPrefix(patch);
            sizes[i + 1] = prefixes[i].length + (long) patch.size();
        }
        sizes[0] = QuiltIndex.INDEX_PREFIX_BYTES + (long) new QuiltIndex(placeholder).toBcs().length;

        int symbolSize = symbolSize(sizes, p, s);
        long blobLength = (long) p * s * symbolSize;
        if (blobLength > Integer.MAX_VALUE - 16) {
            throw new QuiltTooLargeException("the quilt blob would be " + blobLength + " bytes (symbol size "
                    + symbolSize + "), more than one in-memory blob can hold", symbolSize);
        }
        byte[] blob = new byte[(int) blobLength];
        long columnBytes = (long) p * symbolSize;
        int column = (int) ceilDiv(sizes[0], columnBytes); // the index's columns come first
        List<QuiltPatchInfo> infos = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            QuiltPatch patch = sorted.get(i);
            ColumnWriter writer = new ColumnWriter(blob, p, s, symbolSize, column);
            writer.write(prefixes[i]);
            writer.write(patch.dataUnsafe());
            int end = column + (int) ceilDiv(sizes[i + 1], columnBytes);
            infos.add(new QuiltPatchInfo(patch.identifier(), patch.tags(), column, end));
            column = end;
        }
        QuiltIndex index = new QuiltIndex(infos);
        new ColumnWriter(blob, p, s, symbolSize, 0).write(index.toItem());
        return new EncodedQuilt(blob, symbolSize, index);
    }

    /** Header, identifier section and (for non-empty tags) tags section of a patch item. */
    static byte[] patchPrefix(QuiltPatch patch) {
        byte[] id = new BcsWriter().string(patch.identifier()).toByteArray();
        Map<String, String> tags = patch.tags();
        byte[] tagBcs = tags.isEmpty() ? null : QuiltTags.bcs(tags);
        long length = 2L + id.length + (tagBcs == null ? 0 : 2L + tagBcs.length) + patch.size();
        if (length > 0xFFFF_FFFFL) {
            throw new QuiltTooLargeException("patch '" + QuiltIdentifiers.printable(patch.identifier())
                    + "' is too large: its item length " + length + " exceeds u32", Long.MAX_VALUE);
        }
        BcsWriter w = new BcsWriter(PATCH_HEADER_BYTES + 4 + id.length + (tagBcs == null ? 0 : tagBcs.length));
        w.u8(QuiltIndex.QUILT_VERSION_V1).u32(length).u8(tagBcs == null ? 0 : HAS_TAGS_FLAG);
        w.u16(id.length).fixedBytes(id);
        if (tagBcs != null) {
            w.u16(tagBcs.length).fixedBytes(tagBcs);
        }
        return w.toByteArray();
    }

    /**
     * The quilt symbol size for items of {@code sizes} (index item first): the least x ≥ L with
     * Σ ceil(z_i / (x·p)) ≤ s, rounded up to even, where
     * L = max(ceil(Σz / (s·p)), ceil(z_0 / (10·p)), ceil(5 / p)).
     *
     * @throws QuiltTooLargeException if that exceeds {@link EncodingConfig#MAX_SYMBOL_SIZE}
     */
    static int symbolSize(long[] sizes, int p, int s) {
        long total = 0;
        long max = 0;
        for (long z : sizes) {
            total += z;
            max = Math.max(max, z);
        }
        long low = Math.max(Math.max(ceilDiv(total, (long) s * p), ceilDiv(sizes[0], (long) QuiltIndex.MAX_INDEX_COLUMNS * p)),
                ceilDiv(QuiltIndex.INDEX_PREFIX_BYTES, p));
        long high = Math.max(low, max); // with x = max every item fits one column, and there are at most s items
        while (low < high) {
            long mid = low + (high - low) / 2;
            if (fits(sizes, s, mid * p)) {
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        long symbol = low + (low & 1);
        if (symbol > EncodingConfig.MAX_SYMBOL_SIZE) {
            throw new QuiltTooLargeException("the patches need a symbol size of " + symbol + ", above the maximum "
                    + EncodingConfig.MAX_SYMBOL_SIZE + ": store fewer or smaller patches per quilt", symbol);
        }
        return (int) symbol;
    }

    private static boolean fits(long[] sizes, int columns, long columnBytes) {
        long used = 0;
        for (long z : sizes) {
            used += ceilDiv(z, columnBytes);
            if (used > columns) {
                return false;
            }
        }
        return true;
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** Writes a byte stream into consecutive columns from {@code firstColumn}, top to bottom. */
    private static final class ColumnWriter {
        private final byte[] blob;
        private final int rows;
        private final int rowBytes;
        private final int symbolSize;
        private final int firstColumn;
        private long written;

        ColumnWriter(byte[] blob, int rows, int columns, int symbolSize, int firstColumn) {
            this.blob = blob;
            this.rows = rows;
            this.rowBytes = columns * symbolSize;
            this.symbolSize = symbolSize;
            this.firstColumn = firstColumn;
        }

        void write(byte[] bytes) {
            int at = 0;
            while (at < bytes.length) {
                long cell = written / symbolSize;
                int inCell = (int) (written % symbolSize);
                int column = firstColumn + (int) (cell / rows);
                int row = (int) (cell % rows);
                int length = Math.min(symbolSize - inCell, bytes.length - at);
                System.arraycopy(bytes, at, blob, row * rowBytes + column * symbolSize + inCell, length);
                at += length;
                written += length;
            }
        }
    }
}
