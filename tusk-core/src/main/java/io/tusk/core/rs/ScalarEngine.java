package io.tusk.core.rs;

import static io.tusk.core.rs.GaloisField.EXP;
import static io.tusk.core.rs.GaloisField.LOG;
import static io.tusk.core.rs.GaloisField.MODULUS;

/**
 * Reference engine: one lane at a time through the LOG/EXP tables. Works for any unit size, so it also serves
 * the compact layout used for shards too small to fill a 64-lane unit.
 */
final class ScalarEngine extends Engine {
    static final ScalarEngine INSTANCE = new ScalarEngine();

    private ScalarEngine() {
    }

    private static int mulLogLane(int x, int log) {
        if (x == 0) {
            return 0;
        }
        int e = LOG[x] + log;
        return EXP[e >= MODULUS ? e - MODULUS : e];
    }

    @Override
    void fftButterfly(byte[] buf, int a, int b, int len, int unit, int skew) {
        int log = GaloisField.SKEW[skew];
        for (int u = 0; u < len; u += 2 * unit) {
            for (int i = 0; i < unit; i++) {
                int ia = a + u + i;
                int ib = b + u + i;
                int x = (buf[ia] & 0xFF) | (buf[ia + unit] & 0xFF) << 8;
                int y = (buf[ib] & 0xFF) | (buf[ib + unit] & 0xFF) << 8;
                x ^= mulLogLane(y, log);
                y ^= x;
                buf[ia] = (byte) x;
                buf[ia + unit] = (byte) (x >>> 8);
                buf[ib] = (byte) y;
                buf[ib + unit] = (byte) (y >>> 8);
            }
        }
    }

    @Override
    void ifftButterfly(byte[] buf, int a, int b, int len, int unit, int skew) {
        int log = GaloisField.SKEW[skew];
        for (int u = 0; u < len; u += 2 * unit) {
            for (int i = 0; i < unit; i++) {
                int ia = a + u + i;
                int ib = b + u + i;
                int x = (buf[ia] & 0xFF) | (buf[ia + unit] & 0xFF) << 8;
                int y = (buf[ib] & 0xFF) | (buf[ib + unit] & 0xFF) << 8;
                y ^= x;
                x ^= mulLogLane(y, log);
                buf[ia] = (byte) x;
                buf[ia + unit] = (byte) (x >>> 8);
                buf[ib] = (byte) y;
                buf[ib + unit] = (byte) (y >>> 8);
            }
        }
    }

    @Override
    void mulLog(byte[] buf, int off, int len, int unit, int log) {
        for (int u = 0; u < len; u += 2 * unit) {
            for (int i = 0; i < unit; i++) {
                int ix = off + u + i;
                int x = mulLogLane((buf[ix] & 0xFF) | (buf[ix + unit] & 0xFF) << 8, log);
                buf[ix] = (byte) x;
                buf[ix + unit] = (byte) (x >>> 8);
            }
        }
    }

    @Override
    void xor(byte[] buf, int dst, int src, int len) {
        for (int i = 0; i < len; i++) {
            buf[dst + i] ^= buf[src + i];
        }
    }

    @Override
    String name() {
        return "scalar";
    }
}
