package io.tusk.spaces.tree;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.quilt.QuiltPatchId;

import java.util.Objects;

/**
 * Where stored bytes live: bytes {@code [offset, offset + length)} of the quilt patch in columns
 * {@code [startColumn, endColumn)} of the pack (quilt blob) {@code pack}. In BCS:
 * <pre>
 * struct Location { pack: Option&lt;[u8; 32]&gt;, start_column: u16, end_column: u16, offset: u32, length: u32 }
 * </pre>
 * A location written inside a pack (a node, or an entry in a node) leaves {@code pack} out when it is that same pack:
 * what a commit writes cannot name its own pack, whose blob ID depends on it. Reading fills the pack back in, so in
 * memory {@code pack} is always set, except for the {@link #PENDING} pack of a commit being built.
 */
public record Location(BlobId pack, int startColumn, int endColumn, int offset, int length) {
    /** Bytes of a location's BCS when the pack is left out; add 32 when it is written. */
    public static final int WIRE_BYTES_SAME_PACK = 1 + 2 + 2 + 4 + 4;

    public Location {
        if (startColumn < 0 || endColumn <= startColumn || endColumn > 0xFFFF || offset < 0 || length < 0) {
            throw new IllegalArgumentException("bad location: columns [" + startColumn + ", " + endColumn + "), offset "
                    + offset + ", length " + length);
        }
    }

    /** The ID of the quilt patch holding the bytes. */
    public QuiltPatchId patchId() {
        return new QuiltPatchId(Objects.requireNonNull(pack, "pending location has no pack yet"), startColumn, endColumn);
    }

    /** A location in the pack being written: its pack is left out on the wire. */
    public static Location inNewPack(int startColumn, int endColumn, int offset, int length) {
        return new Location(null, startColumn, endColumn, offset, length);
    }

    public boolean inNewPack() {
        return pack == null;
    }

    public void write(BcsWriter out) {
        if (pack == null) {
            out.u8(0);
        } else {
            out.u8(1).fixedBytes(pack.bytes());
        }
        out.u16(startColumn).u16(endColumn).u32(offset).u32(length);
    }

    /** Reads a location written inside {@code contextPack} (which fills in a left-out pack). */
    public static Location read(BcsReader in, BlobId contextPack) {
        boolean present = in.bool();
        BlobId pack = present ? BlobId.of(in.fixedBytes(BlobId.LENGTH)) : contextPack;
        int start = in.u16();
        int end = in.u16();
        long offset = in.u32();
        long length = in.u32();
        if (pack == null) {
            throw new IllegalArgumentException("a location leaves its pack out where there is no pack");
        }
        if (offset > Integer.MAX_VALUE || length > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("location offset " + offset + " or length " + length + " exceeds 2^31");
        }
        return new Location(pack, start, end, (int) offset, (int) length);
    }

    /** A placeholder of the right wire size for a location in the new pack, for sizing before the layout is known. */
    public static final Location PLACEHOLDER = inNewPack(0, 1, 0, 0);
}
