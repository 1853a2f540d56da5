package io.tusk.core.rs;

import static io.tusk.core.rs.GaloisField.LOG_ZERO;
import static io.tusk.core.rs.GaloisField.SKEW;

/**
 * Lane-parallel arithmetic on a work buffer, plus the additive FFT/IFFT built on it (leopard-rs.md section 3).
 *
 * <p><b>Work buffer layout.</b> A work buffer holds consecutive <i>positions</i> of {@code stride} bytes each.
 * A position is a sequence of units of {@code 2 * unit} bytes: {@code unit} low bytes followed by {@code unit}
 * high bytes, so lane i of a unit is the element {@code lo[i] | hi[i] << 8}. Every operation acts lane by lane,
 * and the lanes of a position are independent, which is why any internal lane order is allowed (section 6).
 * All offsets and lengths are in bytes; lengths are multiples of {@code 2 * unit}.
 *
 * <p>Implementations are stateless and thread-safe.
 */
abstract class Engine {

    /**
     * FFT butterfly over a block: a ^= b * t; b ^= a, where t = EXP[SKEW[skew]] is the twiddle of the block (never
     * zero here: the transforms handle the zero twiddle themselves).
     */
    abstract void fftButterfly(byte[] buf, int a, int b, int len, int unit, int skew);

    /** IFFT butterfly over a block: b ^= a; a ^= b * t, with t as for {@link #fftButterfly}. */
    abstract void ifftButterfly(byte[] buf, int a, int b, int len, int unit, int skew);

    /** x *= EXP[log] for every lane in [off, off + len); log in [0, 65535] (65535 means times 1). */
    abstract void mulLog(byte[] buf, int off, int len, int unit, int log);

    /** buf[dst + i] ^= buf[src + i] for i in [0, len); the ranges do not overlap. */
    abstract void xor(byte[] buf, int dst, int src, int len);

    /** Copies shard blocks into a work position; see {@link Layout#load}. Engines may override with a faster copy. */
    void load(byte[] shard, int length, int block, int blocks, byte[] buf, int off, int unit) {
        Layout.load(shard, length, block, blocks, buf, off, unit);
    }

    /** Copies a work position back into shard blocks; see {@link Layout#store}. */
    void store(byte[] buf, int off, int unit, byte[] shard, int length, int block, int blocks) {
        Layout.store(buf, off, unit, shard, length, block, blocks);
    }

    /** A short name for tests and benchmarks. */
    abstract String name();

    /**
     * Bytes of work data that one group of small layers should occupy: inside the L1 data cache (48 KiB on the
     * reference Zen 5). Tunable with the system property {@code tusk.rs.groupBytes} for experiments.
     */
    static final int L1_GROUP_BYTES = Integer.getInteger("tusk.rs.groupBytes", 32 * 1024);

    /**
     * Positions per cache group: the layers whose blocks fit in such a group are run group by group (all of them
     * on one group before the next), so their data stays in L1 between layers; larger layers run one at a time.
     */
    static int groupPositions(int stride, int size) {
        int g = Integer.highestOneBit(Math.max(2, L1_GROUP_BYTES / stride));
        return Math.min(g, size);
    }

    /**
     * In-place FFT_delta of {@code size} positions starting at byte offset {@code off} (coefficients to evaluations
     * on the coset omega_delta + V_L). Only outputs at positions below {@code truncated} are guaranteed; blocks that
     * start at or beyond it are skipped.
     */
    final void fft(byte[] buf, int off, int stride, int unit, int size, int truncated, int delta) {
        int group = groupPositions(stride, size);
        for (int half = size >>> 1; half >= group; half >>>= 1) {
            fftLayer(buf, off, stride, unit, half, 0, truncated, delta);
        }
        for (int g = 0; g < truncated; g += group) {
            int end = Math.min(g + group, truncated);
            for (int half = group >>> 1; half >= 1; half >>>= 1) {
                fftLayer(buf, off, stride, unit, half, g, end, delta);
            }
        }
    }

    /** One FFT layer over the blocks of half-size {@code half} starting in [from, to). */
    private void fftLayer(byte[] buf, int off, int stride, int unit, int half, int from, int to, int delta) {
        int blockLen = half * stride;
        for (int r = from; r < to; r += 2 * half) {
            int a = off + r * stride;
            int skew = delta + r + half - 1;
            if (SKEW[skew] == LOG_ZERO) {
                xor(buf, a + blockLen, a, blockLen);
            } else {
                fftButterfly(buf, a, a + blockLen, blockLen, unit, skew);
            }
        }
    }

    /**
     * In-place IFFT_delta of {@code size} positions (evaluations to coefficients). Positions at or beyond
     * {@code truncated} must be zero on entry; then the blocks starting there stay zero and are skipped.
     */
    final void ifft(byte[] buf, int off, int stride, int unit, int size, int truncated, int delta) {
        int group = groupPositions(stride, size);
        for (int g = 0; g < truncated; g += group) {
            int end = Math.min(g + group, truncated);
            for (int half = 1; half < group; half <<= 1) {
                ifftLayer(buf, off, stride, unit, half, g, end, delta);
            }
        }
        for (int half = group; half < size; half <<= 1) {
            ifftLayer(buf, off, stride, unit, half, 0, truncated, delta);
        }
    }

    /** One IFFT layer over the blocks of half-size {@code half} starting in [from, to). */
    private void ifftLayer(byte[] buf, int off, int stride, int unit, int half, int from, int to, int delta) {
        int blockLen = half * stride;
        for (int r = from; r < to; r += 2 * half) {
            int a = off + r * stride;
            int skew = delta + r + half - 1;
            if (SKEW[skew] == LOG_ZERO) {
                xor(buf, a + blockLen, a, blockLen);
            } else {
                ifftButterfly(buf, a, a + blockLen, blockLen, unit, skew);
            }
        }
    }

    /**
     * Formal derivative in the novel polynomial basis, in place over {@code size} positions (section 7 step 6):
     * for i = 1..size-1 with d = lowbit(i), positions [i - d, i) ^= positions [i, i + d).
     */
    final void formalDerivative(byte[] buf, int off, int stride, int size) {
        for (int i = 1; i < size; i++) {
            int d = i & -i;
            xor(buf, off + (i - d) * stride, off + i * stride, d * stride);
        }
    }
}
