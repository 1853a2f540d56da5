package io.tusk.core.encoding;

import io.tusk.core.metadata.BlobMetadata;
import io.tusk.core.rs.ReedSolomonCode;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Rebuilds a sliver from recovery symbols of other nodes: {@code s = n - f} symbols for a primary sliver (decoded
 * with the secondary code), {@code p = n - 2f} for a secondary sliver (the primary code). Traffic is one symbol per
 * source, about {@code |blob| / n} per rebuilt sliver.
 */
public final class SliverRecovery {
    private SliverRecovery() {}

    /** How many symbols rebuild a sliver of this type. */
    public static int symbolsNeeded(EncodingConfig config, SliverType targetType) {
        return Codes.rebuilding(config, targetType).originalCount();
    }

    /**
     * Verifies the given symbols against the metadata, drops those that do not verify or are for another target,
     * decodes the target sliver from the first {@code k} distinct good ones and checks its hash.
     *
     * @throws NotEnoughSliversException if fewer than {@code k} good symbols remain
     * @throws InconsistentEncodingException if the rebuilt sliver does not match the metadata; it carries an
     *         {@link InconsistencyProof} built from exactly the symbols used
     */
    public static Sliver recover(EncodingConfig config, BlobMetadata metadata, SliverType targetType, int targetIndex,
                                 Collection<RecoverySymbol> symbols) {
        int needed = symbolsNeeded(config, targetType);
        boolean[] seen = new boolean[config.shardCount()];
        List<RecoverySymbol> good = new ArrayList<>(needed);
        for (RecoverySymbol symbol : symbols) {
            if (good.size() == needed) {
                break;
            }
            if (symbol.targetType() != targetType || symbol.targetIndex() != targetIndex
                    || symbol.sourceIndex() >= seen.length || seen[symbol.sourceIndex()]) {
                continue;
            }
            try {
                symbol.verify(config, metadata);
            } catch (InvalidSliverException bad) {
                continue; // a Byzantine node's symbol: the caller asks others
            }
            seen[symbol.sourceIndex()] = true;
            good.add(symbol);
        }
        if (good.size() < needed) {
            throw new NotEnoughSliversException("verified recovery symbols to rebuild " + targetType.wireName()
                    + " sliver " + targetIndex, needed, good.size());
        }
        Sliver sliver = decode(config, metadata, targetType, targetIndex, good);
        if (!sliver.computeHash(config).equals(metadata.sliverHash(targetType, targetIndex))) {
            throw new InconsistentEncodingException(new InconsistencyProof(targetType, targetIndex, good));
        }
        return sliver;
    }

    /** Decodes without verifying: the symbols' sources must be distinct and at least {@code k}. */
    static Sliver decode(EncodingConfig config, BlobMetadata metadata, SliverType targetType, int targetIndex,
                         List<RecoverySymbol> symbols) {
        ReedSolomonCode code = Codes.rebuilding(config, targetType);
        int sym = metadata.symbolSize(config);
        byte[][] positions = new byte[config.shardCount()][];
        for (RecoverySymbol symbol : symbols) {
            if (positions[symbol.sourceIndex()] != null) {
                throw new IllegalArgumentException("two symbols from source sliver " + symbol.sourceIndex());
            }
            positions[symbol.sourceIndex()] = symbol.rawData();
        }
        byte[] data = Expansion.decode(code, positions, sym);
        return new Sliver(targetType, targetIndex, sym, data, false);
    }
}
