package io.tusk.core.crypto;

import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Ed25519Test {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void shouldMatchRfc8032TestVector1() {
        Ed25519KeyPair key = Ed25519KeyPair.fromSecret(
                HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
        assertThat(HEX.formatHex(key.publicKey().bytes()))
                .isEqualTo("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
        byte[] signature = key.sign(new byte[0]);
        assertThat(HEX.formatHex(signature)).isEqualTo("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b");
        assertThat(key.publicKey().verify(new byte[0], signature)).isTrue();
    }

    @Test
    void shouldSignVerifyAndRejectTampering() {
        Ed25519KeyPair key = Ed25519KeyPair.generate(new SecureRandom());
        byte[] message = "{\"nonce\":0}".getBytes(StandardCharsets.UTF_8);
        byte[] signature = key.sign(message);
        Ed25519PublicKey publicKey = Ed25519PublicKey.fromBase64(key.publicKey().toBase64());

        assertThat(publicKey.verify(message, signature)).isTrue();
        byte[] tampered = signature.clone();
        tampered[3] ^= 1;
        assertThat(publicKey.verify(message, tampered)).isFalse();
        assertThat(publicKey.verify("{\"nonce\":1}".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
        assertThat(Ed25519KeyPair.generate(new SecureRandom()).publicKey().verify(message, signature)).isFalse();
        assertThat(publicKey.verify(message, new byte[63])).isFalse();
        assertThat(publicKey.verify(message, null)).isFalse();
        assertThat(publicKey.verify(null, signature)).isFalse();
        assertThat(Ed25519KeyPair.fromSecret(key.secret()).publicKey()).isEqualTo(key.publicKey());
    }

    @Test
    void shouldRejectMalformedPublicKeys() {
        assertThatThrownBy(() -> Ed25519PublicKey.fromBytes(new byte[31])).hasMessageContaining("32 bytes, got 31");
        byte[] notOnCurve = HEX.parseHex("0200000000000000000000000000000000000000000000000000000000000000");
        assertThatThrownBy(() -> Ed25519PublicKey.fromBytes(notOnCurve)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Ed25519KeyPair.fromSecret(new byte[33])).hasMessageContaining("got 33");
    }

    @Test
    void shouldDeriveTheSuiAddress() {
        Ed25519PublicKey key = Ed25519KeyPair.fromSecret(new byte[32]).publicKey();
        Blake2bDigest digest = new Blake2bDigest(256);
        digest.update((byte) 0);
        digest.update(key.bytes(), 0, 32);
        byte[] expected = new byte[32];
        digest.doFinal(expected, 0);

        assertThat(key.address().bytes()).isEqualTo(expected);
        assertThat(key.address().toString()).isEqualTo("0x" + HEX.formatHex(expected));
    }

    @Test
    void shouldParseAddressForms() {
        Address full = Address.parse("0x" + "ab".repeat(32));
        assertThat(full.toString()).isEqualTo("0x" + "ab".repeat(32));
        assertThat(Address.parse("AB".repeat(32))).isEqualTo(full);
        assertThat(Address.parse("0x2").toString()).isEqualTo("0x" + "0".repeat(63) + "2");
        assertThat(Address.parse("0x2")).isEqualTo(new Address(HEX.parseHex("0".repeat(63) + "2")))
                .hasSameHashCodeAs(new Address(HEX.parseHex("0".repeat(63) + "2")));
        assertThatThrownBy(() -> Address.parse("0x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Address.parse("0x" + "0".repeat(65))).hasMessageContaining("1 to 64");
        assertThatThrownBy(() -> Address.parse("abc")).hasMessageContaining("exactly 64");
        assertThatThrownBy(() -> Address.parse("0xzz")).hasMessageContaining("non-hex");
        assertThatThrownBy(() -> Address.parse("0x\u0663")).hasMessageContaining("non-hex");
        assertThatThrownBy(() -> Address.parse(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Address(new byte[31])).hasMessageContaining("32 bytes");
    }
}
