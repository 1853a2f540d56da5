package io.tusk.client;

import io.tusk.control.api.BlobObject;

/**
 * The outcome of a store, shaped like Walrus's {@code BlobStoreResult}: either a newly created and certified blob
 * object (with what was paid and how many bytes the network stores), or the blob was already certified until at
 * least {@code endEpoch}.
 */
public sealed interface StoreResult {
    String blobId();

    /**
     * A blob object certified by this store: registered by it, or registered by an earlier store of this account that
     * was interrupted before certification ({@link ResourceOperation}). {@code cost} is what this store paid.
     */
    record NewlyCreated(BlobObject blobObject, ResourceOperation resourceOperation, long cost) implements StoreResult {
        @Override
        public String blobId() {
            return blobObject.blobId();
        }

        /** Bytes the network stores for the blob (all slivers and the replicated metadata). */
        public long encodedLength() {
            return resourceOperation.encodedLength();
        }
    }

    /** What a store did about storage and registration, as Walrus's {@code RegisterBlobOp} says it. */
    sealed interface ResourceOperation {
        long encodedLength();

        /** Storage bought and the blob registered by this store (the cost: storage for the epochs and the write fee). */
        record RegisterFromScratch(long encodedLength, int epochsAhead) implements ResourceOperation {}

        /** A registration this account already held was certified; nothing was paid again. */
        record ReuseRegistration(long encodedLength) implements ResourceOperation {}
    }

    /** The blob was already certified long enough; nothing was stored or paid. */
    record AlreadyCertified(String blobId, String objectId, int endEpoch) implements StoreResult {}
}
