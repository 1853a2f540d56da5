package io.tusk.control.state;

/**
 * A live (not deleted) blob object. {@code certifiedEpoch} is null until certified. {@code registeredCursor} is the
 * cursor of its {@code blobRegistered} event, {@code certifiedCursor} of its latest {@code blobCertified} event
 * (certification or extension), -1 if none.
 */
record BlobEntry(String objectId, String owner, String blobId, long size, String encodingType, int registeredEpoch,
                 Integer certifiedEpoch, String storageId, int startEpoch, int endEpoch, long storageSize,
                 boolean deletable, long registeredCursor, long certifiedCursor) {
    /**
     * The owner of a burned object: the zero address, which no key controls (Sui's burn address). A burned object
     * stays until it expires so that its blob ID's status keeps counting it, and is nobody's.
     */
    static final String BURNED = "0x" + "00".repeat(32);

    BlobEntry certified(int epoch, long cursor) {
        return new BlobEntry(objectId, owner, blobId, size, encodingType, registeredEpoch, epoch, storageId,
                startEpoch, endEpoch, storageSize, deletable, registeredCursor, cursor);
    }

    BlobEntry extended(int newEndEpoch, long cursor) {
        return new BlobEntry(objectId, owner, blobId, size, encodingType, registeredEpoch, certifiedEpoch,
                storageId, startEpoch, newEndEpoch, storageSize, deletable, registeredCursor, cursor);
    }

    BlobEntry ownedBy(String newOwner) {
        return new BlobEntry(objectId, newOwner, blobId, size, encodingType, registeredEpoch, certifiedEpoch,
                storageId, startEpoch, endEpoch, storageSize, deletable, registeredCursor, certifiedCursor);
    }

    boolean isBurned() {
        return BURNED.equals(owner);
    }

    boolean isCertified() {
        return certifiedEpoch != null;
    }

    /** A blob is unavailable from the start of its end epoch. */
    boolean isExpiredAt(int epoch) {
        return endEpoch <= epoch;
    }
}
