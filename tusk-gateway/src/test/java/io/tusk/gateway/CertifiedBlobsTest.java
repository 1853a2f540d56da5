package io.tusk.gateway;

import io.tusk.control.api.Event;
import io.tusk.core.metadata.BlobId;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class CertifiedBlobsTest {
    private static final BlobId BLOB = blobId(1);
    private static final BlobId OTHER = blobId(2);
    private long cursor;

    private static BlobId blobId(int seed) {
        byte[] bytes = new byte[BlobId.LENGTH];
        Arrays.fill(bytes, (byte) 7);
        java.nio.ByteBuffer.wrap(bytes).putInt(seed);
        return BlobId.of(bytes);
    }

    private Event.BlobRegistered registered(BlobId blobId, String objectId, long size, int endEpoch) {
        return new Event.BlobRegistered(cursor++, 1, blobId.toString(), objectId, "0xowner", size, "RS2", endEpoch,
                true);
    }

    private Event.BlobCertified certified(BlobId blobId, String objectId, int endEpoch) {
        return new Event.BlobCertified(cursor++, 1, blobId.toString(), objectId, endEpoch, true, false);
    }

    /** A blob the gateway saw registered and then certified. */
    private void stored(CertifiedBlobs blobs, BlobId blobId, String objectId, long size, int endEpoch) {
        blobs.apply(registered(blobId, objectId, size, endEpoch));
        blobs.apply(certified(blobId, objectId, endEpoch));
    }

    @Test
    void shouldKnowABlobOnceItsRegistrationAndCertificationWereSeen() {
        CertifiedBlobs blobs = new CertifiedBlobs(1);
        blobs.apply(registered(BLOB, "0x1", 1024, 5));
        assertThat(blobs.lookup(BLOB)).isEmpty(); // registered is not readable

        blobs.apply(certified(BLOB, "0x1", 5));

        assertThat(blobs.lookup(BLOB)).contains(new CertifiedBlobs.Known(1024, 5));
        assertThat(blobs.lookup(OTHER)).isEmpty();
    }

    @Test
    void shouldNotKnowABlobWhoseRegistrationWasNotSeen() {
        CertifiedBlobs blobs = new CertifiedBlobs(1);

        blobs.apply(certified(BLOB, "0x1", 5)); // registered before the gateway followed: its size is unknown

        assertThat(blobs.lookup(BLOB)).isEmpty();
    }

    @Test
    void shouldForgetABlobWhenAnyObjectOfItIsDeleted() {
        CertifiedBlobs blobs = new CertifiedBlobs(1);
        stored(blobs, BLOB, "0x1", 10, 5);
        stored(blobs, BLOB, "0x2", 10, 9);
        assertThat(blobs.lookup(BLOB)).contains(new CertifiedBlobs.Known(10, 9));

        blobs.apply(new Event.BlobDeleted(cursor++, 1, BLOB.toString(), "0x1", true));

        // Object 0x2 still lives, but only a status query can tell: the read asks the control plane.
        assertThat(blobs.lookup(BLOB)).isEmpty();
    }

    @Test
    void shouldForgetAnInvalidBlob() {
        CertifiedBlobs blobs = new CertifiedBlobs(1);
        stored(blobs, BLOB, "0x1", 10, 5);

        blobs.apply(new Event.InvalidBlobId(cursor++, 1, BLOB.toString()));

        assertThat(blobs.lookup(BLOB)).isEmpty();
    }

    @Test
    void shouldForgetABlobWhoseStorageEndedAndKeepAnExtendedOne() {
        CertifiedBlobs blobs = new CertifiedBlobs(1);
        stored(blobs, BLOB, "0x1", 10, 3);
        stored(blobs, OTHER, "0x2", 10, 3);
        blobs.apply(new Event.BlobCertified(cursor++, 1, OTHER.toString(), "0x2", 6, true, true)); // extended

        blobs.apply(new Event.EpochChange(cursor++, 2));
        assertThat(blobs.lookup(BLOB)).contains(new CertifiedBlobs.Known(10, 3));

        blobs.apply(new Event.EpochChange(cursor++, 3)); // end epochs are exclusive

        assertThat(blobs.lookup(BLOB)).isEmpty();
        assertThat(blobs.lookup(OTHER)).contains(new CertifiedBlobs.Known(10, 6));
    }

    @Test
    void shouldNotKnowABlobThatEndedBeforeTheCurrentEpoch() {
        CertifiedBlobs blobs = new CertifiedBlobs(7); // following started in epoch 7

        stored(blobs, BLOB, "0x1", 10, 7);

        assertThat(blobs.lookup(BLOB)).isEmpty();
    }

    @Test
    void shouldStayBounded() {
        CertifiedBlobs blobs = new CertifiedBlobs(1, 10);
        for (int i = 0; i < 1000; i++) {
            BlobId id = blobId(i);
            blobs.apply(registered(id, "0x" + Integer.toHexString(i), 10, 5));
            blobs.apply(certified(id, "0x" + Integer.toHexString(i), 5));
        }
        int known = 0;
        for (int i = 0; i < 1000; i++) {
            known += blobs.lookup(blobId(i)).isPresent() ? 1 : 0;
        }
        assertThat(known).isBetween(1, 10);
    }
}
