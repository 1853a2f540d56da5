package io.tusk.control.state;

import io.tusk.control.api.BlobInfo;
import io.tusk.control.api.BlobObject;
import io.tusk.control.api.BlobStatus;
import io.tusk.control.api.Command;
import io.tusk.control.api.Event;
import io.tusk.control.api.OwnedBlobs;
import io.tusk.control.api.StorageResource;
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
import java.util.List;
import java.util.Optional;

/**
 * The blob-registry concern: blob objects (registration, certification, extension, deletion), their indices by blob
 * ID and by owner, blob IDs proven invalid, and the aggregate status of a blob ID. Commands {@code registerBlob},
 * {@code certifyBlob}, {@code extendBlob}, {@code deleteBlob}, {@code burnBlobs}, {@code invalidateBlob}. Tables {@code blobs} (object ID
 * → {@link BlobEntry}), {@code invalid-blobs} (blob ID → cursor of its {@code invalidBlobId} event), indices
 * {@code blob-objects} (blob ID | object ID) and {@code owner-objects} (owner | object ID).
 */
final class BlobRegistry {
    /** The most objects {@link #ownedBy} returns in one page. */
    static final int MAX_PAGE = 1000;

    private final GenesisConfig genesis;
    private final EncodingConfig encoding;
    private final Committees committees;
    private final Table<String, BlobEntry> blobs;
    private final Index objectsByBlobId;
    private final Index objectsByOwner;
    private final Table<String, Long> invalidBlobIds;
    /** {@link #OBJECTS} and {@link #BLOB_IDS}: counts for metrics that a scan would make O(blobs). */
    private final Table<Integer, Long> counts;
    private static final int OBJECTS = 0;
    private static final int BLOB_IDS = 1;

    BlobRegistry(GenesisConfig genesis, Committees committees, StateView view) {
        this.genesis = genesis;
        this.encoding = new EncodingConfig(genesis.shardCount());
        this.committees = committees;
        this.blobs = new Table<>(view, "blobs", StateCodec.ID, StateCodec.BLOB);
        this.objectsByBlobId = new Index(view, "blob-objects", StateCodec.BLOB_ID, StateCodec.ID);
        this.objectsByOwner = new Index(view, "owner-objects", StateCodec.ID, StateCodec.ID);
        this.invalidBlobIds = new Table<>(view, "invalid-blobs", StateCodec.BLOB_ID, StateCodec.U64);
        this.counts = new Table<>(view, "blob-counts", StateCodec.U32, StateCodec.U64);
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
        if (invalidBlobIds.contains(blobId.toString())) {
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
        checkConfirmation(blob, ctx.verified(CertificateVerifier.Verified.Confirmation.class).confirmation());
        int epoch = committees.epoch();
        long cursor = ctx.nextCursor();
        BlobEntry certified = blob.certified(epoch, cursor);
        blobs.put(certified.objectId(), certified);
        ctx.commit(0);
        ctx.emit(new Event.BlobCertified(cursor, epoch, blob.blobId(), blob.objectId(), blob.endEpoch(),
                blob.deletable(), false));
    }

    void extendBlob(CommandContext ctx, Command.ExtendBlob c) throws Refusal {
        Extension extension = planExtension(c.objectId(), c.epochs());
        ctx.requireBalance(extension.cost(), "extending " + extension.units() + " units by " + c.epochs() + " epochs");
        ctx.commit(-extension.cost());
        extend(ctx, extension);
    }

    /** An extension every rule allowed: the blob, its new end epoch and what it costs. */
    record Extension(BlobEntry blob, int newEndEpoch, long units, long cost) {
    }

    /**
     * Checks that blob object {@code objectIdText} may be extended by {@code epochs} (certified, unexpired, valid, not
     * burned, within the longest lifetime) and prices it; changes nothing. Whoever pays is the caller's concern: the
     * sender ({@code extendBlob}) or a shared blob's funds ({@link SharedBlobs}).
     */
    Extension planExtension(String objectIdText, int epochs) throws Refusal {
        BlobEntry blob = liveBlob(objectIdText);
        if (!blob.isCertified()) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "blob object " + blob.objectId()
                    + " is not certified; only certified blobs can be extended");
        }
        if (blob.isBurned()) {
            throw burned(blob);
        }
        requireNotExpired(blob);
        requireValid(blob);
        if (epochs < 1) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "epochs must be at least 1, got " + epochs);
        }
        int epoch = committees.epoch();
        long newEnd = (long) blob.endEpoch() + epochs;
        if (newEnd - epoch > genesis.maxEpochsAhead()) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "extending blob object " + blob.objectId() + " by " + epochs
                    + " epochs would end it at epoch " + newEnd + ", more than " + genesis.maxEpochsAhead()
                    + " epochs after the current epoch " + epoch);
        }
        long units = units(blob.storageSize());
        long cost;
        try {
            cost = Math.multiplyExact(units, Math.multiplyExact(genesis.storagePricePerUnitPerEpoch(), (long) epochs));
        } catch (ArithmeticException e) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "the cost of extending overflows");
        }
        return new Extension(blob, (int) newEnd, units, cost);
    }

    /** Applies a planned extension (after the command committed): the new end epoch and its extension event. */
    void extend(CommandContext ctx, Extension extension) {
        BlobEntry blob = extension.blob();
        long cursor = ctx.nextCursor();
        blobs.put(blob.objectId(), blob.extended(extension.newEndEpoch(), cursor));
        ctx.emit(new Event.BlobCertified(cursor, committees.epoch(), blob.blobId(), blob.objectId(),
                extension.newEndEpoch(), blob.deletable(), true));
    }

    void deleteBlob(CommandContext ctx, Command.DeleteBlob c) throws Refusal {
        BlobEntry blob = liveBlob(c.objectId());
        requireOwner(blob, ctx.sender);
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

    /**
     * Walrus's {@code burn-blobs}: every object must be the sender's (all or none). An expired object is removed; an
     * unexpired one is kept without an owner ({@link BlobEntry#BURNED}) until it expires, because the nodes keep its
     * data until then (no event tells them otherwise) and the blob ID's status must keep saying so. It leaves the
     * sender's objects and cannot be deleted, extended or shared again. No event, no refund (as Walrus).
     *
     * @return the canonical IDs of the burned objects
     */
    List<String> burnBlobs(CommandContext ctx, Command.BurnBlobs c) throws Refusal {
        if (c.objectIds().isEmpty() || c.objectIds().size() > Command.BurnBlobs.MAX_BURNS) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "burnBlobs takes 1 to " + Command.BurnBlobs.MAX_BURNS
                    + " object IDs, got " + c.objectIds().size());
        }
        java.util.LinkedHashMap<String, BlobEntry> burned = new java.util.LinkedHashMap<>();
        for (String id : c.objectIds()) {
            BlobEntry blob = liveBlob(id);
            requireOwner(blob, ctx.sender);
            if (burned.put(blob.objectId(), blob) != null) {
                throw new Refusal(ErrorReason.INVALID_ARGUMENT, "blob object " + blob.objectId() + " is named twice");
            }
        }
        ctx.commit(0);
        int epoch = committees.epoch();
        for (BlobEntry blob : burned.values()) {
            if (blob.isExpiredAt(epoch)) {
                remove(blob);
            } else {
                release(blob, BlobEntry.BURNED);
            }
        }
        return List.copyOf(burned.keySet());
    }

    /**
     * The sender's unexpired blob object {@code objectIdText}, now owned by the object {@code newOwner} (a shared blob
     * wrapping it): it leaves the sender's objects, and only {@code newOwner}'s own rules reach it from now on.
     */
    BlobEntry wrap(String objectIdText, String sender, String newOwner) throws Refusal {
        BlobEntry blob = ownedUnexpiredBlob(objectIdText, sender);
        return release(blob, newOwner);
    }

    /** The blob without its owner's index entry, owned by {@code newOwner} (an object or {@link BlobEntry#BURNED}). */
    private BlobEntry release(BlobEntry blob, String newOwner) {
        objectsByOwner.remove(blob.owner(), blob.objectId());
        BlobEntry released = blob.ownedBy(newOwner);
        blobs.put(released.objectId(), released);
        return released;
    }

    void invalidateBlob(CommandContext ctx, Command.InvalidateBlob c) throws Refusal {
        BlobId blobId = parseBlobId(c.blobId());
        if (invalidBlobIds.contains(blobId.toString())) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "blob ID " + blobId + " was already marked invalid");
        }
        // the precheck verified that members holding more than f shards of the message's epoch signed it
        InvalidBlobIdMessage message = ctx.verified(CertificateVerifier.Verified.InvalidBlob.class).message();
        int epoch = committees.epoch();
        if (message.epoch() != epoch) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "the message is for epoch " + message.epoch()
                    + ", the current epoch is " + epoch);
        }
        if (!message.blobId().equals(blobId)) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "the message is for blob " + message.blobId()
                    + ", the command names " + blobId);
        }
        long cursor = ctx.nextCursor();
        invalidBlobIds.put(blobId.toString(), cursor);
        ctx.commit(0);
        ctx.emit(new Event.InvalidBlobId(cursor, epoch, blobId.toString()));
    }

    // ------------------------------------------------------------------------------------------------ rules

    /**
     * The confirmation is for this blob object in the current epoch. That a quorum of the committee of its epoch
     * signed it, the precheck verified; an epoch other than the current one is refused here, so the committee that
     * signed is the current one.
     */
    private void checkConfirmation(BlobEntry blob, StorageConfirmation confirmation) throws Refusal {
        int epoch = committees.epoch();
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

    /**
     * The unexpired blob object {@code objectIdText}, which {@code sender} must own: for concerns that keep state on
     * a blob object (its attribute).
     */
    BlobEntry ownedUnexpiredBlob(String objectIdText, String sender) throws Refusal {
        BlobEntry blob = liveBlob(objectIdText);
        requireOwner(blob, sender);
        requireNotExpired(blob);
        return blob;
    }

    /** The blob object as it is now, burned ones included: for concerns that hold blob objects (shared blobs). */
    BlobEntry entry(String canonicalObjectId) {
        return blobs.get(canonicalObjectId);
    }

    private static void requireOwner(BlobEntry blob, String sender) throws Refusal {
        if (blob.isBurned()) {
            throw burned(blob);
        }
        if (!blob.owner().equals(sender)) {
            throw new Refusal(ErrorReason.NOT_OWNER, "blob object " + blob.objectId() + " is owned by " + blob.owner()
                    + ", not " + sender);
        }
    }

    private static Refusal burned(BlobEntry blob) {
        return new Refusal(ErrorReason.ILLEGAL_TRANSITION, "blob object " + blob.objectId()
                + " was burned: nobody can delete, extend or share it");
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
        if (invalidBlobIds.contains(blob.blobId())) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "blob ID " + blob.blobId() + " was marked invalid");
        }
    }

    private static long units(long encodedSize) {
        return (encodedSize + ControlState.UNIT_SIZE - 1) / ControlState.UNIT_SIZE;
    }

    private void put(BlobEntry entry) {
        if (!blobs.contains(entry.objectId())) {
            addToCount(OBJECTS, 1);
            if (objectsByBlobId.members(entry.blobId(), null, 1).isEmpty()) {
                addToCount(BLOB_IDS, 1);
            }
        }
        blobs.put(entry.objectId(), entry);
        objectsByBlobId.add(entry.blobId(), entry.objectId());
        objectsByOwner.add(entry.owner(), entry.objectId());
    }

    private void remove(BlobEntry entry) {
        blobs.delete(entry.objectId());
        objectsByBlobId.remove(entry.blobId(), entry.objectId());
        objectsByOwner.remove(entry.owner(), entry.objectId());
        addToCount(OBJECTS, -1);
        if (objectsByBlobId.members(entry.blobId(), null, 1).isEmpty()) {
            addToCount(BLOB_IDS, -1);
        }
    }

    // ------------------------------------------------------------------------------------------------ queries

    /**
     * Up to {@code limit} (at most {@value #MAX_PAGE}) live objects the account owns, in object-ID order, after
     * {@code after} (null: from the first); {@code next} names the last one when more may follow.
     */
    OwnedBlobs ownedBy(String address, String after, int limit) {
        String owner = Address.parse(address).toString();
        String start = after == null ? null : ObjectId.parse(after).toString();
        int pageSize = Math.clamp(limit, 1, MAX_PAGE);
        List<String> ids = objectsByOwner.members(owner, start, pageSize + 1);
        boolean more = ids.size() > pageSize;
        List<BlobObject> out = new ArrayList<>();
        for (String id : more ? ids.subList(0, pageSize) : ids) {
            out.add(toBlobObject(blobs.get(id)));
        }
        return new OwnedBlobs(owner, out, more ? out.getLast().id() : null);
    }

    /** The object, unless it was deleted or burned (a burned object exists for its blob ID's status only). */
    Optional<BlobObject> object(String objectId) {
        return blobs.find(ObjectId.parse(objectId).toString()).filter(b -> !b.isBurned())
                .map(BlobRegistry::toBlobObject);
    }

    /** See {@link ControlState#blobInfo(BlobId)}. */
    BlobInfo info(BlobId blobId) {
        String key = blobId.toString();
        List<BlobEntry> all = new ArrayList<>();
        for (String id : objectsByBlobId.members(key, null, Integer.MAX_VALUE)) {
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

    static BlobObject toBlobObject(BlobEntry b) {
        return new BlobObject(b.objectId(), b.registeredEpoch(), b.blobId(), b.size(), b.encodingType(),
                b.certifiedEpoch(), new StorageResource(b.storageId(), b.startEpoch(), b.endEpoch(), b.storageSize()),
                b.deletable());
    }

    /** Blob objects registered and not deleted (expired ones until collected): kept as a count, so O(1). */
    long objectCount() {
        return count(OBJECTS);
    }

    /** Distinct blob IDs with at least one object: kept as a count, so O(1). */
    long blobIdCount() {
        return count(BLOB_IDS);
    }

    private long count(int which) {
        Long value = counts.getCommitted(which);
        return value == null ? 0 : value;
    }

    private void addToCount(int which, long delta) {
        Long value = counts.get(which);
        counts.put(which, (value == null ? 0 : value) + delta);
    }
}
