package io.tusk.core.crypto;

import org.bouncycastle.crypto.bls.BLS12_381BasicScheme;
import org.bouncycastle.crypto.bls.BLS12_381Serialization;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * blst (the fast path) and Bouncy Castle (the fallback, and the implementation checked against Walrus's
 * {@code bls12381_min_pk_verify} in {@code compat/}) give the same keys, signatures and aggregates, and accept and
 * refuse the same inputs.
 */
class BlsBackendsTest {
    @Test
    void blstLoadsOnThisMachine() {
        // CI and devnets run on linux-x86_64, for which jblst bundles the library: the fast path must be active.
        assertThat(Blst.AVAILABLE).isTrue();
    }

    @Test
    void shouldSignAggregateAndVerifyAlikeOnBothBackends() {
        long seed = System.nanoTime();
        System.out.println("BlsBackendsTest seed: " + seed);
        Random random = new Random(seed);
        List<BlsSignature> signatures = new ArrayList<>();
        List<BlsPublicKey> keys = new ArrayList<>();
        org.bouncycastle.crypto.bls.BLS12_381G2Point bcSum = null;
        org.bouncycastle.math.ec.ECPoint bcKeySum = null;
        byte[] message = new byte[random.nextInt(200)];
        random.nextBytes(message);
        for (int i = 0; i < 5; i++) {
            byte[] secret = new byte[32];
            random.nextBytes(secret);
            secret[0] &= 0x3f; // below the group order
            BigInteger scalar = new BigInteger(1, secret);

            byte[] blstKey = Blst.publicKey(secret);
            org.bouncycastle.math.ec.ECPoint bcKey = BLS12_381BasicScheme.skToPk(scalar).normalize();
            assertThat(blstKey).isEqualTo(BLS12_381Serialization.compressG1(bcKey));

            byte[] blstSignature = Blst.sign(secret, message);
            org.bouncycastle.crypto.bls.BLS12_381G2Point bcSignature = BLS12_381BasicScheme.sign(scalar, message);
            assertThat(blstSignature).isEqualTo(BLS12_381Serialization.compressG2(bcSignature));

            assertThat(Blst.verify(blstKey, message, blstSignature)).isTrue();
            assertThat(BLS12_381BasicScheme.verify(bcKey, message, bcSignature)).isTrue();
            byte[] other = message.clone();
            other = java.util.Arrays.copyOf(other, other.length + 1);
            assertThat(Blst.verify(blstKey, other, blstSignature)).isFalse();

            BlsKeyPair pair = BlsKeyPair.fromSecret(secret);
            assertThat(pair.publicKey().bytes()).isEqualTo(blstKey);
            assertThat(pair.sign(message).bytes()).isEqualTo(blstSignature);
            signatures.add(BlsSignature.fromBytes(blstSignature));
            keys.add(BlsPublicKey.fromBytes(blstKey));
            bcSum = bcSum == null ? bcSignature : bcSum.add(bcSignature);
            bcKeySum = bcKeySum == null ? bcKey : bcKeySum.add(bcKey);
        }
        BlsSignature aggregate = BlsSignature.aggregate(signatures);
        BlsPublicKey aggregateKey = BlsPublicKey.aggregate(keys);
        assertThat(aggregate.bytes()).isEqualTo(BLS12_381Serialization.compressG2(bcSum));
        assertThat(aggregateKey.bytes()).isEqualTo(BLS12_381Serialization.compressG1(bcKeySum.normalize()));
        assertThat(aggregateKey.verify(message, aggregate)).isTrue();
        assertThat(keys.getFirst().verify(message, aggregate)).isFalse();
    }

    @Test
    void shouldRefuseTheSameBadEncodingsAsBouncyCastle() {
        byte[] infinity = new byte[BlsPublicKey.LENGTH];
        infinity[0] = (byte) 0xc0;
        assertThatThrownBy(() -> Blst.validatePublicKey(infinity)).hasMessageContaining("identity");
        byte[] sigInfinity = new byte[BlsSignature.LENGTH];
        sigInfinity[0] = (byte) 0xc0;
        assertThatThrownBy(() -> Blst.validateSignature(sigInfinity)).hasMessageContaining("identity");
        assertThatThrownBy(() -> Blst.validatePublicKey(new byte[BlsPublicKey.LENGTH]))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(Blst.verify(new byte[BlsPublicKey.LENGTH], new byte[1], new byte[BlsSignature.LENGTH])).isFalse();
    }
}
