package io.tusk.control.state;

import io.tusk.control.api.Certificate;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.core.crypto.BlsSignature;
import io.tusk.core.messages.ConfirmationCertificate;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The certificate-verification concern: which shards a certificate's signers hold in a committee, and whether their
 * aggregate BLS signature verifies over the certified message. Keeps parsed committee keys (parsing checks the
 * subgroup, which is slow); the cache is derived data, not state.
 */
final class CertificateVerifier {
    private final Map<String, BlsPublicKey> keys = new HashMap<>();

    /** The shards held by the certificate's signers; refuses indices that are not ascending committee members. */
    int signerWeight(CommitteeInfo committee, Certificate certificate) throws Refusal {
        List<CommitteeMember> members = committee.members();
        List<Integer> signers = certificate.signers();
        int weight = 0;
        int previous = -1;
        for (int signer : signers) {
            if (signer <= previous || signer >= members.size()) {
                throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "signer indices must be ascending, distinct and below "
                        + members.size() + " (the committee size), got " + signers);
            }
            previous = signer;
            weight += members.get(signer).shards().size();
        }
        return weight;
    }

    /** Checks the aggregate signature of the certificate's signers over its message ({@code what} names it). */
    void checkAggregateSignature(CommitteeInfo committee, Certificate certificate, String what) throws Refusal {
        List<CommitteeMember> members = committee.members();
        List<BlsPublicKey> memberKeys = new ArrayList<>(members.size());
        for (CommitteeMember member : members) {
            memberKeys.add(key(member));
        }
        ConfirmationCertificate parsed;
        try {
            parsed = new ConfirmationCertificate(certificate.signers(), certificate.serializedMessage(),
                    BlsSignature.fromBytes(certificate.signature()));
        } catch (IllegalArgumentException e) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "bad certificate: " + e.getMessage());
        }
        if (!parsed.verify(memberKeys)) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "the aggregate signature of signers " + certificate.signers()
                    + " does not verify over the " + what);
        }
    }

    /** The member's parsed BLS public key. */
    BlsPublicKey key(CommitteeMember member) {
        return keys.computeIfAbsent(member.nodeId(), id -> BlsPublicKey.fromBytes(member.blsPublicKey()));
    }

    /** Remembers a key parsed elsewhere (registration parsed it already). */
    void remember(String nodeId, BlsPublicKey key) {
        keys.put(nodeId, key);
    }
}
