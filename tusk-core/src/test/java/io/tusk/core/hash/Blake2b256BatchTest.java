package io.tusk.core.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Blake2b256BatchTest {

    private static final long SEED = Long.getLong("tusk.test.seed", 0x7A5C_B1A4_E2B2L);

    static Stream<Blake2b256Batch> allImplementations() {
        return Arrays.stream(Blake2b256Batch.values()).filter(Blake2b256Batch::isAvailable);
    }

    private static byte[] expected(byte prefix, byte[] data, int offset, int chunkSize, int count) {
        byte[] out = new byte[32 * count];
        for (int i = 0; i < count; i++) {
            byte[] message = new byte[chunkSize + 1];
            message[0] = prefix;
            System.arraycopy(data, offset + i * chunkSize, message, 1, chunkSize);
            System.arraycopy(Blake2b256Test.reference(message), 0, out, 32 * i, 32);
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("allImplementations")
    void shouldMatchBouncyCastleForEveryChunkSizeAndCount(Blake2b256Batch hasher) {
        Random random = new Random(SEED);
        int[] counts = {0, 1, 3, 4, 5, 8, 9, 17};
        for (int chunkSize = 0; chunkSize <= 400; chunkSize++) {
            int count = counts[chunkSize % counts.length];
            int offset = chunkSize % 5;
            byte[] data = new byte[offset + chunkSize * count + 3];
            random.nextBytes(data);
            byte prefix = (byte) random.nextInt();
            byte[] out = new byte[32 * count + 2];
            hasher.hashPrefixedChunks(prefix, data, offset, chunkSize, count, out, 2);
            assertThat(Arrays.copyOfRange(out, 2, out.length))
                    .as("%s chunkSize %d count %d seed %d", hasher, chunkSize, count, SEED)
                    .isEqualTo(expected(prefix, data, offset, chunkSize, count));
        }
    }

    @ParameterizedTest
    @MethodSource("allImplementations")
    void shouldHashInPlace(Blake2b256Batch hasher) {
        Random random = new Random(SEED + 2);
        for (int count : new int[] {1, 2, 7, 8, 9, 16, 33, 500}) {
            byte[] level = new byte[64 * count];
            random.nextBytes(level);
            byte[] want = expected((byte) 1, level, 0, 64, count);
            hasher.hashPrefixedChunks((byte) 1, level, 0, 64, count, level, 0);
            assertThat(Arrays.copyOf(level, 32 * count)).as("%s count %d", hasher, count).isEqualTo(want);
        }
    }

    @ParameterizedTest
    @MethodSource("allImplementations")
    void shouldRejectBadArguments(Blake2b256Batch hasher) {
        assertThatThrownBy(() -> hasher.hashPrefixedChunks((byte) 0, new byte[100], 0, 10, 11, new byte[352], 0))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("110");
        assertThatThrownBy(() -> hasher.hashPrefixedChunks((byte) 0, new byte[100], 0, 10, 10, new byte[319], 0))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("320");
        assertThatThrownBy(() -> hasher.hashPrefixedChunks((byte) 0, new byte[100], 0, -1, 10, new byte[320], 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }

    @org.junit.jupiter.api.Test
    void fastestShouldBeAvailable() {
        assertThat(Blake2b256Batch.fastest().isAvailable()).isTrue();
    }
}
