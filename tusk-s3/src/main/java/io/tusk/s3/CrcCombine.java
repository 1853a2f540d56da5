package io.tusk.s3;

/**
 * Combines the CRCs of two byte strings into the CRC of their concatenation without reading the bytes again:
 * {@code crc(A + B) = crc(A) * x^(8 |B|) + crc(B)} in GF(2)[x] modulo the CRC's polynomial (the method of zlib's
 * {@code crc32_combine}). It holds for the reflected CRCs S3 uses (CRC32, CRC32C, CRC64NVME: initial value and final
 * xor both all ones), so a multipart object's FULL_OBJECT checksum comes from its parts' checksums and sizes.
 * Stateless.
 */
final class CrcCombine {
    private final int width;
    private final long poly;
    /** {@code x^(2^k)} modulo the polynomial, k = 0..66: enough for {@code x^(8n)} with any long n. */
    private final long[] powers = new long[67];

    private CrcCombine(int width, long reflectedPoly) {
        this.width = width;
        this.poly = reflectedPoly;
        powers[0] = 1L << (width - 2); // x^1 in the reflected representation
        for (int k = 1; k < powers.length; k++) {
            powers[k] = multiply(powers[k - 1], powers[k - 1]);
        }
    }

    static final CrcCombine CRC32 = new CrcCombine(32, 0xedb88320L);
    static final CrcCombine CRC32C = new CrcCombine(32, 0x82f63b78L);
    static final CrcCombine CRC64NVME = new CrcCombine(64, 0x9a6c9329ac4bc9b5L);

    /** The combiner of a CRC algorithm, or null for one that is not a CRC. */
    static CrcCombine of(ChecksumAlgorithm algorithm) {
        return switch (algorithm) {
            case CRC32 -> CRC32;
            case CRC32C -> CRC32C;
            case CRC64NVME -> CRC64NVME;
            default -> null;
        };
    }

    /** The CRC of A + B from {@code crcA}, {@code crcB} and B's length in bytes. */
    long combine(long crcA, long crcB, long lengthB) {
        return multiply(xPower8n(lengthB), crcA) ^ crcB;
    }

    /** a * b modulo the polynomial, both in the reflected representation (the top bit is x^0). */
    private long multiply(long a, long b) {
        long m = 1L << (width - 1);
        long p = 0;
        while (true) {
            if ((a & m) != 0) {
                p ^= b;
                if ((a & (m - 1)) == 0) {
                    break;
                }
            }
            m >>>= 1;
            b = (b & 1) != 0 ? (b >>> 1) ^ poly : b >>> 1;
        }
        return p;
    }

    /** x^(8n) modulo the polynomial. */
    private long xPower8n(long n) {
        long p = 1L << (width - 1); // x^0
        int k = 3; // 8 = 2^3
        while (n != 0) {
            if ((n & 1) != 0) {
                p = multiply(powers[k], p);
            }
            n >>>= 1;
            k++;
        }
        return p;
    }
}
