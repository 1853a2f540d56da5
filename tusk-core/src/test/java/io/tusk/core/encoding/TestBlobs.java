package io.tusk.core.encoding;

import java.util.Random;

/** Blob patterns shared by the codec tests; randomized ones take a seed the test prints. */
final class TestBlobs {
    private TestBlobs() {}

    /** "Pattern A" of walrus-protocol.md section 15: byte i = (7i + 13) mod 256. */
    static byte[] patternA(int length) {
        byte[] blob = new byte[length];
        for (int i = 0; i < length; i++) {
            blob[i] = (byte) (i * 7 + 13);
        }
        return blob;
    }

    static byte[] random(long seed, int length) {
        byte[] blob = new byte[length];
        new Random(seed).nextBytes(blob);
        return blob;
    }

    /** A blob of {@code size} seeded random bytes, encoded for {@code n} shards. */
    static EncodedBlob encoded(int n, int size, long seed) {
        return new BlobEncoder(new EncodingConfig(n)).encode(random(seed, size));
    }

    /** The seed for randomized tests: {@code -Dtusk.test.seed} replays a run; otherwise a fresh one. */
    static long seed(String testName) {
        String fixed = System.getProperty("tusk.test.seed");
        long seed = fixed != null ? Long.parseLong(fixed) : new Random().nextLong();
        System.out.println(testName + ": seed " + seed + " (replay with -Dtusk.test.seed=" + seed + ")");
        return seed;
    }
}
