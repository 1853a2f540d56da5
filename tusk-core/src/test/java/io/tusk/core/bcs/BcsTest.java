package io.tusk.core.bcs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BcsTest {

    private static final HexFormat HEX = HexFormat.of();

    private static BcsReader reader(String hex) {
        return new BcsReader(HEX.parseHex(hex));
    }

    @Test
    void shouldWriteIntegersLittleEndian() {
        byte[] bytes = new BcsWriter().u8(0xab).u16(0x1234).u32(0xdeadbeefL).u64(0x0102030405060708L).bool(true)
                .bool(false).toByteArray();
        assertThat(HEX.formatHex(bytes)).isEqualTo("ab" + "3412" + "efbeadde" + "0807060504030201" + "01" + "00");
        BcsReader r = new BcsReader(bytes);
        assertThat(r.u8()).isEqualTo(0xab);
        assertThat(r.u16()).isEqualTo(0x1234);
        assertThat(r.u32()).isEqualTo(0xdeadbeefL);
        assertThat(r.u64()).isEqualTo(0x0102030405060708L);
        assertThat(r.bool()).isTrue();
        assertThat(r.bool()).isFalse();
        assertThat(r.remaining()).isZero();
        r.expectEnd();
    }

    @ParameterizedTest
    @CsvSource({"0, 00", "1, 01", "127, 7f", "128, 8001", "300, ac02", "1000, e807", "16384, 808001",
        "4294967295, ffffffff0f", "-1, ffffffffffffffffff01"})
    void shouldRoundTripUleb128(long value, String hex) {
        assertThat(HEX.formatHex(new BcsWriter().uleb128(value).toByteArray())).isEqualTo(hex);
        BcsReader r = reader(hex);
        assertThat(r.uleb128(-1L)).isEqualTo(value);
        r.expectEnd();
    }

    @ParameterizedTest
    @CsvSource({"8000", "ff00", "808000", "ffffffff00"})
    void shouldRejectNonCanonicalUleb128(String hex) {
        assertThatThrownBy(() -> reader(hex).uleb128(-1L)).isInstanceOf(BcsException.class)
                .hasMessageContaining("non-canonical").hasMessageContaining("offset 0");
    }

    @Test
    void shouldRejectUleb128OverflowAndLimit() {
        assertThatThrownBy(() -> reader("ffffffffffffffffff02").uleb128(-1L)).isInstanceOf(BcsException.class)
                .hasMessageContaining("64 bits");
        assertThatThrownBy(() -> reader("ffffffffffffffffff8100").uleb128(-1L)).isInstanceOf(BcsException.class)
                .hasMessageContaining("64 bits");
        BcsReader limited = reader("00ac02");
        limited.u8();
        assertThatThrownBy(() -> limited.uleb128(255))
                .isInstanceOf(BcsException.class).hasMessageContaining("300").hasMessageContaining("255")
                .hasMessageContaining("offset 1");
        assertThatThrownBy(() -> reader("8080").uleb128(-1L)).isInstanceOf(BcsException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void shouldReportTruncationWithNumbers() {
        BcsReader r = new BcsReader(new byte[14]);
        r.fixedBytes(10);
        assertThatThrownBy(() -> r.fixedBytes(32)).isInstanceOf(BcsException.class)
                .hasMessage("truncated: need 32 bytes for [u8; 32] at offset 10, have 4");
        assertThatThrownBy(() -> r.u64()).isInstanceOf(BcsException.class).hasMessageContaining("need 8")
                .hasMessageContaining("have 4");
        assertThat(r.u32()).isZero();
        assertThatThrownBy(r::u8).isInstanceOf(BcsException.class).hasMessageContaining("u8");
        assertThatThrownBy(() -> reader("05aabb").bytes(100)).isInstanceOf(BcsException.class)
                .hasMessageContaining("need 5").hasMessageContaining("offset 1").hasMessageContaining("have 2");
    }

    @Test
    void shouldRejectTrailingInput() {
        BcsReader r = reader("0102");
        r.u8();
        assertThatThrownBy(r::expectEnd).isInstanceOf(BcsException.class)
                .hasMessage("trailing input: 1 bytes left at offset 1 of 2");
    }

    @Test
    void shouldEnforceLengthLimits() {
        assertThatThrownBy(() -> reader("04aabbccdd").bytes(3)).isInstanceOf(BcsException.class)
                .hasMessageContaining("length 4").hasMessageContaining("limit 3");
        assertThat(reader("03aabbcc").bytes(3)).containsExactly(0xaa, 0xbb, 0xcc);
        assertThatThrownBy(() -> reader("03616263").string(2)).isInstanceOf(BcsException.class)
                .hasMessageContaining("3").hasMessageContaining("2");
        // A huge declared length is rejected by the limit before any allocation.
        assertThatThrownBy(() -> reader("ffffffff0f").bytes(1 << 20)).isInstanceOf(BcsException.class)
                .hasMessageContaining("4294967295");
    }

    @Test
    void shouldRejectInvalidBoolAndEnumTagAndUtf8() {
        assertThatThrownBy(() -> reader("02").bool()).isInstanceOf(BcsException.class)
                .hasMessageContaining("is 2");
        assertThatThrownBy(() -> reader("03").enumTag(2, "Axis")).isInstanceOf(BcsException.class)
                .hasMessageContaining("Axis").hasMessageContaining("3");
        assertThatThrownBy(() -> reader("02c328").string(10)).isInstanceOf(BcsException.class)
                .hasMessageContaining("UTF-8");
    }

    @Test
    void shouldRoundTripStringsAndBytes() {
        byte[] bytes = new BcsWriter().string("héllo, walrus 🦭").bytes(new byte[] {1, 2}).fixedBytes(new byte[] {9})
                .bytes(new byte[] {7, 8, 9}, 1, 2).toByteArray();
        BcsReader r = new BcsReader(bytes);
        assertThat(r.string(100)).isEqualTo("héllo, walrus 🦭");
        assertThat(r.bytes(2)).containsExactly(1, 2);
        assertThat(r.fixedBytes(1)).containsExactly(9);
        assertThat(r.bytes(10)).containsExactly(8, 9);
        r.expectEnd();
    }

    @Test
    void shouldReadSubRangeWithRelativeOffsets() {
        BcsReader r = new BcsReader(HEX.parseHex("ffff0102ffff"), 2, 2);
        assertThat(r.u8()).isEqualTo(1);
        assertThat(r.position()).isEqualTo(1);
        assertThat(r.u8()).isEqualTo(2);
        assertThatThrownBy(r::u8).isInstanceOf(BcsException.class).hasMessageContaining("offset 2")
                .hasMessageContaining("have 0");
    }

    @Test
    void writerShouldRejectOutOfRangeValues() {
        BcsWriter w = new BcsWriter();
        assertThatThrownBy(() -> w.u8(256)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("256");
        assertThatThrownBy(() -> w.u16(-1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
        assertThatThrownBy(() -> w.u32(1L << 32)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("4294967296");
        assertThat(w.size()).isZero();
    }

    @Test
    void writerShouldGrow() {
        BcsWriter w = new BcsWriter(0);
        for (int i = 0; i < 10_000; i++) {
            w.u16(i);
        }
        assertThat(w.size()).isEqualTo(20_000);
        BcsReader r = new BcsReader(w.toByteArray());
        for (int i = 0; i < 10_000; i++) {
            assertThat(r.u16()).isEqualTo(i);
        }
    }

    @Property(tries = 300)
    void integersAndSequencesRoundTrip(@ForAll long a, @ForAll int b, @ForAll byte[] c, @ForAll boolean d) {
        byte[] bytes = new BcsWriter().u64(a).uleb128(a).u32(b & 0xffff_ffffL).bytes(c).bool(d)
                .uleb128(b & 0xffff_ffffL).toByteArray();
        BcsReader r = new BcsReader(bytes);
        assertThat(r.u64()).isEqualTo(a);
        assertThat(r.uleb128(-1L)).isEqualTo(a);
        assertThat(r.u32()).isEqualTo(b & 0xffff_ffffL);
        assertThat(r.bytes(c.length)).isEqualTo(c);
        assertThat(r.bool()).isEqualTo(d);
        assertThat(r.uleb128(0xffff_ffffL)).isEqualTo(b & 0xffff_ffffL);
        r.expectEnd();
    }
}
