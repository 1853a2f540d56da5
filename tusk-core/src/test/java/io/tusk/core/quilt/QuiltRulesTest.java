package io.tusk.core.quilt;

import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.metadata.BlobId;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Walrus's limits and the strictness of every parser. */
class QuiltRulesTest {
    private static final BlobId ID = BlobId.parse("3qvSU_6fPNMZ5cFNY4p9yEuDM_Kfwb-g6tHJnLfrYN4");

    @Test
    void shouldValidateIdentifiersLikeWalrus() {
        for (String ok : List.of("a", "data/z.json", " leading space", "in ner", "ünïcødé", "😀", "x".repeat(65_531))) {
            QuiltIdentifiers.validate(ok);
        }
        assertThatThrownBy(() -> QuiltIdentifiers.validate("")).isInstanceOf(InvalidIdentifierException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> QuiltIdentifiers.validate("x".repeat(65_532))).isInstanceOf(InvalidIdentifierException.class)
                .hasMessageContaining("65532").hasMessageContaining("65531");
        assertThatThrownBy(() -> QuiltIdentifiers.validate("é".repeat(32_766))).isInstanceOf(InvalidIdentifierException.class); // 65532 bytes
        for (String trailing : List.of("a ", "a\u00A0", "a\u3000", "a\u2028", "a\u205F")) {
            assertThatThrownBy(() -> QuiltIdentifiers.validate(trailing)).isInstanceOf(InvalidIdentifierException.class)
                    .hasMessageContaining("trailing whitespace");
        }
        for (String control : List.of("a\u0000b", "a\nb", "\u007F", "a\u0085b", "a\u009Fb")) {
            assertThatThrownBy(() -> QuiltIdentifiers.validate(control)).isInstanceOf(InvalidIdentifierException.class)
                    .hasMessageContaining("control character");
        }
        assertThatThrownBy(() -> QuiltIdentifiers.validate("a\uD800b")).isInstanceOf(InvalidIdentifierException.class)
                .hasMessageContaining("surrogate");
        // U+200B (zero width space) is not White_Space, so it may end an identifier
        QuiltIdentifiers.validate("a\u200B");
    }

    @Test
    void shouldRefuseIdentifiersThatCannotBeAddressed() {
        for (String ok : List.of("a", "data/z.json", "a/b/c", "..x", "x..", ".hidden", "x".repeat(1024), "é".repeat(512))) {
            QuiltIdentifiers.requireAddressable(ok);
        }
        assertThatThrownBy(() -> QuiltIdentifiers.requireAddressable("x".repeat(10_240)))
                .isInstanceOf(InvalidIdentifierException.class).hasMessageContaining("10240 UTF-8 bytes")
                .hasMessageContaining("at most 1024");
        assertThatThrownBy(() -> QuiltIdentifiers.requireAddressable("é".repeat(513)))
                .isInstanceOf(InvalidIdentifierException.class).hasMessageContaining("1026 UTF-8 bytes");
        for (String escaping : List.of("..", ".", "../x", "a/../../x", "./x", "a/.", "..\\x", "/etc/passwd", "a//b", "a/")) {
            assertThatThrownBy(() -> QuiltIdentifiers.requireAddressable(escaping)).as(escaping)
                    .isInstanceOf(InvalidIdentifierException.class).hasMessageContaining("path segment");
        }
        assertThatThrownBy(() -> QuiltIdentifiers.requireAddressable("a ")).isInstanceOf(InvalidIdentifierException.class)
                .hasMessageContaining("trailing whitespace"); // Walrus's rules first
    }

    @Test
    void shouldSortByUtf8BytesNotUtf16() {
        // U+FFFD sorts before U+1F600 by code point / UTF-8, after it by UTF-16 code unit (0xD83D).
        List<QuiltPatch> patches = List.of(QuiltPatch.of("😀", new byte[1]), QuiltPatch.of("\uFFFD", new byte[1]), QuiltPatch.of("b", new byte[1]));
        EncodedQuilt quilt = new QuiltEncoder(10).encode(patches);
        assertThat(quilt.index().patches().stream().map(QuiltPatchInfo::identifier)).containsExactly("b", "\uFFFD", "😀");
    }

    @Test
    void shouldRefuseDuplicatesAndTooManyPatches() {
        assertThatThrownBy(() -> new QuiltEncoder(10).encode(List.of(QuiltPatch.of("a", new byte[1]), QuiltPatch.of("a", new byte[2]))))
                .isInstanceOf(DuplicateIdentifierException.class).hasMessageContaining("'a'");
        List<QuiltPatch> seven = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            seven.add(QuiltPatch.of("p" + i, new byte[i]));
        }
        assertThat(new QuiltEncoder(10).encode(seven.subList(0, 6)).index().patches()).hasSize(6); // s - 1 = 6
        assertThatThrownBy(() -> new QuiltEncoder(10).encode(seven)).isInstanceOf(TooManyPatchesException.class)
                .hasMessage("a quilt for 10 shards holds at most 6 patches, got 7");
        assertThat(new QuiltEncoder(1000).maxPatches()).isEqualTo(666);
    }

    @Test
    void shouldRefuseAQuiltThatNeedsTooLargeASymbolSize() {
        // n=4: p=2, s=3: one patch of 2 columns of 2·65534 bytes fits; one byte more does not.
        int columnBytes = 2 * 65_534;
        int fits = 2 * columnBytes - 12; // item = 6 + 2 + 2 ("x") + data... keep the index in column 0
        EncodedQuilt quilt = new QuiltEncoder(4).encode(List.of(QuiltPatch.of("x", new byte[fits - 0])));
        assertThat(quilt.symbolSize()).isEqualTo(65_534);
        assertThatThrownBy(() -> new QuiltEncoder(4).encode(List.of(QuiltPatch.of("x", new byte[2 * columnBytes]))))
                .isInstanceOf(QuiltTooLargeException.class).hasMessageContaining("65534");
    }

    @Test
    void shouldRefuseTagsOverTheLimit() {
        Map<String, String> tags = Map.of("k", "v".repeat(65_535));
        assertThatThrownBy(() -> new QuiltEncoder(10).encode(List.of(new QuiltPatch("a", new byte[1], tags))))
                .isInstanceOf(InvalidTagsException.class).hasMessageContaining("65535");
    }

    @Test
    void shouldParsePatchIdsStrictly() {
        QuiltPatchId id = new QuiltPatchId(ID, 1, 2);
        assertThat(id.toString()).isEqualTo("3qvSU_6fPNMZ5cFNY4p9yEuDM_Kfwb-g6tHJnLfrYN4BAQACAA");
        assertThat(QuiltPatchId.parse(id.toString())).isEqualTo(id);
        assertThatThrownBy(() -> QuiltPatchId.parse("3qvSU_6fPNMZ5cFNY4p9yEuDM_Kfwb-g6tHJnLfrYN4BAQACA")).hasMessageContaining("50");
        assertThatThrownBy(() -> QuiltPatchId.parse("3qvSU_6fPNMZ5cFNY4p9yEuDM_Kfwb-g6tHJnLfrYN4BAQACA=")).hasMessageContaining("base64url");
        assertThatThrownBy(() -> QuiltPatchId.parse("3qvSU_6fPNMZ5cFNY4p9yEuDM_Kfwb+g6tHJnLfrYN4BAQACAA")).hasMessageContaining("base64url");
        assertThatThrownBy(() -> QuiltPatchId.parse("3qvSU_6fPNMZ5cFNY4p9yEuDM_Kfwb-g6tHJnLfrYN4BAQACAB")).hasMessageContaining("trailing bits");
        byte[] bytes = id.toBytes();
        bytes[32] = 2;
        assertThatThrownBy(() -> QuiltPatchId.fromBytes(bytes)).hasMessageContaining("version 2");
        byte[] empty = new QuiltPatchId(ID, 3, 4).toBytes();
        empty[35] = 3;
        assertThatThrownBy(() -> QuiltPatchId.fromBytes(empty)).hasMessageContaining("start < end");
        assertThatThrownBy(() -> QuiltPatchId.fromBytes(new byte[36])).hasMessageContaining("37 bytes");
    }

    @Test
    void shouldParseIndexesStrictly() {
        EncodingConfig config = new EncodingConfig(10);
        QuiltIndex index = new QuiltIndex(List.of(new QuiltPatchInfo("a", Map.of(), 1, 2), new QuiltPatchInfo("b", Map.of("k", "v"), 2, 4)));
        byte[] bcs = index.toBcs();
        assertThat(QuiltIndex.fromBcs(bcs, 1, config)).isEqualTo(index);
        byte[] trailing = Arrays.copyOf(bcs, bcs.length + 1);
        assertThatThrownBy(() -> QuiltIndex.fromBcs(trailing, 1, config)).isInstanceOf(MalformedQuiltException.class);
        assertThatThrownBy(() -> QuiltIndex.fromBcs(Arrays.copyOf(bcs, bcs.length - 1), 1, config)).isInstanceOf(MalformedQuiltException.class);
        // end column beyond s = 7
        byte[] wide = new BcsWriter().uleb128(1).u16(8).string("a").uleb128(0).toByteArray();
        assertThatThrownBy(() -> QuiltIndex.fromBcs(wide, 1, config)).isInstanceOf(MalformedQuiltException.class).hasMessageContaining("[1, 8)");
        // an empty range
        byte[] emptyRange = new BcsWriter().uleb128(2).u16(2).string("a").uleb128(0).u16(2).string("b").uleb128(0).toByteArray();
        assertThatThrownBy(() -> QuiltIndex.fromBcs(emptyRange, 1, config)).isInstanceOf(MalformedQuiltException.class);
        // duplicate identifiers
        byte[] duplicate = new BcsWriter().uleb128(2).u16(2).string("a").uleb128(0).u16(3).string("a").uleb128(0).toByteArray();
        assertThatThrownBy(() -> QuiltIndex.fromBcs(duplicate, 1, config)).isInstanceOf(DuplicateIdentifierException.class);
        // a tag map in plain string order ("color" before "k") is not canonical BCS
        byte[] nonCanonical = new BcsWriter().uleb128(1).u16(2).string("a").uleb128(2).string("color").string("x")
                .string("k").string("v").toByteArray();
        assertThatThrownBy(() -> QuiltIndex.fromBcs(nonCanonical, 1, config)).isInstanceOf(MalformedQuiltException.class)
                .hasMessageContaining("non-canonical");
        // writer-side identifier rules are not enforced on read (the TypeScript SDK does not check them)...
        byte[] trailingSpace = new BcsWriter().uleb128(1).u16(2).string("a ").uleb128(0).toByteArray();
        assertThat(QuiltIndex.fromBcs(trailingSpace, 1, config).patches().getFirst().identifier()).isEqualTo("a ");
        // ...but an empty identifier or invalid UTF-8 is malformed
        byte[] emptyId = new BcsWriter().uleb128(1).u16(2).string("").uleb128(0).toByteArray();
        assertThatThrownBy(() -> QuiltIndex.fromBcs(emptyId, 1, config)).isInstanceOf(MalformedQuiltException.class);
        byte[] badUtf8 = new BcsWriter().uleb128(1).u16(2).bytes(new byte[] {(byte) 0xff}).uleb128(0).toByteArray();
        assertThatThrownBy(() -> QuiltIndex.fromBcs(badUtf8, 1, config)).isInstanceOf(MalformedQuiltException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void shouldParsePatchItemsStrictly() {
        EncodingConfig config = new EncodingConfig(10);
        EncodedQuilt quilt = new QuiltEncoder(config).encode(List.of(QuiltPatch.of("a", new byte[] {1, 2, 3})));
        QuiltPatchInfo info = quilt.index().patches().getFirst();
        assertThat(QuiltReader.readPatch(config, quilt.blob(), info.startIndex(), info.endIndex()).data()).containsExactly(1, 2, 3);
        java.io.ByteArrayOutputStream item = new java.io.ByteArrayOutputStream();
        for (int j = info.startIndex(); j < info.endIndex(); j++) {
            item.writeBytes(QuiltReader.column(config, quilt.blob(), j));
        }
        byte[] column = item.toByteArray();
        assertThat(QuiltReader.parsePatch(column).identifier()).isEqualTo("a");
        byte[] badVersion = column.clone();
        badVersion[0] = 2;
        assertThatThrownBy(() -> QuiltReader.parsePatch(badVersion)).isInstanceOf(MalformedQuiltException.class).hasMessageContaining("version 2");
        byte[] badMask = column.clone();
        badMask[5] = 4;
        assertThatThrownBy(() -> QuiltReader.parsePatch(badMask)).hasMessageContaining("mask");
        byte[] tooLong = column.clone();
        tooLong[1] = (byte) 0xff;
        tooLong[2] = (byte) 0xff;
        assertThatThrownBy(() -> QuiltReader.parsePatch(tooLong)).hasMessageContaining("claims");
        byte[] badIdSize = column.clone();
        badIdSize[6] = 3; // identifier section says 3 bytes, its BCS string is 2
        assertThatThrownBy(() -> QuiltReader.parsePatch(badIdSize)).isInstanceOf(MalformedQuiltException.class);
        assertThatThrownBy(() -> QuiltReader.readIndex(config, new byte[100])).isInstanceOf(MalformedQuiltException.class)
                .hasMessageContaining("not a quilt");
    }
}
