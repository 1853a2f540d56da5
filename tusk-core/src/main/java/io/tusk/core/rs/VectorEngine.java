package io.tusk.core.rs;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * SIMD engine on the Vector API. Multiplying a lane by a constant is GF(2)-linear in its 16 bits, so the product
 * is the XOR of four 16-entry table lookups, one per input nibble, for each output byte (leopard-rs.md section
 * 10 item 9): 8 {@code selectFrom} lookups per vector of lanes. The per-constant tables (128 bytes for each of
 * the 65536 logs, 8 MiB in all) are built once, on first use of this class.
 *
 * <p>Requires the work-buffer unit (lanes per unit) to be a multiple of the species length.
 */
final class VectorEngine extends Engine {
    static final VectorSpecies<Byte> SPECIES = ByteVector.SPECIES_PREFERRED;
    private static final int LANES = SPECIES.length();
    /** 32 bytes: half a 64-byte shard block. */
    private static final VectorSpecies<Byte> HALF = ByteVector.SPECIES_256;
    static final VectorEngine INSTANCE = new VectorEngine();

    /**
     * TABLES[128 * log + 16 * n + v] = low byte of (v << 4n) * EXP[log], TABLES[128 * log + 64 + 16 * n + v] = its
     * high byte, for n in 0..3 and v in 0..15. Padded so a full-species load at the last table stays in bounds.
     */
    private static final byte[] TABLES = buildTables();

    private VectorEngine() {
    }

    /** Whether this engine can run here (a species of at least 16 byte lanes dividing 64). */
    static boolean supported() {
        return LANES >= 16 && 64 % LANES == 0;
    }

    private static byte[] buildTables() {
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
    void fftButterfly(byte[] buf, int a, int b, int len, int unit, int log) {
        int t = 128 * log;
        ByteVector l0 = ByteVector.fromArray(SPECIES, TABLES, t);
        ByteVector l1 = ByteVector.fromArray(SPECIES, TABLES, t + 16);
        ByteVector l2 = ByteVector.fromArray(SPECIES, TABLES, t + 32);
        ByteVector l3 = ByteVector.fromArray(SPECIES, TABLES, t + 48);
        ByteVector h0 = ByteVector.fromArray(SPECIES, TABLES, t + 64);
        ByteVector h1 = ByteVector.fromArray(SPECIES, TABLES, t + 80);
        ByteVector h2 = ByteVector.fromArray(SPECIES, TABLES, t + 96);
        ByteVector h3 = ByteVector.fromArray(SPECIES, TABLES, t + 112);
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

    @Override
    void ifftButterfly(byte[] buf, int a, int b, int len, int unit, int log) {
        int t = 128 * log;
        ByteVector l0 = ByteVector.fromArray(SPECIES, TABLES, t);
        ByteVector l1 = ByteVector.fromArray(SPECIES, TABLES, t + 16);
        ByteVector l2 = ByteVector.fromArray(SPECIES, TABLES, t + 32);
        ByteVector l3 = ByteVector.fromArray(SPECIES, TABLES, t + 48);
        ByteVector h0 = ByteVector.fromArray(SPECIES, TABLES, t + 64);
        ByteVector h1 = ByteVector.fromArray(SPECIES, TABLES, t + 80);
        ByteVector h2 = ByteVector.fromArray(SPECIES, TABLES, t + 96);
        ByteVector h3 = ByteVector.fromArray(SPECIES, TABLES, t + 112);
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
        int t = 128 * log;
        ByteVector l0 = ByteVector.fromArray(SPECIES, TABLES, t);
        ByteVector l1 = ByteVector.fromArray(SPECIES, TABLES, t + 16);
        ByteVector l2 = ByteVector.fromArray(SPECIES, TABLES, t + 32);
        ByteVector l3 = ByteVector.fromArray(SPECIES, TABLES, t + 48);
        ByteVector h0 = ByteVector.fromArray(SPECIES, TABLES, t + 64);
        ByteVector h1 = ByteVector.fromArray(SPECIES, TABLES, t + 80);
        ByteVector h2 = ByteVector.fromArray(SPECIES, TABLES, t + 96);
        ByteVector h3 = ByteVector.fromArray(SPECIES, TABLES, t + 112);
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
        return "vector" + LANES * 8;
    }
}
