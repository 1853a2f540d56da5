package io.tusk.core.quilt;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverType;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Reads a Quilt V1 from its columns: column j is secondary sliver j of the quilt blob (pair {@code n - 1 - j}), so a
 * reader fetches only the secondary slivers it needs. The index is at columns {@code 0 .. I-1}: fetch column 0,
 * ask {@link #indexColumnCount} for I, fetch the rest and call {@link #readIndex}. A patch is at its
 * {@link QuiltPatchInfo} (or {@link QuiltPatchId}) range: fetch those columns and call {@link #readPatch}.
 *
 * <p>The slivers passed in should already be verified against the quilt's metadata ({@link Sliver#verify}); this
 * class only checks their shape (secondary, consecutive indices, one symbol size) and parses their bytes strictly.
 * The {@code byte[] quiltBlob} variants read from a whole quilt blob instead.
 */
public final class QuiltReader {
    private QuiltReader() {}

    /**
     * How many columns the index spans, from column 0 (whose first 5 bytes are the index item's prefix).
     *
     * @throws MalformedQuiltException if column 0 does not start an index item of at most 10 columns
     */
    public static int indexColumnCount(EncodingConfig config, Sliver column0) {
        checkColumns(config, List.of(column0), 0);
        return indexColumnCount(config, column0.data(), column0.symbolSize());
    }

    private static int indexColumnCount(EncodingConfig config, byte[] column0, int symbolSize) {
        if ((column0[0] & 0xff) != QuiltIndex.QUILT_VERSION_V1) {
            throw new MalformedQuiltException("not a Quilt V1: the index item starts with version " + (column0[0] & 0xff));
        }
        long length = u32(column0, 1);
        long columnBytes = (long) config.primarySourceSymbols() * symbolSize;
        long columns = QuiltEncoder.ceilDiv(QuiltIndex.INDEX_PREFIX_BYTES + length, columnBytes);
        if (columns > Math.min(QuiltIndex.MAX_INDEX_COLUMNS, config.secondarySourceSymbols())) {
            throw new MalformedQuiltException("the quilt index claims " + length + " bytes (" + columns
                    + " columns); at most " + QuiltIndex.MAX_INDEX_COLUMNS + " columns are allowed");
        }
        return (int) columns;
    }

    /**
     * Parses the index from columns {@code 0 .. k-1} (k ≥ {@link #indexColumnCount}).
     *
     * @throws MalformedQuiltException if the slivers are not those columns or the index is malformed
     */
    public static QuiltIndex readIndex(EncodingConfig config, List<Sliver> columns) {
        checkColumns(config, columns, 0);
        return parseIndex(config, concat(columns), columns.getFirst().symbolSize());
    }

    /** Parses the index of a whole quilt blob. */
    public static QuiltIndex readIndex(EncodingConfig config, byte[] quiltBlob) {
        int symbolSize = quiltSymbolSize(config, quiltBlob.length);
        int count = indexColumnCount(config, column(config, quiltBlob, 0), symbolSize);
        return parseIndex(config, columns(config, quiltBlob, 0, count), symbolSize);
    }

    private static QuiltIndex parseIndex(EncodingConfig config, byte[] bytes, int symbolSize) {
        int columns = indexColumnCount(config, bytes, symbolSize);
        long length = u32(bytes, 1);
        if (QuiltIndex.INDEX_PREFIX_BYTES + length > bytes.length) {
            throw new MalformedQuiltException("the quilt index needs " + columns + " columns, only "
                    + bytes.length / ((long) config.primarySourceSymbols() * symbolSize) + " were given");
        }
        byte[] bcs = Arrays.copyOfRange(bytes, QuiltIndex.INDEX_PREFIX_BYTES, QuiltIndex.INDEX_PREFIX_BYTES + (int) length);
        return QuiltIndex.fromBcs(bcs, columns, config);
    }

    /**
     * Parses the patch item stored in {@code columns} (the patch's whole column range, in order).
     *
     * @throws MalformedQuiltException if the slivers are not consecutive secondary slivers or the item is malformed
     */
    public static QuiltPatch readPatch(EncodingConfig config, List<Sliver> columns) {
        if (columns.isEmpty()) {
            throw new MalformedQuiltException("a patch spans at least one column, none were given");
        }
        checkColumns(config, columns, columns.getFirst().index());
        return parsePatch(concat(columns));
    }

    /** Parses the patch at columns {@code [start, end)} of a whole quilt blob. */
    public static QuiltPatch readPatch(EncodingConfig config, byte[] quiltBlob, int start, int end) {
        quiltSymbolSize(config, quiltBlob.length);
        if (start < 0 || end <= start || end > config.secondarySourceSymbols()) {
            throw new MalformedQuiltException("column range [" + start + ", " + end + ") is outside the quilt's "
                    + config.secondarySourceSymbols() + " columns");
        }
        return parsePatch(columns(config, quiltBlob, start, end));
    }

    /** Every patch of a whole quilt blob, in index order. */
    public static List<QuiltPatch> readAll(EncodingConfig config, byte[] quiltBlob) {
        return readIndex(config, quiltBlob).patches().stream()
                .map(info -> readPatch(config, quiltBlob, info.startIndex(), info.endIndex())).toList();
    }

    /** Parses one patch item: header, identifier, optional tags, data. */
    static QuiltPatch parsePatch(byte[] item) {
        if (item.length < QuiltEncoder.PATCH_HEADER_BYTES + 2) {
            throw new MalformedQuiltException("a patch item needs at least 8 bytes, the columns hold " + item.length);
        }
        int version = item[0] & 0xff;
        if (version != QuiltIndex.QUILT_VERSION_V1) {
            throw new MalformedQuiltException("patch item has version " + version + ", expected " + QuiltIndex.QUILT_VERSION_V1);
        }
        long length = u32(item, 1);
        int mask = item[5] & 0xff;
        if ((mask & ~QuiltEncoder.HAS_TAGS_FLAG) != 0) {
            throw new MalformedQuiltException(String.format("patch item has unknown mask bits 0x%02x", mask));
        }
        long end = QuiltEncoder.PATCH_HEADER_BYTES + length;
        if (end > item.length) {
            throw new MalformedQuiltException("patch item claims " + length + " bytes after its header, its columns hold "
                    + (item.length - QuiltEncoder.PATCH_HEADER_BYTES));
        }
        int at = QuiltEncoder.PATCH_HEADER_BYTES;
        int idSize = u16(item, at, end);
        at += 2;
        String identifier = readSection(item, at, idSize, end, "identifier", r -> r.string(QuiltIdentifiers.MAX_IDENTIFIER_BYTES));
        at += idSize;
        Map<String, String> tags = Map.of();
        if ((mask & QuiltEncoder.HAS_TAGS_FLAG) != 0) {
            int tagsSize = u16(item, at, end);
            at += 2;
            tags = readSection(item, at, tagsSize, end, "tags", QuiltTags::read);
            at += tagsSize;
        }
        return QuiltPatch.read(identifier, Arrays.copyOfRange(item, at, (int) end), tags);
    }

    private static <T> T readSection(byte[] item, int at, int size, long end, String what,
                                     java.util.function.Function<BcsReader, T> read) {
        if (at + (long) size > end) {
            throw new MalformedQuiltException("patch item's " + what + " section (" + size + " bytes) overruns the item");
        }
        try {
            BcsReader r = new BcsReader(item, at, size);
            T value = read.apply(r);
            r.expectEnd();
            return value;
        } catch (QuiltException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new MalformedQuiltException("patch item's " + what + " section: " + e.getMessage());
        }
    }

    /** The bytes of column {@code j} of a whole quilt blob (= secondary sliver j). */
    public static byte[] column(EncodingConfig config, byte[] quiltBlob, int j) {
        return columns(config, quiltBlob, j, j + 1);
    }

    private static byte[] columns(EncodingConfig config, byte[] quiltBlob, int start, int end) {
        int p = config.primarySourceSymbols();
        int s = config.secondarySourceSymbols();
        int symbolSize = quiltSymbolSize(config, quiltBlob.length);
        byte[] out = new byte[(end - start) * p * symbolSize];
        int at = 0;
        for (int j = start; j < end; j++) {
            for (int row = 0; row < p; row++) {
                System.arraycopy(quiltBlob, (row * s + j) * symbolSize, out, at, symbolSize);
                at += symbolSize;
            }
        }
        return out;
    }

    /** A quilt blob is the whole message matrix: p·s·sym bytes for an even sym. */
    private static int quiltSymbolSize(EncodingConfig config, long blobLength) {
        long cells = config.sourceSymbolCount();
        if (blobLength == 0 || blobLength % cells != 0 || (blobLength / cells) % 2 != 0
                || blobLength / cells > EncodingConfig.MAX_SYMBOL_SIZE) {
            throw new MalformedQuiltException("a blob of " + blobLength + " bytes is not a quilt for "
                    + config.shardCount() + " shards (a quilt is p·s·symbolSize = " + cells + "·symbolSize bytes)");
        }
        return (int) (blobLength / cells);
    }

    private static void checkColumns(EncodingConfig config, List<Sliver> columns, int firstIndex) {
        if (columns.isEmpty()) {
            throw new MalformedQuiltException("no columns given");
        }
        int symbolSize = columns.getFirst().symbolSize();
        for (int i = 0; i < columns.size(); i++) {
            Sliver sliver = columns.get(i);
            if (sliver.type() != SliverType.SECONDARY) {
                throw new MalformedQuiltException("quilt columns are secondary slivers, got a " + sliver.type() + " sliver");
            }
            if (sliver.index() != firstIndex + i) {
                throw new MalformedQuiltException("column " + (firstIndex + i) + " expected, got secondary sliver " + sliver.index());
            }
            if (sliver.index() >= config.secondarySourceSymbols()) {
                throw new MalformedQuiltException("column " + sliver.index() + " is a repair column, not part of the quilt");
            }
            if (sliver.symbolSize() != symbolSize || sliver.length() != config.primarySourceSymbols() * symbolSize) {
                throw new MalformedQuiltException("secondary sliver " + sliver.index() + " has the wrong size for this quilt");
            }
        }
    }

    private static byte[] concat(List<Sliver> columns) {
        int size = 0;
        for (Sliver sliver : columns) {
            size += sliver.length();
        }
        byte[] out = new byte[size];
        int at = 0;
        for (Sliver sliver : columns) {
            byte[] data = sliver.data();
            System.arraycopy(data, 0, out, at, data.length);
            at += data.length;
        }
        return out;
    }

    private static long u32(byte[] b, int at) {
        if (at + 4 > b.length) {
            throw new MalformedQuiltException("truncated quilt item");
        }
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    private static int u16(byte[] b, int at, long end) {
        if (at + 2 > end) {
            throw new MalformedQuiltException("patch item ends inside a size field");
        }
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }
}
