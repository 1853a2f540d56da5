package io.tusk.core.crypto;

import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlsTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] MESSAGE = "tusk confirms".getBytes(StandardCharsets.UTF_8);

    @Test
    void shouldDeriveTheKnownPublicKeyOfASecret() {
        // Ethereum consensus-spec BLS vector (sk -> pk is independent of the signature DST).
        BlsKeyPair key = BlsKeyPair.fromSecret(
                HEX.parseHex("263dbd792f5b1be47ed85f8938c0f29586af0d3ac7b977f21c278fe1462040e3"));
        assertThat(HEX.formatHex(key.publicKey().bytes())).isEqualTo(
                "a491d1b0ecd9bb917989f0e74f0dea0422eac4a873e5e2644f368dffb9a6e20fd6e10c1b77654d067c0618f6e5a7f79a");
    }

    @Test
    void shouldSignAndVerifyAndRejectWrongKeyOrMessage() {
        BlsKeyPair key = BlsKeyPair.generate(RANDOM);
        BlsKeyPair other = BlsKeyPair.generate(RANDOM);
        BlsSignature signature = key.sign(MESSAGE);

        assertThat(signature.bytes()).hasSize(BlsSignature.LENGTH);
        assertThat(key.publicKey().verify(MESSAGE, signature)).isTrue();
        assertThat(other.publicKey().verify(MESSAGE, signature)).isFalse();
        assertThat(key.publicKey().verify("tusk confirmz".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
        // Deterministic: the same key signs the same bytes identically.
        assertThat(key.sign(MESSAGE)).isEqualTo(signature);
    }

    @Test
    void shouldRoundTripKeysAndSignaturesThroughBytesAndBase64() {
        BlsKeyPair key = BlsKeyPair.generate(RANDOM);
        BlsSignature signature = key.sign(MESSAGE);

        BlsKeyPair again = BlsKeyPair.fromSecret(key.secret());
        assertThat(again.publicKey()).isEqualTo(key.publicKey());
        assertThat(again).isEqualTo(key);
        assertThat(BlsPublicKey.fromBytes(key.publicKey().bytes())).isEqualTo(key.publicKey());
        assertThat(key.publicKey().toBase64()).hasSize(64);
        assertThat(BlsPublicKey.fromBase64(key.publicKey().toBase64())).isEqualTo(key.publicKey());
        assertThat(signature.toBase64()).hasSize(128);
        BlsSignature decoded = BlsSignature.fromBase64(signature.toBase64());
        assertThat(decoded).isEqualTo(signature).hasSameHashCodeAs(signature);
        assertThat(key.publicKey().verify(MESSAGE, decoded)).isTrue();
        assertThat(key.toString()).doesNotContain(HEX.formatHex(key.secret()));
    }

    @Test
    void shouldKeepShortSecretsAt32Bytes() {
        byte[] secret = new byte[32];
        secret[31] = 7;
        assertThat(BlsKeyPair.fromSecret(secret).secret()).isEqualTo(secret);
    }

    @Test
    void shouldRejectSecretsOutsideTheScalarField() {
        assertThatThrownBy(() -> BlsKeyPair.fromSecret(new byte[32])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("[1, r)");
        byte[] order = toBytes32(org.bouncycastle.crypto.bls.BLS12_381G1.ORDER);
        assertThatThrownBy(() -> BlsKeyPair.fromSecret(order)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BlsKeyPair.fromSecret(new byte[31])).hasMessageContaining("32 bytes, got 31");
    }

    @Test
    void shouldRejectMalformedPublicKeys() {
        byte[] good = BlsKeyPair.generate(RANDOM).publicKey().bytes();
        assertThatThrownBy(() -> BlsPublicKey.fromBytes(new byte[47])).hasMessageContaining("48 bytes, got 47");
        assertThatThrownBy(() -> BlsPublicKey.fromBytes(new byte[48])).isInstanceOf(IllegalArgumentException.class);
        byte[] identity = new byte[48];
        identity[0] = (byte) 0xc0;
        assertThatThrownBy(() -> BlsPublicKey.fromBytes(identity)).hasMessageContaining("identity");
        int rejected = 0;
        for (int i = 1; i < 48; i++) { // flipping x bits mostly leaves the curve; never may it throw otherwise
            byte[] bad = good.clone();
            bad[i] ^= 1;
            try {
                BlsPublicKey.fromBytes(bad);
            } catch (IllegalArgumentException e) {
                rejected++;
            }
        }
        assertThat(rejected).isPositive();
        assertThatThrownBy(() -> BlsPublicKey.fromBase64("not base64!")).hasMessageContaining("base64");
        assertThatThrownBy(() -> BlsPublicKey.fromBase64("AAAA")).hasMessageContaining("48 bytes, got 3");
    }

    @Test
    void shouldRejectMalformedSignatures() {
        byte[] good = BlsKeyPair.generate(RANDOM).sign(MESSAGE).bytes();
        assertThatThrownBy(() -> BlsSignature.fromBytes(new byte[95])).hasMessageContaining("96 bytes, got 95");
        assertThatThrownBy(() -> BlsSignature.fromBytes(new byte[96])).isInstanceOf(IllegalArgumentException.class);
        byte[] identity = new byte[96];
        identity[0] = (byte) 0xc0;
        assertThatThrownBy(() -> BlsSignature.fromBytes(identity)).hasMessageContaining("identity");
        byte[] bad = good.clone();
        bad[10] ^= 1;
        assertThatThrownBy(() -> BlsSignature.fromBytes(bad)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void verifyShouldNeverThrow() {
        BlsKeyPair key = BlsKeyPair.generate(RANDOM);
        assertThat(key.publicKey().verify(null, key.sign(MESSAGE))).isFalse();
        assertThat(key.publicKey().verify(MESSAGE, null)).isFalse();
        assertThat(key.publicKey().verify(new byte[0], key.sign(MESSAGE))).isFalse();
    }

    @Test
    void shouldVerifyAnAggregateOfThreeOnlyWithAllThreeKeys() {
        List<BlsKeyPair> keys = List.of(BlsKeyPair.generate(RANDOM), BlsKeyPair.generate(RANDOM),
                BlsKeyPair.generate(RANDOM));
        List<BlsSignature> signatures = keys.stream().map(k -> k.sign(MESSAGE)).toList();
        BlsSignature aggregate = BlsSignature.aggregate(signatures);
        List<BlsPublicKey> publicKeys = keys.stream().map(BlsKeyPair::publicKey).toList();

        assertThat(BlsPublicKey.aggregate(publicKeys).verify(MESSAGE, aggregate)).isTrue();
        assertThat(BlsPublicKey.aggregate(publicKeys.subList(0, 2)).verify(MESSAGE, aggregate)).isFalse();
        assertThat(BlsPublicKey.aggregate(publicKeys).verify(MESSAGE,
                BlsSignature.aggregate(signatures.subList(1, 3)))).isFalse();
        // Aggregation is order independent and survives a byte round trip.
        assertThat(BlsSignature.aggregate(List.of(signatures.get(2), signatures.get(0), signatures.get(1))))
                .isEqualTo(aggregate);
        assertThat(BlsSignature.fromBytes(aggregate.bytes())).isEqualTo(aggregate);
        assertThatThrownBy(() -> BlsSignature.aggregate(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BlsPublicKey.aggregate(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    private static byte[] toBytes32(BigInteger value) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(raw.length, 32);
        System.arraycopy(raw, raw.length - n, out, 32 - n, n);
        return out;
    }
}
