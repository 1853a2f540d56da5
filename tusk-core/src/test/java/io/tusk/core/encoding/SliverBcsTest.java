package io.tusk.core.encoding;

import io.tusk.core.metadata.BlobMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * {@link SliverBcs} reads, refuses and checks a sliver's BCS bytes exactly as {@link Sliver#fromBcs} and
 * {@link Sliver#verify} do, with the symbols left where they are.
 */
class SliverBcsTest {

    @ParameterizedTest(name = "{0} shards, {1} bytes")
    @CsvSource({"4, 1", "10, 1024", "100, 70000", "31, 5000", "7, 300000"})
    void shouldAcceptEverySliverOfABlobAndRefuseEachFlippedByteAsSliverVerifyDoes(int n, int size) {
        EncodingConfig config = new EncodingConfig(n);
        EncodedBlob blob = TestBlobs.encoded(n, size, n * 17L + size);
        BlobMetadata metadata = blob.metadata().metadata();
        Random random = new Random(size);
        for (int pair = 0; pair < n; pair++) {
            for (SliverType type : SliverType.values()) {
                Sliver sliver = blob.sliver(pair, type);
                byte[] bcs = sliver.toBcs();
                SliverBcs read = SliverBcs.parse(type, bcs);
                assertThat(read.bcs()).isSameAs(bcs);
                assertThat(read.index()).isEqualTo(sliver.index());
                assertThat(read.symbolSize()).isEqualTo(sliver.symbolSize());
                assertThat(read.toSliver()).isEqualTo(sliver);
                read.verify(config, metadata);

                // a symbol byte flipped (never the length prefix or the trailing fields): the same refusal as verify
                int prefix = bcs.length - 4 - sliver.length();
                byte[] bad = bcs.clone();
                bad[prefix + random.nextInt(sliver.length())] ^= 0x20;
                Throwable expected = catchThrowable(() -> Sliver.fromBcs(type, bad).verify(config, metadata));
                assertThat(expected).isInstanceOf(InvalidSliverException.class);
                assertThatThrownBy(() -> SliverBcs.parse(type, bad).verify(config, metadata))
                        .isInstanceOf(InvalidSliverException.class).hasMessage(expected.getMessage());
            }
        }
    }

    @Test
    void shouldRefuseASliverOfAnotherShapeWithSliverVerifysMessage() {
        EncodingConfig config = new EncodingConfig(10);
        BlobMetadata metadata = TestBlobs.encoded(10, 1024, 1).metadata().metadata();
        Sliver other = TestBlobs.encoded(13, 1024, 1).sliver(12, SliverType.PRIMARY); // index 12 is out of range for 10 shards
        Throwable expected = catchThrowable(() -> other.verify(config, metadata));
        assertThat(expected).isInstanceOf(InvalidSliverException.class);
        assertThatThrownBy(() -> SliverBcs.parse(SliverType.PRIMARY, other.toBcs()).verify(config, metadata))
                .isInstanceOf(InvalidSliverException.class).hasMessage(expected.getMessage());
    }

    @Test
    void shouldRefuseBadBytesAsSliverFromBcsDoes() {
        byte[] good = TestBlobs.encoded(10, 1024, 2).sliver(3, SliverType.SECONDARY).toBcs();
        byte[][] bads = {
            new byte[0],
            Arrays.copyOf(good, good.length - 1),          // truncated index
            Arrays.copyOf(good, good.length + 1),          // a trailing byte
            Arrays.copyOf(good, 5),                        // truncated symbols
            withU16(good, good.length - 4, 3),             // an odd symbol size
            withU16(good, good.length - 4, 0),             // symbol size zero
        };
        for (byte[] bad : bads) {
            Throwable expected = catchThrowable(() -> Sliver.fromBcs(SliverType.SECONDARY, bad));
            assertThat(expected).as("Sliver.fromBcs of %d bytes", bad.length).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> SliverBcs.parse(SliverType.SECONDARY, bad))
                    .isInstanceOf(expected.getClass()).hasMessage(expected.getMessage());
        }
    }

    private static byte[] withU16(byte[] bytes, int at, int value) {
        byte[] out = bytes.clone();
        out[at] = (byte) value;
        out[at + 1] = (byte) (value >>> 8);
        return out;
    }
}
