package io.tusk.client;

import io.tusk.control.api.BlobObject;

/**
 * The outcome of a store, shaped like Walrus's {@code BlobStoreResult}: either a newly created and certified blob
 * object (with what was paid and how many bytes the network stores), or the blob was already certified until at
 * least {@code endEpoch}.
 */
public sealed interface StoreResult {
    String blobId();

    /** A new blob object, registered from scratch and certified. */
    record NewlyCreated(BlobObject blobObject, long encodedLength, int epochsAhead, long cost) implements StoreResult {
        @Override
        public String blobId() {
            return blobObject.blobId();
        }
    }

    /** The blob was already certified long enough; nothing was stored or paid. */
    record AlreadyCertified(String blobId, String objectId, int endEpoch) implements StoreResult {}
}
