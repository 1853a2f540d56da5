package io.tusk.core.encoding;

import io.tusk.core.Bft;

/**
 * Every RS2 size derived from the number of shards {@code n}: {@code f}, the {@code p = n - 2f} primary and
 * {@code s = n - f} secondary source symbols, symbol sizes, the largest blob and the encoded size Walrus prices by.
 *
 * <p>The message matrix of a blob has {@code p} rows and {@code s} columns of symbols. Primary slivers are its rows
 * (expanded to {@code n} rows by the primary code, {@code k = p}); secondary slivers are its columns (expanded to
 * {@code n} columns by the secondary code, {@code k = s}).
 */
public record EncodingConfig(int shardCount) {
    /** Walrus needs {@code f >= 1}, so at least 4 shards; sliver indices are u16. */
    public static final int MIN_SHARDS = 4;
    public static final int MAX_SHARDS = 65_535;
    /** The largest symbol: u16::MAX - 1, the largest even value a u16 holds. */
    public static final int MAX_SYMBOL_SIZE = 65_534;
    /** Symbols hold GF(2^16) elements, so their size is even. */
    public static final int SYMBOL_ALIGNMENT = 2;
    /** Bytes of metadata per shard that Walrus prices: a 64-byte hash pair per sliver pair plus a 32-byte ID. */
    private static final int METADATA_BYTES_PER_PAIR = 64;
    private static final int METADATA_FIXED_BYTES = 32;

    public EncodingConfig {
        if (shardCount < MIN_SHARDS || shardCount > MAX_SHARDS) {
            throw new IllegalArgumentException("shard count must be between " + MIN_SHARDS + " and " + MAX_SHARDS
                    + " (RS2 needs at least one faulty shard to tolerate), got " + shardCount);
        }
    }

    /** {@code f = floor((n-1)/3)}. */
    public int maxFaulty() {
        return Bft.maxFaulty(shardCount);
    }

    /** {@code p = n - 2f}: rows of the message matrix, symbols per secondary sliver. */
    public int primarySourceSymbols() {
        return shardCount - 2 * maxFaulty();
    }

    /** {@code s = n - f}: columns of the message matrix, symbols per primary sliver. */
    public int secondarySourceSymbols() {
        return shardCount - maxFaulty();
    }

    /** Source symbols of the whole matrix, {@code p * s}. */
    public long sourceSymbolCount() {
        return (long) primarySourceSymbols() * secondarySourceSymbols();
    }

    /** Source symbols of a sliver of this type's code: {@code p} rebuilds a blob or a secondary sliver, {@code s} a primary. */
    public int sourceSymbols(SliverType codeOf) {
        return codeOf == SliverType.PRIMARY ? primarySourceSymbols() : secondarySourceSymbols();
    }

    /** Symbols in one sliver of this type: {@code s} for a primary sliver (a row), {@code p} for a secondary (a column). */
    public int symbolsPerSliver(SliverType type) {
        return type == SliverType.PRIMARY ? secondarySourceSymbols() : primarySourceSymbols();
    }

    /** The largest blob: {@code p * s * 65534} bytes (14,599,533,452 for 1000 shards). */
    public long maxBlobSize() {
        return sourceSymbolCount() * MAX_SYMBOL_SIZE;
    }

    /**
     * The symbol size for a blob: {@code ceil(max(length, 1) / (p*s))} rounded up to an even number.
     *
     * @throws BlobTooLargeException if the blob needs symbols larger than 65534 bytes
     */
    public int symbolSize(long blobLength) {
        if (blobLength < 0) {
            throw new IllegalArgumentException("blob length must not be negative, got " + blobLength);
        }
        if (blobLength > maxBlobSize()) {
            throw new BlobTooLargeException(blobLength, maxBlobSize(), shardCount);
        }
        long k = sourceSymbolCount();
        long size = (Math.max(blobLength, 1) + k - 1) / k;
        size += size % SYMBOL_ALIGNMENT;
        return (int) size;
    }

    /** Bytes of one sliver of the given type for a blob of this length. */
    public int sliverSize(SliverType type, long blobLength) {
        return symbolsPerSliver(type) * symbolSize(blobLength);
    }

    /**
     * The size Walrus charges storage for: {@code n * ((p + s) * symbol + n * 64 + 32)}, every sliver pair plus the
     * metadata that every shard keeps. 66,034,000 for any blob up to 445,556 bytes at 1000 shards.
     */
    public long encodedSize(long blobLength) {
        long perShard = (long) (primarySourceSymbols() + secondarySourceSymbols()) * symbolSize(blobLength)
                + (long) shardCount * METADATA_BYTES_PER_PAIR + METADATA_FIXED_BYTES;
        return shardCount * perShard;
    }
}
