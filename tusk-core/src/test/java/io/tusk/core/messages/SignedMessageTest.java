package io.tusk.core.messages;

import io.tusk.core.bcs.BcsException;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.core.metadata.BlobId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.SecureRandom;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignedMessageTest {
    private static final BlobId BLOB = BlobId.of(new byte[32]);
    private static List<BlsKeyPair> committee;
    private static List<BlsPublicKey> committeeKeys;

    @BeforeAll
    static void createCommittee() {
        SecureRandom random = new SecureRandom();
        committee = List.of(BlsKeyPair.generate(random), BlsKeyPair.generate(random), BlsKeyPair.generate(random),
                BlsKeyPair.generate(random));
        committeeKeys = committee.stream().map(BlsKeyPair::publicKey).toList();
    }

    @Test
    void shouldSignVerifyAndRoundTripJsonAndBcs() {
        StorageConfirmation confirmation = new StorageConfirmation(21, BLOB, BlobPersistence.PERMANENT);
        SignedMessage signed = confirmation.sign(committee.get(0));

        assertThat(signed.verify(committeeKeys.get(0))).isTrue();
        assertThat(signed.verify(committeeKeys.get(1))).isFalse();
        assertThat(signed.verify(null)).isFalse();
        assertThat(signed.serializedMessageBase64()).endsWith("==");
        assertThat(signed.toJson()).isEqualTo("{\"serializedMessage\":\"" + signed.serializedMessageBase64()
                + "\",\"signature\":\"" + signed.signature().toBase64() + "\"}");
        assertThat(SignedMessage.fromBase64(signed.serializedMessageBase64(), signed.signatureBase64()))
                .isEqualTo(signed);

        byte[] bcs = signed.toBcs();
        assertThat(bcs).hasSize(1 + 40 + 96);
        assertThat(bcs[0]).isEqualTo((byte) 40);
        assertThat(SignedMessage.fromBcs(bcs)).isEqualTo(signed);
        assertThatThrownBy(() -> SignedMessage.fromBcs(java.util.Arrays.copyOf(bcs, bcs.length + 1)))
                .isInstanceOf(BcsException.class);
        byte[] badSignature = bcs.clone();
        badSignature[50] ^= 1;
        assertThatThrownBy(() -> SignedMessage.fromBcs(badSignature)).isInstanceOf(BcsException.class)
                .hasMessageContaining("offset 41");

        byte[] otherBytes = new StorageConfirmation(22, BLOB, BlobPersistence.PERMANENT).toBcs();
        assertThat(new SignedMessage(otherBytes, signed.signature()).verify(committeeKeys.get(0))).isFalse();
    }

    @Test
    void shouldAggregateConfirmationsIntoACertificate() {
        byte[] message = new StorageConfirmation(21, BLOB, BlobPersistence.PERMANENT).toBcs();
        // Given out of order: the certificate sorts the signers.
        List<Integer> signers = List.of(3, 0, 2);
        List<SignedMessage> confirmations = signers.stream()
                .map(i -> new SignedMessage(message, committee.get(i).sign(message))).toList();
        ConfirmationCertificate certificate = ConfirmationCertificate.aggregate(signers, confirmations);

        assertThat(certificate.signers()).containsExactly(0, 2, 3);
        assertThat(certificate.serializedMessage()).isEqualTo(message);
        assertThat(certificate.verify(committeeKeys)).isTrue();
        assertThat(certificate.message()).isEqualTo(StorageConfirmation.fromBcs(message));

        // One signer left out of the claimed set, or a wrong member claimed: fails.
        assertThat(new ConfirmationCertificate(List.of(0, 2), message, certificate.aggregateSignature())
                .verify(committeeKeys)).isFalse();
        assertThat(new ConfirmationCertificate(List.of(0, 1, 3), message, certificate.aggregateSignature())
                .verify(committeeKeys)).isFalse();
        // An index outside the committee, or another message: false, no exception.
        assertThat(new ConfirmationCertificate(List.of(0, 2, 9), message, certificate.aggregateSignature())
                .verify(committeeKeys)).isFalse();
        assertThat(new ConfirmationCertificate(List.of(0, 2, 3), new InvalidBlobIdMessage(21, BLOB).toBcs(),
                certificate.aggregateSignature()).verify(committeeKeys)).isFalse();
        assertThat(certificate.verify(null)).isFalse();
    }

    @Test
    void shouldRefuseToAggregateDifferentMessagesOrBadSigners() {
        byte[] a = new StorageConfirmation(21, BLOB, BlobPersistence.PERMANENT).toBcs();
        byte[] b = new StorageConfirmation(22, BLOB, BlobPersistence.PERMANENT).toBcs();
        SignedMessage signedA = new SignedMessage(a, committee.get(0).sign(a));
        SignedMessage signedB = new SignedMessage(b, committee.get(1).sign(b));

        assertThatThrownBy(() -> ConfirmationCertificate.aggregate(List.of(0, 1), List.of(signedA, signedB)))
                .hasMessageContaining("different bytes");
        assertThatThrownBy(() -> ConfirmationCertificate.aggregate(List.of(0), List.of(signedA, signedA)))
                .hasMessageContaining("1 signers but 2");
        assertThatThrownBy(() -> ConfirmationCertificate.aggregate(List.of(0, 0), List.of(signedA, signedA)))
                .hasMessageContaining("ascending and distinct");
        assertThatThrownBy(() -> new ConfirmationCertificate(List.of(), a, signedA.signature()))
                .hasMessageContaining("at least one");
        assertThatThrownBy(() -> new ConfirmationCertificate(List.of(-1), a, signedA.signature()))
                .hasMessageContaining(">= 0");
    }
}
