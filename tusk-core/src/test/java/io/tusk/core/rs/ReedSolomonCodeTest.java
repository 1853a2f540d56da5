package io.tusk.core.rs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Check vectors of leopard-rs.md sections 4, 6 and 8, and argument validation. */
class ReedSolomonCodeTest {

    static Stream<Kernel> kernels() {
        return Stream.of(Kernel.SCALAR, Kernel.VECTOR, Kernel.AUTO);
    }

    /** Encodes one lane per shard (2-byte shards), returns the recovery elements. */
    static int[] encodeElements(ReedSolomonCode code, int[] originals, Kernel kernel) {
        byte[][] o = new byte[originals.length][];
        for (int i = 0; i < originals.length; i++) {
            o[i] = new byte[] {(byte) originals[i], (byte) (originals[i] >>> 8)};
        }
        byte[][] rec = new byte[code.recoveryCount()][];
        code.encode(o, rec, kernel);
        int[] out = new int[rec.length];
        for (int j = 0; j < rec.length; j++) {
            out[j] = (rec[j][0] & 0xFF) | (rec[j][1] & 0xFF) << 8;
        }
        return out;
    }

    static int[] checkOriginals(int k) {
        int[] o = new int[k];
        for (int i = 0; i < k; i++) {
            o[i] = 0x1234 * (i + 1) & 0xFFFF;
        }
        return o;
    }

    static Stream<Arguments> elementVectors() {
        return Stream.of(
                Arguments.of(3, 5, Rate.LOW, "F34D C545 D766 E1AE 80E4", "676B 4C3B 7182 5A46 88FC"),
                Arguments.of(4, 6, Rate.LOW, "8B65 009F 370C F4E6 95AC CE87", "5793 9CA9 FC88 C204 AD4C C8EB"),
                Arguments.of(5, 3, Rate.HIGH, "E799 1FB8 CBDC", "7F4C D88A 7383"),
                Arguments.of(7, 3, Rate.HIGH, "5B90 8FE0 351B", "40CD E68F 5FD2"),
                Arguments.of(2, 2, Rate.HIGH, "0F09 3955", "0F09 3955"),
                Arguments.of(3, 1, Rate.HIGH, "00C0", "F34D"),
                Arguments.of(1, 3, Rate.LOW, "1234 1234 1234", "CD38 F070 A3F8"));
    }

    private static int[] hexElements(String s) {
        return Stream.of(s.split(" ")).mapToInt(h -> Integer.parseInt(h, 16)).toArray();
    }

    @ParameterizedTest(name = "k={0} r={1}")
    @MethodSource("elementVectors")
    void shouldMatchElementLevelVectorsForBothRates(int k, int r, Rate rate, String expected, String otherRate) {
        ReedSolomonCode code = ReedSolomonCode.of(k, r);
        assertThat(code.rate()).isEqualTo(rate);
        Rate other = rate == Rate.LOW ? Rate.HIGH : Rate.LOW;
        for (Kernel kernel : Kernel.values()) {
            assertThat(encodeElements(code, checkOriginals(k), kernel)).as("%s", kernel)
                    .containsExactly(hexElements(expected));
            assertThat(encodeElements(ReedSolomonCode.of(k, r, other), checkOriginals(k), kernel))
                    .as("forced %s, %s", other, kernel).containsExactly(hexElements(otherRate));
        }
    }

    /** Closed forms of sections 4.2 and 4.3, independent of the FFT, for Walrus's n = 1000 and n = 100 codes. */
    @ParameterizedTest(name = "k={0} r={1} {2}")
    @MethodSource("closedFormCases")
    void shouldMatchClosedForms(int k, int r, Rate rate) {
        ReedSolomonCode code = ReedSolomonCode.of(k, r, rate);
        Random random = new Random(k * 31L + r);
        int[] o = new int[k];
        for (int i = 0; i < k; i++) {
            o[i] = random.nextInt(65536);
        }
        int[] expected = new int[r];
        if (rate == Rate.LOW) {
            int p = ReedSolomonCode.nextPowerOfTwo(k);
            int shift = Integer.numberOfTrailingZeros(p);
            for (int j = 0; j < r; j++) {
                int sum = 0;
                for (int i = 0; i < k; i++) {
                    sum ^= GaloisField.mul(o[i], GaloisField.inv((p + j) ^ i));
                }
                expected[j] = GaloisField.mul((p + j) >>> shift, sum);
            }
        } else {
            int m = ReedSolomonCode.nextPowerOfTwo(r);
            int shift = Integer.numberOfTrailingZeros(m);
            for (int j = 0; j < r; j++) {
                int sum = 0;
                for (int i = 0; i < k; i++) {
                    sum ^= GaloisField.mul(GaloisField.mul(o[i], (m + i) >>> shift), GaloisField.inv(j ^ (m + i)));
                }
                expected[j] = sum;
            }
        }
        for (Kernel kernel : Kernel.values()) {
            assertThat(encodeElements(code, o, kernel)).as("%s", kernel).containsExactly(expected);
        }
    }

    static Stream<Arguments> closedFormCases() {
        return Stream.of(
                Arguments.of(334, 666, Rate.LOW), Arguments.of(667, 333, Rate.HIGH),
                Arguments.of(34, 66, Rate.LOW), Arguments.of(67, 33, Rate.HIGH),
                Arguments.of(9, 4, Rate.HIGH), Arguments.of(5, 8, Rate.HIGH),
                Arguments.of(100, 37, Rate.LOW), Arguments.of(20, 70, Rate.HIGH));
    }

    @Test
    void shouldChooseRatesAsTheCrate() {
        assertThat(ReedSolomonCode.of(334, 666).rate()).isEqualTo(Rate.LOW);
        assertThat(ReedSolomonCode.of(667, 333).rate()).isEqualTo(Rate.HIGH);
        assertThat(ReedSolomonCode.of(34, 66).rate()).isEqualTo(Rate.LOW);
        assertThat(ReedSolomonCode.of(67, 33).rate()).isEqualTo(Rate.HIGH);
        assertThat(ReedSolomonCode.of(5, 8).rate()).isEqualTo(Rate.HIGH);
        assertThat(ReedSolomonCode.of(9, 4).rate()).isEqualTo(Rate.HIGH);
        assertThat(ReedSolomonCode.of(2, 2).rate()).isEqualTo(Rate.HIGH);
        assertThat(ReedSolomonCode.of(3, 1).rate()).isEqualTo(Rate.HIGH);
        assertThat(ReedSolomonCode.of(4, 3).rate()).isEqualTo(Rate.LOW);
        assertThat(ReedSolomonCode.of(334, 666)).isSameAs(ReedSolomonCode.of(334, 666));
    }

    @Test
    void shouldRejectInvalidCodesWithTheNumbers() {
        assertThatThrownBy(() -> ReedSolomonCode.of(0, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("original count 0").hasMessageContaining("recovery count 3");
        assertThatThrownBy(() -> ReedSolomonCode.of(3, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReedSolomonCode.of(40000, 30000)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("40000");
        assertThat(ReedSolomonCode.of(32768, 32768).rate()).isEqualTo(Rate.HIGH);
        assertThat(ReedSolomonCode.of(60000, 3000).rate()).isEqualTo(Rate.HIGH);
    }

    @Test
    void shouldRejectBadShardLengths() {
        ReedSolomonCode code = ReedSolomonCode.of(2, 2);
        assertThatThrownBy(() -> code.encode(new byte[][] {new byte[3], new byte[3]}, new byte[2][]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("3");
        assertThatThrownBy(() -> code.encode(new byte[][] {new byte[4], new byte[6]}, new byte[2][]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("6").hasMessageContaining("4");
        assertThatThrownBy(() -> code.encode(new byte[][] {new byte[4]}, new byte[2][]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k = 2");
        assertThatThrownBy(() -> code.encode(new byte[][] {new byte[96], new byte[96]},
                new byte[][] {new byte[96], new byte[96]}, 0, 64))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("96");
    }

    @Test
    void shouldReportMissingShardCounts() {
        ReedSolomonCode code = ReedSolomonCode.of(334, 666);
        byte[][] originals = new byte[334][];
        byte[][] recovery = new byte[666][];
        for (int j = 0; j < 120; j++) {
            recovery[j] = new byte[2];
        }
        assertThatThrownBy(() -> code.reconstruct(originals, recovery))
                .isInstanceOf(NotEnoughShardsException.class).hasMessage("need 334 shards, got 120")
                .satisfies(e -> {
                    assertThat(((NotEnoughShardsException) e).needed()).isEqualTo(334);
                    assertThat(((NotEnoughShardsException) e).received()).isEqualTo(120);
                });
    }

    /** Section 6: which bytes form the low and high halves of the same lane, for several shard sizes. */
    @ParameterizedTest(name = "sym={0}")
    @MethodSource("layoutCases")
    void shouldPairBytesAsTheCrate(int sym, int[][] pairs) {
        // In the (2, 2) code, recovery 0 of originals (x, 0) is x times a constant c != 1, lane by lane, so a
        // value placed in one lane must come back multiplied by c in exactly the same two bytes.
        ReedSolomonCode code = ReedSolomonCode.of(2, 2);
        int[] unitRecovery = encodeElements(code, new int[] {0x0001, 0}, Kernel.SCALAR);
        for (Kernel kernel : Kernel.values()) {
            for (int[] pair : pairs) {
                byte[][] originals = {new byte[sym], new byte[sym]};
                originals[0][pair[0]] = 0x34;
                originals[0][pair[1]] = 0x12;
                byte[][] recovery = new byte[2][];
                code.encode(originals, recovery, kernel);
                int expected = GaloisField.mul(0x1234, unitRecovery[0]);
                byte[] want = new byte[sym];
                want[pair[0]] = (byte) expected;
                want[pair[1]] = (byte) (expected >>> 8);
                assertThat(recovery[0]).as("%s, lane bytes (%d, %d)", kernel, pair[0], pair[1]).isEqualTo(want);
            }
        }
    }

    static Stream<Arguments> layoutCases() {
        return Stream.of(
                Arguments.of(2, new int[][] {{0, 1}}),
                Arguments.of(62, new int[][] {{0, 31}, {5, 36}, {30, 61}}),
                Arguments.of(64, new int[][] {{0, 32}, {17, 49}, {31, 63}}),
                Arguments.of(66, new int[][] {{0, 32}, {31, 63}, {64, 65}}),
                Arguments.of(130, new int[][] {{0, 32}, {64, 96}, {95, 127}, {128, 129}}),
                Arguments.of(200, new int[][] {{128, 160}, {192, 196}, {195, 199}}));
    }

    /** Section 8: n = 10 Walrus slivers of the blob 0x00..0x37, computed at the kernel level. */
    @Test
    void shouldReproduceWalrusSliversForTenShards() {
        HexFormat hex = HexFormat.of();
        String[] primary = {"704b8eb9cdcca049874ddc4b5346", "1c5e5f927af8b25be95dce59355e",
            "dc86b1037a9f846d0b60f067d763", "88ab4008d5b3967f6d78e275b973", "01d15725de4d31831688e588b28d",
            "e52d8588e2162391d091f79a7c9c"};
        String[] secondary = {"bb0db30751704102", "9c03f37d1ec779d1", "a2060e50ab5d3f53"};
        int rows = 4;
        int columns = 7;
        byte[][][] cell = new byte[rows][columns][];
        for (int row = 0; row < rows; row++) {
            for (int col = 0; col < columns; col++) {
                int b = (row * columns + col) * 2;
                cell[row][col] = new byte[] {(byte) b, (byte) (b + 1)};
            }
        }
        for (Kernel kernel : Kernel.values()) {
            ReedSolomonCode primaryCode = ReedSolomonCode.of(4, 6);
            byte[][] primarySlivers = new byte[6][14];
            for (int col = 0; col < columns; col++) {
                byte[][] originals = new byte[rows][];
                for (int row = 0; row < rows; row++) {
                    originals[row] = cell[row][col];
                }
                byte[][] recovery = new byte[6][];
                primaryCode.encode(originals, recovery, kernel);
                for (int j = 0; j < 6; j++) {
                    System.arraycopy(recovery[j], 0, primarySlivers[j], 2 * col, 2);
                }
            }
            for (int j = 0; j < 6; j++) {
                assertThat(hex.formatHex(primarySlivers[j])).as("primary sliver %d, %s", 4 + j, kernel)
                        .isEqualTo(primary[j]);
            }
            ReedSolomonCode secondaryCode = ReedSolomonCode.of(7, 3);
            byte[][] secondarySlivers = new byte[3][8];
            for (int row = 0; row < rows; row++) {
                byte[][] recovery = new byte[3][];
                secondaryCode.encode(cell[row], recovery, kernel);
                for (int j = 0; j < 3; j++) {
                    System.arraycopy(recovery[j], 0, secondarySlivers[j], 2 * row, 2);
                }
            }
            for (int j = 0; j < 3; j++) {
                assertThat(hex.formatHex(secondarySlivers[j])).as("secondary sliver %d, %s", 7 + j, kernel)
                        .isEqualTo(secondary[j]);
            }
        }
    }

    /** Section 8: n = 7, sym = 66 (a tail lane), blob byte i = (7i + 3) mod 256. */
    @Test
    void shouldReproduceWalrusSliversForSevenShardsWithTails() {
        int sym = 66;
        int p = 3;
        int s = 5;
        byte[] blob = new byte[p * s * sym];
        for (int i = 0; i < blob.length; i++) {
            blob[i] = (byte) (7 * i + 3);
        }
        HexFormat hex = HexFormat.of();
        for (Kernel kernel : Kernel.values()) {
            ReedSolomonCode primaryCode = ReedSolomonCode.of(3, 4);
            // primary sliver 3 (recovery 0) symbol 0 = recovery of column 0; sliver 4 = recovery 1.
            byte[][] column0 = new byte[p][];
            for (int row = 0; row < p; row++) {
                column0[row] = java.util.Arrays.copyOfRange(blob, (row * s) * sym, (row * s + 1) * sym);
            }
            byte[][] recovery = new byte[4][];
            primaryCode.encode(column0, recovery, kernel);
            assertThat(hex.formatHex(recovery[0], 0, 16)).as("%s", kernel)
                    .isEqualTo("ed4e84b24919d3fde457be3ee10d5eba");
            assertThat(hex.formatHex(recovery[0], 64, 66)).isEqualTo("cc27");
            assertThat(hex.formatHex(recovery[1], 0, 16)).isEqualTo("f9f79511888b9162ff20714c28afea72");
            ReedSolomonCode secondaryCode = ReedSolomonCode.of(5, 2);
            byte[][] row0 = new byte[s][];
            for (int col = 0; col < s; col++) {
                row0[col] = java.util.Arrays.copyOfRange(blob, col * sym, (col + 1) * sym);
            }
            byte[][] secondaryRecovery = new byte[2][];
            secondaryCode.encode(row0, secondaryRecovery, kernel);
            assertThat(hex.formatHex(secondaryRecovery[0], 0, 16)).isEqualTo("9c3ab6671aed0ea8c003cfcd05f5c2e2");
        }
    }

    @Test
    void shouldReconstructFromRecoveryOnlyForWalrusSizedCodes() {
        Random random = new Random(1234);
        for (int[] kr : new int[][] {{334, 666}, {667, 333}}) {
            ReedSolomonCode code = ReedSolomonCode.of(kr[0], kr[1]);
            int length = 192 + 2;
            byte[][] originals = new byte[kr[0]][length];
            for (byte[] o : originals) {
                random.nextBytes(o);
            }
            byte[][] recovery = new byte[kr[1]][];
            code.encode(originals, recovery);
            // drop as many originals as possible, keeping exactly k shards
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < kr[0] + kr[1]; i++) {
                all.add(i);
            }
            java.util.Collections.shuffle(all, random);
            byte[][] o2 = new byte[kr[0]][];
            byte[][] r2 = new byte[kr[1]][];
            for (int n = 0; n < kr[0]; n++) {
                int idx = all.get(n);
                if (idx < kr[0]) {
                    o2[idx] = originals[idx].clone();
                } else {
                    r2[idx - kr[0]] = recovery[idx - kr[0]];
                }
            }
            code.reconstruct(o2, r2);
            for (int i = 0; i < kr[0]; i++) {
                assertThat(o2[i]).as("original %d of %s", i, code).isEqualTo(originals[i]);
            }
        }
    }

    @Test
    void shouldGiveTheSameResultsFromConcurrentThreads() throws Exception {
        int[][] codes = {{334, 666}, {667, 333}, {34, 66}, {67, 33}};
        int length = 4096 + 66;
        Random random = new Random(99);
        byte[][][] originals = new byte[codes.length][][];
        byte[][][] expected = new byte[codes.length][][];
        for (int c = 0; c < codes.length; c++) {
            originals[c] = new byte[codes[c][0]][length];
            for (byte[] o : originals[c]) {
                random.nextBytes(o);
            }
            expected[c] = new byte[codes[c][1]][];
            ReedSolomonCode.of(codes[c][0], codes[c][1]).encode(originals[c], expected[c]);
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<byte[][]>> results = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int c = 0; c < codes.length; c++) {
                    int code = c;
                    results.add(pool.submit(() -> {
                        byte[][] recovery = new byte[codes[code][1]][];
                        ReedSolomonCode.of(codes[code][0], codes[code][1]).encode(originals[code], recovery);
                        return recovery;
                    }));
                }
            }
            for (int i = 0; i < results.size(); i++) {
                byte[][] got = results.get(i).get();
                byte[][] want = expected[i % codes.length];
                for (int j = 0; j < want.length; j++) {
                    assertThat(got[j]).as("task %d recovery %d", i, j).isEqualTo(want[j]);
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Every k-subset of the k + r shards, for every small code and both rates (where valid). */
    @Test
    void shouldReconstructFromEveryMinimalSubsetOfSmallCodes() {
        Random random = new Random(5);
        for (int k = 1; k <= 7; k++) {
            for (int r = 1; k + r <= 10; r++) {
                for (Rate rate : Rate.values()) {
                    ReedSolomonCode code = ReedSolomonCode.of(k, r, rate);
                    int length = 66;
                    byte[][] originals = new byte[k][length];
                    for (byte[] o : originals) {
                        random.nextBytes(o);
                    }
                    byte[][] recovery = new byte[r][];
                    code.encode(originals, recovery);
                    int total = k + r;
                    for (int mask = 0; mask < 1 << total; mask++) {
                        if (Integer.bitCount(mask) != k) {
                            continue;
                        }
                        byte[][] o = new byte[k][];
                        byte[][] rec = new byte[r][];
                        for (int i = 0; i < total; i++) {
                            if ((mask >>> i & 1) != 0) {
                                if (i < k) {
                                    o[i] = originals[i].clone();
                                } else {
                                    rec[i - k] = recovery[i - k];
                                }
                            }
                        }
                        code.reconstruct(o, rec);
                        for (int i = 0; i < k; i++) {
                            assertThat(o[i]).as("%s, shards %s, original %d", code, Integer.toBinaryString(mask), i)
                                    .isEqualTo(originals[i]);
                        }
                    }
                }
            }
        }
    }

    /** Codes near the field's limits: closed form at sampled recovery indices, then a random minimal decode. */
    @ParameterizedTest(name = "k={0} r={1}")
    @org.junit.jupiter.params.provider.CsvSource({"60000, 3000", "3000, 60000", "32768, 32768", "4000, 4000"})
    void shouldHandleCodesNearTheFieldLimit(int k, int r) {
        ReedSolomonCode code = ReedSolomonCode.of(k, r);
        Random random = new Random(k ^ (long) r << 20);
        int[] o = new int[k];
        byte[][] originals = new byte[k][2];
        for (int i = 0; i < k; i++) {
            o[i] = random.nextInt(65536);
            originals[i][0] = (byte) o[i];
            originals[i][1] = (byte) (o[i] >>> 8);
        }
        byte[][] recovery = new byte[r][];
        code.encode(originals, recovery);
        int chunk = code.rate() == Rate.LOW ? ReedSolomonCode.nextPowerOfTwo(k) : ReedSolomonCode.nextPowerOfTwo(r);
        int shift = Integer.numberOfTrailingZeros(chunk);
        for (int j : new int[] {0, 1, r / 2, r - chunk / 2 - 1, r - 1}) {
            if (j < 0) {
                continue;
            }
            int expected = 0;
            if (code.rate() == Rate.LOW) {
                for (int i = 0; i < k; i++) {
                    expected ^= GaloisField.mul(o[i], GaloisField.inv((chunk + j) ^ i));
                }
                expected = GaloisField.mul((chunk + j) >>> shift, expected);
            } else {
                for (int i = 0; i < k; i++) {
                    expected ^= GaloisField.mul(GaloisField.mul(o[i], (chunk + i) >>> shift),
                            GaloisField.inv(j ^ (chunk + i)));
                }
            }
            int got = (recovery[j][0] & 0xFF) | (recovery[j][1] & 0xFF) << 8;
            assertThat(got).as("%s recovery %d", code, j).isEqualTo(expected);
        }
        List<Integer> indices = new ArrayList<>();
        for (int i = 0; i < k + r; i++) {
            indices.add(i);
        }
        java.util.Collections.shuffle(indices, random);
        byte[][] o2 = new byte[k][];
        byte[][] r2 = new byte[r][];
        for (int idx : indices.subList(0, k)) {
            if (idx < k) {
                o2[idx] = originals[idx];
            } else {
                r2[idx - k] = recovery[idx - k];
            }
        }
        code.reconstruct(o2, r2);
        for (int i = 0; i < k; i++) {
            assertThat(o2[i]).as("%s original %d", code, i).isEqualTo(originals[i]);
        }
    }

    @Test
    void shouldReconstructDisjointRangesInParallel() throws Exception {
        ReedSolomonCode code = ReedSolomonCode.of(334, 666);
        int length = 64 * 40;
        Random random = new Random(3);
        byte[][] originals = new byte[334][length];
        for (byte[] o : originals) {
            random.nextBytes(o);
        }
        byte[][] recovery = new byte[666][length];
        code.encode(originals, recovery, 0, length);
        boolean[] missing = new boolean[334];
        byte[][] work = new byte[334][];
        for (int i = 0; i < 334; i++) {
            missing[i] = i % 3 != 0;
            work[i] = missing[i] ? new byte[length] : originals[i];
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            List<java.util.concurrent.Future<?>> parts = new ArrayList<>();
            for (int part = 0; part < 8; part++) {
                int from = part * length / 8;
                int to = (part + 1) * length / 8;
                parts.add(pool.submit(() -> code.reconstruct(work, missing, recovery, from, to)));
            }
            for (java.util.concurrent.Future<?> part : parts) {
                part.get();
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < 334; i++) {
            assertThat(work[i]).as("original %d", i).isEqualTo(originals[i]);
        }
    }
}
