package io.tusk.core.encoding;

import io.tusk.core.rs.ReedSolomonCode;

/**
 * The two Reed-Solomon codes of RS2 for a committee. The <em>primary code</em> ({@code k = p}, {@code 2f} repair
 * symbols) expands columns, so it rebuilds blobs from primary slivers and expands secondary slivers. The
 * <em>secondary code</em> ({@code k = s}, {@code f} repair symbols) expands rows, so it expands primary slivers.
 */
final class Codes {
    private Codes() {}

    static ReedSolomonCode primary(EncodingConfig config) {
        int p = config.primarySourceSymbols();
        return ReedSolomonCode.of(p, config.shardCount() - p);
    }

    static ReedSolomonCode secondary(EncodingConfig config) {
        int s = config.secondarySourceSymbols();
        return ReedSolomonCode.of(s, config.shardCount() - s);
    }

    /** The code that expands a sliver of this type: a primary sliver (a row) is expanded by the secondary code. */
    static ReedSolomonCode expanding(EncodingConfig config, SliverType sliverType) {
        return sliverType == SliverType.PRIMARY ? secondary(config) : primary(config);
    }

    /** The code whose symbols rebuild a sliver of this type: the same code that expands it. */
    static ReedSolomonCode rebuilding(EncodingConfig config, SliverType sliverType) {
        return expanding(config, sliverType);
    }
}
