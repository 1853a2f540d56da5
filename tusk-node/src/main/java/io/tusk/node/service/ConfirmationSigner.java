package io.tusk.node.service;

import io.tusk.core.metadata.BlobId;

/**
 * Signs storage confirmations with the node's protocol key. The production signer uses the node's BLS12-381 key and
 * the Walrus {@code StorageConfirmation} message; tests may substitute another.
 */
public interface ConfirmationSigner {

    /**
     * Signs the confirmation that this node stores {@code blobId} in {@code epoch}.
     *
     * @param objectId the 32-byte object ID for a deletable blob, or {@code null} for a permanent one
     */
    Signed sign(long epoch, BlobId blobId, byte[] objectId);

    /** The node's public key bytes (48 for BLS12-381 min_pk). */
    byte[] publicKey();

    /** A Walrus {@code SignedMessage}: the exact message bytes and the signature over them. */
    record Signed(byte[] serializedMessage, byte[] signature) {
        public Signed {
            serializedMessage = serializedMessage.clone();
            signature = signature.clone();
        }

        @Override
        public byte[] serializedMessage() {
            return serializedMessage.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }
    }
}
