package io.tusk.core.encoding;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.metadata.BlobMetadata;

import java.util.Arrays;

/**
 * A BCS {@code SliverData} read in place: its symbols stay in the array they arrived in. A node checks the body of a
 * sliver upload and stores it as it came, so {@link Sliver#fromBcs} would copy the symbols (megabytes per sliver of a
 * large blob; 7-13 % of a devnet's Java samples while it took 128 MiB stores) only to hash them and drop the copy.
 *
 * <p>The array is held, not copied: the caller must not change it while this is in use. Immutable otherwise.
 */
public final class SliverBcs {
    private final SliverType type;
    private final int index;
    private final int symbolSize;
    private final byte[] bcs;
    private final int dataOffset;
    private final int dataLength;

    private SliverBcs(SliverType type, int index, int symbolSize, byte[] bcs, int dataOffset, int dataLength) {
        this.type = type;
        this.index = index;
        this.symbolSize = symbolSize;
        this.bcs = bcs;
        this.dataOffset = dataOffset;
        this.dataLength = dataLength;
    }

    /**
     * Reads the whole of {@code bcs} as a {@code SliverData} of {@code type}, refused exactly as {@link Sliver#fromBcs}
     * refuses it.
     *
     * @throws io.tusk.core.bcs.BcsException if the bytes are not one BCS {@code SliverData}
     * @throws InvalidSliverException        if its symbol size, length or index cannot be a sliver's
     */
    public static SliverBcs parse(SliverType type, byte[] bcs) {
        BcsReader r = new BcsReader(bcs);
        int length = r.length(Sliver.MAX_SLIVER_BYTES, "vec<u8>");
        int offset = r.skip(length, "vec<u8>");
        int symbolSize = r.u16();
        int index = r.u16();
        r.expectEnd();
        Sliver.checkHeader(type, index, symbolSize, length);
        return new SliverBcs(type, index, symbolSize, bcs, offset, length);
    }

    public SliverType type() {
        return type;
    }

    /** The sliver index (not the pair index). */
    public int index() {
        return index;
    }

    public int symbolSize() {
        return symbolSize;
    }

    /** The bytes parsed, not a copy: callers must not modify them. */
    public byte[] bcs() {
        return bcs;
    }

    /**
     * {@link Sliver#verify}, on the symbols where they lie.
     *
     * @throws InvalidSliverException naming what is wrong
     */
    public SliverBcs verify(EncodingConfig config, BlobMetadata metadata) {
        Sliver.verify(config, metadata, type, index, symbolSize, bcs, dataOffset, dataLength);
        return this;
    }

    /** The sliver, its symbols copied out. */
    public Sliver toSliver() {
        return new Sliver(type, index, symbolSize, Arrays.copyOfRange(bcs, dataOffset, dataOffset + dataLength), true);
    }
}
