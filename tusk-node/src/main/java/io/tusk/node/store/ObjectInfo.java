package io.tusk.node.store;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.OptionalLong;

/**
 * What the node knows of one blob object (one registration of a blob ID) from control-plane events.
 *
 * <p>Epochs follow Walrus: the object is live in epochs {@code registeredEpoch <= e < endEpoch}; it expires at the
 * start of {@code endEpoch}. {@code certifiedEpoch} is {@code -1} until the blob is certified.
 *
 * @param objectId        the 32 object ID bytes
 * @param registeredEpoch the epoch of the registration event
 * @param endEpoch        the first epoch in which the object is no longer stored (exclusive end)
 * @param deletable       whether the owner may delete it before {@code endEpoch}
 * @param certifiedEpoch  the epoch of its first certification, or {@code -1}
 * @param statusEvent     the cursor of the event that last changed its status (registration or certification)
 */
public record ObjectInfo(byte[] objectId, long registeredEpoch, long endEpoch, boolean deletable, long certifiedEpoch,
                         long statusEvent) {

    public static final int OBJECT_ID_LENGTH = 32;

    public ObjectInfo {
        if (objectId.length != OBJECT_ID_LENGTH) {
            throw new IllegalArgumentException("object ID must have 32 bytes, got " + objectId.length);
        }
        objectId = objectId.clone();
    }

    @Override
    public byte[] objectId() {
        return objectId.clone();
    }

    public boolean isCertified() {
        return certifiedEpoch >= 0;
    }

    /** Live (registered and not expired) in {@code epoch}. Deleted objects are removed, so they never appear here. */
    public boolean isLive(long epoch) {
        return endEpoch > epoch;
    }

    public boolean hasObjectId(byte[] other) {
        return Arrays.equals(objectId, other);
    }

    public OptionalLong certified() {
        return isCertified() ? OptionalLong.of(certifiedEpoch) : OptionalLong.empty();
    }

    ObjectInfo withCertification(long epoch, long newEndEpoch, long event) {
        long first = isCertified() ? certifiedEpoch : epoch;
        return new ObjectInfo(objectId, registeredEpoch, Math.max(endEpoch, newEndEpoch), deletable, first, event);
    }

    void writeBcs(BcsWriter w) {
        w.fixedBytes(objectId);
        w.u32(registeredEpoch);
        w.u32(endEpoch);
        w.bool(deletable);
        w.bool(isCertified());
        if (isCertified()) {
            w.u32(certifiedEpoch);
        }
        w.u64(statusEvent);
    }

    static ObjectInfo readBcs(BcsReader r) {
        byte[] id = r.fixedBytes(OBJECT_ID_LENGTH);
        long registered = r.u32();
        long end = r.u32();
        boolean deletable = r.bool();
        long certified = r.bool() ? r.u32() : -1;
        long event = r.u64();
        return new ObjectInfo(id, registered, end, deletable, certified, event);
    }

    /** {@code 0x} and 64 lowercase hex digits, as Sui prints object IDs. */
    public String objectIdHex() {
        return "0x" + HexFormat.of().formatHex(objectId);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ObjectInfo other && Arrays.equals(objectId, other.objectId)
                && registeredEpoch == other.registeredEpoch && endEpoch == other.endEpoch
                && deletable == other.deletable && certifiedEpoch == other.certifiedEpoch
                && statusEvent == other.statusEvent;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(objectId) * 31 + Long.hashCode(endEpoch);
    }

    @Override
    public String toString() {
        return "ObjectInfo[" + objectIdHex() + ", registered " + registeredEpoch + ", end " + endEpoch
                + (deletable ? ", deletable" : ", permanent") + (isCertified() ? ", certified " + certifiedEpoch : "")
                + "]";
    }
}
