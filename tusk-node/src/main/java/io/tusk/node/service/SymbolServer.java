package io.tusk.node.service;

import io.tusk.core.api.ErrorReason;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.RecoverySymbol;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverExpansion;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;
import io.tusk.node.client.SymbolId;
import io.tusk.node.store.NodeStore;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Symbols computed from the node's stored slivers for other nodes to rebuild theirs: recovery symbols with Merkle
 * proofs ({@code GET …/recoverySymbols}) and decoding symbols without ({@code GET …/decodingSymbols}). Each stored
 * sliver is expanded at most once per request. Thread-safe.
 */
public final class SymbolServer {
    private final NodeStore store;
    private final BlobChecks checks;

    SymbolServer(NodeStore store, BlobChecks checks) {
        this.store = store;
        this.checks = checks;
    }

    /** The orthogonal axis a symbol's proof is built from; {@code null} means either. */
    public byte[] recoverySymbols(BlobId blobId, List<SymbolId> ids, SliverType proofAxis) {
        if (ids.isEmpty()) {
            throw new NodeException(ErrorReason.NO_SYMBOLS_SPECIFIED, "no symbol IDs were specified");
        }
        CommitteeView view = checks.knownView();
        EncodingConfig config = view.encodingConfig();
        int n = view.shardCount();
        ExpansionCache cache = new ExpansionCache(blobId, config);
        List<RecoverySymbol> out = new ArrayList<>();
        NodeException last = null;
        for (SymbolId id : new TreeSet<>(ids)) {
            if (id.primary() >= n || id.secondary() >= n) {
                last = new NodeException(ErrorReason.INDEX_OUT_OF_RANGE, "symbol " + id + " is outside the " + n + " shards");
                continue;
            }
            List<SliverType> sources = proofAxis != null ? List.of(proofAxis)
                    : List.of(SliverType.PRIMARY, SliverType.SECONDARY);
            RecoverySymbol symbol = null;
            for (SliverType source : sources) {
                int sourceIndex = source == SliverType.PRIMARY ? id.primary() : id.secondary();
                int targetIndex = source == SliverType.PRIMARY ? id.secondary() : id.primary();
                int pair = source.pairIndex(sourceIndex, n);
                int shard = blobId.shardForPair(pair, n);
                if (!view.owns(shard)) {
                    last = new NodeException(ErrorReason.SYMBOL_NOT_PRESENT_AT_SHARDS, "symbol " + id
                            + " is not present at the shards of this node");
                    continue;
                }
                SliverExpansion expansion = cache.get(shard, source);
                if (expansion == null) {
                    last = new NodeException(ErrorReason.SLIVER_NOT_FOUND, "the " + source.wireName() + " sliver " + sourceIndex
                            + " needed for symbol " + id + " is not stored");
                    continue;
                }
                symbol = expansion.recoverySymbol(targetIndex);
                break;
            }
            if (symbol != null) {
                out.add(symbol);
            }
        }
        if (out.isEmpty()) {
            throw last;
        }
        return writeSymbols(out);
    }

    /**
     * Every symbol this node can supply to rebuild sliver {@code targetIndex} of {@code targetType}: one per shard it
     * holds, computed from that shard's sliver of the other axis, in shard order.
     */
    public byte[] recoverySymbolsForTarget(BlobId blobId, int targetIndex, SliverType targetType, SliverType proofAxis) {
        CommitteeView view = checks.knownView();
        int n = view.shardCount();
        if (proofAxis != null && proofAxis != targetType.orthogonal()) {
            throw new NodeException(ErrorReason.INVALID_FILTER, "symbols for a " + targetType.wireName()
                    + " sliver are proven against " + targetType.orthogonal().wireName() + " slivers, not "
                    + proofAxis.wireName());
        }
        if (targetIndex < 0 || targetIndex >= n) {
            throw new NodeException(ErrorReason.INDEX_OUT_OF_RANGE, "requires 0 <= index (" + targetIndex + ") < " + n);
        }
        SliverType source = targetType.orthogonal();
        ExpansionCache cache = new ExpansionCache(blobId, view.encodingConfig());
        List<RecoverySymbol> out = new ArrayList<>();
        for (int shard : view.ownedShards()) {
            SliverExpansion expansion = cache.get(shard, source);
            if (expansion != null) {
                out.add(expansion.recoverySymbol(targetIndex));
            }
        }
        if (out.isEmpty()) {
            throw new NodeException(ErrorReason.SLIVER_NOT_FOUND, "the node stores no " + source.wireName() + " sliver of the blob");
        }
        return writeSymbols(out);
    }

    private static byte[] writeSymbols(List<RecoverySymbol> symbols) {
        BcsWriter w = new BcsWriter();
        w.uleb128(symbols.size());
        for (RecoverySymbol s : symbols) {
            s.writeBcs(w);
        }
        return w.toByteArray();
    }

    /**
     * {@code GET …/decodingSymbols}: for each requested source sliver of {@code targetType}, the symbols this node's
     * slivers of the other axis hold for it, without proofs. BCS {@code map<u16, vec<EitherDecodingSymbol>>}.
     */
    public byte[] decodingSymbols(BlobId blobId, List<Integer> targetSlivers, SliverType targetType) {
        if (targetSlivers.isEmpty()) {
            throw new NodeException(ErrorReason.NO_TARGET_SLIVERS_SPECIFIED, "no target slivers were specified");
        }
        CommitteeView view = checks.knownView();
        EncodingConfig config = view.encodingConfig();
        // A primary sliver is a row of s source symbols; it is rebuilt from secondary slivers (a column code of s).
        int limit = targetType == SliverType.PRIMARY ? config.primarySourceSymbols() : config.secondarySourceSymbols();
        TreeSet<Integer> targets = new TreeSet<>();
        for (int t : targetSlivers) {
            if (t < 0 || t >= limit) {
                throw new NodeException(ErrorReason.RECOVERY_SYMBOL_OUT_OF_RANGE, "target " + targetType.wireName() + " sliver " + t
                        + " is not a source sliver (< " + limit + ")");
            }
            targets.add(t);
        }
        ExpansionCache cache = new ExpansionCache(blobId, config);
        SliverType source = targetType.orthogonal();
        Map<Integer, List<RecoverySymbol>> found = new HashMap<>();
        for (int t : targets) {
            for (int shard : view.ownedShards()) {
                SliverExpansion expansion = cache.get(shard, source);
                if (expansion != null) {
                    found.computeIfAbsent(t, k -> new ArrayList<>()).add(expansion.recoverySymbol(t));
                }
            }
        }
        if (found.isEmpty()) {
            throw new NodeException(ErrorReason.SLIVER_NOT_FOUND, "the node stores no " + source.wireName() + " sliver of the blob");
        }
        // Map keys in BCS byte order: u16 little-endian, so compare by the low byte first.
        List<Integer> keys = new ArrayList<>(found.keySet());
        keys.sort((a, b) -> {
            int c = Integer.compare(a & 0xFF, b & 0xFF);
            return c != 0 ? c : Integer.compare(a >>> 8, b >>> 8);
        });
        BcsWriter w = new BcsWriter();
        w.uleb128(keys.size());
        for (int key : keys) {
            w.u16(key);
            List<RecoverySymbol> symbols = found.get(key);
            w.uleb128(symbols.size());
            for (RecoverySymbol s : symbols) {
                w.uleb128(targetType.tag());
                w.u16(s.sourceIndex());
                w.bytes(s.data());
            }
        }
        return w.toByteArray();
    }

    /** Parses and expands each stored sliver once per request. */
    private final class ExpansionCache {
        private final BlobId blobId;
        private final EncodingConfig config;
        private final Map<Long, Optional<SliverExpansion>> cache = new HashMap<>();

        ExpansionCache(BlobId blobId, EncodingConfig config) {
            this.blobId = blobId;
            this.config = config;
        }

        SliverExpansion get(int shard, SliverType type) {
            long key = ((long) shard << 1) | type.tag();
            return cache.computeIfAbsent(key, k -> store.sliver(shard, type, blobId)
                    .map(bcs -> new SliverExpansion(config, Sliver.fromBcs(type, bcs)))).orElse(null);
        }
    }
}
