package io.tusk.control.api;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.Objects;

/** The commands of the control plane (docs/network.md), told apart in JSON by their {@code type}. */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Command.Faucet.class, name = "faucet"),
        @JsonSubTypes.Type(value = Command.RegisterNode.class, name = "registerNode"),
        @JsonSubTypes.Type(value = Command.RegisterBlob.class, name = "registerBlob"),
        @JsonSubTypes.Type(value = Command.CertifyBlob.class, name = "certifyBlob"),
        @JsonSubTypes.Type(value = Command.ExtendBlob.class, name = "extendBlob"),
        @JsonSubTypes.Type(value = Command.DeleteBlob.class, name = "deleteBlob"),
        @JsonSubTypes.Type(value = Command.AdvanceEpoch.class, name = "advanceEpoch"),
        @JsonSubTypes.Type(value = Command.LeaveCommittee.class, name = "leaveCommittee"),
        @JsonSubTypes.Type(value = Command.SetStake.class, name = "setStake"),
        @JsonSubTypes.Type(value = Command.ShardsSynced.class, name = "shardsSynced"),
        @JsonSubTypes.Type(value = Command.InvalidateBlob.class, name = "invalidateBlob"),
        @JsonSubTypes.Type(value = Command.SetBlobAttribute.class, name = "setBlobAttribute"),
        @JsonSubTypes.Type(value = Command.RemoveBlobAttributeFields.class, name = "removeBlobAttributeFields"),
        @JsonSubTypes.Type(value = Command.RemoveBlobAttribute.class, name = "removeBlobAttribute"),
        @JsonSubTypes.Type(value = Command.ShareBlob.class, name = "shareBlob"),
        @JsonSubTypes.Type(value = Command.FundSharedBlob.class, name = "fundSharedBlob"),
        @JsonSubTypes.Type(value = Command.ExtendSharedBlob.class, name = "extendSharedBlob"),
        @JsonSubTypes.Type(value = Command.BurnBlobs.class, name = "burnBlobs"),
        @JsonSubTypes.Type(value = Command.CreateSpace.class, name = "createSpace"),
        @JsonSubTypes.Type(value = Command.CommitSpace.class, name = "commitSpace"),
        @JsonSubTypes.Type(value = Command.CreateBucket.class, name = "createBucket"),
        @JsonSubTypes.Type(value = Command.DeleteBucket.class, name = "deleteBucket"),
        @JsonSubTypes.Type(value = Command.Transfer.class, name = "transfer"),
})
public sealed interface Command {

    /** Devnets only: credits {@code amount} to the sender, creating its account. */
    record Faucet(long amount) implements Command {}

    /**
     * Adds a storage node, owned by the sender, to the committee of the next epoch. {@code proofOfPossession} is the
     * node's BLS signature over the proof-of-possession message (sender address, BLS key, current epoch).
     * {@code stake} is taken from the sender's balance.
     */
    record RegisterNode(String name, String networkAddress, byte[] blsPublicKey, byte[] proofOfPossession, long stake)
            implements Command {
        public RegisterNode {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(networkAddress, "networkAddress");
            Objects.requireNonNull(blsPublicKey, "blsPublicKey");
            Objects.requireNonNull(proofOfPossession, "proofOfPossession");
        }
    }

    /**
     * Registers a blob: {@code blobId} (base64url) must be derived from {@code encodingType}, {@code unencodedLength}
     * and {@code rootHash} (32 bytes); the blob is stored for {@code epochsAhead} epochs from the current one.
     */
    record RegisterBlob(String blobId, byte[] rootHash, long unencodedLength, String encodingType, int epochsAhead,
                        boolean deletable) implements Command {
        public RegisterBlob {
            Objects.requireNonNull(blobId, "blobId");
            Objects.requireNonNull(rootHash, "rootHash");
            Objects.requireNonNull(encodingType, "encodingType");
        }
    }

    /** Certifies a registered blob object with a quorum certificate of the current committee. */
    record CertifyBlob(String objectId, Certificate certificate) implements Command {
        public CertifyBlob {
            Objects.requireNonNull(objectId, "objectId");
            Objects.requireNonNull(certificate, "certificate");
        }
    }

    /** Extends a certified, unexpired blob object by {@code epochs}; the sender pays. */
    record ExtendBlob(String objectId, int epochs) implements Command {
        public ExtendBlob {
            Objects.requireNonNull(objectId, "objectId");
        }
    }

    /**
     * Walrus's {@code set-blob-attribute}: inserts or updates {@code attributes} (key → value, in order) in the blob
     * object's attribute, creating it if the object has none. Owner only, on an unexpired object.
     */
    record SetBlobAttribute(String objectId, java.util.Map<String, String> attributes) implements Command {
        public SetBlobAttribute {
            Objects.requireNonNull(objectId, "objectId");
            attributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(
                    Objects.requireNonNull(attributes, "attributes")));
        }
    }

    /** Walrus's {@code remove-blob-attribute-fields}: removes {@code keys} from the object's attribute; owner only. */
    record RemoveBlobAttributeFields(String objectId, java.util.List<String> keys) implements Command {
        public RemoveBlobAttributeFields {
            Objects.requireNonNull(objectId, "objectId");
            keys = java.util.List.copyOf(Objects.requireNonNull(keys, "keys"));
        }
    }

    /** Walrus's {@code remove-blob-attribute}: removes the object's whole attribute; owner only. */
    record RemoveBlobAttribute(String objectId) implements Command {
        public RemoveBlobAttribute {
            Objects.requireNonNull(objectId, "objectId");
        }
    }

    /**
     * Walrus's {@code share}: wraps the sender's unexpired blob object {@code objectId} in a new shared blob object
     * (the command's first object ID) holding {@code amount} taken from the sender's balance as its funds (0: none).
     * The blob object is then owned by the shared blob: nobody can delete it, burn it or change its attribute, and
     * anyone can fund it ({@link FundSharedBlob}) and extend it from its funds ({@link ExtendSharedBlob}).
     */
    record ShareBlob(String objectId, long amount) implements Command {
        public ShareBlob {
            Objects.requireNonNull(objectId, "objectId");
        }
    }

    /** Walrus's {@code fund-shared-blob}: moves {@code amount} (at least 1) from the sender's balance to its funds. */
    record FundSharedBlob(String sharedBlobId, long amount) implements Command {
        public FundSharedBlob {
            Objects.requireNonNull(sharedBlobId, "sharedBlobId");
        }
    }

    /**
     * Walrus's {@code extend --shared}: extends the shared blob's certified, unexpired blob by {@code epochs}, paid
     * from the shared blob's funds (refused {@code INSUFFICIENT_BALANCE} if they do not cover it). Anyone may send it.
     */
    record ExtendSharedBlob(String sharedBlobId, int epochs) implements Command {
        public ExtendSharedBlob {
            Objects.requireNonNull(sharedBlobId, "sharedBlobId");
        }
    }

    /**
     * Walrus's {@code burn-blobs}: the sender gives up its blob objects {@code objectIds} (1 to
     * {@value #MAX_BURNS} distinct ones, all or none): they leave its account, and nobody can delete, extend or share
     * them again. No event and no refund, as Walrus: the nodes keep an unexpired blob's data until its end epoch, and
     * the blob ID's status still counts it until then; an expired object is removed outright.
     */
    record BurnBlobs(java.util.List<String> objectIds) implements Command {
        /** The most objects one command burns (Walrus splits a long list over several transactions too). */
        public static final int MAX_BURNS = 256;

        public BurnBlobs {
            objectIds = java.util.List.copyOf(Objects.requireNonNull(objectIds, "objectIds"));
        }
    }

    /** Deletes a deletable, unexpired blob object; owner only. */
    record DeleteBlob(String objectId) implements Command {
        public DeleteBlob {
            Objects.requireNonNull(objectId, "objectId");
        }
    }

    /**
     * Devnets: the operator (the genesis admin) moves the network to the next epoch. {@code startTimeMillis} is the new
     * epoch's start time (Unix milliseconds) as the operator's clock reads it; it is in the command so that applying
     * it needs no clock. It must not be before the current epoch's start.
     */
    record AdvanceEpoch(long startTimeMillis) implements Command {}

    /**
     * The node's owner takes it out of the committee from the next epoch change on; its stake is returned at once.
     * It keeps serving (read-only) the shards it held until the change to the epoch without it is done.
     */
    record LeaveCommittee(String nodeId) implements Command {
        public LeaveCommittee {
            Objects.requireNonNull(nodeId, "nodeId");
        }
    }

    /**
     * The node's owner sets its stake to {@code stake}; the difference is taken from or returned to the owner's
     * balance. Shards follow the new stake at the next epoch change.
     */
    record SetStake(String nodeId, long stake) implements Command {
        public SetStake {
            Objects.requireNonNull(nodeId, "nodeId");
        }
    }

    /**
     * A member of the current committee reports that it holds every shard it was assigned in {@code epoch} (the current
     * epoch). {@code signature} is the node's BLS signature over {@code ShardsSyncedMessage(epoch, nodeId)}, so any
     * account may submit it (a node's own account is created by its first report). When members holding a quorum of
     * shards have reported, the epoch change is done.
     */
    record ShardsSynced(String nodeId, int epoch, byte[] signature) implements Command {
        public ShardsSynced {
            Objects.requireNonNull(nodeId, "nodeId");
            Objects.requireNonNull(signature, "signature");
        }
    }

    /**
     * Marks a blob ID invalid (inconsistently encoded) with a certificate over an {@code InvalidBlobIdMessage} of the
     * current epoch, signed by committee members holding more than f shards (validity, not quorum: one correct node
     * checked the inconsistency proof). Anyone may submit it, even a sender without an account (it costs nothing;
     * the account is created at balance 0 for the nonce).
     */
    record InvalidateBlob(String blobId, Certificate certificate) implements Command {
        public InvalidateBlob {
            Objects.requireNonNull(blobId, "blobId");
            Objects.requireNonNull(certificate, "certificate");
        }
    }

    /**
     * Creates the sender's space {@code name} (docs/spaces.md) at version 0, empty; {@code encrypted} tells clients
     * that its manifests and entries are encrypted (they refuse to write plaintext to it). Names are unique per owner.
     */
    record CreateSpace(String name, boolean encrypted) implements Command {
        public CreateSpace {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * Moves the head of the sender's space {@code name} from {@code expectedVersion} to {@code expectedVersion + 1},
     * committed at {@code commitTimeMillis} (the client's clock, at least the head's commit time; in the command so
     * applying it needs no clock). A compare-and-swap: if the head is no longer at {@code expectedVersion}, the command
     * is refused {@code VERSION_CONFLICT}. The new version is either the certified manifest blob {@code manifestBlobId}
     * or, for a small commit, {@code inline}: base64 of an inline version's bytes (at most {@value #MAX_INLINE_BYTES}),
     * with {@code inlineKeys} (base64, at most {@value #MAX_INLINE_KEY_BYTES}: its sealed data keys) that the control
     * plane keeps until they are folded (docs/spaces.md, "Inline versions").
     *
     * <p>With {@code fold}, the command makes no version: {@code manifestBlobId} is a manifest of the inline version
     * {@code expectedVersion} that holds the inline versions before it, and replaces them (the head's version and
     * commit time stay).
     */
    record CommitSpace(String name, long expectedVersion, String manifestBlobId, long commitTimeMillis, String inline,
                       String inlineKeys, boolean fold) implements Command {
        /** Largest inline version one command may carry, decoded. */
        public static final int MAX_INLINE_BYTES = 32 * 1024;
        /** Largest sealed data keys of one inline version, decoded. */
        public static final int MAX_INLINE_KEY_BYTES = 8 * 1024;
        /** Most inline versions a space may have before they are folded. */
        public static final int MAX_INLINE_VERSIONS = 64;
        /** Most bytes (inline plus keys, decoded) a space's inline versions may hold before they are folded. */
        public static final int MAX_INLINE_TOTAL_BYTES = 512 * 1024;

        public CommitSpace {
            Objects.requireNonNull(name, "name");
        }

        /** A commit whose new version is the manifest blob {@code manifestBlobId}. */
        public CommitSpace(String name, long expectedVersion, String manifestBlobId, long commitTimeMillis) {
            this(name, expectedVersion, Objects.requireNonNull(manifestBlobId, "manifestBlobId"), commitTimeMillis,
                    null, null, false);
        }

        /** A small commit the control plane holds inline. */
        public static CommitSpace inline(String name, long expectedVersion, long commitTimeMillis, String inline,
                                         String inlineKeys) {
            return new CommitSpace(name, expectedVersion, null, commitTimeMillis, Objects.requireNonNull(inline, "inline"),
                    inlineKeys, false);
        }

        /** Folds the inline versions up to {@code version} into the manifest blob {@code manifestBlobId}. */
        public static CommitSpace fold(String name, long version, String manifestBlobId, long commitTimeMillis) {
            return new CommitSpace(name, version, Objects.requireNonNull(manifestBlobId, "manifestBlobId"),
                    commitTimeMillis, null, null, true);
        }
    }

    /**
     * Claims the S3 bucket name {@code name} for the sender (docs/s3.md): bucket names are unique in the network, the
     * bucket's objects live in the sender's space of the same name. {@code createdMillis} is the client's clock (S3's
     * CreationDate), in the command so applying it needs no clock. Refused {@code ALREADY_EXISTS} if the name is
     * taken (by anyone), {@code INVALID_ARGUMENT} if it is not a valid bucket name.
     */
    record CreateBucket(String name, long createdMillis) implements Command {
        public CreateBucket {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Releases the sender's bucket name {@code name}; refused {@code NOT_FOUND} if none, {@code NOT_OWNER}. */
    record DeleteBucket(String name) implements Command {
        public DeleteBucket {
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * Pays {@code amount} (at least 1) of the sender's balance to {@code recipient} (an address; its account is
     * created if it has none), with an optional {@code memo} of at most {@value #MAX_MEMO_BYTES} bytes the recipient
     * can read back (an upload relay's tip binds its upload there: docs/upload-relay.md). Refused
     * {@code INSUFFICIENT_BALANCE} when the balance is short, changing nothing. Event {@code transferred}.
     */
    record Transfer(String recipient, long amount, byte[] memo) implements Command {
        /** The longest memo: room for a relay tip's 72 bytes and a little more, never a data channel. */
        public static final int MAX_MEMO_BYTES = 128;

        public Transfer {
            Objects.requireNonNull(recipient, "recipient");
            memo = memo == null ? new byte[0] : memo.clone();
        }

        @Override
        public byte[] memo() {
            return memo.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Transfer t && recipient.equals(t.recipient) && amount == t.amount
                    && java.util.Arrays.equals(memo, t.memo);
        }

        @Override
        public int hashCode() {
            return Objects.hash(recipient, amount, java.util.Arrays.hashCode(memo));
        }
    }
}
