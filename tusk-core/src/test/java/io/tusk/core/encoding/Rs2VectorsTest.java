package io.tusk.core.encoding;

import io.tusk.core.hash.Blake2b256;
import io.tusk.core.metadata.BlobMetadataWithId;
import io.tusk.core.metadata.SliverPairMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden vectors produced by Walrus's own encoder ({@code @mysten/walrus-wasm} 0.3.0), from walrus-protocol.md
 * section 15, leopard-rs.md section 8 and the Walrus regression tests. A failure here means Tusk's blob IDs or
 * slivers are no longer Walrus's: stored blobs would become unreadable by Walrus clients and vice versa.
 */
class Rs2VectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest(name = "{0} bytes at {1} shards")
    @CsvSource({
            "walrus blob id v1 regression test, 10, RcU82Mwf-CFkv1LaI_2qcpANwpGUuG3TMwnVzZxD2kY",
            "some other string, 1000, M4hsZGQ1oCktdzegB6HnI6Mi28S2nqOPHxK-W7_4BUk",
    })
    void shouldReproducePublishedBlobIds(String text, int n, String blobId) {
        byte[] blob = text.getBytes(StandardCharsets.US_ASCII);
        assertThat(new BlobEncoder(n).computeMetadata(blob).blobId()).hasToString(blobId);
    }

    @Test
    void shouldReproducePublishedBlobIdsOfZerosAndEmpty() {
        BlobEncoder encoder = new BlobEncoder(1000);
        assertThat(encoder.computeMetadata(new byte[1000]).blobId()).hasToString("rJL4lspyN0zWTbMDnPGLIJSPbLBeCplfOuyIm05AhdU");
        assertThat(encoder.computeMetadata(new byte[0]).blobId()).hasToString("3GPQL3HZNnFhN_F7l5Aa-X1VOtAKwIsg9zuWk8R81v4");
        assertThat(encoder.config().encodedSize(17)).isEqualTo(66_034_000L);
    }

    @ParameterizedTest(name = "blob {0}: n={1}, length {2}")
    @CsvSource({
            "A, 4, 5, 73f71a2f71f31822d75eca232d3be000b78bf88695a34b0af39c9e39c46c99df, NY0xU8MoYQkIfrKVpL3tTKjbOR5nWqhwIKgp7B6Zl_k, 307, d83dbc68ff00122ac56c0497a4c7d91b3a2bfeeb6511ecaab1d0132e59d11df1",
            "B, 10, 1955, 135713034bf2ecc768877923ad60c4ee3d4a050d680b64d3d5b6a8be0fd87ab7, HmVraBFRokadUw4zJx5G4ORenZGEfzJ-JDFG4cyGA7o, 703, 3e84ac02cae98e16e96aa5a93b851f28b87ea9337af749faac163db0235c6e56",
            "C, 1000, 1000000, 889805657eed709ad613c01d2c1b8ed3564262cbc12ea758c9ed4d3145ecb6e6, w6ZPEQ_sh2Vs4wDuraNRnBbUB3MHn20V_hMS2hZv2bc, 66044, ad02b542961ee5e44d18d07c67f580419cc40100415556c8c88e5b4e0c4e461d",
            "D, 1000, 0, e3fb10a9d88c9e7157c5e112dd6916e44011f5a9d6460bced51ebacf9308e1da, 3GPQL3HZNnFhN_F7l5Aa-X1VOtAKwIsg9zuWk8R81v4, 66044, 01b330df7f718e0233c6a7002c7c7ced65c744bb994d94fab00cb109bb992824",
            "E, 7, 100, 2003084ed1b7a64f96207028dd015b19718b7e1b225a521a73f30a2f5c1089e1, vCnoBxURO20jl7CmsaoGXV8nwQLKY325dofEOeoFM_4, 505, f76572192ce2755aafd2d133cadb945ab25696ca9e047571b72ca5eea89a6c0e",
    })
    void shouldReproduceWalrusMetadata(String name, int n, int length, String root, String blobId, int bcsLength, String bcsHash) {
        BlobMetadataWithId metadata = new BlobEncoder(n).computeMetadata(TestBlobs.patternA(length));
        assertThat(HEX.formatHex(metadata.metadata().rootHash())).isEqualTo(root);
        assertThat(metadata.blobId()).hasToString(blobId);
        byte[] bcs = metadata.toBcs();
        assertThat(bcs).hasSize(bcsLength);
        assertThat(HEX.formatHex(Blake2b256.hash(bcs))).isEqualTo(bcsHash);
        assertThat(BlobMetadataWithId.fromBcs(bcs)).isEqualTo(metadata);
        metadata.verify(new EncodingConfig(n));
    }

    @ParameterizedTest(name = "blob {0}, pair {1}")
    @CsvSource({
            "A, 4, 5, 0, f4780a54d3fbde3fc8a184516f7f01fc882d74ae23b10e3779dd320651594f5c, c0c4c350e443bc2daa6bb9cbe217da489a3f62e370a53ec691f8d164cb64ebc2",
            "A, 4, 5, 3, 4e07e34f632f96839de36046aa1e8a0b08e669d38c59c5c4deebe18008076681, 83c36e8e624891077ba120753527cd424f7793c85eee2eebffc22407715a341c",
            "B, 10, 1955, 0, 6a8eab13cdde607631a70fb3a8a74020ab3e0e0a55cd3281e5343f50a5f39bb4, afe52ff8c657c6d4d8892985fcb531e4069fd87932503915ec374fbe95339518",
            "B, 10, 1955, 4, 9ac53b94a80b2bbbb333ba2e4b3672a9976c748936bee033ed80bafe43775f0f, e418c775bd0f329b00fa87fca79e98f9f5aaf494bd6178226a10756790984160",
            "B, 10, 1955, 9, ed732067d30dea3b4f9088aca7c901f01c201f3ddd0dd63f00e3c676eac68c61, 6187373d7713c0dba69fcfbe94c8fa9259a2b1dd0338f7a1a35f948fa25dffd8",
            "C, 1000, 1000000, 333, be9f690f5c456d6ffdef383016d5b5c17003303cac412da5ce2d403155940eb2, d871de5155718196e0605417815d77d725b790c527fc1b8dc53ffde42bb25a98",
            "C, 1000, 1000000, 667, bb6a517b7e4924d568b2af00d530fa7e6bd689395f27f2be998a1883d27b14a5, 9e9a0546b95e9a7259718c477f1bb314c3b151467892e513719c9d5e5f844202",
            "C, 1000, 1000000, 999, c9e3c701a90b99f9642d0985a90f73972fd9ff26c6928ad31b343ad2efd4e524, 3b223c0372fd84df0fc76a767d79161dd38a51617c5e61e945bd7fd200bcb1db",
            "E, 7, 100, 6, 6f3ecef06bfc49089ad085da51a2c9ad9750a5df031412667652418d5b6ab58b, 355abcaff1202a9cf5c9ddeba2ff5a46eff0da0fef21c74f595a84d2af87c50d",
    })
    void shouldReproduceWalrusSliverHashes(String name, int n, int length, int pair, String primary, String secondary) {
        SliverPairMetadata hashes = new BlobEncoder(n).computeMetadata(TestBlobs.patternA(length)).metadata().hashes().get(pair);
        assertThat(HEX.formatHex(hashes.primaryHash().bytes())).isEqualTo(primary);
        assertThat(HEX.formatHex(hashes.secondaryHash().bytes())).isEqualTo(secondary);
    }

    @Test
    void shouldReproduceWalrusSliverDataOfBlobB() {
        EncodedBlob encoded = new BlobEncoder(10).encode(TestBlobs.patternA(1955));
        byte[] primary0 = encoded.pairs().get(0).primary().toBcs();
        byte[] secondary9 = encoded.pairs().get(0).secondary().toBcs();
        byte[] secondary0 = encoded.pairs().get(9).secondary().toBcs();
        assertThat(primary0).hasSize(496);
        assertThat(HEX.formatHex(Blake2b256.hash(primary0))).isEqualTo("b0ddfa249a3bc0fe84f3e1b039d559aff494604d1a7739c9c3b121bf9ecf2a82");
        assertThat(secondary9).hasSize(286);
        assertThat(HEX.formatHex(Blake2b256.hash(secondary9))).isEqualTo("870116c6d5e2c70a7327ad9b26d481ee738bc173a5fc391467c70e117891e1aa");
        assertThat(HEX.formatHex(Blake2b256.hash(secondary0))).isEqualTo("f09dc263f6479942b485a12d10afbbaa0a77fc084750ea11764b82c6e9751584");
    }

    @Test
    void shouldReproduceTheExpandedMatrixOfBlobA() {
        EncodedBlob encoded = new BlobEncoder(4).encode(TestBlobs.patternA(5));
        // Rows of the 4x4 expanded matrix (walrus-protocol.md section 15); primary sliver r = the first 3 cells.
        String[] rows = {"0d141b222900", "000000000000", "c8335d181c00", "c527463a3500"};
        for (int r = 0; r < 4; r++) {
            assertThat(HEX.formatHex(encoded.pairs().get(r).primary().data())).isEqualTo(rows[r]);
        }
        // Secondary sliver 3 (pair 0) is column 3 restricted to the p = 2 systematic rows.
        assertThat(HEX.formatHex(encoded.pairs().get(0).secondary().data())).isEqualTo("3f360000");
    }

    @Test
    void shouldReproduceLeopardSliverVectorsAtTenShards() {
        byte[] blob = new byte[56];
        for (int i = 0; i < blob.length; i++) {
            blob[i] = (byte) i;
        }
        EncodedBlob encoded = new BlobEncoder(10).encode(blob);
        String[] primary = {"704b8eb9cdcca049874ddc4b5346", "1c5e5f927af8b25be95dce59355e", "dc86b1037a9f846d0b60f067d763",
                "88ab4008d5b3967f6d78e275b973", "01d15725de4d31831688e588b28d", "e52d8588e2162391d091f79a7c9c"};
        for (int i = 0; i < primary.length; i++) {
            assertThat(HEX.formatHex(encoded.pairs().get(4 + i).primary().data())).isEqualTo(primary[i]);
        }
        String[] secondary = {"bb0db30751704102", "9c03f37d1ec779d1", "a2060e50ab5d3f53"};
        for (int j = 0; j < secondary.length; j++) {
            int sliverIndex = 7 + j;
            assertThat(HEX.formatHex(encoded.pairs().get(9 - sliverIndex).secondary().data())).isEqualTo(secondary[j]);
        }
    }

    @ParameterizedTest(name = "n={0}, symbol {1}")
    @CsvSource({
            "10, 2, 7c539118344cb2ff404788ee6d5196a0c6cb8485c3140d06e206b0dbfc983e3a, 3c432797a4c0d537ee94a837b79c920a3f15f391ce4068e37063f436adf50382, d0sh6LvrkF3UQW5BfC1LNDuVo1wJ_1qTN36MDbXwgTQ",
            "100, 66, 0521338a9d2f450d30568d6ea1612d27d4788b749e9cf6d4ece8b0315123ea30, 715d8977c09bf1d49579dd5dddc83c26f193e79a357e726d63c86c6095ed42ef, 9qIHyZFvKiVYK_Kecrv62ummMczT8Q0rdHMv4j0bP_w",
            "1000, 130, fa32ca8357d177c12e17fc2b33f3fa4bf5e8dba9905c8b0a6ba3d455282c203f, ab5b8f7ab083a1c36ef473fca32c3d42fc4efc306829134cddb50538b0d5acbb, 8WMxkYEJBmKWjq-cpTdrISK1OKCja8EOEzRBnYlGDx8",
    })
    void shouldReproduceLeopardRepairSliverHashes(int n, int sym, String pHash, String sHash, String blobId) throws Exception {
        EncodingConfig config = new EncodingConfig(n);
        int length = (int) (config.sourceSymbolCount() * sym);
        byte[] blob = new byte[length];
        for (int i = 0; i < length; i++) {
            blob[i] = (byte) ((7L * i * i + 13L * i + 5) % 251);
        }
        EncodedBlob encoded = new BlobEncoder(config).encode(blob);
        assertThat(encoded.blobId()).hasToString(blobId);
        ByteArrayOutputStream primaries = new ByteArrayOutputStream();
        for (int i = config.primarySourceSymbols(); i < n; i++) {
            primaries.write(encoded.pairs().get(i).primary().data());
        }
        ByteArrayOutputStream secondaries = new ByteArrayOutputStream();
        for (int j = config.secondarySourceSymbols(); j < n; j++) {
            secondaries.write(encoded.pairs().get(n - 1 - j).secondary().data());
        }
        assertThat(HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(primaries.toByteArray()))).isEqualTo(pHash);
        assertThat(HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(secondaries.toByteArray()))).isEqualTo(sHash);
    }
}
