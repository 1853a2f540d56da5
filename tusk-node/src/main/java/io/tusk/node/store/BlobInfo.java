package io.tusk.node.store;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Everything the node knows of one blob ID from control-plane events: the live blob objects registered for it and
 * whether it was marked invalid. Walrus keeps the same aggregate ({@code aggregate_blob_info} plus
 * {@code per_object_blob_info}); Tusk keeps both in one value of the {@code blob_info} column family.
 *
 * <p>Immutable: every transition returns a new value. Deleted objects are dropped, expired ones are kept until the
 * blob's data is collected, and {@link #status(long)} ignores them.
 *
 * <p>BCS (Tusk's own, versioned): {@code version u8 (1) || invalidEvent Option<u64> || objects vec<ObjectInfo>}.
 */
public record BlobInfo(long invalidEvent, List<ObjectInfo> objects) {

    private static final int VERSION = 1;
    private static final int MAX_OBJECTS = 1 << 20;

    public static final BlobInfo EMPTY = new BlobInfo(-1, List.of());

    public BlobInfo {
        objects = List.copyOf(objects);
    }

    public boolean isInvalid() {
        return invalidEvent >= 0;
    }

    /** True when nothing is left to remember: no objects and not invalid. */
    public boolean isEmpty() {
        return !isInvalid() && objects.isEmpty();
    }

    /** Registered, unexpired and not invalid in {@code epoch}: data for it may be stored. */
    public boolean isRegistered(long epoch) {
        return !isInvalid() && objects.stream().anyMatch(o -> o.isLive(epoch));
    }

    /** A live permanent object exists in {@code epoch}. */
    public boolean hasLivePermanent(long epoch) {
        return !isInvalid() && objects.stream().anyMatch(o -> !o.deletable() && o.isLive(epoch));
    }

    /** The live deletable object with this ID in {@code epoch}, if any. */
    public Optional<ObjectInfo> liveDeletable(byte[] objectId, long epoch) {
        if (isInvalid()) {
            return Optional.empty();
        }
        return objects.stream().filter(o -> o.deletable() && o.isLive(epoch) && o.hasObjectId(objectId)).findFirst();
    }

    public Optional<ObjectInfo> object(byte[] objectId) {
        return objects.stream().filter(o -> o.hasObjectId(objectId)).findFirst();
    }

    /** Adds a registration; a repeated registration of the same object replaces the earlier one. */
    public BlobInfo withRegistered(ObjectInfo object) {
        List<ObjectInfo> next = new ArrayList<>(objects.size() + 1);
        for (ObjectInfo o : objects) {
            if (!o.hasObjectId(object.objectId())) {
                next.add(o);
            }
        }
        next.add(object);
        return new BlobInfo(invalidEvent, next);
    }

    /**
     * Records a certification (or an extension, which also arrives as a certification) of an object. An unknown
     * object is added, as Walrus does when it missed the registration; its registration epoch is then the
     * certification epoch.
     */
    public BlobInfo withCertified(byte[] objectId, boolean deletable, long epoch, long endEpoch, long event) {
        List<ObjectInfo> next = new ArrayList<>(objects.size() + 1);
        boolean found = false;
        for (ObjectInfo o : objects) {
            if (o.hasObjectId(objectId)) {
                next.add(o.withCertification(epoch, endEpoch, event));
                found = true;
            } else {
                next.add(o);
            }
        }
        if (!found) {
            next.add(new ObjectInfo(objectId, epoch, endEpoch, deletable, epoch, event));
        }
        return new BlobInfo(invalidEvent, next);
    }

    public BlobInfo withDeleted(byte[] objectId) {
        List<ObjectInfo> next = new ArrayList<>(objects.size());
        for (ObjectInfo o : objects) {
            if (!o.hasObjectId(objectId)) {
                next.add(o);
            }
        }
        return new BlobInfo(invalidEvent, next);
    }

    public BlobInfo withInvalid(long event) {
        return isInvalid() ? this : new BlobInfo(event, objects);
    }

    /** Drops objects that expired before {@code epoch}. */
    public BlobInfo withoutExpired(long epoch) {
        return new BlobInfo(invalidEvent, objects.stream().filter(o -> o.isLive(epoch)).toList());
    }

    /** The status Walrus reports from {@code GET /v1/blobs/{id}/status}, counting only objects live in {@code epoch}. */
    public BlobStatus status(long epoch) {
        if (isInvalid()) {
            return new BlobStatus.Invalid(invalidEvent);
        }
        List<ObjectInfo> live = objects.stream().filter(o -> o.isLive(epoch)).toList();
        long deletableTotal = live.stream().filter(ObjectInfo::deletable).count();
        long deletableCertified = live.stream().filter(o -> o.deletable() && o.isCertified()).count();
        BlobStatus.DeletableCounts counts = new BlobStatus.DeletableCounts(deletableTotal, deletableCertified);
        Long initialCertified = live.stream().filter(ObjectInfo::isCertified).map(ObjectInfo::certifiedEpoch)
                .min(Comparator.naturalOrder()).orElse(null);
        Comparator<ObjectInfo> byEnd = Comparator.comparingLong(ObjectInfo::endEpoch);
        Optional<ObjectInfo> permanentCertified = live.stream().filter(o -> !o.deletable() && o.isCertified())
                .max(byEnd);
        if (permanentCertified.isPresent()) {
            ObjectInfo o = permanentCertified.get();
            return new BlobStatus.Permanent(o.endEpoch(), true, o.statusEvent(), counts, initialCertified);
        }
        Optional<ObjectInfo> permanent = live.stream().filter(o -> !o.deletable()).max(byEnd);
        if (permanent.isPresent()) {
            ObjectInfo o = permanent.get();
            return new BlobStatus.Permanent(o.endEpoch(), false, o.statusEvent(), counts, initialCertified);
        }
        if (deletableTotal > 0) {
            return new BlobStatus.Deletable(initialCertified, counts);
        }
        return BlobStatus.Nonexistent.INSTANCE;
    }

    public byte[] toBcs() {
        BcsWriter w = new BcsWriter();
        w.u8(VERSION);
        w.bool(isInvalid());
        if (isInvalid()) {
            w.u64(invalidEvent);
        }
        w.uleb128(objects.size());
        for (ObjectInfo o : objects) {
            o.writeBcs(w);
        }
        return w.toByteArray();
    }

    public static BlobInfo fromBcs(byte[] bcs) {
        BcsReader r = new BcsReader(bcs);
        int version = r.u8();
        if (version != VERSION) {
            throw new IllegalStateException("blob info version " + version + " is not supported (expected " + VERSION + ")");
        }
        long invalid = r.bool() ? r.u64() : -1;
        int count = r.length(MAX_OBJECTS, "blob objects");
        List<ObjectInfo> objects = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            objects.add(ObjectInfo.readBcs(r));
        }
        r.expectEnd();
        return new BlobInfo(invalid, objects);
    }
}
