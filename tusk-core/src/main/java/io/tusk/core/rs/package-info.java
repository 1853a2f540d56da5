/**
 * Reed-Solomon erasure code over GF(2^16), byte-identical to the Rust crate reed-solomon-simd 3.1.0 that Walrus
 * uses for RS2 (the Leopard algorithm: additive FFT in the Lin-Chung-Han novel polynomial basis, Cantor-basis
 * field elements). The specification is {@code design/leopard-rs.md}; section numbers in comments refer to it.
 *
 * <h2>Pieces</h2>
 * <ul>
 *   <li>{@link io.tusk.core.rs.GaloisField}: field tables (LOG, EXP, SKEW) and scalar arithmetic.</li>
 *   <li>{@link io.tusk.core.rs.ReedSolomonCode}: one (k, r) code, its rate ({@link io.tusk.core.rs.Rate}), encoding
 *       and reconstruction, including the shard byte layout of section 6.</li>
 *   <li>{@code Engine}: lane-parallel butterflies on a work buffer and the FFT/IFFT/formal derivative built on
 *       them; {@code ScalarEngine} (reference, LOG/EXP per lane) and {@code VectorEngine} (Vector API table
 *       lookups). {@code Kernel} selects one; tests run all of them and compare byte for byte.</li>
 *   <li>{@code ErasureLocator}: logs of the erasure-locator values via Walsh-Hadamard transforms (section 7).</li>
 * </ul>
 *
 * <h2>How the work is laid out</h2>
 * Every operation is lane-wise, so a call splits the shards' 64-byte blocks into <i>stripes</i> sized so that the
 * work buffer (positions x stride bytes) stays in L2. Within a stripe a position holds 128-byte units of 64 low
 * bytes then 64 high bytes, so one 512-bit vector holds one byte of 64 lanes. Transform layers whose blocks fit in
 * L1 run group by group. The decoder reads only k shards and, for the low rate, sizes its transforms to the
 * positions it uses.
 *
 * <p>Runtime requirements: {@code --add-modules jdk.incubator.vector}; without it the scalar engine is used. The
 * fast two-vector lookup needs JDK 24+ and 512-bit vectors; otherwise a 16-entry-table variant runs. System property
 * {@code tusk.rs.kernel} = auto | scalar | vector | vector_nibble overrides the choice.
 */
package io.tusk.core.rs;
