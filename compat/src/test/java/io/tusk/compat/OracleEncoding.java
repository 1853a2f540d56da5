package io.tusk.compat;

import java.util.List;
import java.util.Objects;

/**
 * The result of the oracle's {@code encode}: metadata plus every sliver as BCS {@code SliverData}
 * (ULEB128 length ‖ sliver bytes ‖ symbol size u16 LE ‖ sliver index u16 LE).
 *
 * <p>Buffers are kept in the oracle's order, by <em>pair</em> index q: {@code primaryBuffers.get(q)} is primary
 * sliver q and {@code secondaryBuffers.get(q)} is secondary sliver n-1-q. Use {@link #primarySliverData(int)}
 * and {@link #secondarySliverData(int)} to look slivers up by sliver index.
 *
 * @param shardCount             n
 * @param symbolSize             bytes per symbol
 * @param primarySourceSymbols   p (symbols per secondary sliver)
 * @param secondarySourceSymbols s (symbols per primary sliver)
 */
public record OracleEncoding(
        OracleMetadata metadata,
        int shardCount,
        int symbolSize,
        int primarySourceSymbols,
        int secondarySourceSymbols,
        List<byte[]> primaryBuffers,
        List<byte[]> secondaryBuffers) {

    public OracleEncoding {
        Objects.requireNonNull(metadata, "metadata");
        primaryBuffers = List.copyOf(primaryBuffers);
        secondaryBuffers = List.copyOf(secondaryBuffers);
        if (primaryBuffers.size() != shardCount || secondaryBuffers.size() != shardCount) {
            throw new IllegalArgumentException("shardCount=" + shardCount + " primaryBuffers="
                    + primaryBuffers.size() + " secondaryBuffers=" + secondaryBuffers.size());
        }
    }

    /** BCS SliverData of primary sliver {@code sliverIndex} (= pair {@code sliverIndex}). */
    public byte[] primarySliverData(int sliverIndex) {
        return primaryBuffers.get(sliverIndex);
    }

    /** BCS SliverData of secondary sliver {@code sliverIndex} (held by pair n-1-sliverIndex). */
    public byte[] secondarySliverData(int sliverIndex) {
        return secondaryBuffers.get(shardCount - 1 - sliverIndex);
    }
}
