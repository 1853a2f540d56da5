package io.tusk.client;

import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.SignedMessage;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadata;
import io.tusk.core.metadata.BlobMetadataWithId;

import java.time.Duration;

/**
 * What the SDK asks of one storage node: the Walrus storage-node REST API. Every method blocks (callers run them on
 * virtual threads) and throws {@link NodeRequestException} for an error answer, a timeout or an unreachable node.
 */
public interface NodeApi extends AutoCloseable {
    /** {@code PUT /v1/blobs/{id}/metadata}. */
    void putMetadata(BlobId blobId, BlobMetadata metadata);

    /** {@code GET /v1/blobs/{id}/metadata}; not verified: the caller checks it against the blob ID. */
    BlobMetadataWithId getMetadata(BlobId blobId);

    /** {@code PUT /v1/blobs/{id}/slivers/{pair}/{type}}. */
    void putSliver(BlobId blobId, int pairIndex, Sliver sliver);

    /** {@code GET /v1/blobs/{id}/slivers/{pair}/{type}}; not verified. */
    Sliver getSliver(BlobId blobId, int pairIndex, SliverType type);

    /** {@code GET /v1/blobs/{id}/confirmation/...}, waiting up to {@code wait} for the node to see the registration. */
    SignedMessage getConfirmation(BlobId blobId, BlobPersistence persistence, Duration wait);

    /** {@code GET /v1/health}: the node's epoch and public key, as the node's JSON. */
    String health();

    @Override
    void close();
}
