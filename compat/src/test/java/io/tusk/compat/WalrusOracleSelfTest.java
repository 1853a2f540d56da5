package io.tusk.compat;

import static io.tusk.compat.TestBytes.blake2b256;
import static io.tusk.compat.TestBytes.hex;
import static io.tusk.compat.TestBytes.patternA;
import static io.tusk.compat.TestBytes.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Checks that the harness reads the oracle right: every value here was published (walrus-protocol.md §15,
 * leopard-rs.md §8, Walrus's own blob-ID regression test) and needs no Tusk code.
 */
class WalrusOracleSelfTest {
    private final WalrusOracle oracle = WalrusOracle.shared();

    @Test
    void shouldRunThePinnedWasmEncoder() {
        assertThat(oracle.wasmVersion()).isEqualTo(WalrusOracle.EXPECTED_WASM_VERSION);
        assertThat(oracle.nodeVersion()).startsWith("v");
    }

    @ParameterizedTest(name = "{0} bytes at n={1}")
    @CsvSource({
        "walrus blob id v1 regression test, 10, RcU82Mwf-CFkv1LaI_2qcpANwpGUuG3TMwnVzZxD2kY",
        "some other string, 1000, M4hsZGQ1oCktdzegB6HnI6Mi28S2nqOPHxK-W7_4BUk",
        "ZEROS-1000, 1000, rJL4lspyN0zWTbMDnPGLIJSPbLBeCplfOuyIm05AhdU",
        "EMPTY, 1000, 3GPQL3HZNnFhN_F7l5Aa-X1VOtAKwIsg9zuWk8R81v4",
    })
    void shouldReproducePublishedBlobIds(String text, int n, String blobId) {
        byte[] blob = switch (text) {
            case "ZEROS-1000" -> new byte[1000];
            case "EMPTY" -> new byte[0];
            default -> text.getBytes(StandardCharsets.US_ASCII);
        };
        OracleMetadata computed = oracle.metadata(n, blob);
        assertThat(computed.blobIdBase64()).isEqualTo(blobId);
        assertThat(computed.unencodedLength()).isEqualTo(blob.length);
        assertThat(computed.encodingType()).isEqualTo("RS2");
        assertThat(computed.hasSliverHashes()).isFalse();

        OracleEncoding encoding = oracle.encode(n, blob);
        assertThat(encoding.metadata().blobIdBase64()).isEqualTo(blobId);
        assertThat(encoding.metadata().rootHash()).isEqualTo(computed.rootHash());
        assertConsistent(encoding, blob.length);
    }

    @Test
    void shouldReproduceBlobA() {
        OracleEncoding a = oracle.encode(4, patternA(5));
        assertConsistent(a, 5);
        assertThat(a.symbolSize()).isEqualTo(2);
        // The expanded 4×4 matrix of 2-byte cells; primary sliver r = cells (r, 0..2), secondary c = cells (0..1, c).
        String[][] cells = {
            {"0d14", "1b22", "2900", "3f36"},
            {"0000", "0000", "0000", "0000"},
            {"c833", "5d18", "1c00", "892b"},
            {"c527", "463a", "3500", "b61d"},
        };
        for (int r = 0; r < 4; r++) {
            assertThat(hex(SliverDataBcs.parse(a.primarySliverData(r)).data()))
                    .as("primary sliver %d", r).isEqualTo(cells[r][0] + cells[r][1] + cells[r][2]);
        }
        for (int c = 0; c < 4; c++) {
            assertThat(hex(SliverDataBcs.parse(a.secondarySliverData(c)).data()))
                    .as("secondary sliver %d", c).isEqualTo(cells[0][c] + cells[1][c]);
        }
        assertHashes(a, new String[][] {
            {"0", "f4780a54d3fbde3fc8a184516f7f01fc882d74ae23b10e3779dd320651594f5c",
                "c0c4c350e443bc2daa6bb9cbe217da489a3f62e370a53ec691f8d164cb64ebc2"},
            {"1", "13074e96471909b77d6fcc0f3c34b4a9ddae340306af0213e5e31d08d4158b86",
                "bef55d416d1d5b1d2c2f514a1e3464e4d0b3337ea8d23ce7d2aca941e062ac26"},
            {"2", "c31c00a9f2f5f3a0fd18eb0eb9647bce38cae835d01bcbfbdef05a2d4bdb7870",
                "b16398a4a2ea15951f7ea1640b85d1bd8fbfcafd902a97edabb42db9cefc5887"},
            {"3", "4e07e34f632f96839de36046aa1e8a0b08e669d38c59c5c4deebe18008076681",
                "83c36e8e624891077ba120753527cd424f7793c85eee2eebffc22407715a341c"},
        });
        assertIds(a, "73f71a2f71f31822d75eca232d3be000b78bf88695a34b0af39c9e39c46c99df",
                "NY0xU8MoYQkIfrKVpL3tTKjbOR5nWqhwIKgp7B6Zl_k");
        assertMetadataBcs(a, 307, "d83dbc68ff00122ac56c0497a4c7d91b3a2bfeeb6511ecaab1d0132e59d11df1",
                "358d3153c3286109087eb295a4bded4ca8db391e675aa87020a829ec1e9997f9000105000000000000000401");
    }

    @Test
    void shouldReproduceBlobBAndItsSliverDataBuffers() {
        OracleEncoding b = oracle.encode(10, patternA(1955));
        assertConsistent(b, 1955);
        assertThat(b.symbolSize()).isEqualTo(70);
        assertBuffer(b.primaryBuffers().get(0), 496, "ea030d141b22", "46000000",
                "b0ddfa249a3bc0fe84f3e1b039d559aff494604d1a7739c9c3b121bf9ecf2a82");
        assertBuffer(b.secondaryBuffers().get(0), 286, "9802d6ae7524", "46000900",
                "870116c6d5e2c70a7327ad9b26d481ee738bc173a5fc391467c70e117891e1aa");
        assertBuffer(b.secondaryBuffers().get(9), 286, "98020d141b22", "46000000",
                "f09dc263f6479942b485a12d10afbbaa0a77fc084750ea11764b82c6e9751584");
        assertHashes(b, new String[][] {
            {"0", "6a8eab13cdde607631a70fb3a8a74020ab3e0e0a55cd3281e5343f50a5f39bb4",
                "afe52ff8c657c6d4d8892985fcb531e4069fd87932503915ec374fbe95339518"},
            {"3", "2db8dc834d42f47ae7b6382b6db8ddc20e98028bc4c201c76e9d623413974b33",
                "17fddc3789abc88c564344ce4eaee56ec6c12d1e7a096fa82ab5890e43baf87c"},
            {"4", "9ac53b94a80b2bbbb333ba2e4b3672a9976c748936bee033ed80bafe43775f0f",
                "e418c775bd0f329b00fa87fca79e98f9f5aaf494bd6178226a10756790984160"},
            {"9", "ed732067d30dea3b4f9088aca7c901f01c201f3ddd0dd63f00e3c676eac68c61",
                "6187373d7713c0dba69fcfbe94c8fa9259a2b1dd0338f7a1a35f948fa25dffd8"},
        });
        assertIds(b, "135713034bf2ecc768877923ad60c4ee3d4a050d680b64d3d5b6a8be0fd87ab7",
                "HmVraBFRokadUw4zJx5G4ORenZGEfzJ-JDFG4cyGA7o");
        assertMetadataBcs(b, 703, "3e84ac02cae98e16e96aa5a93b851f28b87ea9337af749faac163db0235c6e56",
                "1e656b681151a2469d530e33271e46e0e45e9d91847f327e243146e1cc8603ba0001a3070000000000000a01");
    }

    @Test
    void shouldReproduceBlobC() {
        OracleEncoding c = oracle.encode(1000, patternA(1_000_000));
        assertConsistent(c, 1_000_000);
        assertThat(c.symbolSize()).isEqualTo(6);
        assertHashes(c, new String[][] {
            {"0", "5193252b3c91f37941cb38cb20e24e35991a161da778c6736bc7c1a61439dec3",
                "73953cc9536d4d49b3518218186dc9b352435d9e5c464b22293f684712163388"},
            {"1", "1d0ce2698b347877618a325986a46251809b4ab20d5abaf4f2095919bdda789e",
                "e965aac6581c2a26eeb48508cd3e7cf2cbe21f3258056c505f24056aa1dd82cd"},
            {"333", "be9f690f5c456d6ffdef383016d5b5c17003303cac412da5ce2d403155940eb2",
                "d871de5155718196e0605417815d77d725b790c527fc1b8dc53ffde42bb25a98"},
            {"334", "bde42ad91d2da56823d4b3934a711e532679541047d790a8449a370cfc7fee3c",
                "9bb3ca85b5e72e66c8057c6bc70a4220ec2366c4f4af04ca53584f882d847c23"},
            {"666", "21eeca22a4179454bf44278feddf61ba3b86aa37b0b70b16a924222f99acf565",
                "260a866900f76085ffac290967de3699b1ba7bc839d211a714fe62af53e7f607"},
            {"667", "bb6a517b7e4924d568b2af00d530fa7e6bd689395f27f2be998a1883d27b14a5",
                "9e9a0546b95e9a7259718c477f1bb314c3b151467892e513719c9d5e5f844202"},
            {"999", "c9e3c701a90b99f9642d0985a90f73972fd9ff26c6928ad31b343ad2efd4e524",
                "3b223c0372fd84df0fc76a767d79161dd38a51617c5e61e945bd7fd200bcb1db"},
        });
        assertIds(c, "889805657eed709ad613c01d2c1b8ed3564262cbc12ea758c9ed4d3145ecb6e6",
                "w6ZPEQ_sh2Vs4wDuraNRnBbUB3MHn20V_hMS2hZv2bc");
        assertMetadataBcs(c, 66_044, "ad02b542961ee5e44d18d07c67f580419cc40100415556c8c88e5b4e0c4e461d",
                "c3a64f110fec87656ce300eeada3519c16d40773079f6d15fe1312da166fd9b7000140420f0000000000e80701");
    }

    @Test
    void shouldReproduceBlobDTheEmptyBlob() {
        OracleEncoding d = oracle.encode(1000, new byte[0]);
        assertConsistent(d, 0);
        assertThat(d.symbolSize()).isEqualTo(2);
        String everyHash = "56ea61afb3e9ad3ecc667a0840bb3f78f59ee9971efc0fcb1a9e7e4e679f2451";
        for (int q = 0; q < 1000; q++) {
            assertThat(hex(d.metadata().primaryHashes().get(q))).as("primary hash %d", q).isEqualTo(everyHash);
            assertThat(hex(d.metadata().secondaryHashes().get(q))).as("secondary hash %d", q).isEqualTo(everyHash);
        }
        assertIds(d, "e3fb10a9d88c9e7157c5e112dd6916e44011f5a9d6460bced51ebacf9308e1da",
                "3GPQL3HZNnFhN_F7l5Aa-X1VOtAKwIsg9zuWk8R81v4");
        assertMetadataBcs(d, 66_044, "01b330df7f718e0233c6a7002c7c7ced65c744bb994d94fab00cb109bb992824",
                "dc63d02f71d936716137f17b97901af97d553ad00ac08b20f73b9693c47cd6fe00010000000000000000e80701");
    }

    @Test
    void shouldReproduceBlobE() {
        OracleEncoding e = oracle.encode(7, patternA(100));
        assertConsistent(e, 100);
        assertThat(e.symbolSize()).isEqualTo(8);
        assertHashes(e, new String[][] {
            {"0", "0c1472180b8138426776eb026bfa24a70effbaac760f289ce128d7fc98196378",
                "e2d20ad6bcfc9f807e84baaf020e54189889e9c319d86cced848e24cbd88b1fb"},
            {"6", "6f3ecef06bfc49089ad085da51a2c9ad9750a5df031412667652418d5b6ab58b",
                "355abcaff1202a9cf5c9ddeba2ff5a46eff0da0fef21c74f595a84d2af87c50d"},
        });
        assertIds(e, "2003084ed1b7a64f96207028dd015b19718b7e1b225a521a73f30a2f5c1089e1",
                "vCnoBxURO20jl7CmsaoGXV8nwQLKY325dofEOeoFM_4");
        assertMetadataBcs(e, 505, "f76572192ce2755aafd2d133cadb945ab25696ca9e047571b72ca5eea89a6c0e",
                "bc29e80715113b6d2397b0a6b1aa065d5f27c102ca637db97687c439ea0533fe000164000000000000000701");
    }

    @Test
    void shouldReproduceLeopardSliverVectorsAtTenShards() {
        byte[] blob = new byte[56];
        for (int i = 0; i < blob.length; i++) {
            blob[i] = (byte) i;
        }
        OracleEncoding encoding = oracle.encode(10, blob);
        assertConsistent(encoding, 56);
        String[] primary = {"704b8eb9cdcca049874ddc4b5346", "1c5e5f927af8b25be95dce59355e",
            "dc86b1037a9f846d0b60f067d763", "88ab4008d5b3967f6d78e275b973", "01d15725de4d31831688e588b28d",
            "e52d8588e2162391d091f79a7c9c"};
        for (int i = 4; i <= 9; i++) {
            assertThat(hex(SliverDataBcs.parse(encoding.primarySliverData(i)).data()))
                    .as("primary sliver %d", i).isEqualTo(primary[i - 4]);
        }
        String[] secondary = {"bb0db30751704102", "9c03f37d1ec779d1", "a2060e50ab5d3f53"};
        for (int j = 7; j <= 9; j++) {
            assertThat(hex(SliverDataBcs.parse(encoding.secondarySliverData(j)).data()))
                    .as("secondary sliver %d", j).isEqualTo(secondary[j - 7]);
        }
    }

    @Test
    void shouldReproduceLeopardSliverVectorsWithPartialBlocks() {
        byte[] blob = new byte[990];
        for (int i = 0; i < blob.length; i++) {
            blob[i] = (byte) (7 * i + 3);
        }
        OracleEncoding encoding = oracle.encode(7, blob);
        assertConsistent(encoding, 990);
        assertThat(encoding.symbolSize()).isEqualTo(66);
        byte[] primary3 = SliverDataBcs.parse(encoding.primarySliverData(3)).data();
        assertThat(hex(Arrays.copyOf(primary3, 16))).isEqualTo("ed4e84b24919d3fde457be3ee10d5eba");
        assertThat(hex(Arrays.copyOfRange(primary3, 64, 66))).isEqualTo("cc27");
        assertThat(hex(Arrays.copyOf(SliverDataBcs.parse(encoding.primarySliverData(4)).data(), 16)))
                .isEqualTo("f9f79511888b9162ff20714c28afea72");
        assertThat(hex(Arrays.copyOf(SliverDataBcs.parse(encoding.secondarySliverData(5)).data(), 16)))
                .isEqualTo("9c3ab6671aed0ea8c003cfcd05f5c2e2");
    }

    /** leopard-rs.md §8 hash vectors: SHA-256 over all repair slivers, including one 28.9 MB blob at n=1000. */
    @ParameterizedTest(name = "n={0}")
    @CsvSource({
        "10, 2, 7c539118344cb2ff404788ee6d5196a0c6cb8485c3140d06e206b0dbfc983e3a, "
            + "3c432797a4c0d537ee94a837b79c920a3f15f391ce4068e37063f436adf50382, d0sh6LvrkF3UQW5BfC1LNDuVo1wJ_1qTN36MDbXwgTQ",
        "100, 66, 0521338a9d2f450d30568d6ea1612d27d4788b749e9cf6d4ece8b0315123ea30, "
            + "715d8977c09bf1d49579dd5dddc83c26f193e79a357e726d63c86c6095ed42ef, 9qIHyZFvKiVYK_Kecrv62ummMczT8Q0rdHMv4j0bP_w",
        "1000, 130, fa32ca8357d177c12e17fc2b33f3fa4bf5e8dba9905c8b0a6ba3d455282c203f, "
            + "ab5b8f7ab083a1c36ef473fca32c3d42fc4efc306829134cddb50538b0d5acbb, 8WMxkYEJBmKWjq-cpTdrISK1OKCja8EOEzRBnYlGDx8",
    })
    void shouldReproduceLeopardRepairSliverHashes(int n, int symbolSize, String primaryHash, String secondaryHash,
            String blobId) {
        int p = TestBytes.primarySourceSymbols(n);
        int s = TestBytes.secondarySourceSymbols(n);
        byte[] blob = new byte[p * s * symbolSize];
        for (long i = 0; i < blob.length; i++) {
            blob[(int) i] = (byte) ((7 * i * i + 13 * i + 5) % 251);
        }
        OracleEncoding encoding = oracle.encode(n, blob);
        assertThat(encoding.symbolSize()).isEqualTo(symbolSize);
        assertThat(encoding.metadata().blobIdBase64()).isEqualTo(blobId);
        List<byte[]> repairPrimaries = new ArrayList<>();
        for (int i = p; i < n; i++) {
            repairPrimaries.add(SliverDataBcs.parse(encoding.primarySliverData(i)).data());
        }
        List<byte[]> repairSecondaries = new ArrayList<>();
        for (int j = s; j < n; j++) {
            repairSecondaries.add(SliverDataBcs.parse(encoding.secondarySliverData(j)).data());
        }
        assertThat(hex(TestBytes.sha256(repairPrimaries.toArray(byte[][]::new)))).isEqualTo(primaryHash);
        assertThat(hex(TestBytes.sha256(repairSecondaries.toArray(byte[][]::new)))).isEqualTo(secondaryHash);
    }

    /** §15 blob IDs as the SDK reads them: on-chain u256 (little-endian) and the big-endian rotation offset. */
    @ParameterizedTest(name = "{0} at n={1}")
    @CsvSource({
        "NY0xU8MoYQkIfrKVpL3tTKjbOR5nWqhwIKgp7B6Zl_k, 4, 1, 3, "
            + "112893750004875163134216551669122695440862938929777157011657324388932817882421",
        "HmVraBFRokadUw4zJx5G4ORenZGEfzJ-JDFG4cyGA7o, 10, 6, 4, "
            + "84136420735245614348917745103488536938686440121912575846725011264373254743326",
        "w6ZPEQ_sh2Vs4wDuraNRnBbUB3MHn20V_hMS2hZv2bc, 1000, 799, 201, "
            + "83157423813723495382717889576861434741613974957933177063121910589829319468739",
        "3GPQL3HZNnFhN_F7l5Aa-X1VOtAKwIsg9zuWk8R81v4, 1000, 422, 578, "
            + "115266429928251495341554418733506437537355316002977678939293217155078572499932",
        "vCnoBxURO20jl7CmsaoGXV8nwQLKY325dofEOeoFM_4, 7, 5, 2, "
            + "114977613563896262344000409221781312018501670610969284759089128930002732591548",
    })
    void shouldReadBlobIdsLikeTheSdk(String text, int n, int shardOfPair0, int pairOfShard0, String u256) {
        WalrusOracle.SdkBlobId sdk = oracle.sdkBlobId(n, java.util.Base64.getUrlDecoder().decode(text));
        assertThat(sdk.text()).isEqualTo(text);
        assertThat(sdk.shardOfPair0()).isEqualTo(shardOfPair0);
        assertThat(sdk.pairOfShard0()).isEqualTo(pairOfShard0);
        assertThat(sdk.u256()).hasToString(u256);
    }

    @Test
    void shouldBuildMetadataBcsThatTheSdkReadsAndWritesIdentically() {
        for (int n : new int[] {4, 10, 1000}) {
            byte[] bcs = oracle.encode(n, patternA(3333)).metadata().metadataWithIdBcs().orElseThrow();
            assertThat(oracle.sdkMetadataRoundTrip(bcs)).as("n=%d", n).isEqualTo(bcs);
        }
    }

    @Test
    void shouldDecodeItsOwnSliversFromAnySourceSymbolCountSubset() {
        Random random = new Random(7);
        int n = 13;
        int p = TestBytes.primarySourceSymbols(n);
        byte[] blob = TestBytes.random(random, 4321);
        OracleEncoding encoding = oracle.encode(n, blob);
        List<byte[]> primaries = new ArrayList<>(encoding.primaryBuffers());
        Collections.shuffle(primaries, random);
        byte[] blobId = encoding.metadata().blobId();
        assertThat(oracle.decode(n, blobId, blob.length, primaries.subList(0, p))).isEqualTo(blob);
        assertThatThrownBy(() -> oracle.decode(n, blobId, blob.length, primaries.subList(0, p - 1)))
                .isInstanceOfSatisfying(OracleException.class, e -> {
                    assertThat(e.isErrorResponse()).isTrue();
                    assertThat(e).hasMessageContaining("decoding was unsuccessful");
                });
    }

    @Test
    void shouldAnswerErrorsAndTrapsWithoutDying() {
        assertThatThrownBy(() -> oracle.metadata(3, new byte[10]))
                .isInstanceOfSatisfying(OracleException.class, e -> {
                    assertThat(e.isErrorResponse()).isTrue();
                    assertThat(e.isTrap()).isTrue();
                    assertThat(e).hasMessageContaining("unreachable");
                });
        assertThatThrownBy(() -> oracle.call("noSuchOp", java.util.Map.of(), List.of(), java.time.Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(OracleException.class, e -> assertThat(e.isErrorResponse()).isTrue());
        assertThat(oracle.metadata(10, "walrus blob id v1 regression test".getBytes(StandardCharsets.US_ASCII))
                .blobIdBase64()).isEqualTo("RcU82Mwf-CFkv1LaI_2qcpANwpGUuG3TMwnVzZxD2kY");
        assertThat(oracle.isClosed()).isFalse();
    }

    @Test
    void shouldKillTheProcessWhenACallTimesOut() {
        try (WalrusOracle own = WalrusOracle.start()) {
            assertThatThrownBy(() -> own.call("encode", java.util.Map.of("n", 1000), List.of(new byte[1 << 20]),
                    java.time.Duration.ofMillis(50)))
                    .isInstanceOfSatisfying(OracleException.class, e -> {
                        assertThat(e.isErrorResponse()).isFalse();
                        assertThat(e).hasMessageContaining("no answer within");
                    });
            assertThat(own.isClosed()).isTrue();
            assertThatThrownBy(() -> own.metadata(10, new byte[1]))
                    .isInstanceOfSatisfying(OracleException.class, e -> assertThat(e).hasMessageContaining("closed"));
        }
    }

    @Test
    void shouldAgreeOnBlake2bWithTheTestHelper() {
        byte[] data = TestBytes.random(new Random(3), 100_003);
        assertThat(oracle.blake2b256(data)).isEqualTo(blake2b256(data));
        assertThat(hex(blake2b256(new byte[0])))
                .isEqualTo("0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
    }

    // ---- Assertions shared by the vector tests ----------------------------------------------------

    /**
     * Structural checks on any oracle encoding: buffer sizes and index fields (walrus-protocol.md §2), the blob ID
     * recomputed from the root hash, and the BCS metadata rebuilt from the hash list (§4).
     */
    static void assertConsistent(OracleEncoding encoding, long blobLength) {
        int n = encoding.shardCount();
        int p = TestBytes.primarySourceSymbols(n);
        int s = TestBytes.secondarySourceSymbols(n);
        int sym = TestBytes.symbolSize(n, blobLength);
        assertThat(encoding.primarySourceSymbols()).isEqualTo(p);
        assertThat(encoding.secondarySourceSymbols()).isEqualTo(s);
        assertThat(encoding.symbolSize()).isEqualTo(sym);
        OracleMetadata metadata = encoding.metadata();
        assertThat(metadata.unencodedLength()).isEqualTo(blobLength);
        assertThat(metadata.encodingType()).isEqualTo("RS2");
        assertThat(metadata.primaryHashes()).hasSize(n);
        for (int q = 0; q < n; q++) {
            SliverDataBcs primary = SliverDataBcs.parse(encoding.primaryBuffers().get(q));
            assertThat(primary.index()).as("primary buffer %d index", q).isEqualTo(q);
            assertThat(primary.symbolSize()).isEqualTo(sym);
            assertThat(primary.data()).hasSize(s * sym);
            SliverDataBcs secondary = SliverDataBcs.parse(encoding.secondaryBuffers().get(q));
            assertThat(secondary.index()).as("secondary buffer %d index", q).isEqualTo(n - 1 - q);
            assertThat(secondary.symbolSize()).isEqualTo(sym);
            assertThat(secondary.data()).hasSize(p * sym);
        }
        ByteBuffer preimage = ByteBuffer.allocate(41).order(ByteOrder.LITTLE_ENDIAN);
        preimage.put((byte) 1).putLong(blobLength).put(metadata.rootHash());
        assertThat(metadata.blobId()).as("blob ID = H(01 ‖ length ‖ root)").isEqualTo(blake2b256(preimage.array()));

        ByteArrayOutputStream bcs = new ByteArrayOutputStream();
        bcs.writeBytes(metadata.blobId());
        bcs.write(0);
        bcs.write(1);
        bcs.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(blobLength).array());
        for (int v = n; ; v >>>= 7) {
            if (v < 0x80) {
                bcs.write(v);
                break;
            }
            bcs.write(v & 0x7F | 0x80);
        }
        for (int q = 0; q < n; q++) {
            bcs.write(1);
            bcs.writeBytes(metadata.primaryHashes().get(q));
            bcs.write(1);
            bcs.writeBytes(metadata.secondaryHashes().get(q));
        }
        assertThat(metadata.metadataWithIdBcs()).contains(bcs.toByteArray());
    }

    private static void assertHashes(OracleEncoding encoding, String[][] rows) {
        for (String[] row : rows) {
            int q = Integer.parseInt(row[0]);
            assertThat(hex(encoding.metadata().primaryHashes().get(q))).as("primary_hash(%d)", q).isEqualTo(row[1]);
            assertThat(hex(encoding.metadata().secondaryHashes().get(q))).as("secondary_hash(%d)", q).isEqualTo(row[2]);
        }
    }

    private static void assertIds(OracleEncoding encoding, String rootHash, String blobId) {
        assertThat(encoding.metadata().rootHashHex()).isEqualTo(rootHash);
        assertThat(encoding.metadata().blobIdBase64()).isEqualTo(blobId);
    }

    private static void assertMetadataBcs(OracleEncoding encoding, int size, String blake2b, String prefix) {
        byte[] bcs = encoding.metadata().metadataWithIdBcs().orElseThrow();
        assertThat(bcs).hasSize(size);
        assertThat(hex(blake2b256(bcs))).isEqualTo(blake2b);
        assertThat(hex(Arrays.copyOf(bcs, prefix.length() / 2))).isEqualTo(prefix);
    }

    private static void assertBuffer(byte[] buffer, int size, String start, String end, String blake2b) {
        assertThat(buffer).hasSize(size);
        assertThat(hex(Arrays.copyOf(buffer, 6))).isEqualTo(start);
        assertThat(hex(Arrays.copyOfRange(buffer, size - 4, size))).isEqualTo(end);
        assertThat(hex(blake2b256(buffer))).isEqualTo(blake2b);
        assertThat(unhex(start)).hasSize(6);
    }
}
