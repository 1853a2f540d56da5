package io.tusk.control.api;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.Objects;

/**
 * The events of the control plane, in the order they happened. {@code cursor} is the event's index in the log (from
 * 0); {@code epoch} the epoch in which it happened. Storage nodes follow this stream from their persisted cursor.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Event.BlobRegistered.class, name = "blobRegistered"),
        @JsonSubTypes.Type(value = Event.BlobCertified.class, name = "blobCertified"),
        @JsonSubTypes.Type(value = Event.BlobDeleted.class, name = "blobDeleted"),
        @JsonSubTypes.Type(value = Event.BlobShared.class, name = "blobShared"),
        @JsonSubTypes.Type(value = Event.InvalidBlobId.class, name = "invalidBlobId"),
        @JsonSubTypes.Type(value = Event.EpochChange.class, name = "epochChange"),
        @JsonSubTypes.Type(value = Event.NodeRegistered.class, name = "nodeRegistered"),
        @JsonSubTypes.Type(value = Event.ShardsSynced.class, name = "shardsSynced"),
        @JsonSubTypes.Type(value = Event.EpochChangeDone.class, name = "epochChangeDone"),
        @JsonSubTypes.Type(value = Event.NodeLeft.class, name = "nodeLeft"),
        @JsonSubTypes.Type(value = Event.StakeChanged.class, name = "stakeChanged"),
        @JsonSubTypes.Type(value = Event.SpaceCreated.class, name = "spaceCreated"),
        @JsonSubTypes.Type(value = Event.SpaceCommitted.class, name = "spaceCommitted"),
        @JsonSubTypes.Type(value = Event.SpaceFolded.class, name = "spaceFolded"),
        @JsonSubTypes.Type(value = Event.BucketCreated.class, name = "bucketCreated"),
        @JsonSubTypes.Type(value = Event.BucketDeleted.class, name = "bucketDeleted"),
        @JsonSubTypes.Type(value = Event.Transferred.class, name = "transferred"),
})
public sealed interface Event {
    long cursor();

    int epoch();

    /** A blob object was registered; {@code size} is the unencoded length, {@code endEpoch} exclusive. */
    record BlobRegistered(long cursor, int epoch, String blobId, String objectId, String owner, long size,
                          String encodingType, int endEpoch, boolean deletable) implements Event {
        public BlobRegistered {
            Objects.requireNonNull(blobId, "blobId");
            Objects.requireNonNull(objectId, "objectId");
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(encodingType, "encodingType");
        }
    }

    /** A blob object was certified (the point of availability), or, with {@code isExtension}, extended. */
    record BlobCertified(long cursor, int epoch, String blobId, String objectId, int endEpoch, boolean deletable,
                         boolean isExtension) implements Event {
        public BlobCertified {
            Objects.requireNonNull(blobId, "blobId");
            Objects.requireNonNull(objectId, "objectId");
        }
    }

    /** A deletable blob object was deleted by its owner. */
    record BlobDeleted(long cursor, int epoch, String blobId, String objectId, boolean wasCertified) implements Event {
        public BlobDeleted {
            Objects.requireNonNull(blobId, "blobId");
            Objects.requireNonNull(objectId, "objectId");
        }
    }

    /**
     * A blob object was wrapped in the new shared blob object {@code sharedBlobId} (anyone may fund and extend it).
     * Walrus has no such event (Sui's transaction effects name the created object); here it tells the sender, and
     * anyone following, the new object's ID. Nothing changes for the nodes.
     */
    record BlobShared(long cursor, int epoch, String sharedBlobId, String objectId, String blobId, long funds)
            implements Event {
        public BlobShared {
            Objects.requireNonNull(sharedBlobId, "sharedBlobId");
            Objects.requireNonNull(objectId, "objectId");
            Objects.requireNonNull(blobId, "blobId");
        }
    }

    /** A blob ID was shown to be inconsistently encoded; every object of it is invalid. */
    record InvalidBlobId(long cursor, int epoch, String blobId) implements Event {
        public InvalidBlobId {
            Objects.requireNonNull(blobId, "blobId");
        }
    }

    /**
     * The network entered {@code epoch} and the epoch change started (Walrus's EpochChangeStart): its committee is the
     * one {@code GET /v1/committee} now returns, the one before it {@code GET /v1/committee/previous}.
     */
    record EpochChange(long cursor, int epoch) implements Event {}

    /** A storage node was registered; it joins the committee at the next epoch change. */
    record NodeRegistered(long cursor, int epoch, String nodeId) implements Event {
        public NodeRegistered {
            Objects.requireNonNull(nodeId, "nodeId");
        }
    }

    /** A member of the committee of {@code epoch} holds every shard it was assigned (Walrus's ShardsReceived). */
    record ShardsSynced(long cursor, int epoch, String nodeId) implements Event {
        public ShardsSynced {
            Objects.requireNonNull(nodeId, "nodeId");
        }
    }

    /** Members holding a quorum of shards are synced: the change to {@code epoch} is complete. */
    record EpochChangeDone(long cursor, int epoch) implements Event {}

    /** A node left: it is not in the committee chosen at the next epoch change. */
    record NodeLeft(long cursor, int epoch, String nodeId) implements Event {
        public NodeLeft {
            Objects.requireNonNull(nodeId, "nodeId");
        }
    }

    /** A node's stake changed; shards follow at the next epoch change. */
    record StakeChanged(long cursor, int epoch, String nodeId, long stake) implements Event {
        public StakeChanged {
            Objects.requireNonNull(nodeId, "nodeId");
        }
    }

    /** An account created a space (version 0, empty). */
    record SpaceCreated(long cursor, int epoch, String owner, String name, boolean encrypted) implements Event {
        public SpaceCreated {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * A space's head moved to {@code version}. {@code inline}: the version is held inline by the control plane and
     * {@code manifestBlobId} is the head's last manifest (of an earlier version; null if none); otherwise
     * {@code manifestBlobId} is the version's own manifest.
     */
    record SpaceCommitted(long cursor, int epoch, String owner, String name, long version, String manifestBlobId,
                          long commitTimeMillis, boolean inline) implements Event {
        public SpaceCommitted {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(name, "name");
            if (!inline) {
                Objects.requireNonNull(manifestBlobId, "manifestBlobId");
            }
        }

        public SpaceCommitted(long cursor, int epoch, String owner, String name, long version, String manifestBlobId,
                              long commitTimeMillis) {
            this(cursor, epoch, owner, name, version, manifestBlobId, commitTimeMillis, false);
        }
    }

    /** The owner folded its space's inline versions up to {@code version} into the manifest blob {@code manifestBlobId}. */
    record SpaceFolded(long cursor, int epoch, String owner, String name, long version, String manifestBlobId)
            implements Event {
        public SpaceFolded {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(manifestBlobId, "manifestBlobId");
        }
    }

    /** An account claimed an S3 bucket name (its objects are in the owner's space of that name). */
    record BucketCreated(long cursor, int epoch, String owner, String name) implements Event {
        public BucketCreated {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(name, "name");
        }
    }

    /** A bucket name was released by its owner (anyone may claim it again). */
    record BucketDeleted(long cursor, int epoch, String owner, String name) implements Event {
        public BucketDeleted {
            Objects.requireNonNull(owner, "owner");
            Objects.requireNonNull(name, "name");
        }
    }

    /**
     * {@code sender} paid {@code amount} to {@code recipient} with {@code memo} (empty if none), in its command at
     * {@code nonce}: with the sender, the nonce names the payment, so anyone can look it up again
     * ({@code GET /v1/accounts/{sender}/commands/{nonce}}).
     */
    record Transferred(long cursor, int epoch, String sender, long nonce, String recipient, long amount, byte[] memo)
            implements Event {
        public Transferred {
            Objects.requireNonNull(sender, "sender");
            Objects.requireNonNull(recipient, "recipient");
            memo = memo == null ? new byte[0] : memo.clone();
        }

        @Override
        public byte[] memo() {
            return memo.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Transferred t && cursor == t.cursor && epoch == t.epoch && sender.equals(t.sender)
                    && nonce == t.nonce && recipient.equals(t.recipient) && amount == t.amount
                    && java.util.Arrays.equals(memo, t.memo);
        }

        @Override
        public int hashCode() {
            return Objects.hash(cursor, epoch, sender, nonce, recipient, amount, java.util.Arrays.hashCode(memo));
        }

        @Override
        public String toString() {
            return "Transferred[cursor=" + cursor + ", epoch=" + epoch + ", sender=" + sender + ", nonce=" + nonce
                    + ", recipient=" + recipient + ", amount=" + amount + ", memo="
                    + java.util.HexFormat.of().formatHex(memo) + "]";
        }
    }
}
