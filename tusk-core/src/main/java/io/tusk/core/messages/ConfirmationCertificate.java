package io.tusk.core.messages;

import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.core.crypto.BlsSignature;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Confirmations of one message from several committee members, aggregated: the signers' indices into the
 * committee's member list (ascending, distinct), the common message bytes and the aggregate BLS signature.
 *
 * <p>This class checks only the cryptography. Whether the signers hold more than 2f shards and whether the
 * message's epoch is current is the control plane's decision. Equality is by content.
 *
 * @param signers ascending committee member indices
 * @param serializedMessage the bytes every signer signed (copied in and out)
 * @param aggregateSignature the sum of the signers' signatures
 */
public record ConfirmationCertificate(List<Integer> signers, byte[] serializedMessage,
                                      BlsSignature aggregateSignature) {
    public ConfirmationCertificate {
        if (signers == null || serializedMessage == null || aggregateSignature == null) {
            throw new IllegalArgumentException("a certificate needs signers, message bytes and a signature");
        }
        signers = List.copyOf(signers);
        if (signers.isEmpty()) {
            throw new IllegalArgumentException("a certificate needs at least one signer");
        }
        for (int i = 0; i < signers.size(); i++) {
            int index = signers.get(i);
            if (index < 0) {
                throw new IllegalArgumentException("signer index must be >= 0, got " + index);
            }
            if (i > 0 && signers.get(i - 1) >= index) {
                throw new IllegalArgumentException("signer indices must be ascending and distinct, got " + signers);
            }
        }
        serializedMessage = serializedMessage.clone();
    }

    /**
     * Aggregates one confirmation per signer; {@code signers.get(i)} signed {@code confirmations.get(i)}. The pairs
     * may come in any order (they are sorted by signer index).
     *
     * @throws IllegalArgumentException if the lists differ in length or are empty, an index repeats, or the
     *     confirmations are not all over identical bytes
     */
    public static ConfirmationCertificate aggregate(List<Integer> signers, List<SignedMessage> confirmations) {
        if (signers.size() != confirmations.size()) {
            throw new IllegalArgumentException(signers.size() + " signers but " + confirmations.size()
                    + " confirmations");
        }
        if (signers.isEmpty()) {
            throw new IllegalArgumentException("cannot aggregate zero confirmations");
        }
        byte[] message = confirmations.get(0).serializedMessage();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < signers.size(); i++) {
            if (!Arrays.equals(message, confirmations.get(i).serializedMessage())) {
                throw new IllegalArgumentException("confirmation of signer " + signers.get(i)
                        + " is over different bytes than that of signer " + signers.get(0));
            }
            order.add(i);
        }
        order.sort(Comparator.comparing(signers::get));
        List<Integer> sortedSigners = new ArrayList<>(order.size());
        List<BlsSignature> signatures = new ArrayList<>(order.size());
        for (int i : order) {
            sortedSigners.add(signers.get(i));
            signatures.add(confirmations.get(i).signature());
        }
        return new ConfirmationCertificate(sortedSigners, message, BlsSignature.aggregate(signatures));
    }

    @Override
    public byte[] serializedMessage() {
        return serializedMessage.clone();
    }

    /**
     * Whether the aggregate signature verifies under the sum of the signers' keys. Never throws: a signer index
     * outside the committee answers {@code false}.
     *
     * @param committeeKeys the BLS keys of the committee members, in member-list order
     */
    public boolean verify(List<BlsPublicKey> committeeKeys) {
        if (committeeKeys == null) {
            return false;
        }
        List<BlsPublicKey> keys = new ArrayList<>(signers.size());
        for (int index : signers) {
            if (index >= committeeKeys.size() || committeeKeys.get(index) == null) {
                return false;
            }
            keys.add(committeeKeys.get(index));
        }
        try {
            return BlsPublicKey.aggregate(keys).verify(serializedMessage, aggregateSignature);
        } catch (IllegalArgumentException e) { // the keys summed to the identity
            return false;
        }
    }

    /** Parses the signed bytes as a protocol message (does not verify). */
    public ProtocolMessage message() {
        return ProtocolMessage.fromBcs(serializedMessage);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfirmationCertificate other && signers.equals(other.signers)
                && Arrays.equals(serializedMessage, other.serializedMessage)
                && aggregateSignature.equals(other.aggregateSignature);
    }

    @Override
    public int hashCode() {
        return (31 * signers.hashCode() + Arrays.hashCode(serializedMessage)) * 31 + aggregateSignature.hashCode();
    }

    @Override
    public String toString() {
        return "ConfirmationCertificate[signers=" + signers + ", serializedMessage="
                + java.util.Base64.getEncoder().encodeToString(serializedMessage) + ", aggregateSignature="
                + aggregateSignature.toBase64() + "]";
    }
}
