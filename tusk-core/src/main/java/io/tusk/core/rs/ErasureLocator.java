package io.tusk.core.rs;

import static io.tusk.core.rs.GaloisField.LOG;
import static io.tusk.core.rs.GaloisField.MODULUS;

/**
 * Logs of the erasure-locator derivative values lambda_i = prod_{j in E, j != i} (omega_i + omega_j) for every
 * position i of a size-N decode (leopard-rs.md section 7 step 3), by the log-domain XOR convolution
 * l_i = sum_j eps_j * LOG'[i xor j] (mod 65535) computed with Walsh-Hadamard transforms.
 *
 * <p>Only indices below N occur in the convolution (i xor j < N), so a size-N transform suffices; the inverse
 * transform then needs the factor 1/N = 2^(16 - log2 N) modulo 65535 (because 2^16 = 1 mod 65535).
 */
final class ErasureLocator {
    /** H(LOG') per transform size N, computed once per size. */
    private static final java.util.concurrent.ConcurrentHashMap<Integer, int[]> LOG_TRANSFORMS =
            new java.util.concurrent.ConcurrentHashMap<>();

    private ErasureLocator() {
    }

    /** Returns l[0..n), each in [0, 65534]; n is a power of two. */
    static int[] logs(boolean[] erased, int n) {
        int[] h = new int[n];
        for (int j = 0; j < n; j++) {
            h[j] = erased[j] ? 1 : 0;
        }
        fwht(h);
        int[] logTransform = LOG_TRANSFORMS.computeIfAbsent(n, ErasureLocator::logTransform);
        for (int i = 0; i < n; i++) {
            h[i] = (int) ((long) h[i] * logTransform[i] % MODULUS);
        }
        fwht(h);
        int scale = 1 << (16 - Integer.numberOfTrailingZeros(n)); // 1/n mod 65535
        for (int i = 0; i < n; i++) {
            h[i] = (int) ((long) h[i] * scale % MODULUS);
        }
        return h;
    }

    private static int[] logTransform(int n) {
        int[] t = new int[n];
        for (int i = 1; i < n; i++) {
            t[i] = LOG[i];
        }
        fwht(t);
        return t;
    }

    /** Unnormalised Walsh-Hadamard transform modulo 65535; entries stay in [0, 65534]. */
    static void fwht(int[] v) {
        int n = v.length;
        for (int half = 1; half < n; half <<= 1) {
            for (int r = 0; r < n; r += 2 * half) {
                for (int i = r; i < r + half; i++) {
                    int a = v[i];
                    int b = v[i + half];
                    int s = a + b;
                    v[i] = s >= MODULUS ? s - MODULUS : s;
                    int d = a - b;
                    v[i + half] = d < 0 ? d + MODULUS : d;
                }
            }
        }
    }
}
