package io.tusk.core.quilt;

import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.hash.Blake2b256;
import io.tusk.core.metadata.BlobId;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** walrus-protocol.md §15 "Quilt Q": the values Walrus's {@code encodeQuilt} gives, byte for byte. */
class QuiltVectorsTest {
    private static final HexFormat HEX = HexFormat.of();

    static byte[] patternA(int length) {
        byte[] blob = new byte[length];
        for (int i = 0; i < length; i++) {
            blob[i] = (byte) (i * 7 + 13);
        }
        return blob;
    }

    /** hello.txt, a.bin, data/z.json, given in this (unsorted) order. */
    static List<QuiltPatch> quiltQ() {
        Map<String, String> zTags = new LinkedHashMap<>();
        zTags.put("color", "blue"); // given in plain string order; the quilt stores "k" first
        zTags.put("k", "v");
        return List.of(
                new QuiltPatch("hello.txt", "Hello, Walrus!".getBytes(StandardCharsets.US_ASCII), Map.of("content-type", "text/plain")),
                QuiltPatch.of("a.bin", patternA(100)),
                new QuiltPatch("data/z.json", patternA(1000), zTags));
    }

    record Expected(int n, int symbolSize, String indexBcs, int blobLength, String blobHash, String quiltId,
                    String rootHash, int[][] ranges, String[] patchIds) {}

    static Stream<Arguments> vectors() {
        return Stream.of(Arguments.of(new Expected(10, 66,
                        "03020005612e62696e0006000b646174612f7a2e6a736f6e02016b017605636f6c6f7204626c756507000968656c6c6f2e747874010c636f6e74656e742d747970650a746578742f706c61696e",
                        1848, "c78848fad19d87a4d3e14c9ef5e35a2a1b85fa23472a21f4f21996ea57275812",
                        "3qvSU_6fPNMZ5cFNY4p9yEuDM_Kfwb-g6tHJnLfrYN4",
                        "113fc40bdf9769cfc488ced755b0a689402ece7447922a89a6d03d78490651e9",
                        new int[][] {{1, 2}, {2, 6}, {6, 7}},
                        new String[] {"3qvSU_6fPNMZ5cFNY4p9yEuDM_Kfwb-g6tHJnLfrYN4BAQACAA",
                                "3qvSU_6fPNMZ5cFNY4p9yEuDM_Kfwb-g6tHJnLfrYN4BAgAGAA",
                                "3qvSU_6fPNMZ5cFNY4p9yEuDM_Kfwb-g6tHJnLfrYN4BBgAHAA"})),
                Arguments.of(new Expected(1000, 2,
                        "03020005612e62696e0004000b646174612f7a2e6a736f6e02016b017605636f6c6f7204626c756505000968656c6c6f2e747874010c636f6e74656e742d747970650a746578742f706c61696e",
                        445_556, "35885b114165f54eb193b92b7055492932652197299dfc202cc7b1c6d2df2c56",
                        "JvvXlzapKnAtLnggCsVApTNFL2ZiUbv_aydf58yI_9c",
                        "f9ea49a7a27ba4840679549540aceefe24843a3fcb484b7189d420df5cdfa3b6",
                        new int[][] {{1, 2}, {2, 4}, {4, 5}},
                        new String[] {"JvvXlzapKnAtLnggCsVApTNFL2ZiUbv_aydf58yI_9cBAQACAA",
                                "JvvXlzapKnAtLnggCsVApTNFL2ZiUbv_aydf58yI_9cBAgAEAA",
                                "JvvXlzapKnAtLnggCsVApTNFL2ZiUbv_aydf58yI_9cBBAAFAA"})));
    }

    @ParameterizedTest(name = "n={0}")
    @MethodSource("vectors")
    void shouldMatchQuiltQ(Expected expected) {
        EncodingConfig config = new EncodingConfig(expected.n());
        EncodedQuilt quilt = new QuiltEncoder(config).encode(quiltQ());

        assertThat(quilt.symbolSize()).isEqualTo(expected.symbolSize());
        assertThat(HEX.formatHex(quilt.index().toBcs())).isEqualTo(expected.indexBcs());
        assertThat(quilt.blob()).hasSize(expected.blobLength());
        assertThat(HEX.formatHex(Blake2b256.hash(quilt.blob()))).isEqualTo(expected.blobHash());

        var metadata = new BlobEncoder(config).computeMetadata(quilt.blob());
        BlobId quiltId = metadata.blobId();
        assertThat(quiltId.toString()).isEqualTo(expected.quiltId());
        assertThat(HEX.formatHex(metadata.metadata().rootHash())).isEqualTo(expected.rootHash());

        List<String> identifiers = quilt.index().patches().stream().map(QuiltPatchInfo::identifier).toList();
        assertThat(identifiers).containsExactly("a.bin", "data/z.json", "hello.txt");
        List<QuiltPatchId> ids = quilt.patchIds(quiltId);
        for (int i = 0; i < 3; i++) {
            QuiltPatchInfo info = quilt.index().patches().get(i);
            assertThat(new int[] {info.startIndex(), info.endIndex()}).containsExactly(expected.ranges()[i]);
            assertThat(ids.get(i).toString()).isEqualTo(expected.patchIds()[i]);
            assertThat(QuiltPatchId.parse(expected.patchIds()[i])).isEqualTo(ids.get(i));
            assertThat(HEX.formatHex(ids.get(i).toBytes())).isEqualTo(HEX.formatHex(quiltId.bytes()) + "01"
                    + String.format("%02x00%02x00", expected.ranges()[i][0], expected.ranges()[i][1]));
        }

        // Reading back from the blob gives the patches and the index.
        assertThat(QuiltReader.readIndex(config, quilt.blob())).isEqualTo(quilt.index());
        assertThat(QuiltReader.readAll(config, quilt.blob()))
                .containsExactly(quiltQ().get(1), quiltQ().get(2), quiltQ().get(0));
    }

    @Test
    void shouldWriteThePatchItemPrefixesOfQuiltQ() {
        List<QuiltPatch> patches = quiltQ();
        assertThat(HEX.formatHex(QuiltEncoder.patchPrefix(patches.get(1)))).isEqualTo("016c00000000" + "0600" + "05612e62696e");
        assertThat(HEX.formatHex(QuiltEncoder.patchPrefix(patches.get(2)))).isEqualTo("010804000001"
                + "0c00" + "0b646174612f7a2e6a736f6e" + "1000" + "02016b017605636f6c6f7204626c7565");
        assertThat(HEX.formatHex(QuiltEncoder.patchPrefix(patches.get(0)))).isEqualTo("013500000001"
                + "0a00" + "0968656c6c6f2e747874" + "1900" + "010c636f6e74656e742d747970650a746578742f706c61696e");
    }

    @Test
    void shouldPutRowZeroOfEachColumnFirstInTheBlobForOneThousandShards() {
        EncodedQuilt quilt = new QuiltEncoder(1000).encode(quiltQ());
        // index item starts 01 4d..., then a.bin 01 6c, data/z.json 01 08, its second column, hello.txt 01 35
        assertThat(HEX.formatHex(java.util.Arrays.copyOf(quilt.blob(), 10))).isEqualTo("014d016c0108474e0135");
    }

    @Test
    void shouldEncodeAnEmptyQuiltAsAnIndexOnlyQuilt() {
        EncodedQuilt quilt = new QuiltEncoder(10).encode(List.of());
        assertThat(HEX.formatHex(java.util.Arrays.copyOf(quilt.blob(), 6))).isEqualTo("010100000000");
        assertThat(quilt.index().patches()).isEmpty();
        assertThat(QuiltReader.readIndex(new EncodingConfig(10), quilt.blob()).patches()).isEmpty();
    }
}
