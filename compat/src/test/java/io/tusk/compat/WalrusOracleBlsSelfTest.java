package io.tusk.compat;

import static io.tusk.compat.TestBytes.hex;
import static io.tusk.compat.TestBytes.unhex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The oracle's BLS12-381 min-pk functions (public keys in G1, 48 B; signatures in G2, 96 B). The vectors were made
 * with {@code @noble/curves} 2.4.0 ({@code bls12_381.longSignatures}, secret keys 0x11 ‖ 0³⁰ ‖ (7i+1) for
 * i = 1, 2, 3) and agree with the WASM module, which is what storage-node signatures are checked with.
 */
class WalrusOracleBlsSelfTest {
    private static final byte[] MESSAGE = "tusk bls oracle vector".getBytes(StandardCharsets.US_ASCII);
    private static final List<byte[]> PUBLIC_KEYS = List.of(
            unhex("9743690bd5e2bbe1431a7d6800ccc79c61fa43d4fea5f37005abeefd65e300baf90246475ab804f0aeeca0ffa2091d7f"),
            unhex("96686c34c8a3559525094e1189545cd06dbdfb8f019994589a4f3060fbfc37607bdceef47ca3c11416a08959297ab53a"),
            unhex("82dd940bfb49e08b0a5d4c801ef8296ebfc2361ed6f9ec68bfad402febf5fc0800c7d21934278cb10953873508e3fdaa"));
    private static final List<byte[]> SIGNATURES = List.of(
            unhex("88340626e837548c186a5cedf58930563e3902e790380abeb68a891184a52331dc408ac5cb222a820b20cfaa19101d1d"
                    + "00db0c63f7c1fadd2ae45c583ffcb2b50cbd4bbe7c9aaf49557e62d5d0c4cf79ba288b9b8a93d3edb282a07d5fb53e7a"),
            unhex("ac7aeb00d7e5de9e3d2fe8abfdad4b2aa2d731f601d9528faa7efc2c759919ff0e5e42d6cb3b976e0959b52c62b6138a"
                    + "16430a27125a22edd5a2f085c631ccd229189e90708d5fe5a76b9aff9a23baca204cdf0ce13410b07832c97a9b32a2fe"),
            unhex("83a207c9895b727353e07bf021d08b8b1db2113ddebdce895936361befe1c0555df7cc4f8be24b0c329a1c1ca50d7324"
                    + "11d71cebf9643ee98ea791864c126d43d66938dbd63be54acf9a0e6656a17fb47418e133ccee6209ecb9ccd5e3afed35"));
    private static final String AGGREGATE =
            "8ef49976dbc8384526d3ba949a571ff5d44d661d84a5d0f3e2734a81368573689dc3da6262149259d98c3116598cd220"
            + "023a22b9978614029df205288bb7e370b96592a174a9cbc1cdc15baafead8a8bb19d97332e2aa28fb76caa2c2cb7441a";

    private final WalrusOracle oracle = WalrusOracle.shared();

    @Test
    void shouldVerifySignaturesAndRejectWrongOnes() {
        for (int i = 0; i < 3; i++) {
            assertThat(oracle.blsVerify(SIGNATURES.get(i), PUBLIC_KEYS.get(i), MESSAGE)).as("signer %d", i).isTrue();
        }
        assertThat(oracle.blsVerify(SIGNATURES.get(0), PUBLIC_KEYS.get(1), MESSAGE)).isFalse();
        assertThat(oracle.blsVerify(SIGNATURES.get(0), PUBLIC_KEYS.get(0), "other".getBytes(StandardCharsets.US_ASCII)))
                .isFalse();
    }

    @Test
    void shouldAggregateAndVerifyAggregates() {
        byte[] aggregate = oracle.blsAggregate(SIGNATURES);
        assertThat(hex(aggregate)).isEqualTo(AGGREGATE);
        assertThat(oracle.blsVerifyAggregate(PUBLIC_KEYS, MESSAGE, aggregate)).isTrue();
        assertThat(oracle.blsVerifyAggregate(PUBLIC_KEYS.subList(0, 2), MESSAGE, aggregate)).isFalse();
    }

    @Test
    void shouldReportMalformedPointsAsErrors() {
        assertThatThrownBy(() -> oracle.blsVerify(new byte[96], PUBLIC_KEYS.get(0), MESSAGE))
                .isInstanceOfSatisfying(OracleException.class, e -> assertThat(e.isErrorResponse()).isTrue());
        assertThatThrownBy(() -> oracle.blsAggregate(List.of(new byte[95])))
                .isInstanceOfSatisfying(OracleException.class, e -> assertThat(e.isErrorResponse()).isTrue());
    }
}
