package io.tusk.core.rs;

/**
 * The two Leopard code layouts of reed-solomon-simd (leopard-rs.md section 4). They define different codes in
 * multi-chunk cases, so the choice made by {@link ReedSolomonCode#of} is part of the format.
 */
public enum Rate {
    /** Chunk size P = npow2(k): originals at positions 0..k-1, recovery chunks at (q+1)P. */
    LOW,
    /** Chunk size M = npow2(r): recovery at positions 0..r-1, original chunks at (q+1)M. */
    HIGH
}
