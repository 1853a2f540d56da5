package io.tusk.core.rs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/** Check values of leopard-rs.md sections 1.4 and 2, and the field axioms. */
class GaloisFieldTest {

    @Test
    void shouldMatchExpAndLogCheckValues() {
        int[] exp = {0x0001, 0x4690, 0x65D8, 0x62D0, 0x5734, 0x45F0, 0x53B8, 0x1E38, 0x7CAE};
        for (int i = 0; i < exp.length; i++) {
            assertThat(GaloisField.EXP[i]).as("EXP[%d]", i).isEqualTo(exp[i]);
        }
        assertThat(GaloisField.EXP[65534]).isEqualTo(0x2646);
        assertThat(GaloisField.EXP[65535]).isEqualTo(0x0001);
        int[] log = {65535, 0, 21845, 43690, 17476, 4369, 34952, 8738, 56797};
        for (int i = 0; i < log.length; i++) {
            assertThat(GaloisField.LOG[i]).as("LOG[%d]", i).isEqualTo(log[i]);
        }
        assertThat(GaloisField.log(0x1234)).isEqualTo(15737);
        assertThat(GaloisField.log(0x8000)).isEqualTo(26315);
        assertThat(GaloisField.log(0xFFFF)).isEqualTo(45925);
        assertThat(GaloisField.log(0)).isEqualTo(65535);
        assertThat(GaloisField.CANTOR_TO_POLY[2]).isEqualTo(0xACCA);
        assertThat(GaloisField.CANTOR_TO_POLY[3]).isEqualTo(0xACCB);
        assertThat(GaloisField.CANTOR_TO_POLY[0xFFFF]).isEqualTo(0xB091);
    }

    @Test
    void shouldMatchMultiplicationAndInverseCheckValues() {
        assertThat(GaloisField.mul(2, 2)).isEqualTo(0x0003);
        assertThat(GaloisField.mul(2, 3)).isEqualTo(0x0001);
        assertThat(GaloisField.mul(3, 3)).isEqualTo(0x0002);
        assertThat(GaloisField.mul(0x1234, 0x5678)).isEqualTo(0x35C9);
        assertThat(GaloisField.mul(0xFFFF, 0xFFFF)).isEqualTo(0x8000);
        assertThat(GaloisField.mul(0x8000, 0x0002)).isEqualTo(0xE7E9);
        assertThat(GaloisField.mul(0x4690, 0x4690)).isEqualTo(0x65D8);
        assertThat(GaloisField.inv(2)).isEqualTo(0x0003);
        assertThat(GaloisField.inv(4)).isEqualTo(0x000C);
        assertThat(GaloisField.inv(0x1234)).isEqualTo(0x371E);
        assertThatThrownBy(() -> GaloisField.inv(0)).isInstanceOf(ArithmeticException.class);
    }

    @Test
    void shouldTreatLog65535AsOne() {
        assertThat(GaloisField.mulLog(0x1234, 65535)).isEqualTo(0x1234);
        assertThat(GaloisField.mulLog(0, 5)).isZero();
        assertThat(GaloisField.exp(65535)).isEqualTo(1);
        assertThat(GaloisField.exp(-1)).isEqualTo(GaloisField.EXP[65534]);
    }

    @Test
    void shouldMatchSkewCheckValues() {
        int[] skew = {65535, 65535, 21845, 65535, 17476, 21845, 34952, 65535, 56797, 17476, 30583, 21845, 48059,
            34952, 13107, 65535};
        for (int j = 0; j < skew.length; j++) {
            assertThat(GaloisField.SKEW[j]).as("SKEW[%d]", j).isEqualTo(skew[j]);
        }
        int[][] more = {{62, 41377}, {63, 65535}, {64, 9509}, {100, 1028}, {1000, 3981}, {32766, 57134},
            {32767, 65535}, {32768, 26315}, {65534, 43173}};
        for (int[] e : more) {
            assertThat(GaloisField.SKEW[e[0]]).as("SKEW[%d]", e[0]).isEqualTo(e[1]);
        }
    }

    @Test
    void shouldMatchTheCratesSkewRecurrence() {
        // The generic recurrence of leopard-rs.md section 2, computed independently of the closed form.
        int[] raw = new int[65535];
        int[] temp = new int[15];
        for (int i = 0; i < 15; i++) {
            temp[i] = 1 << (i + 1);
        }
        for (int m = 0; m < 15; m++) {
            int step = 1 << (m + 1);
            raw[(1 << m) - 1] = 0;
            for (int i = m; i < 15; i++) {
                int s = 1 << (i + 1);
                for (int j = (1 << m) - 1; j < s; j += step) {
                    raw[j + s] = raw[j] ^ temp[i];
                }
            }
            int l = 65535 - GaloisField.LOG[GaloisField.mul(temp[m], temp[m] ^ 1)];
            for (int i = m + 1; i < 15; i++) {
                int sum = GaloisField.addMod(GaloisField.LOG[temp[i] ^ 1], l);
                temp[i] = GaloisField.mulLog(temp[i], sum);
            }
        }
        for (int j = 0; j < 65535; j++) {
            assertThat(GaloisField.SKEW[j]).as("SKEW[%d]", j).isEqualTo(GaloisField.LOG[raw[j]]);
        }
    }

    @Property
    void multiplicationIsAssociativeAndCommutative(@ForAll @IntRange(max = 65535) int a,
            @ForAll @IntRange(max = 65535) int b, @ForAll @IntRange(max = 65535) int c) {
        assertThat(GaloisField.mul(a, b)).isEqualTo(GaloisField.mul(b, a));
        assertThat(GaloisField.mul(GaloisField.mul(a, b), c)).isEqualTo(GaloisField.mul(a, GaloisField.mul(b, c)));
    }

    @Property
    void multiplicationDistributesOverAddition(@ForAll @IntRange(max = 65535) int a,
            @ForAll @IntRange(max = 65535) int b, @ForAll @IntRange(max = 65535) int c) {
        assertThat(GaloisField.mul(a, b ^ c)).isEqualTo(GaloisField.mul(a, b) ^ GaloisField.mul(a, c));
    }

    @Property
    void everyNonZeroElementHasAnInverseAndOneIsTheIdentity(@ForAll @IntRange(min = 1, max = 65535) int a) {
        assertThat(GaloisField.mul(a, GaloisField.inv(a))).isEqualTo(1);
        assertThat(GaloisField.mul(a, 1)).isEqualTo(a);
        assertThat(GaloisField.mul(a, 0)).isZero();
        assertThat(GaloisField.exp(GaloisField.log(a))).isEqualTo(a);
    }

    @Test
    void shouldAgreeWithCarrylessMultiplyInThePolynomialBasis() {
        // Independent check of the tables: map to the polynomial basis, multiply there, map back.
        int[] polyToCantor = new int[65536];
        for (int x = 0; x < 65536; x++) {
            polyToCantor[GaloisField.CANTOR_TO_POLY[x]] = x;
        }
        java.util.Random random = new java.util.Random(42);
        for (int n = 0; n < 10_000; n++) {
            int a = random.nextInt(65536);
            int b = random.nextInt(65536);
            int pa = GaloisField.CANTOR_TO_POLY[a];
            int pb = GaloisField.CANTOR_TO_POLY[b];
            int product = 0;
            for (int bit = 0; bit < 16; bit++) {
                if ((pb >>> bit & 1) != 0) {
                    product ^= pa << bit;
                }
            }
            for (int bit = 30; bit >= 16; bit--) {
                if ((product >>> bit & 1) != 0) {
                    product ^= 0x1002D << (bit - 16);
                }
            }
            assertThat(GaloisField.mul(a, b)).as("mul(%d, %d)", a, b).isEqualTo(polyToCantor[product]);
        }
    }
}
