package io.tusk.control.state;

import io.tusk.control.api.BucketInfo;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.Event;
import io.tusk.control.api.SpaceHead;

import java.util.List;
import java.util.Objects;

/**
 * The whole state of the control plane as plain data, every collection sorted by its key, so that equal states
 * serialize to identical bytes ({@link ControlState#snapshot()}). Version 5 (version 4 had no S3 buckets, version 3 no space heads, version 2
 * no outcomes and object IDs from the index, version 1 no epoch-change state; a replica that finds an older one
 * replays its journal from genesis instead).
 */
public record StateSnapshot(int version, GenesisConfig genesis, long lastIndex, int epoch, long epochStartMillis,
                            List<AccountEntry> accounts, List<NodeEntry> nodes, CommitteeInfo committee,
                            CommitteeInfo previousCommittee, boolean epochChangeDone, List<String> syncedNodes,
                            List<BlobEntry> blobs,
                            List<InvalidBlobEntry> invalidBlobIds, List<SpaceHead> spaces, List<BucketInfo> buckets,
                            List<Event> events, List<OutcomeEntry> outcomes) {
    public static final int VERSION = 5;

    public StateSnapshot {
        Objects.requireNonNull(genesis, "genesis");
        accounts = List.copyOf(accounts);
        nodes = List.copyOf(nodes);
        syncedNodes = List.copyOf(syncedNodes);
        Objects.requireNonNull(committee, "committee");
        blobs = List.copyOf(blobs);
        invalidBlobIds = List.copyOf(invalidBlobIds);
        spaces = List.copyOf(spaces);
        buckets = List.copyOf(buckets);
        events = List.copyOf(events);
        outcomes = List.copyOf(outcomes);
    }

    /** An account: balance and the nonce its next command must carry. */
    public record AccountEntry(String address, long balance, long nextNonce) {}

    /** A registered storage node; it is in every committee from the epoch after {@code registeredEpoch} on. */
    public record NodeEntry(String nodeId, String owner, String name, String networkAddress, byte[] blsPublicKey,
                            long stake, int registeredEpoch) {
        public NodeEntry {
            blsPublicKey = blsPublicKey.clone();
        }

        @Override
        public byte[] blsPublicKey() {
            return blsPublicKey.clone();
        }
    }

    /**
     * A live (not deleted) blob object. {@code certifiedEpoch} is null until certified. {@code registeredCursor} is the
     * cursor of its {@code blobRegistered} event, {@code certifiedCursor} of its latest {@code blobCertified} event
     * (certification or extension), -1 if none.
     */
    public record BlobEntry(String objectId, String owner, String blobId, long size, String encodingType,
                            int registeredEpoch, Integer certifiedEpoch, String storageId, int startEpoch,
                            int endEpoch, long storageSize, boolean deletable, long registeredCursor,
                            long certifiedCursor) {
        BlobEntry certified(int epoch, long cursor) {
            return new BlobEntry(objectId, owner, blobId, size, encodingType, registeredEpoch, epoch, storageId,
                    startEpoch, endEpoch, storageSize, deletable, registeredCursor, cursor);
        }

        BlobEntry extended(int newEndEpoch, long cursor) {
            return new BlobEntry(objectId, owner, blobId, size, encodingType, registeredEpoch, certifiedEpoch,
                    storageId, startEpoch, newEndEpoch, storageSize, deletable, registeredCursor, cursor);
        }

        boolean isCertified() {
            return certifiedEpoch != null;
        }

        /** A blob is unavailable from the start of its end epoch. */
        boolean isExpiredAt(int epoch) {
            return endEpoch <= epoch;
        }
    }

    /**
     * What an accepted command did, kept so that the same command sent again returns it: the sender, the nonce, the
     * Blake2b-256 of the signed payload, the index it was applied at, and its events (cursors
     * {@code firstCursor .. firstCursor + eventCount - 1}).
     */
    public record OutcomeEntry(String sender, long nonce, byte[] payloadHash, long index, long firstCursor,
                               int eventCount) {
        public OutcomeEntry {
            payloadHash = payloadHash.clone();
        }

        @Override
        public byte[] payloadHash() {
            return payloadHash.clone();
        }

        boolean isFor(AuthenticatedCommand command) {
            return sender.equals(command.sender()) && nonce == command.nonce()
                    && java.util.Arrays.equals(payloadHash, command.payloadHash());
        }
    }

    /** A blob ID shown to be inconsistently encoded, with the cursor of its {@code invalidBlobId} event. */
    public record InvalidBlobEntry(String blobId, long cursor) {}
}
