package io.tusk.core.encoding;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.merkle.MerkleNode;
import io.tusk.core.metadata.BlobMetadata;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One sliver: a row (primary, {@code s} symbols) or a column (secondary, {@code p} symbols) of a blob's expanded
 * matrix, with its <em>sliver</em> index (primary {@code q} and secondary {@code n-1-q} form pair {@code q}).
 *
 * <p>BCS (Walrus {@code SliverData}): {@code ULEB(len) || bytes || symbolSize u16 LE || index u16 LE}. The type is
 * not in the bytes; it comes from the URL path or the enclosing enum. Instances are immutable; {@link #data()} copies.
 */
public final class Sliver {
    /** Walrus's node body limit allows the largest primary sliver, 667 x 65534 bytes, plus headroom. */
    public static final int MAX_SLIVER_BYTES = 64 * 1024 * 1024;

    private final SliverType type;
    private final int index;
    private final int symbolSize;
    private final byte[] data;

    public Sliver(SliverType type, int index, int symbolSize, byte[] data) {
        this(type, index, symbolSize, data.clone(), true);
    }

    /** Takes ownership of {@code data} without copying: for the encoder and decoder only. */
    Sliver(SliverType type, int index, int symbolSize, byte[] data, boolean validate) {
        checkHeader(type, index, symbolSize, data.length);
        this.type = type;
        this.index = index;
        this.symbolSize = symbolSize;
        this.data = data;
    }

    public SliverType type() {
        return type;
    }

    /** The sliver index (not the pair index). */
    public int index() {
        return index;
    }

    /** The sliver pair this sliver belongs to in a committee of {@code n} shards. */
    public int pairIndex(int shardCount) {
        return type.pairIndex(index, shardCount);
    }

    public int symbolSize() {
        return symbolSize;
    }

    public int symbolCount() {
        return data.length / symbolSize;
    }

    public int length() {
        return data.length;
    }

    public byte[] data() {
        return data.clone();
    }

    /** The bytes without a copy; callers must not modify them. */
    byte[] rawData() {
        return data;
    }

    /**
     * The sliver's full expansion: its {@code k} symbols followed by the {@code n - k} repair symbols of the
     * orthogonal code ({@code n * symbolSize} bytes). Cell {@code j} of a primary sliver {@code i}'s expansion is
     * cell {@code (i, j)} of the blob's expanded matrix.
     */
    public byte[] expand(EncodingConfig config) {
        checkShape(config);
        return Expansion.expand(config, type, data, symbolSize);
    }

    /** The Merkle root over the cells of the full expansion: what the metadata records for this sliver. */
    public MerkleNode computeHash(EncodingConfig config) {
        checkShape(config);
        return MerkleNode.digest(Expansion.merkleRoot(config, type, data, 0, symbolSize));
    }

    /**
     * Checks this sliver against verified metadata: index in range, the blob's symbol size, the right number of
     * symbols and the hash recorded for it.
     *
     * @throws InvalidSliverException naming what is wrong
     */
    public Sliver verify(EncodingConfig config, BlobMetadata metadata) {
        verify(config, metadata, type, index, symbolSize, data, 0, data.length);
        return this;
    }

    /** {@link #verify} of a sliver whose symbols are {@code data[offset, offset + length)} (see {@link SliverBcs}). */
    static void verify(EncodingConfig config, BlobMetadata metadata, SliverType type, int index, int symbolSize,
                       byte[] data, int offset, int length) {
        checkShape(config, type, index, length / symbolSize);
        int expectedSymbol = metadata.symbolSize(config);
        if (symbolSize != expectedSymbol) {
            throw new InvalidSliverException(describe(type, index) + ": symbol size " + symbolSize + ", the blob's is "
                    + expectedSymbol);
        }
        MerkleNode expected = metadata.sliverHash(type, index);
        MerkleNode actual = MerkleNode.digest(Expansion.merkleRoot(config, type, data, offset, symbolSize));
        if (!expected.equals(actual)) {
            throw new InvalidSliverException(describe(type, index) + ": hash " + actual + " does not match the metadata's "
                    + expected);
        }
    }

    /** The checks of a sliver's own fields, whatever the committee: a valid symbol size, whole symbols, a u16 index. */
    static void checkHeader(SliverType type, int index, int symbolSize, int length) {
        if (symbolSize <= 0 || symbolSize > EncodingConfig.MAX_SYMBOL_SIZE || symbolSize % EncodingConfig.SYMBOL_ALIGNMENT != 0) {
            throw new InvalidSliverException(type + " sliver " + index + ": symbol size must be even and in [2, "
                    + EncodingConfig.MAX_SYMBOL_SIZE + "], got " + symbolSize);
        }
        if (length % symbolSize != 0) {
            throw new InvalidSliverException(type + " sliver " + index + ": " + length
                    + " bytes is not a whole number of " + symbolSize + "-byte symbols");
        }
        if (index < 0 || index > EncodingConfig.MAX_SHARDS) {
            throw new InvalidSliverException(type + " sliver index must be a u16, got " + index);
        }
    }

    /**
     * {@link #verify} of many slivers of one blob at once: the same checks, with the hashes of the slivers that pass
     * the others computed together ({@link Expansion#merkleRoots}), which costs a fraction of one check per sliver for
     * small symbols. Each sliver that fails is passed to {@code refused} with the exception {@link #verify} throws.
     *
     * @return the slivers that verify, in their order in {@code slivers}
     */
    public static List<Sliver> verifyAll(EncodingConfig config, BlobMetadata metadata, List<Sliver> slivers,
                                         Consumer<InvalidSliverException> refused) {
        int expectedSymbol = metadata.symbolSize(config);
        Map<SliverType, List<Sliver>> byType = new EnumMap<>(SliverType.class);
        for (Sliver sliver : slivers) {
            try {
                sliver.checkShape(config);
                if (sliver.symbolSize != expectedSymbol) {
                    throw new InvalidSliverException(sliver.describe() + ": symbol size " + sliver.symbolSize
                            + ", the blob's is " + expectedSymbol);
                }
                byType.computeIfAbsent(sliver.type, t -> new ArrayList<>()).add(sliver);
            } catch (InvalidSliverException e) {
                refused.accept(e);
            }
        }
        Set<Sliver> good = Collections.newSetFromMap(new IdentityHashMap<>());
        byType.forEach((type, ofType) -> {
            byte[][] roots = Expansion.merkleRoots(config, type, ofType.stream().map(x -> x.data).toList(), expectedSymbol);
            for (int i = 0; i < roots.length; i++) {
                Sliver sliver = ofType.get(i);
                MerkleNode expected = metadata.sliverHash(type, sliver.index);
                MerkleNode actual = MerkleNode.digest(roots[i]);
                if (expected.equals(actual)) {
                    good.add(sliver);
                } else {
                    refused.accept(new InvalidSliverException(sliver.describe() + ": hash " + actual
                            + " does not match the metadata's " + expected));
                }
            }
        });
        return slivers.stream().filter(good::contains).toList();
    }

    private void checkShape(EncodingConfig config) {
        checkShape(config, type, index, symbolCount());
    }

    private static void checkShape(EncodingConfig config, SliverType type, int index, int symbolCount) {
        if (index >= config.shardCount()) {
            throw new InvalidSliverException(describe(type, index) + ": index out of range for " + config.shardCount()
                    + " shards");
        }
        int expectedSymbols = config.symbolsPerSliver(type);
        if (symbolCount != expectedSymbols) {
            throw new InvalidSliverException(describe(type, index) + ": has " + symbolCount + " symbols, a "
                    + type.wireName() + " sliver of " + config.shardCount() + " shards has " + expectedSymbols);
        }
    }

    private String describe() {
        return describe(type, index);
    }

    private static String describe(SliverType type, int index) {
        return type.wireName() + " sliver " + index;
    }

    public byte[] toBcs() {
        BcsWriter w = new BcsWriter(BcsWriter.uleb128Size(data.length) + data.length + 4);
        writeBcs(w);
        return w.finish();
    }

    /**
     * The BCS bytes as three read-only buffers (length prefix, symbols, symbol size and index) over this sliver's own
     * array: for senders that must not copy megabytes per request.
     */
    public java.nio.ByteBuffer[] bcsBuffers() {
        BcsWriter prefix = new BcsWriter(BcsWriter.uleb128Size(data.length));
        prefix.uleb128(data.length);
        BcsWriter suffix = new BcsWriter(4);
        suffix.u16(symbolSize);
        suffix.u16(index);
        return new java.nio.ByteBuffer[] {java.nio.ByteBuffer.wrap(prefix.finish()).asReadOnlyBuffer(),
                java.nio.ByteBuffer.wrap(data).asReadOnlyBuffer(), java.nio.ByteBuffer.wrap(suffix.finish()).asReadOnlyBuffer()};
    }

    public void writeBcs(BcsWriter w) {
        w.bytes(data);
        w.u16(symbolSize);
        w.u16(index);
    }

    /** Parses a BCS {@code SliverData}; the whole input must be consumed. */
    public static Sliver fromBcs(SliverType type, byte[] bcs) {
        BcsReader r = new BcsReader(bcs);
        Sliver sliver = readBcs(type, r);
        r.expectEnd();
        return sliver;
    }

    public static Sliver readBcs(SliverType type, BcsReader r) {
        byte[] data = r.bytes(MAX_SLIVER_BYTES);
        int symbolSize = r.u16();
        int index = r.u16();
        return new Sliver(type, index, symbolSize, data, true);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Sliver s && s.type == type && s.index == index && s.symbolSize == symbolSize
                && Arrays.equals(s.data, data);
    }

    @Override
    public int hashCode() {
        return (type.hashCode() * 31 + index) * 31 + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "Sliver[" + type.wireName() + " " + index + ", " + symbolCount() + " x " + symbolSize + " B]";
    }
}
