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
}
