package io.tusk.core.rs;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.Vector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD engine on the Vector API. Multiplying a lane by a constant t is GF(2)-linear in its 16 bits, so each
 * output byte is an XOR of table lookups on pieces of the input bits. Two variants:
 *
 * <ul>
 *   <li><b>nibble</b> (any species of 16, 32 or 64 byte lanes): four 16-entry tables per output byte, one per input
 *       nibble (leopard-rs.md section 10 item 9), 8 {@code selectFrom} lookups per vector. Tables: 128 bytes for each
 *       of the 65536 logs (8 MiB), built on first use.</li>
 *   <li><b>wide</b> (64 byte lanes, e.g. AVX-512 with VBMI): per output byte, two 128-entry two-vector lookups on
 *       the low 7 bits of each input byte plus a masked XOR of a constant for each input byte's top bit, so 4
 *       lookups per vector. Tables: 576 bytes per twiddle, indexed by the skew index the transforms use (only
 *       indices below the largest one seen are built; about 1 MiB for Walrus's 1000-shard codes).</li>
 * </ul>
 *
 * <p>{@link #mulLog} (used by the decoder for arbitrary constants) always uses the nibble tables. The wide variant
 * only runs with 64-lane units (one vector per unit half), which is the only unit size it is given.
 */
final class VectorEngine extends Engine {
    static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** 32 bytes: half a 64-byte shard block. */
    private static final VectorSpecies<Byte> HALF = ByteVector.SPECIES_256;
    /** The nibble-table variant. */
    static final VectorEngine NIBBLE = new VectorEngine(false);
    /**
     * {@code ByteVector.selectFrom(Vector, Vector)} (JDK 24+). The code is compiled for Java 21, whose API lacks it,
     * so it is bound at run time; a constant method handle is inlined by the JIT like a direct call.
     */
    private static final MethodHandle SELECT_FROM_TWO = findSelectFromTwo();
    /** The wide-table variant, or null when the species is not 64 bytes or the JDK lacks two-vector selectFrom. */
    static final VectorEngine WIDE = LANES == 64 && SELECT_FROM_TWO != null ? new VectorEngine(true) : null;

    /** Bytes of wide tables per skew index: four 128-entry tables, then the four top-bit constants. */
    private static final int WIDE_RECORD = 576;
    /** Wide tables for skew indices [0, wideTables.length / WIDE_RECORD); replaced (never mutated) when grown. */
    private static volatile byte[] wideTables = new byte[0];

    private final boolean wide;

    private VectorEngine(boolean wide) {
        this.wide = wide;
    }

    private static MethodHandle findSelectFromTwo() {
        try {
            return MethodHandles.publicLookup().findVirtual(ByteVector.class, "selectFrom",
                    MethodType.methodType(ByteVector.class, Vector.class, Vector.class));
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    /** table[index & 127] lane by lane, the table being the 128 lanes of t0 then t1. */
    @SuppressWarnings("unchecked")
    private static ByteVector lookup128(ByteVector index, ByteVector t0, ByteVector t1) {
        try {
            return (ByteVector) SELECT_FROM_TWO.invokeExact(index, (Vector) t0, (Vector) t1);
        } catch (Throwable e) {
            throw new IllegalStateException("two-vector selectFrom failed", e);
        }
    }

    /** Whether this engine can run here (a species of at least 16 byte lanes dividing 64). */
    static boolean supported() {
        return LANES >= 16 && 64 % LANES == 0;
    }

    /** The fastest supported variant. */
    static VectorEngine best() {
        return WIDE != null ? WIDE : NIBBLE;
    }

    /** Nibble tables, built on first use (8 MiB). */
    private static final class NibbleTables {
        /**
         * TABLES[128 * log + 16 * n + v] = low byte of (v << 4n) * EXP[log], TABLES[128 * log + 64 + 16 * n + v] =
         * its high byte, for n in 0..3 and v in 0..15; log 65535 is treated as 0 (times 1). Padded so a full-species
         * load at the last table stays in bounds.
         */
        static final byte[] TABLES = buildNibbleTables();
    }

    private static byte[] wideTables(int skew) {
        byte[] t = wideTables;
        if ((skew + 1) * WIDE_RECORD > t.length) {
            t = growWideTables(skew);
        }
        return t;
    }

    private static synchronized byte[] growWideTables(int skew) {
        byte[] old = wideTables;
        int have = old.length / WIDE_RECORD;
        if (skew < have) {
            return old;
        }
        int count = Math.min(GaloisField.MODULUS, Math.max(skew + 1, Math.max(2 * have, 1024)));
        byte[] t = java.util.Arrays.copyOf(old, count * WIDE_RECORD);
        for (int j = have; j < count; j++) {
            int log = GaloisField.SKEW[j];
            if (log == GaloisField.LOG_ZERO) {
                continue; // zero twiddle: the transforms never multiply
            }
            int base = j * WIDE_RECORD;
            for (int v = 0; v < 128; v++) {
                int fromLow = GaloisField.mulLogUnchecked(v, log);
                int fromHigh = GaloisField.mulLogUnchecked(v << 8, log);
                t[base + v] = (byte) fromLow;
                t[base + 128 + v] = (byte) fromHigh;
                t[base + 256 + v] = (byte) (fromLow >>> 8);
                t[base + 384 + v] = (byte) (fromHigh >>> 8);
            }
            int topLow = GaloisField.mulLogUnchecked(0x80, log);
            int topHigh = GaloisField.mulLogUnchecked(0x8000, log);
            t[base + 512] = (byte) topLow;
            t[base + 513] = (byte) topHigh;
            t[base + 514] = (byte) (topLow >>> 8);
            t[base + 515] = (byte) (topHigh >>> 8);
        }
        wideTables = t;
        return t;
    }

    private static byte[] buildNibbleTables() {
        byte[] t = new byte[GaloisField.ORDER * 128 + 64];
        int[] logs = new int[64];
        for (int n = 0; n < 4; n++) {
            for (int v = 0; v < 16; v++) {
                logs[16 * n + v] = GaloisField.LOG[v << (4 * n)];
            }
        }
        for (int log = 0; log < GaloisField.ORDER; log++) {
            int base = 128 * log;
            for (int j = 0; j < 64; j++) {
                int x = logs[j];
                int p = (j & 15) == 0 ? 0 : GaloisField.EXP[GaloisField.addMod(x, log == GaloisField.MODULUS ? 0 : log)];
                t[base + j] = (byte) p;
                t[base + 64 + j] = (byte) (p >>> 8);
            }
        }
        return t;
    }

    @Override
    void fftButterfly(byte[] buf, int a, int b, int len, int unit, int skew) {
        if (wide) {
            fftButterflyWide(buf, a, b, len, unit, skew);
        } else {
            fftButterflyNibble(buf, a, b, len, unit, GaloisField.SKEW[skew]);
        }
    }

    @Override
    void ifftButterfly(byte[] buf, int a, int b, int len, int unit, int skew) {
        if (wide) {
            ifftButterflyWide(buf, a, b, len, unit, skew);
        } else {
            ifftButterflyNibble(buf, a, b, len, unit, GaloisField.SKEW[skew]);
        }
    }

    private static void fftButterflyWide(byte[] buf, int a, int b, int len, int unit, int skew) {
        byte[] tables = wideTables(skew);
        int t = skew * WIDE_RECORD;
        ByteVector f0 = ByteVector.fromArray(SPECIES, tables, t);
        ByteVector f1 = ByteVector.fromArray(SPECIES, tables, t + 64);
        ByteVector g0 = ByteVector.fromArray(SPECIES, tables, t + 128);
        ByteVector g1 = ByteVector.fromArray(SPECIES, tables, t + 192);
        ByteVector p0 = ByteVector.fromArray(SPECIES, tables, t + 256);
        ByteVector p1 = ByteVector.fromArray(SPECIES, tables, t + 320);
        ByteVector q0 = ByteVector.fromArray(SPECIES, tables, t + 384);
        ByteVector q1 = ByteVector.fromArray(SPECIES, tables, t + 448);
        ByteVector c0 = ByteVector.broadcast(SPECIES, tables[t + 512]);
        ByteVector c1 = ByteVector.broadcast(SPECIES, tables[t + 513]);
        ByteVector c2 = ByteVector.broadcast(SPECIES, tables[t + 514]);
        ByteVector c3 = ByteVector.broadcast(SPECIES, tables[t + 515]);
        for (int u = 0; u < len; u += 128) {
            int ia = a + u;
            int ib = b + u;
            ByteVector blo = ByteVector.fromArray(SPECIES, buf, ib);
            ByteVector bhi = ByteVector.fromArray(SPECIES, buf, ib + 64);
            VectorMask<Byte> topLo = blo.lt((byte) 0);
            VectorMask<Byte> topHi = bhi.lt((byte) 0);
            ByteVector alo = ByteVector.fromArray(SPECIES, buf, ia)
                    .lanewise(VectorOperators.XOR, lookup128(blo, f0, f1))
                    .lanewise(VectorOperators.XOR, lookup128(bhi, g0, g1))
                    .lanewise(VectorOperators.XOR, c0, topLo)
                    .lanewise(VectorOperators.XOR, c1, topHi);
            ByteVector ahi = ByteVector.fromArray(SPECIES, buf, ia + 64)
                    .lanewise(VectorOperators.XOR, lookup128(blo, p0, p1))
                    .lanewise(VectorOperators.XOR, lookup128(bhi, q0, q1))
                    .lanewise(VectorOperators.XOR, c2, topLo)
                    .lanewise(VectorOperators.XOR, c3, topHi);
            alo.intoArray(buf, ia);
            ahi.intoArray(buf, ia + 64);
            blo.lanewise(VectorOperators.XOR, alo).intoArray(buf, ib);
            bhi.lanewise(VectorOperators.XOR, ahi).intoArray(buf, ib + 64);
        }
    }

    private static void ifftButterflyWide(byte[] buf, int a, int b, int len, int unit, int skew) {
        byte[] tables = wideTables(skew);
        int t = skew * WIDE_RECORD;
        ByteVector f0 = ByteVector.fromArray(SPECIES, tables, t);
        ByteVector f1 = ByteVector.fromArray(SPECIES, tables, t + 64);
        ByteVector g0 = ByteVector.fromArray(SPECIES, tables, t + 128);
        ByteVector g1 = ByteVector.fromArray(SPECIES, tables, t + 192);
        ByteVector p0 = ByteVector.fromArray(SPECIES, tables, t + 256);
        ByteVector p1 = ByteVector.fromArray(SPECIES, tables, t + 320);
        ByteVector q0 = ByteVector.fromArray(SPECIES, tables, t + 384);
        ByteVector q1 = ByteVector.fromArray(SPECIES, tables, t + 448);
        ByteVector c0 = ByteVector.broadcast(SPECIES, tables[t + 512]);
        ByteVector c1 = ByteVector.broadcast(SPECIES, tables[t + 513]);
        ByteVector c2 = ByteVector.broadcast(SPECIES, tables[t + 514]);
        ByteVector c3 = ByteVector.broadcast(SPECIES, tables[t + 515]);
        for (int u = 0; u < len; u += 128) {
            int ia = a + u;
            int ib = b + u;
            ByteVector alo = ByteVector.fromArray(SPECIES, buf, ia);
            ByteVector ahi = ByteVector.fromArray(SPECIES, buf, ia + 64);
            ByteVector blo = ByteVector.fromArray(SPECIES, buf, ib).lanewise(VectorOperators.XOR, alo);
            ByteVector bhi = ByteVector.fromArray(SPECIES, buf, ib + 64).lanewise(VectorOperators.XOR, ahi);
            blo.intoArray(buf, ib);
            bhi.intoArray(buf, ib + 64);
            VectorMask<Byte> topLo = blo.lt((byte) 0);
            VectorMask<Byte> topHi = bhi.lt((byte) 0);
            alo.lanewise(VectorOperators.XOR, lookup128(blo, f0, f1))
                    .lanewise(VectorOperators.XOR, lookup128(bhi, g0, g1))
                    .lanewise(VectorOperators.XOR, c0, topLo)
                    .lanewise(VectorOperators.XOR, c1, topHi)
                    .intoArray(buf, ia);
            ahi.lanewise(VectorOperators.XOR, lookup128(blo, p0, p1))
                    .lanewise(VectorOperators.XOR, lookup128(bhi, q0, q1))
                    .lanewise(VectorOperators.XOR, c2, topLo)
                    .lanewise(VectorOperators.XOR, c3, topHi)
                    .intoArray(buf, ia + 64);
        }
    }

    private static void fftButterflyNibble(byte[] buf, int a, int b, int len, int unit, int log) {
        byte[] tables = NibbleTables.TABLES;
        int t = 128 * log;
        ByteVector l0 = ByteVector.fromArray(SPECIES, tables, t);
        ByteVector l1 = ByteVector.fromArray(SPECIES, tables, t + 16);
        ByteVector l2 = ByteVector.fromArray(SPECIES, tables, t + 32);
        ByteVector l3 = ByteVector.fromArray(SPECIES, tables, t + 48);
        ByteVector h0 = ByteVector.fromArray(SPECIES, tables, t + 64);
        ByteVector h1 = ByteVector.fromArray(SPECIES, tables, t + 80);
        ByteVector h2 = ByteVector.fromArray(SPECIES, tables, t + 96);
        ByteVector h3 = ByteVector.fromArray(SPECIES, tables, t + 112);
        for (int u = 0; u < len; u += 2 * unit) {
            for (int i = 0; i < unit; i += LANES) {
                int ia = a + u + i;
                int ib = b + u + i;
                ByteVector alo = ByteVector.fromArray(SPECIES, buf, ia);
                ByteVector ahi = ByteVector.fromArray(SPECIES, buf, ia + unit);
                ByteVector blo = ByteVector.fromArray(SPECIES, buf, ib);
                ByteVector bhi = ByteVector.fromArray(SPECIES, buf, ib + unit);
                ByteVector n0 = blo.and((byte) 0x0F);
                ByteVector n1 = blo.lanewise(VectorOperators.LSHR, 4);
                ByteVector n2 = bhi.and((byte) 0x0F);
                ByteVector n3 = bhi.lanewise(VectorOperators.LSHR, 4);
                alo = alo.lanewise(VectorOperators.XOR, n0.selectFrom(l0))
                        .lanewise(VectorOperators.XOR, n1.selectFrom(l1))
                        .lanewise(VectorOperators.XOR, n2.selectFrom(l2))
                        .lanewise(VectorOperators.XOR, n3.selectFrom(l3));
                ahi = ahi.lanewise(VectorOperators.XOR, n0.selectFrom(h0))
                        .lanewise(VectorOperators.XOR, n1.selectFrom(h1))
                        .lanewise(VectorOperators.XOR, n2.selectFrom(h2))
                        .lanewise(VectorOperators.XOR, n3.selectFrom(h3));
                alo.intoArray(buf, ia);
                ahi.intoArray(buf, ia + unit);
                blo.lanewise(VectorOperators.XOR, alo).intoArray(buf, ib);
                bhi.lanewise(VectorOperators.XOR, ahi).intoArray(buf, ib + unit);
            }
        }
    }

    private static void ifftButterflyNibble(byte[] buf, int a, int b, int len, int unit, int log) {
        byte[] tables = NibbleTables.TABLES;
        int t = 128 * log;
        ByteVector l0 = ByteVector.fromArray(SPECIES, tables, t);
        ByteVector l1 = ByteVector.fromArray(SPECIES, tables, t + 16);
        ByteVector l2 = ByteVector.fromArray(SPECIES, tables, t + 32);
        ByteVector l3 = ByteVector.fromArray(SPECIES, tables, t + 48);
        ByteVector h0 = ByteVector.fromArray(SPECIES, tables, t + 64);
        ByteVector h1 = ByteVector.fromArray(SPECIES, tables, t + 80);
        ByteVector h2 = ByteVector.fromArray(SPECIES, tables, t + 96);
        ByteVector h3 = ByteVector.fromArray(SPECIES, tables, t + 112);
        for (int u = 0; u < len; u += 2 * unit) {
            for (int i = 0; i < unit; i += LANES) {
                int ia = a + u + i;
                int ib = b + u + i;
                ByteVector alo = ByteVector.fromArray(SPECIES, buf, ia);
                ByteVector ahi = ByteVector.fromArray(SPECIES, buf, ia + unit);
                ByteVector blo = ByteVector.fromArray(SPECIES, buf, ib).lanewise(VectorOperators.XOR, alo);
                ByteVector bhi = ByteVector.fromArray(SPECIES, buf, ib + unit).lanewise(VectorOperators.XOR, ahi);
                blo.intoArray(buf, ib);
                bhi.intoArray(buf, ib + unit);
                ByteVector n0 = blo.and((byte) 0x0F);
                ByteVector n1 = blo.lanewise(VectorOperators.LSHR, 4);
                ByteVector n2 = bhi.and((byte) 0x0F);
                ByteVector n3 = bhi.lanewise(VectorOperators.LSHR, 4);
                alo.lanewise(VectorOperators.XOR, n0.selectFrom(l0))
                        .lanewise(VectorOperators.XOR, n1.selectFrom(l1))
                        .lanewise(VectorOperators.XOR, n2.selectFrom(l2))
                        .lanewise(VectorOperators.XOR, n3.selectFrom(l3))
                        .intoArray(buf, ia);
                ahi.lanewise(VectorOperators.XOR, n0.selectFrom(h0))
                        .lanewise(VectorOperators.XOR, n1.selectFrom(h1))
                        .lanewise(VectorOperators.XOR, n2.selectFrom(h2))
                        .lanewise(VectorOperators.XOR, n3.selectFrom(h3))
                        .intoArray(buf, ia + unit);
            }
        }
    }

    @Override
    void mulLog(byte[] buf, int off, int len, int unit, int log) {
        byte[] tables = NibbleTables.TABLES;
        int t = 128 * log;
        ByteVector l0 = ByteVector.fromArray(SPECIES, tables, t);
        ByteVector l1 = ByteVector.fromArray(SPECIES, tables, t + 16);
        ByteVector l2 = ByteVector.fromArray(SPECIES, tables, t + 32);
        ByteVector l3 = ByteVector.fromArray(SPECIES, tables, t + 48);
        ByteVector h0 = ByteVector.fromArray(SPECIES, tables, t + 64);
        ByteVector h1 = ByteVector.fromArray(SPECIES, tables, t + 80);
        ByteVector h2 = ByteVector.fromArray(SPECIES, tables, t + 96);
        ByteVector h3 = ByteVector.fromArray(SPECIES, tables, t + 112);
        for (int u = 0; u < len; u += 2 * unit) {
            for (int i = 0; i < unit; i += LANES) {
                int ix = off + u + i;
                ByteVector lo = ByteVector.fromArray(SPECIES, buf, ix);
                ByteVector hi = ByteVector.fromArray(SPECIES, buf, ix + unit);
                ByteVector n0 = lo.and((byte) 0x0F);
                ByteVector n1 = lo.lanewise(VectorOperators.LSHR, 4);
                ByteVector n2 = hi.and((byte) 0x0F);
                ByteVector n3 = hi.lanewise(VectorOperators.LSHR, 4);
                n0.selectFrom(l0)
                        .lanewise(VectorOperators.XOR, n1.selectFrom(l1))
                        .lanewise(VectorOperators.XOR, n2.selectFrom(l2))
                        .lanewise(VectorOperators.XOR, n3.selectFrom(l3))
                        .intoArray(buf, ix);
                n0.selectFrom(h0)
                        .lanewise(VectorOperators.XOR, n1.selectFrom(h1))
                        .lanewise(VectorOperators.XOR, n2.selectFrom(h2))
                        .lanewise(VectorOperators.XOR, n3.selectFrom(h3))
                        .intoArray(buf, ix + unit);
            }
        }
    }

    @Override
    void xor(byte[] buf, int dst, int src, int len) {
        int i = 0;
        for (int bound = SPECIES.loopBound(len); i < bound; i += LANES) {
            ByteVector.fromArray(SPECIES, buf, dst + i)
                    .lanewise(VectorOperators.XOR, ByteVector.fromArray(SPECIES, buf, src + i))
                    .intoArray(buf, dst + i);
        }
        for (; i < len; i++) {
            buf[dst + i] ^= buf[src + i];
        }
    }

    /**
     * Fast path of {@link Layout#load} for 64-lane units and full blocks: block 2m + h of the stripe goes to unit
     * m, low bytes at 32h, high bytes at 64 + 32h, moved as 32-byte vectors.
     */
    @Override
    void load(byte[] shard, int length, int block, int blocks, byte[] buf, int off, int unit) {
        int ext = block << 6;
        if (unit != 64 || ext + (blocks << 6) > length) {
            Layout.load(shard, length, block, blocks, buf, off, unit);
            return;
        }
        for (int j = 0; j < blocks; j++, ext += 64) {
            int base = off + ((j >>> 1) << 7) + ((j & 1) << 5);
            ByteVector.fromArray(HALF, shard, ext).intoArray(buf, base);
            ByteVector.fromArray(HALF, shard, ext + 32).intoArray(buf, base + 64);
        }
    }

    @Override
    void store(byte[] buf, int off, int unit, byte[] shard, int length, int block, int blocks) {
        int ext = block << 6;
        if (unit != 64 || ext + (blocks << 6) > length) {
            Layout.store(buf, off, unit, shard, length, block, blocks);
            return;
        }
        for (int j = 0; j < blocks; j++, ext += 64) {
            int base = off + ((j >>> 1) << 7) + ((j & 1) << 5);
            ByteVector.fromArray(HALF, buf, base).intoArray(shard, ext);
            ByteVector.fromArray(HALF, buf, base + 64).intoArray(shard, ext + 32);
        }
    }

    @Override
    String name() {
        return (wide ? "vector-wide" : "vector-nibble") + LANES * 8;
    }
}
