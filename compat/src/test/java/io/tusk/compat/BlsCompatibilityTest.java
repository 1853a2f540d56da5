package io.tusk.compat;

import static io.tusk.compat.TestBytes.unhex;
import static org.assertj.core.api.Assertions.assertThat;

import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.core.crypto.BlsSignature;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.ConfirmationCertificate;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.messages.SignedMessage;
import io.tusk.core.messages.StorageConfirmation;
import io.tusk.core.metadata.BlobId;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Tusk's BLS12-381 min_pk (Bouncy Castle, {@code io.tusk.core.crypto}) against {@code @mysten/walrus-wasm}'s
 * {@code bls12381_min_pk_verify}, {@code _aggregate} and {@code _verify_aggregate}, the functions the TS SDK checks
 * node confirmations and builds certificates with. The live-node variant (confirmations signed by running Tusk
 * nodes) is in {@link StorageNodeClientCompatibilityTest}.
 */
class BlsCompatibilityTest {
    private static final long SEED = Long.getLong("tusk.test.seed", System.nanoTime());

    private final WalrusOracle oracle = WalrusOracle.shared();

    /** The vectors of {@link WalrusOracleBlsSelfTest} (made with @noble/curves), re-derived by Tusk from the secrets. */
    @Test
    void shouldDeriveThePublishedVectorsFromTheirSecretKeys() {
        byte[] message = "tusk bls oracle vector".getBytes(StandardCharsets.US_ASCII);
        List<String> publicKeys = List.of(
                "9743690bd5e2bbe1431a7d6800ccc79c61fa43d4fea5f37005abeefd65e300baf90246475ab804f0aeeca0ffa2091d7f",
                "96686c34c8a3559525094e1189545cd06dbdfb8f019994589a4f3060fbfc37607bdceef47ca3c11416a08959297ab53a",
                "82dd940bfb49e08b0a5d4c801ef8296ebfc2361ed6f9ec68bfad402febf5fc0800c7d21934278cb10953873508e3fdaa");
        List<String> signatures = List.of(
                "88340626e837548c186a5cedf58930563e3902e790380abeb68a891184a52331dc408ac5cb222a820b20cfaa19101d1d"
                        + "00db0c63f7c1fadd2ae45c583ffcb2b50cbd4bbe7c9aaf49557e62d5d0c4cf79ba288b9b8a93d3edb282a07d5fb53e7a",
                "ac7aeb00d7e5de9e3d2fe8abfdad4b2aa2d731f601d9528faa7efc2c759919ff0e5e42d6cb3b976e0959b52c62b6138a"
                        + "16430a27125a22edd5a2f085c631ccd229189e90708d5fe5a76b9aff9a23baca204cdf0ce13410b07832c97a9b32a2fe",
                "83a207c9895b727353e07bf021d08b8b1db2113ddebdce895936361befe1c0555df7cc4f8be24b0c329a1c1ca50d7324"
                        + "11d71cebf9643ee98ea791864c126d43d66938dbd63be54acf9a0e6656a17fb47418e133ccee6209ecb9ccd5e3afed35");
        String aggregate = "8ef49976dbc8384526d3ba949a571ff5d44d661d84a5d0f3e2734a81368573689dc3da6262149259d98c3116598cd220"
                + "023a22b9978614029df205288bb7e370b96592a174a9cbc1cdc15baafead8a8bb19d97332e2aa28fb76caa2c2cb7441a";
        List<BlsSignature> tuskSignatures = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            byte[] secret = new byte[32];
            secret[0] = 0x11;
            secret[31] = (byte) (7 * i + 1);
            BlsKeyPair key = BlsKeyPair.fromSecret(secret);
            assertThat(key.publicKey().bytes()).as("public key %d", i).isEqualTo(unhex(publicKeys.get(i - 1)));
            BlsSignature signature = key.sign(message);
            assertThat(signature.bytes()).as("signature %d", i).isEqualTo(unhex(signatures.get(i - 1)));
            tuskSignatures.add(signature);
        }
        assertThat(BlsSignature.aggregate(tuskSignatures).bytes()).isEqualTo(unhex(aggregate));
    }

    @Test
    void shouldSignConfirmationsTheWasmVerifies() {
        System.out.println("BlsCompatibilityTest seed: " + SEED + " (replay with -Dtusk.test.seed=" + SEED + ")");
        Random random = new Random(SEED);
        for (int round = 0; round < 8; round++) {
            BlsKeyPair key = randomKey(random);
            BlsKeyPair other = randomKey(random);
            long epoch = round == 0 ? 0 : round == 1 ? 0xFFFF_FFFFL : random.nextInt(Integer.MAX_VALUE);
            BlobId blobId = BlobId.of(TestBytes.random(random, 32));
            BlobPersistence persistence = random.nextBoolean() ? new BlobPersistence.Permanent()
                    : new BlobPersistence.Deletable(new ObjectId(TestBytes.random(random, 32)));
            byte[] message = new StorageConfirmation(epoch, blobId, persistence).toBcs();
            byte[] signature = key.sign(message).bytes();
            String what = "round " + round + ", seed " + SEED;
            assertThat(oracle.blsVerify(signature, key.publicKey().bytes(), message)).as(what).isTrue();
            assertThat(oracle.blsVerify(signature, other.publicKey().bytes(), message)).as(what).isFalse();
            byte[] changed = message.clone();
            changed[4 + random.nextInt(message.length - 4)] ^= 1;
            assertThat(oracle.blsVerify(signature, key.publicKey().bytes(), changed)).as(what).isFalse();
        }
    }

    @Test
    void shouldAggregateLikeTheWasm() {
        Random random = new Random(SEED ^ 0x5A5A);
        for (int signersCount : List.of(1, 2, 3, 7, 20)) {
            byte[] message = new StorageConfirmation(1 + random.nextInt(1000), BlobId.of(TestBytes.random(random, 32)),
                    new BlobPersistence.Permanent()).toBcs();
            List<BlsKeyPair> keys = new ArrayList<>();
            List<Integer> signers = new ArrayList<>();
            List<SignedMessage> confirmations = new ArrayList<>();
            List<byte[]> publicKeys = new ArrayList<>();
            List<byte[]> signatures = new ArrayList<>();
            List<BlsPublicKey> committee = new ArrayList<>();
            for (int i = 0; i < signersCount; i++) {
                BlsKeyPair key = randomKey(random);
                keys.add(key);
                signers.add(i);
                BlsSignature signature = key.sign(message);
                confirmations.add(new SignedMessage(message, signature));
                publicKeys.add(key.publicKey().bytes());
                signatures.add(signature.bytes());
                committee.add(key.publicKey());
            }
            String what = signersCount + " signers, seed " + SEED;
            ConfirmationCertificate certificate = ConfirmationCertificate.aggregate(signers, confirmations);
            byte[] tuskAggregate = certificate.aggregateSignature().bytes();
            assertThat(tuskAggregate).as(what).isEqualTo(oracle.blsAggregate(signatures));
            assertThat(oracle.blsVerifyAggregate(publicKeys, message, tuskAggregate)).as(what).isTrue();
            assertThat(certificate.verify(committee)).as(what).isTrue();
            if (signersCount > 1) {
                assertThat(oracle.blsVerifyAggregate(publicKeys.subList(1, signersCount), message, tuskAggregate))
                        .as(what).isFalse();
            }
        }
    }

    /** A key from a random scalar below the group order (the top byte is kept under 0x73). */
    private static BlsKeyPair randomKey(Random random) {
        byte[] secret = TestBytes.random(random, 32);
        secret[0] &= 0x3F;
        secret[31] |= 1;
        return BlsKeyPair.fromSecret(secret);
    }
}
