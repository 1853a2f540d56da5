package io.tusk.core.rs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** FFT/IFFT check vectors of leopard-rs.md section 3 and the explicit evaluation formula, on every engine. */
class TransformTest {

    static java.util.stream.Stream<Engine> engines() {
        return java.util.stream.Stream.of(ScalarEngine.INSTANCE, Kernel.NIBBLE_ENGINE, Kernel.VECTOR_ENGINE)
                .filter(java.util.Objects::nonNull).distinct();
    }

    /** Runs a transform with each element replicated into all 64 lanes of a unit, returns lane 0 (checks all). */
    private static int[] transform(Engine engine, boolean forward, int[] input, int delta) {
        int size = input.length;
        int stride = 128;
        byte[] buf = new byte[size * stride];
        for (int p = 0; p < size; p++) {
            for (int i = 0; i < 64; i++) {
                int x = input[p]; // same value in every lane
                buf[p * stride + i] = (byte) x;
                buf[p * stride + 64 + i] = (byte) (x >>> 8);
            }
        }
        if (forward) {
            engine.fft(buf, 0, stride, 64, size, size, delta);
        } else {
            engine.ifft(buf, 0, stride, 64, size, size, delta);
        }
        int[] out = new int[size];
        for (int p = 0; p < size; p++) {
            out[p] = (buf[p * stride] & 0xFF) | (buf[p * stride + 64] & 0xFF) << 8;
            for (int i = 1; i < 64; i++) {
                int lane = (buf[p * stride + i] & 0xFF) | (buf[p * stride + 64 + i] & 0xFF) << 8;
                assertThat(lane).as("lane %d of position %d", i, p).isEqualTo(out[p]);
            }
        }
        return out;
    }

    @ParameterizedTest
    @MethodSource("engines")
    void shouldMatchCheckVectors(Engine engine) {
        assertThat(transform(engine, true, new int[] {1, 2, 3, 4}, 0)).containsExactly(0x1, 0x3, 0xA, 0xC);
        assertThat(transform(engine, true, new int[] {1, 2, 3, 4}, 4)).containsExactly(0x3, 0xA, 0x1, 0xC);
        assertThat(transform(engine, false, new int[] {1, 2, 3, 4}, 0)).containsExactly(0x1, 0x3, 0x8, 0x4);
        assertThat(transform(engine, false, new int[] {1, 2, 3, 4}, 4)).containsExactly(0x8, 0x8, 0xE, 0x4);
        assertThat(transform(engine, true, new int[] {1, 2, 3, 4, 5, 6, 7, 8}, 8))
                .containsExactly(0x2, 0x4, 0xC, 0x0, 0x0, 0x4, 0x3, 0x5);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void shouldEvaluateTheNovelBasisPolynomialAndInvert(Engine engine) {
        Random random = new Random(7);
        int size = 16;
        int delta = 48;
        int[] c = new int[size];
        for (int i = 0; i < size; i++) {
            c[i] = random.nextInt(65536);
        }
        int[] e = transform(engine, true, c, delta);
        for (int i = 0; i < size; i++) {
            int expected = 0;
            for (int k = 0; k < size; k++) {
                int term = c[k];
                for (int b = 0; b < 4; b++) {
                    if ((k >>> b & 1) != 0) {
                        term = GaloisField.mul(term, (delta + i) >>> b);
                    }
                }
                expected ^= term;
            }
            assertThat(e[i]).as("FFT output %d", i).isEqualTo(expected);
        }
        assertThat(transform(engine, false, e, delta)).containsExactly(c);
    }
}
