package io.tusk.core.rs;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Hash vectors of leopard-rs.md section 8 (oracle: @mysten/walrus-wasm), reproduced at the kernel level: every
 * recovery symbol of the primary code (per column of the p x s message matrix) and of the secondary code (per
 * row), one Walrus symbol per shard.
 */
class WalrusVectorsTest {

    @ParameterizedTest(name = "n={0} sym={1}")
    @CsvSource({
        "10, 2, 7c539118344cb2ff404788ee6d5196a0c6cb8485c3140d06e206b0dbfc983e3a,"
                + " 3c432797a4c0d537ee94a837b79c920a3f15f391ce4068e37063f436adf50382",
        "100, 66, 0521338a9d2f450d30568d6ea1612d27d4788b749e9cf6d4ece8b0315123ea30,"
                + " 715d8977c09bf1d49579dd5dddc83c26f193e79a357e726d63c86c6095ed42ef",
        "1000, 130, fa32ca8357d177c12e17fc2b33f3fa4bf5e8dba9905c8b0a6ba3d455282c203f,"
                + " ab5b8f7ab083a1c36ef473fca32c3d42fc4efc306829134cddb50538b0d5acbb"})
    void shouldReproduceSliverHashes(int n, int sym, String primaryHash, String secondaryHash) throws Exception {
        int f = (n - 1) / 3;
        int p = n - 2 * f;
        int s = n - f;
        byte[] blob = new byte[p * s * sym];
        for (long i = 0; i < blob.length; i++) {
            blob[(int) i] = (byte) ((7 * i * i + 13 * i + 5) % 251);
        }
        ReedSolomonCode primary = ReedSolomonCode.of(p, n - p);
        ReedSolomonCode secondary = ReedSolomonCode.of(s, n - s);

        // primary sliver p + j, symbol c = recovery j of column c
        byte[][] primarySlivers = new byte[n - p][s * sym];
        for (int c = 0; c < s; c++) {
            byte[][] column = new byte[p][];
            for (int row = 0; row < p; row++) {
                column[row] = java.util.Arrays.copyOfRange(blob, (row * s + c) * sym, (row * s + c + 1) * sym);
            }
            byte[][] recovery = new byte[n - p][];
            primary.encode(column, recovery);
            for (int j = 0; j < n - p; j++) {
                System.arraycopy(recovery[j], 0, primarySlivers[j], c * sym, sym);
            }
        }
        // secondary sliver s + j, symbol r = recovery j of row r
        byte[][] secondarySlivers = new byte[n - s][p * sym];
        for (int row = 0; row < p; row++) {
            byte[][] cells = new byte[s][];
            for (int c = 0; c < s; c++) {
                cells[c] = java.util.Arrays.copyOfRange(blob, (row * s + c) * sym, (row * s + c + 1) * sym);
            }
            byte[][] recovery = new byte[n - s][];
            secondary.encode(cells, recovery);
            for (int j = 0; j < n - s; j++) {
                System.arraycopy(recovery[j], 0, secondarySlivers[j], row * sym, sym);
            }
        }
        assertThat(sha256(primarySlivers)).as("P-hash: primary slivers %d..%d", p, n - 1).isEqualTo(primaryHash);
        assertThat(sha256(secondarySlivers)).as("S-hash: secondary slivers %d..%d", s, n - 1)
                .isEqualTo(secondaryHash);
    }

    private static String sha256(byte[][] parts) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        for (byte[] part : parts) {
            digest.update(part);
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
