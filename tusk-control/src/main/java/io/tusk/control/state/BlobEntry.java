package io.tusk.control.state;

/**
 * A live (not deleted) blob object. {@code certifiedEpoch} is null until certified. {@code registeredCursor} is the
 * cursor of its {@code blobRegistered} event, {@code certifiedCursor} of its latest {@code blobCertified} event
 * (certification or extension), -1 if none.
 */
record BlobEntry(String objectId, String owner, String blobId, long size, String encodingType, int registeredEpoch,
                 Integer certifiedEpoch, String storageId, int startEpoch, int endEpoch, long storageSize,
                 boolean deletable, long registeredCursor, long certifiedCursor) {
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
