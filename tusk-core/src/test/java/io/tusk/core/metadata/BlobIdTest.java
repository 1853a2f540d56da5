package io.tusk.core.metadata;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Check values from walrus-protocol.md section 15 (blobs A to E). */
class BlobIdTest {
    @ParameterizedTest(name = "{1}")
    @CsvSource({
            "358d3153c3286109087eb295a4bded4ca8db391e675aa87020a829ec1e9997f9, NY0xU8MoYQkIfrKVpL3tTKjbOR5nWqhwIKgp7B6Zl_k, 112893750004875163134216551669122695440862938929777157011657324388932817882421, 4, 1",
            "1e656b681151a2469d530e33271e46e0e45e9d91847f327e243146e1cc8603ba, HmVraBFRokadUw4zJx5G4ORenZGEfzJ-JDFG4cyGA7o, 84136420735245614348917745103488536938686440121912575846725011264373254743326, 10, 6",
            "c3a64f110fec87656ce300eeada3519c16d40773079f6d15fe1312da166fd9b7, w6ZPEQ_sh2Vs4wDuraNRnBbUB3MHn20V_hMS2hZv2bc, 83157423813723495382717889576861434741613974957933177063121910589829319468739, 1000, 799",
            "dc63d02f71d936716137f17b97901af97d553ad00ac08b20f73b9693c47cd6fe, 3GPQL3HZNnFhN_F7l5Aa-X1VOtAKwIsg9zuWk8R81v4, 115266429928251495341554418733506437537355316002977678939293217155078572499932, 1000, 422",
            "bc29e80715113b6d2397b0a6b1aa065d5f27c102ca637db97687c439ea0533fe, vCnoBxURO20jl7CmsaoGXV8nwQLKY325dofEOeoFM_4, 114977613563896262344000409221781312018501670610969284759089128930002732591548, 7, 5",
    })
    void shouldConvertBetweenForms(String hex, String text, String u256, int n, int offset) {
        BlobId id = BlobId.of(HexFormat.of().parseHex(hex));
        assertThat(id.toString()).isEqualTo(text);
        assertThat(BlobId.parse(text)).isEqualTo(id);
        assertThat(id.toU256()).isEqualTo(new BigInteger(u256));
        assertThat(BlobId.fromU256(new BigInteger(u256))).isEqualTo(id);
        assertThat(id.rotationOffset(n)).isEqualTo(offset);
        assertThat(id.shardForPair(0, n)).isEqualTo(offset);
        assertThat(id.pairForShard(offset, n)).isZero();
        for (int q = 0; q < n; q++) {
            assertThat(id.pairForShard(id.shardForPair(q, n), n)).isEqualTo(q);
        }
    }

    @Test
    void shouldRotatePairsOfBlobCAsWalrus() {
        BlobId c = BlobId.parse("w6ZPEQ_sh2Vs4wDuraNRnBbUB3MHn20V_hMS2hZv2bc");
        assertThat(c.shardForPair(1, 1000)).isEqualTo(800);
        assertThat(c.shardForPair(201, 1000)).isEqualTo(0);
        assertThat(c.shardForPair(999, 1000)).isEqualTo(798);
        assertThat(c.pairForShard(0, 1000)).isEqualTo(201);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "", "NY0xU8MoYQkIfrKVpL3tTKjbOR5nWqhwIKgp7B6Zl_k=", "NY0xU8MoYQkIfrKVpL3tTKjbOR5nWqhwIKgp7B6Zl/k",
            "NY0xU8MoYQkIfrKVpL3tTKjbOR5nWqhwIKgp7B6Zl_l", "NY0xU8MoYQkIfrKVpL3tTKjbOR5nWqhwIKgp7B6Zl_", "NY0xU8MoYQkIfrKVpL3tTKjbOR5nWqhwIKgp7B6Zl+k",
            "NY0xU8MoYQkIfrKVpL3tTKjbOR5nWqhwIKgp7B6Zl_kA",
    })
    void shouldRejectNonCanonicalText(String text) {
        assertThatThrownBy(() -> BlobId.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }
}
