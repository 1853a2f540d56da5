package io.tusk.core.encoding;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.merkle.MerkleNode;
import io.tusk.core.metadata.BlobMetadata;

import java.util.List;

/**
 * Evidence that a blob was encoded inconsistently: exactly the number of recovery symbols the code needs for one
 * target sliver, each proven against the metadata, which decode to a sliver whose hash differs from the metadata's.
 * Anyone holding the verified metadata can check it; nodes attest to valid proofs and the blob is marked invalid.
 *
 * <p>BCS (Walrus {@code InconsistencyProof<axis>}): {@code targetIndex u16 || vec<RecoverySymbol>} in the axis-typed
 * symbol form; the axis is the URL path's {@code sliver_type}.
 */
public record InconsistencyProof(SliverType targetType, int targetIndex, List<RecoverySymbol> symbols) {
    /** No code needs more symbols than there are shards. */
    private static final int MAX_SYMBOLS = EncodingConfig.MAX_SHARDS;

    public InconsistencyProof {
        symbols = List.copyOf(symbols);
        for (RecoverySymbol symbol : symbols) {
            if (symbol.targetType() != targetType || symbol.targetIndex() != targetIndex) {
                throw new IllegalArgumentException(symbol + " is not for " + targetType.wireName() + " sliver " + targetIndex);
            }
        }
    }

    /**
     * True if the proof shows an inconsistency: every symbol verifies, the sources are distinct and exactly as many
     * as the code needs, and they decode to a sliver whose hash is not the one in the metadata.
     */
    public boolean verify(EncodingConfig config, BlobMetadata metadata) {
        if (targetIndex >= config.shardCount()) {
            return false;
        }
        int needed = Codes.rebuilding(config, targetType).originalCount();
        if (symbols.size() != needed) {
            return false;
        }
        try {
            for (RecoverySymbol symbol : symbols) {
                symbol.verify(config, metadata);
            }
            Sliver decoded = SliverRecovery.decode(config, metadata, targetType, targetIndex, symbols);
            MerkleNode expected = metadata.sliverHash(targetType, targetIndex);
            return !decoded.computeHash(config).equals(expected);
        } catch (IllegalArgumentException invalid) {
            return false; // a symbol that does not verify, or repeated sources: not a proof
        }
    }

    public byte[] toBcs() {
        BcsWriter w = new BcsWriter();
        w.u16(targetIndex);
        w.uleb128(symbols.size());
        for (RecoverySymbol symbol : symbols) {
            symbol.writeTypedBcs(w);
        }
        return w.toByteArray();
    }

    public static InconsistencyProof fromBcs(SliverType targetType, byte[] bcs) {
        BcsReader r = new BcsReader(bcs);
        int target = r.u16();
        int count = (int) r.uleb128(MAX_SYMBOLS);
        RecoverySymbol[] symbols = new RecoverySymbol[count];
        for (int i = 0; i < count; i++) {
            symbols[i] = RecoverySymbol.readTypedBcs(r, targetType, target);
        }
        r.expectEnd();
        return new InconsistencyProof(targetType, target, List.of(symbols));
    }
}
