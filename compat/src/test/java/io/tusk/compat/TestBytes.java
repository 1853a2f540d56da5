package io.tusk.compat;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;
import org.bouncycastle.crypto.digests.Blake2bDigest;

/** Byte helpers for the compatibility tests: check-value inputs, hashes, hex. */
final class TestBytes {
    private static final HexFormat HEX = HexFormat.of();

    private TestBytes() {
    }

    /** walrus-protocol.md §15 "pattern A": byte i = (7i + 13) mod 256. */
    static byte[] patternA(int length) {
        byte[] blob = new byte[length];
        for (int i = 0; i < length; i++) {
            blob[i] = (byte) (i * 7 + 13);
        }
        return blob;
    }

    static byte[] random(Random random, int length) {
        byte[] blob = new byte[length];
        random.nextBytes(blob);
        return blob;
    }

    static byte[] blake2b256(byte[] data) {
        Blake2bDigest digest = new Blake2bDigest(256);
        digest.update(data, 0, data.length);
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return out;
    }

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("SHA-256 is mandatory in every JDK", e);
        }
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }

    static byte[] unhex(String hex) {
        return HEX.parseHex(hex.replace(" ", ""));
    }

    /** f = floor((n-1)/3); p = n-2f; s = n-f (walrus-protocol.md §1). */
    static int primarySourceSymbols(int n) {
        return n - 2 * ((n - 1) / 3);
    }

    static int secondarySourceSymbols(int n) {
        return n - (n - 1) / 3;
    }

    /** ceil(max(len,1) / (p·s)) rounded up to even (walrus-protocol.md §2). */
    static int symbolSize(int n, long length) {
        long k = (long) primarySourceSymbols(n) * secondarySourceSymbols(n);
        long sym = (Math.max(length, 1) + k - 1) / k;
        return (int) (sym + (sym & 1));
    }

    /** The largest blob n shards can store: p·s·65534 bytes. */
    static long maxBlobSize(int n) {
        return (long) primarySourceSymbols(n) * secondarySourceSymbols(n) * 65534;
    }
}
