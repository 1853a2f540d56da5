package io.tusk.s3;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/** The additional checksums against their published check values (the checksum of "123456789"). */
class ChecksumAlgorithmTest {
    private static String check(ChecksumAlgorithm algorithm) {
        byte[] data = "123456789".getBytes(StandardCharsets.US_ASCII);
        ChecksumAlgorithm.Hasher hasher = algorithm.newHasher();
        hasher.update(data, 0, 4);
        hasher.update(data, 4, data.length - 4); // incremental, as bodies stream
        return HexFormat.of().formatHex(hasher.digest());
    }

    @Test
    void shouldMatchTheCheckValues() {
        assertThat(check(ChecksumAlgorithm.CRC32)).isEqualTo("cbf43926");
        assertThat(check(ChecksumAlgorithm.CRC32C)).isEqualTo("e3069283");
        assertThat(check(ChecksumAlgorithm.CRC64NVME)).isEqualTo("ae8b14860a799888");
        assertThat(check(ChecksumAlgorithm.SHA1)).isEqualTo("f7c3bc1d808e04732adf679965ccc34ca7ae3441");
        assertThat(check(ChecksumAlgorithm.SHA256))
                .isEqualTo("15e2b0d3c33891ebb0f1ef609ec419420c20e320ce94c65fbc8c3312448eb225");
    }

    @Test
    void shouldKnowHeaderNamesAndWellFormedValues() {
        assertThat(ChecksumAlgorithm.ofHeader("X-Amz-Checksum-CRC32C")).contains(ChecksumAlgorithm.CRC32C);
        assertThat(ChecksumAlgorithm.named("crc64nvme")).contains(ChecksumAlgorithm.CRC64NVME);
        assertThat(ChecksumAlgorithm.CRC32.wellFormed("DUoRhQ==")).isTrue();
        assertThat(ChecksumAlgorithm.CRC32.wellFormed("DUoRhQAA")).isFalse(); // six bytes
        assertThat(ChecksumAlgorithm.SHA256.wellFormed("not base64!")).isFalse();
    }

    @Test
    void shouldCombineCrcsOfPartsIntoTheCrcOfTheWhole() {
        java.util.Random random = new java.util.Random(TestSeeds.seed());
        for (ChecksumAlgorithm algorithm : java.util.List.of(ChecksumAlgorithm.CRC32, ChecksumAlgorithm.CRC32C,
                ChecksumAlgorithm.CRC64NVME)) {
            for (int round = 0; round < 20; round++) {
                byte[] data = new byte[random.nextInt(100_000)];
                random.nextBytes(data);
                int cut = data.length == 0 ? 0 : random.nextInt(data.length + 1);
                long a = crc(algorithm, data, 0, cut);
                long b = crc(algorithm, data, cut, data.length - cut);
                assertThat(CrcCombine.of(algorithm).combine(a, b, data.length - cut)).as(algorithm + " cut " + cut
                        + " of " + data.length).isEqualTo(crc(algorithm, data, 0, data.length));
            }
        }
        assertThat(CrcCombine.of(ChecksumAlgorithm.SHA256)).isNull();
    }

    private static long crc(ChecksumAlgorithm algorithm, byte[] data, int off, int len) {
        ChecksumAlgorithm.Hasher hasher = algorithm.newHasher();
        hasher.update(data, off, len);
        return new java.math.BigInteger(1, hasher.digest()).longValue();
    }
}
