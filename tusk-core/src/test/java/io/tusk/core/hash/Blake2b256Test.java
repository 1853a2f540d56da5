package io.tusk.core.hash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.junit.jupiter.api.Test;

class Blake2b256Test {

    private static final HexFormat HEX = HexFormat.of();
    /** Fixed so a failure can be replayed; printed in every assertion message. */
    private static final long SEED = Long.getLong("tusk.test.seed", 0x7A5C_B1A4_E2B2L);

    static byte[] reference(byte[] data, int offset, int length) {
        Blake2bDigest digest = new Blake2bDigest(256);
        digest.update(data, offset, length);
        byte[] out = new byte[32];
        digest.doFinal(out, 0);
        return out;
    }

    static byte[] reference(byte[] data) {
        return reference(data, 0, data.length);
    }

    @Test
    void shouldMatchKnownVectors() {
        assertThat(HEX.formatHex(Blake2b256.hash(new byte[0])))
                .isEqualTo("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
        assertThat(HEX.formatHex(Blake2b256.hash("abc".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
        assertThat(HEX.formatHex(new Blake2b256().update((byte) 'a').update((byte) 'b').update((byte) 'c')
                .digest()))
                .isEqualTo("bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
    }

    @Test
    void shouldMatchBouncyCastleForEveryLengthUpTo1100() {
        Random random = new Random(SEED);
        byte[] data = new byte[1100 + 17];
        random.nextBytes(data);
        Blake2b256 hasher = new Blake2b256();
        for (int length = 0; length <= 1100; length++) {
            int offset = length % 17;
            byte[] expected = reference(data, offset, length);
            assertThat(Blake2b256.hash(data, offset, length))
                    .as("one-shot, length %d, seed %d", length, SEED).isEqualTo(expected);
            // Incremental in two uneven pieces, reusing the same instance (digest resets it).
            int split = length / 3;
            hasher.update(data, offset, split).update(data, offset + split, length - split);
            assertThat(hasher.digest()).as("incremental, length %d, seed %d", length, SEED).isEqualTo(expected);
        }
    }

    @Test
    void shouldMatchBouncyCastleForLargeInputs() {
        Random random = new Random(SEED + 1);
        for (int length : new int[] {1 << 16, (1 << 20) + 7, 3 * (1 << 20) - 1}) {
            byte[] data = new byte[length];
            random.nextBytes(data);
            byte[] expected = reference(data);
            assertThat(Blake2b256.hash(data)).as("length %d, seed %d", length, SEED + 1).isEqualTo(expected);
            Blake2b256 hasher = new Blake2b256();
            for (int pos = 0; pos < length; pos += 4093) {
                hasher.update(data, pos, Math.min(4093, length - pos));
            }
            byte[] out = new byte[40];
            hasher.digest(out, 8);
            assertThat(java.util.Arrays.copyOfRange(out, 8, 40)).isEqualTo(expected);
        }
    }

    @Property(tries = 300)
    void incrementalEqualsOneShot(@ForAll @Size(max = 700) byte[] data,
                                  @ForAll @IntRange(min = 1, max = 300) int piece) {
        Blake2b256 hasher = new Blake2b256();
        for (int pos = 0; pos < data.length; pos += piece) {
            int n = Math.min(piece, data.length - pos);
            if (n == 1) {
                hasher.update(data[pos]);
            } else {
                hasher.update(data, pos, n);
            }
        }
        byte[] expected = reference(data);
        assertThat(hasher.digest()).isEqualTo(expected);
        assertThat(Blake2b256.hash(data)).isEqualTo(expected);
    }

    @Test
    void shouldDiscardInputOnReset() {
        Blake2b256 hasher = new Blake2b256().update(new byte[300]);
        hasher.reset();
        assertThat(hasher.digest()).isEqualTo(reference(new byte[0]));
    }

    @Test
    void shouldRejectBadRanges() {
        assertThatThrownBy(() -> Blake2b256.hash(new byte[10], 4, 7)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("4").hasMessageContaining("7").hasMessageContaining("10");
        assertThatThrownBy(() -> new Blake2b256().update(new byte[10], -1, 2))
                .isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> new Blake2b256().digest(new byte[40], 9))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
