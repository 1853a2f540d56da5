package io.tusk.control.state;

import io.tusk.control.api.Certificate;
import io.tusk.control.api.Command;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.core.Bft;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.BlsBatch;
import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.core.crypto.BlsSignature;
import io.tusk.core.messages.InvalidBlobIdMessage;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.messages.ShardsSyncedMessage;
import io.tusk.core.messages.StorageConfirmation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;

/**
 * The certificate-verification concern: the BLS signatures a command carries (a quorum certificate over a storage
 * confirmation, a validity certificate over an invalid-blob-ID message, a node's shards-synced report), checked
 * against the committee of the epoch the signed message names. Committees never change once their epoch started, so
 * these checks need no lock and give the same answer whenever they run: they are part of {@link ControlState#precheck}
 * and run before ordering, in parallel. What depends on the state at the command's index (is that epoch the current
 * one, does the object exist and match the message) is left to the apply.
 *
 * <p>Keeps parsed committee keys (parsing checks the subgroup, which is slow); derived data, not state. Thread-safe.
 */
final class CertificateVerifier {
    private static final int CACHED_SIGNER_SETS = 256;
    /** Parsed keys by node ID; thread-safe, because prechecks run on any thread. Bounded by the registered nodes. */
    private final Map<String, BlsPublicKey> keys = new ConcurrentHashMap<>();
    /** Summed keys of recent signer sets; bounded. */
    private final Map<SignerSet, BlsPublicKey> aggregates = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<SignerSet, BlsPublicKey> eldest) {
                    return size() > CACHED_SIGNER_SETS;
                }
            });

    /** What a passed precheck verified: the signed message, parsed, and the epoch whose committee signed it. */
    sealed interface Verified {
        long epoch();

        /** A quorum of the committee of {@code confirmation.epoch()} signed the confirmation. */
        record Confirmation(StorageConfirmation confirmation) implements Verified {
            @Override
            public long epoch() {
                return confirmation.epoch();
            }
        }

        /** Members holding more than f shards of the committee of {@code message.epoch()} signed the message. */
        record InvalidBlob(InvalidBlobIdMessage message) implements Verified {
            @Override
            public long epoch() {
                return message.epoch();
            }
        }

        /**
         * With {@code member}, the member {@code nodeId} of the committee of {@code epoch} signed its shards-synced
         * report; without, that node is not in that committee (nothing to verify; the apply refuses it, saying
         * whether the epoch or the node is wrong).
         */
        record ShardsSynced(long epoch, String nodeId, boolean member) implements Verified {}
    }

    /**
     * A BLS signature a command carries, to be verified over {@code message} with {@code key} (the summed keys of a
     * certificate's signers, or a node's key); if it does not verify, the command is refused with {@code reason} and
     * {@code failure}. Kept apart so that many can be verified in one multi-pairing ({@link BlsBatch}).
     */
    record SignatureCheck(BlsPublicKey key, byte[] message, BlsSignature signature, ErrorReason reason,
                          String failure) {
        boolean verifies() {
            return key.verify(message, signature);
        }

        Refusal refusal() {
            return new Refusal(reason, failure);
        }
    }

    /** What {@link #check} found: what the command's signatures claim, and the signature left to verify (or null). */
    record Checked(Verified verified, SignatureCheck signature) {}

    /**
     * Checks everything about the signatures {@code command} carries but the pairing itself: the message parses, its
     * epoch has a committee, the signers are members holding enough shards, the signature bytes are a valid point.
     *
     * @param committees the committee of an epoch as committed, empty if that epoch has not started
     * @return what would be verified and the signature to verify; {@code Checked(null, null)} for commands without
     *         such signatures
     * @throws Refusal naming the fault: a message that does not parse, an epoch without a committee yet, signers that
     *                 are not members or hold too few shards, signature bytes that are not a valid signature
     */
    Checked check(Command command, IntFunction<Optional<CommitteeInfo>> committees) throws Refusal {
        return switch (command) {
            case Command.CertifyBlob c -> confirmation(c.certificate(), committees);
            case Command.InvalidateBlob c -> invalidBlob(c.certificate(), committees);
            case Command.ShardsSynced c -> shardsSynced(c, committees);
            default -> new Checked(null, null);
        };
    }

    private Checked confirmation(Certificate certificate, IntFunction<Optional<CommitteeInfo>> committees)
            throws Refusal {
        StorageConfirmation confirmation;
        try {
            confirmation = StorageConfirmation.fromBcs(certificate.serializedMessage());
        } catch (RuntimeException e) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "the certified message is not a storage confirmation: "
                    + e.getMessage());
        }
        CommitteeInfo committee = committeeOf(confirmation.epoch(), committees, ErrorReason.INVALID_CERTIFICATE,
                "the confirmation");
        int weight = signerWeight(committee, certificate);
        if (!Bft.isQuorum(weight, committee.shardCount())) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "signers hold " + weight + " shards, a quorum needs "
                    + Bft.quorumThreshold(committee.shardCount()) + " of " + committee.shardCount());
        }
        return new Checked(new Verified.Confirmation(confirmation),
                aggregateSignature(committee, certificate, "confirmation"));
    }

    private Checked invalidBlob(Certificate certificate, IntFunction<Optional<CommitteeInfo>> committees)
            throws Refusal {
        InvalidBlobIdMessage message;
        try {
            message = InvalidBlobIdMessage.fromBcs(certificate.serializedMessage());
        } catch (RuntimeException e) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "the certified message is not an invalid-blob-ID message: "
                    + e.getMessage());
        }
        CommitteeInfo committee = committeeOf(message.epoch(), committees, ErrorReason.INVALID_CERTIFICATE,
                "the message");
        int weight = signerWeight(committee, certificate);
        if (!Bft.isValidity(weight, committee.shardCount())) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "signers hold " + weight + " shards, invalidating a blob needs "
                    + Bft.validityThreshold(committee.shardCount()) + " of " + committee.shardCount());
        }
        return new Checked(new Verified.InvalidBlob(message),
                aggregateSignature(committee, certificate, "invalid-blob-ID message"));
    }

    private Checked shardsSynced(Command.ShardsSynced c, IntFunction<Optional<CommitteeInfo>> committees)
            throws Refusal {
        ObjectId nodeId;
        try {
            nodeId = ObjectId.parse(c.nodeId());
        } catch (IllegalArgumentException e) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "nodeId: " + e.getMessage());
        }
        CommitteeInfo committee = committeeOf(c.epoch(), committees, ErrorReason.ILLEGAL_TRANSITION, "the report");
        CommitteeMember member = committee.members().stream().filter(m -> m.nodeId().equals(nodeId.toString()))
                .findFirst().orElse(null);
        if (member == null) {
            return new Checked(new Verified.ShardsSynced(c.epoch(), nodeId.toString(), false), null);
        }
        BlsSignature signature;
        try {
            signature = BlsSignature.fromBytes(c.signature());
        } catch (IllegalArgumentException e) {
            throw new Refusal(ErrorReason.INVALID_SIGNATURE, "signature: " + e.getMessage());
        }
        byte[] message = new ShardsSyncedMessage(c.epoch(), nodeId).toBcs();
        return new Checked(new Verified.ShardsSynced(c.epoch(), member.nodeId(), true),
                new SignatureCheck(key(member), message, signature, ErrorReason.INVALID_SIGNATURE,
                        "the signature does not verify with the BLS key of node " + nodeId));
    }

    private static CommitteeInfo committeeOf(long epoch, IntFunction<Optional<CommitteeInfo>> committees,
                                             ErrorReason reason, String what) throws Refusal {
        if (epoch < 1 || epoch > Integer.MAX_VALUE) {
            throw new Refusal(reason, what + " is for epoch " + epoch + ", which does not exist");
        }
        return committees.apply((int) epoch).orElseThrow(() -> new Refusal(reason, what + " is for epoch " + epoch
                + ", which has not started"));
    }

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

    /** The check of a certificate's aggregate signature over its message ({@code what} names it). */
    private SignatureCheck aggregateSignature(CommitteeInfo committee, Certificate certificate, String what)
            throws Refusal {
        BlsSignature signature;
        try {
            signature = BlsSignature.fromBytes(certificate.signature());
        } catch (IllegalArgumentException e) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "bad certificate: " + e.getMessage());
        }
        return new SignatureCheck(aggregateKey(committee, certificate.signers()), certificate.serializedMessage(),
                signature, ErrorReason.INVALID_CERTIFICATE, "the aggregate signature of signers "
                + certificate.signers() + " does not verify over the " + what);
    }

    /**
     * The sum of the signers' keys (safe: every key's owner proved possession at registration). Certificates of an
     * epoch come mostly from the same few signer sets (a stable quorum), so the sums are kept: summing decompresses
     * every key, a good part of a verification's cost.
     */
    private BlsPublicKey aggregateKey(CommitteeInfo committee, List<Integer> signers) throws Refusal {
        SignerSet set = new SignerSet(committee.epoch(), List.copyOf(signers));
        BlsPublicKey cached = aggregates.get(set);
        if (cached != null) {
            return cached;
        }
        List<BlsPublicKey> signerKeys = new ArrayList<>(signers.size());
        for (int index : signers) {
            signerKeys.add(key(committee.members().get(index)));
        }
        BlsPublicKey sum;
        try {
            sum = BlsPublicKey.aggregate(signerKeys);
        } catch (IllegalArgumentException e) { // no signers, or keys summing to the identity
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "bad certificate: " + e.getMessage());
        }
        aggregates.put(set, sum);
        return sum;
    }

    /** Signer indices of a committee: the committee is fixed by its epoch. */
    private record SignerSet(int epoch, List<Integer> signers) {}

    /** The member's parsed BLS public key. */
    BlsPublicKey key(CommitteeMember member) {
        return keys.computeIfAbsent(member.nodeId(), id -> BlsPublicKey.fromBytes(member.blsPublicKey()));
    }

    /** Remembers a key parsed elsewhere (registration parsed it already). */
    void remember(String nodeId, BlsPublicKey key) {
        keys.put(nodeId, key);
    }
}
