package io.tusk.core.quilt;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.encoding.EncodingConfig;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The index of a Quilt V1 (Walrus {@code QuiltIndexV1}): its patches in quilt order, each with its column range.
 *
 * <p>BCS: ULEB128(patch count) ‖ for each patch: end_index u16 LE ‖ identifier (BCS string) ‖ tags (BCS map). The
 * start index is not stored: the first patch starts right after the index's own columns, each later one where the
 * previous one ends. In the quilt the index is stored as the <em>index item</em>
 * {@code 0x01 ‖ u32 LE |BCS| ‖ BCS} from the top of column 0.
 *
 * <p>Reading ({@link #fromBcs}) is strict about structure: canonical ULEB128s and tag maps, valid UTF-8, non-empty
 * and unique identifiers, non-empty contiguous column ranges within the quilt, no trailing bytes. It does not
 * enforce the writer-side identifier rules (trailing whitespace, control characters), which the TypeScript SDK does
 * not check either, nor identifier order, because that SDK sorts by UTF-16 code units and so may write a different
 * order than Rust and Tusk for identifiers mixing characters above U+FFFF with ones in U+E000–U+FFFF.
 */
public record QuiltIndex(List<QuiltPatchInfo> patches) {
    /** Version byte of the index item and of each patch item. */
    public static final int QUILT_VERSION_V1 = 1;
    /** The index item's prefix: version byte and u32 length. */
    public static final int INDEX_PREFIX_BYTES = 5;
    /** The index may span at most this many columns. */
    public static final int MAX_INDEX_COLUMNS = 10;

    public QuiltIndex {
        patches = List.copyOf(patches);
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < patches.size(); i++) {
            QuiltPatchInfo patch = patches.get(i);
            if (!seen.add(patch.identifier())) {
                throw new DuplicateIdentifierException(patch.identifier());
            }
            if (i > 0 && patch.startIndex() != patches.get(i - 1).endIndex()) {
                throw new MalformedQuiltException("patch " + i + " starts at column " + patch.startIndex()
                        + " but patch " + (i - 1) + " ends at " + patches.get(i - 1).endIndex());
            }
        }
    }

    /** The patch with this identifier, if any. */
    public Optional<QuiltPatchInfo> find(String identifier) {
        return patches.stream().filter(p -> p.identifier().equals(identifier)).findFirst();
    }

    /** The first column after the index (where patch 0 starts), or null for an index without patches. */
    public Integer firstPatchColumn() {
        return patches.isEmpty() ? null : patches.getFirst().startIndex();
    }

    /** BCS QuiltIndexV1. */
    public byte[] toBcs() {
        BcsWriter w = new BcsWriter();
        w.uleb128(patches.size());
        for (QuiltPatchInfo patch : patches) {
            w.u16(patch.endIndex());
            w.string(patch.identifier());
            QuiltTags.write(w, patch.tags());
        }
        return w.toByteArray();
    }

    /** The index item stored from the top of column 0: {@code 0x01 ‖ u32 LE |BCS| ‖ BCS}. */
    public byte[] toItem() {
        byte[] bcs = toBcs();
        return new BcsWriter(INDEX_PREFIX_BYTES + bcs.length).u8(QUILT_VERSION_V1).u32(bcs.length).fixedBytes(bcs).toByteArray();
    }

    /**
     * Parses BCS QuiltIndexV1, strictly.
     *
     * @param firstPatchColumn the number of columns the index item takes (where patch 0 starts)
     * @param config           the quilt's encoding: column ranges must lie within its {@code s} columns
     * @throws MalformedQuiltException (or a subclass of {@link QuiltException}) if the bytes are not a valid index
     */
    public static QuiltIndex fromBcs(byte[] bcs, int firstPatchColumn, EncodingConfig config) {
        int columns = config.secondarySourceSymbols();
        try {
            BcsReader r = new BcsReader(bcs);
            int count = r.length(columns - 1, "quilt patch list");
            List<QuiltPatchInfo> patches = new java.util.ArrayList<>(count);
            int start = firstPatchColumn;
            for (int i = 0; i < count; i++) {
                int end = r.u16();
                String identifier = r.string(QuiltIdentifiers.MAX_IDENTIFIER_BYTES);
                var tags = QuiltTags.read(r);
                if (end <= start || end > columns) {
                    throw new MalformedQuiltException("quilt index: patch " + i + " ('"
                            + QuiltIdentifiers.printable(identifier) + "') has column range [" + start + ", " + end
                            + ") in a quilt of " + columns + " columns");
                }
                patches.add(new QuiltPatchInfo(identifier, tags, start, end));
                start = end;
            }
            r.expectEnd();
            return new QuiltIndex(patches);
        } catch (QuiltException e) {
            throw e;
        } catch (IllegalArgumentException e) { // BcsException and friends
            throw new MalformedQuiltException("quilt index: " + e.getMessage());
        }
    }
}
