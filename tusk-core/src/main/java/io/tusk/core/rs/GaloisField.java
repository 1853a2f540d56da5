package io.tusk.core.rs;

/**
 * Arithmetic in GF(2^16) exactly as reed-solomon-simd 3.1.0 does it (leopard-rs.md section 1).
 *
 * <p>Elements are 16-bit integers 0..65535 in <b>Cantor-basis coordinates</b>: the value {@code x} denotes the
 * sum of the basis elements beta_b for the set bits b of x, where the beta_b are polynomial-basis values modulo
 * X^16 + X^5 + X^3 + X^2 + 1 (0x1002D) chosen so that beta_0 = 1 and beta_b^2 + beta_b = beta_(b-1). Addition is
 * XOR; multiplication goes through the {@link #log} and {@link #exp} tables, never through a carry-less multiply
 * of the raw values. The Cantor basis is what makes the additive FFT twiddles trivial (section 2).
 *
 * <p>All methods are static and thread-safe; the tables are built once at class initialisation (~1 ms).
 */
public final class GaloisField {
    /** Number of elements, 2^16. */
    static final int ORDER = 1 << 16;
    /** Order of the multiplicative group, 2^16 - 1. Logs are taken modulo this. */
    static final int MODULUS = ORDER - 1;
    /** LOG[0]: a sentinel, not a log. mulLog(x, MODULUS) == x (it is the log of 1), see {@link #mulLog}. */
    static final int LOG_ZERO = MODULUS;
    private static final int POLYNOMIAL = 0x1002D;

    /** Cantor basis beta_0..beta_15 as polynomial-basis values (leopard-rs.md section 1.1). */
    private static final int[] CANTOR_BASIS = {
        0x0001, 0xACCA, 0x3C0E, 0x163E, 0xC582, 0xED2E, 0x914C, 0x4012,
        0x6C98, 0x10D8, 0x6A72, 0xB900, 0xFDB8, 0xFB34, 0xFF38, 0x991E,
    };

    /** LOG[x] for Cantor-coordinate x; LOG[0] = 65535 (sentinel). */
    static final int[] LOG = new int[ORDER];
    /** EXP[e] for e in 0..65535; EXP[65535] = EXP[0] = 1 so exponents may be reduced "mod 65535, 65535 allowed". */
    static final int[] EXP = new int[ORDER];
    /** Cantor-to-polynomial map, kept only for tests (check values of section 1.4). */
    static final int[] CANTOR_TO_POLY = new int[ORDER];
    /**
     * Logs of the FFT twiddles (section 2): SKEW[j] = LOG[odd(j + 1) - 1], 65535 entries. The butterfly of the
     * block with absolute start B and half-size h reads SKEW[B + h - 1]; LOG_ZERO means "twiddle is zero".
     */
    static final int[] SKEW = new int[MODULUS];

    static {
        int[] polyLog = new int[ORDER];
        int state = 1;
        for (int i = 0; i < MODULUS; i++) {
            polyLog[state] = i;
            state <<= 1;
            if (state >= ORDER) {
                state ^= POLYNOMIAL;
            }
        }
        polyLog[0] = MODULUS;

        CANTOR_TO_POLY[0] = 0;
        for (int b = 0; b < 16; b++) {
            int bit = 1 << b;
            for (int j = 0; j < bit; j++) {
                CANTOR_TO_POLY[j + bit] = CANTOR_TO_POLY[j] ^ CANTOR_BASIS[b];
            }
        }
        for (int x = 0; x < ORDER; x++) {
            LOG[x] = polyLog[CANTOR_TO_POLY[x]];
        }
        for (int x = 0; x < ORDER; x++) {
            EXP[LOG[x]] = x;
        }
        EXP[MODULUS] = EXP[0];

        // Closed form of the crate's recurrence (leopard-rs.md section 2; equal for all entries).
        for (int j = 0; j < MODULUS; j++) {
            int y = j + 1;
            int odd = y >>> Integer.numberOfTrailingZeros(y);
            SKEW[j] = LOG[odd - 1];
        }
    }

    private GaloisField() {
    }

    /** a + b modulo 65535 for a, b in [0, 65535]; the result is in [0, 65534]. */
    static int addMod(int a, int b) {
        int s = a + b;
        return s >= MODULUS ? s - MODULUS : s;
    }

    /** Product of two elements. */
    public static int mul(int a, int b) {
        checkElement(a);
        checkElement(b);
        if (a == 0 || b == 0) {
            return 0;
        }
        return EXP[addMod(LOG[a], LOG[b])];
    }

    /**
     * Multiplicative inverse.
     *
     * @throws ArithmeticException if {@code a == 0}
     */
    public static int inv(int a) {
        checkElement(a);
        if (a == 0) {
            throw new ArithmeticException("0 has no inverse in GF(2^16)");
        }
        return EXP[(MODULUS - LOG[a]) % MODULUS];
    }

    /** Discrete log base alpha, in [0, 65534] for a != 0; log(0) returns the table's sentinel 65535. */
    public static int log(int a) {
        checkElement(a);
        return LOG[a];
    }

    /** alpha^e for any int e (reduced modulo 65535). */
    public static int exp(int e) {
        return EXP[Math.floorMod(e, MODULUS)];
    }

    /**
     * x times the element whose log is {@code log} (log in [0, 65535]; 65535 is the log of 1, not of 0). Returns 0
     * for x == 0. This is the crate's primitive; the FFT tests the zero twiddle separately.
     */
    public static int mulLog(int x, int log) {
        checkElement(x);
        if (log < 0 || log > MODULUS) {
            throw new IllegalArgumentException("log " + log + " outside [0, 65535]");
        }
        return x == 0 ? 0 : EXP[addMod(LOG[x], log)];
    }

    /** Unchecked mulLog for inner loops: x in [0, 65535], log in [0, 65535]. */
    static int mulLogUnchecked(int x, int log) {
        return x == 0 ? 0 : EXP[addMod(LOG[x], log)];
    }

    private static void checkElement(int a) {
        if ((a & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("element " + a + " outside [0, 65535]");
        }
    }
}
