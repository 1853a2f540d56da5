package io.tusk.control.state;

import io.tusk.control.api.BlobInfo;
import io.tusk.control.api.BlobObject;
import io.tusk.control.api.BlobStatus;
import io.tusk.control.api.Certificate;
import io.tusk.control.api.Command;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.Event;
import io.tusk.control.api.OwnedBlobs;
import io.tusk.control.api.StorageResource;
import io.tusk.control.state.StateSnapshot.BlobEntry;
import io.tusk.core.Bft;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Address;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.InvalidBlobIdMessage;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.messages.StorageConfirmation;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.EncodingType;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The blob-registry concern: blob objects (registration, certification, extension, deletion), their indices by blob
 * ID and by owner, blob IDs proven invalid, and the aggregate status of a blob ID. Commands {@code registerBlob},
 * {@code certifyBlob}, {@code extendBlob}, {@code deleteBlob}, {@code invalidateBlob}.
 */
final class BlobRegistry {
    private final GenesisConfig genesis;
    private final EncodingConfig encoding;
    private final Committees committees;
    private final CertificateVerifier verifier;
    // INV: every map is keyed by the canonical text form (0x + 64 lowercase hex, or base64url blob ID).
    private final TreeMap<String, BlobEntry> blobs = new TreeMap<>();
    private final TreeMap<String, TreeSet<String>> objectsByBlobId = new TreeMap<>();
    private final TreeMap<String, TreeSet<String>> objectsByOwner = new TreeMap<>();
    /** Blob IDs proven inconsistently encoded, with the cursor of their {@code invalidBlobId} event. */
    private final TreeMap<String, Long> invalidBlobIds = new TreeMap<>();

    BlobRegistry(GenesisConfig genesis, Committees committees, CertificateVerifier verifier) {
        this.genesis = genesis;
        this.encoding = new EncodingConfig(genesis.shardCount());
        this.committees = committees;
        this.verifier = verifier;
    }

    // ------------------------------------------------------------------------------------------------ commands

    void registerBlob(CommandContext ctx, Command.RegisterBlob c) throws Refusal {
        BlobId blobId = parseBlobId(c.blobId());
        if (!EncodingType.RS2.wireName().equals(c.encodingType())) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "encodingType must be \"RS2\", got \""
                    + Text.abbreviate(c.encodingType()) + "\"");
        }
        if (c.rootHash().length != BlobId.LENGTH) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "rootHash must be " + BlobId.LENGTH + " bytes, got "
                    + c.rootHash().length);
        }
        long maxSize = encoding.maxBlobSize();
        if (c.unencodedLength() < 0 || c.unencodedLength() > maxSize) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "unencodedLength must be in [0, " + maxSize + "] for "
                    + genesis.shardCount() + " shards, got " + c.unencodedLength());
        }
        BlobId derived = BlobId.derive(EncodingType.RS2, c.unencodedLength(), c.rootHash());
        if (!derived.equals(blobId)) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "blob ID " + blobId + " does not match its root hash and length "
                    + c.unencodedLength() + ", which give " + derived);
        }
        checkEpochsAhead(c.epochsAhead(), "epochsAhead");
        if (invalidBlobIds.containsKey(blobId.toString())) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "blob ID " + blobId + " was marked invalid");
        }
        long encodedSize = encoding.encodedSize(c.unencodedLength());
        long units = units(encodedSize);
        long cost;
        try {
            cost = Math.multiplyExact(units, Math.addExact(
                    Math.multiplyExact(genesis.storagePricePerUnitPerEpoch(), (long) c.epochsAhead()),
                    genesis.writePricePerUnit()));
        } catch (ArithmeticException e) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "the cost of " + units + " units for " + c.epochsAhead()
                    + " epochs overflows");
        }
        ctx.requireBalance(cost, "registering " + units + " units for " + c.epochsAhead() + " epochs");

        int epoch = committees.epoch();
        String objectId = ctx.objectId(0).toString();
        String storageId = ctx.objectId(1).toString();
        long cursor = ctx.nextCursor();
        int endEpoch = epoch + c.epochsAhead();
        BlobEntry entry = new BlobEntry(objectId, ctx.sender, blobId.toString(), c.unencodedLength(),
                EncodingType.RS2.wireName(), epoch, null, storageId, epoch, endEpoch, encodedSize, c.deletable(),
                cursor, -1);
        put(entry);
        ctx.commit(-cost);
        ctx.emit(new Event.BlobRegistered(cursor, epoch, entry.blobId(), objectId, ctx.sender, c.unencodedLength(),
                entry.encodingType(), endEpoch, c.deletable()));
    }

    void certifyBlob(CommandContext ctx, Command.CertifyBlob c) throws Refusal {
        BlobEntry blob = liveBlob(c.objectId());
        if (blob.isCertified()) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "blob object " + blob.objectId() + " was already certified in epoch "
                    + blob.certifiedEpoch());
        }
        requireNotExpired(blob);
        requireValid(blob);
        checkConfirmationCertificate(blob, c.certificate());
        int epoch = committees.epoch();
        long cursor = ctx.nextCursor();
        BlobEntry certified = blob.certified(epoch, cursor);
        blobs.put(certified.objectId(), certified);
        ctx.commit(0);
        ctx.emit(new Event.BlobCertified(cursor, epoch, blob.blobId(), blob.objectId(), blob.endEpoch(),
                blob.deletable(), false));
    }

    void extendBlob(CommandContext ctx, Command.ExtendBlob c) throws Refusal {
        BlobEntry blob = liveBlob(c.objectId());
        if (!blob.isCertified()) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "blob object " + blob.objectId()
                    + " is not certified; only certified blobs can be extended");
        }
        requireNotExpired(blob);
        requireValid(blob);
        if (c.epochs() < 1) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "epochs must be at least 1, got " + c.epochs());
        }
        int epoch = committees.epoch();
        long newEnd = (long) blob.endEpoch() + c.epochs();
        if (newEnd - epoch > genesis.maxEpochsAhead()) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "extending blob object " + blob.objectId() + " by " + c.epochs()
                    + " epochs would end it at epoch " + newEnd + ", more than " + genesis.maxEpochsAhead()
                    + " epochs after the current epoch " + epoch);
        }
        long units = units(blob.storageSize());
        long cost;
        try {
            cost = Math.multiplyExact(units, Math.multiplyExact(genesis.storagePricePerUnitPerEpoch(), (long) c.epochs()));
        } catch (ArithmeticException e) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "the cost of extending overflows");
        }
        ctx.requireBalance(cost, "extending " + units + " units by " + c.epochs() + " epochs");
        long cursor = ctx.nextCursor();
        BlobEntry extended = blob.extended((int) newEnd, cursor);
        blobs.put(extended.objectId(), extended);
        ctx.commit(-cost);
        ctx.emit(new Event.BlobCertified(cursor, epoch, blob.blobId(), blob.objectId(), (int) newEnd, blob.deletable(),
                true));
    }

    void deleteBlob(CommandContext ctx, Command.DeleteBlob c) throws Refusal {
        BlobEntry blob = liveBlob(c.objectId());
        if (!blob.owner().equals(ctx.sender)) {
            throw new Refusal(ErrorReason.NOT_OWNER, "blob object " + blob.objectId() + " is owned by " + blob.owner()
                    + ", not " + ctx.sender);
        }
        if (!blob.deletable()) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "blob object " + blob.objectId()
                    + " is permanent and cannot be deleted");
        }
        requireNotExpired(blob);
        remove(blob);
        ctx.commit(0);
        ctx.emit(new Event.BlobDeleted(ctx.nextCursor(), committees.epoch(), blob.blobId(), blob.objectId(),
                blob.isCertified()));
    }

    void invalidateBlob(CommandContext ctx, Command.InvalidateBlob c) throws Refusal {
        BlobId blobId = parseBlobId(c.blobId());
        if (invalidBlobIds.containsKey(blobId.toString())) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "blob ID " + blobId + " was already marked invalid");
        }
        CommitteeInfo committee = committees.committee();
        int epoch = committees.epoch();
        int weight = verifier.signerWeight(committee, c.certificate());
        if (!Bft.isValidity(weight, committee.shardCount())) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "signers hold " + weight + " shards, invalidating a blob needs "
                    + Bft.validityThreshold(committee.shardCount()) + " of " + committee.shardCount());
        }
        InvalidBlobIdMessage message;
        try {
            message = InvalidBlobIdMessage.fromBcs(c.certificate().serializedMessage());
        } catch (RuntimeException e) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "the certified message is not an invalid-blob-ID message: "
                    + e.getMessage());
        }
        if (message.epoch() != epoch) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "the message is for epoch " + message.epoch()
                    + ", the current epoch is " + epoch);
        }
        if (!message.blobId().equals(blobId)) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "the message is for blob " + message.blobId()
                    + ", the command names " + blobId);
        }
        verifier.checkAggregateSignature(committee, c.certificate(), "invalid-blob-ID message");
        long cursor = ctx.nextCursor();
        invalidBlobIds.put(blobId.toString(), cursor);
        ctx.commit(0);
        ctx.emit(new Event.InvalidBlobId(cursor, epoch, blobId.toString()));
    }

    // ------------------------------------------------------------------------------------------------ rules

    /** A certificate of the current committee over a storage confirmation of this blob object, signed by a quorum. */
    private void checkConfirmationCertificate(BlobEntry blob, Certificate certificate) throws Refusal {
        CommitteeInfo committee = committees.committee();
        int epoch = committees.epoch();
        int weight = verifier.signerWeight(committee, certificate);
        if (!Bft.isQuorum(weight, committee.shardCount())) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "signers hold " + weight + " shards, a quorum needs "
                    + Bft.quorumThreshold(committee.shardCount()) + " of " + committee.shardCount());
        }
        StorageConfirmation confirmation;
        try {
            confirmation = StorageConfirmation.fromBcs(certificate.serializedMessage());
        } catch (RuntimeException e) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "the certified message is not a storage confirmation: "
                    + e.getMessage());
        }
        if (confirmation.epoch() != epoch) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "the confirmation is for epoch " + confirmation.epoch()
                    + ", the current epoch is " + epoch);
        }
        if (!confirmation.blobId().toString().equals(blob.blobId())) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "the confirmation is for blob " + confirmation.blobId()
                    + ", the object holds blob " + blob.blobId());
        }
        BlobPersistence expected = blob.deletable()
                ? BlobPersistence.deletable(ObjectId.parse(blob.objectId()))
                : BlobPersistence.PERMANENT;
        if (!expected.equals(confirmation.persistence())) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "the confirmation's persistence "
                    + describe(confirmation.persistence()) + " does not match the object's, " + describe(expected));
        }
        verifier.checkAggregateSignature(committee, certificate, "confirmation");
    }

    private static String describe(BlobPersistence persistence) {
        return switch (persistence) {
            case BlobPersistence.Permanent p -> "permanent";
            case BlobPersistence.Deletable d -> "deletable(" + d.objectId() + ")";
        };
    }

    private void checkEpochsAhead(int epochsAhead, String field) throws Refusal {
        if (epochsAhead < 1 || epochsAhead > genesis.maxEpochsAhead()) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, field + " must be in [1, " + genesis.maxEpochsAhead()
                    + "], got " + epochsAhead);
        }
    }

    private static BlobId parseBlobId(String text) throws Refusal {
        try {
            return BlobId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "blobId: " + e.getMessage());
        }
    }

    private BlobEntry liveBlob(String objectIdText) throws Refusal {
        String objectId;
        try {
            objectId = ObjectId.parse(objectIdText).toString();
        } catch (IllegalArgumentException e) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "objectId: " + e.getMessage());
        }
        BlobEntry blob = blobs.get(objectId);
        if (blob == null) {
            throw new Refusal(ErrorReason.TARGET_NOT_FOUND, "no blob object " + objectId + " (never registered, or deleted)");
        }
        return blob;
    }

    private void requireNotExpired(BlobEntry blob) throws Refusal {
        int epoch = committees.epoch();
        if (blob.isExpiredAt(epoch)) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "blob object " + blob.objectId() + " expired: its end epoch "
                    + blob.endEpoch() + " is not after the current epoch " + epoch);
        }
    }

    private void requireValid(BlobEntry blob) throws Refusal {
        if (invalidBlobIds.containsKey(blob.blobId())) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "blob ID " + blob.blobId() + " was marked invalid");
        }
    }

    private static long units(long encodedSize) {
        return (encodedSize + ControlState.UNIT_SIZE - 1) / ControlState.UNIT_SIZE;
    }

    private void put(BlobEntry entry) {
        blobs.put(entry.objectId(), entry);
        objectsByBlobId.computeIfAbsent(entry.blobId(), k -> new TreeSet<>()).add(entry.objectId());
        objectsByOwner.computeIfAbsent(entry.owner(), k -> new TreeSet<>()).add(entry.objectId());
    }

    private void remove(BlobEntry entry) {
        blobs.remove(entry.objectId());
        removeFromIndex(objectsByBlobId, entry.blobId(), entry.objectId());
        removeFromIndex(objectsByOwner, entry.owner(), entry.objectId());
    }

    private static void removeFromIndex(TreeMap<String, TreeSet<String>> index, String key, String objectId) {
        TreeSet<String> set = index.get(key);
        if (set != null) {
            set.remove(objectId);
            if (set.isEmpty()) {
                index.remove(key);
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ queries

    /** The live objects the account owns, by object ID. */
    OwnedBlobs ownedBy(String address) {
        String owner = Address.parse(address).toString();
        List<BlobObject> out = new ArrayList<>();
        for (String id : objectsByOwner.getOrDefault(owner, new TreeSet<>())) {
            out.add(toBlobObject(blobs.get(id)));
        }
        return new OwnedBlobs(owner, out);
    }

    Optional<BlobObject> object(String objectId) {
        BlobEntry b = blobs.get(ObjectId.parse(objectId).toString());
        return Optional.ofNullable(b).map(BlobRegistry::toBlobObject);
    }

    /** See {@link ControlState#blobInfo(BlobId)}. */
    BlobInfo info(BlobId blobId) {
        String key = blobId.toString();
        List<BlobEntry> all = new ArrayList<>();
        for (String id : objectsByBlobId.getOrDefault(key, new TreeSet<>())) {
            all.add(blobs.get(id));
        }
        List<BlobObject> objects = all.stream().map(BlobRegistry::toBlobObject).toList();
        return new BlobInfo(key, status(key, all), objects);
    }

    private BlobStatus status(String blobId, List<BlobEntry> all) {
        Long invalidCursor = invalidBlobIds.get(blobId);
        if (invalidCursor != null) {
            return new BlobStatus.Invalid(new BlobStatus.EventRef(invalidCursor));
        }
        int epoch = committees.epoch();
        List<BlobEntry> live = all.stream().filter(b -> !b.isExpiredAt(epoch)).toList();
        Integer initialCertified = live.stream().filter(BlobEntry::isCertified).map(BlobEntry::certifiedEpoch)
                .min(Integer::compare).orElse(null);
        long deletableTotal = live.stream().filter(BlobEntry::deletable).count();
        long deletableCertified = live.stream().filter(b -> b.deletable() && b.isCertified()).count();
        BlobStatus.DeletableCounts counts = new BlobStatus.DeletableCounts(deletableTotal, deletableCertified);
        BlobEntry decidingCertified = null;
        BlobEntry decidingRegistered = null;
        for (BlobEntry b : live) {
            if (b.deletable()) {
                continue;
            }
            if (b.isCertified() && (decidingCertified == null || b.endEpoch() > decidingCertified.endEpoch())) {
                decidingCertified = b;
            }
            if (decidingRegistered == null || b.endEpoch() > decidingRegistered.endEpoch()) {
                decidingRegistered = b;
            }
        }
        if (decidingCertified != null) {
            return new BlobStatus.Permanent(decidingCertified.endEpoch(), true,
                    new BlobStatus.EventRef(decidingCertified.certifiedCursor()), counts, initialCertified);
        }
        if (decidingRegistered != null) {
            return new BlobStatus.Permanent(decidingRegistered.endEpoch(), false,
                    new BlobStatus.EventRef(decidingRegistered.registeredCursor()), counts, initialCertified);
        }
        if (deletableTotal > 0) {
            return new BlobStatus.Deletable(initialCertified, counts);
        }
        return new BlobStatus.Nonexistent();
    }

    private static BlobObject toBlobObject(BlobEntry b) {
        return new BlobObject(b.objectId(), b.registeredEpoch(), b.blobId(), b.size(), b.encodingType(),
                b.certifiedEpoch(), new StorageResource(b.storageId(), b.startEpoch(), b.endEpoch(), b.storageSize()),
                b.deletable());
    }

    int size() {
        return blobs.size();
    }

    // ------------------------------------------------------------------------------------------------ codec

    Collection<BlobEntry> all() {
        return blobs.values();
    }

    Map<String, Long> invalidBlobIds() {
        return invalidBlobIds;
    }

    /** Restores this concern from a snapshot's parts. */
    void restore(List<BlobEntry> entries, Map<String, Long> invalid) {
        entries.forEach(this::put);
        invalidBlobIds.putAll(invalid);
    }
}
