package io.tusk.node.client;

import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.core.encoding.InconsistencyProof;
import io.tusk.core.encoding.RecoverySymbol;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.SignedMessage;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadata;
import io.tusk.core.metadata.BlobMetadataWithId;

import java.time.Duration;
import java.util.List;

/**
 * One storage node's REST API (walrus-node-api.md §2, plus Tusk's batch sliver read) as its clients use it: the SDK
 * (stores and reads) and other nodes (recovery, invalid-blob proofs, shard sync). Answers are parsed, never verified:
 * a node may lie, so callers check metadata against the blob ID and slivers and symbols against the metadata.
 *
 * <p>Every method blocks (callers run them on virtual threads; an interrupt aborts the request) and throws
 * {@link NodeRequestException} for an error answer, a malformed answer, a timeout or an unreachable node.
 * Implementations are thread-safe.
 */
public interface StorageNodeClient extends AutoCloseable {
    /** The node's network address ({@code host:port}), as the committee names it. */
    String address();

    /** {@code PUT /v1/blobs/{id}/metadata}. */
    void storeMetadata(BlobId blobId, BlobMetadata metadata);

    /** {@code GET /v1/blobs/{id}/metadata}. */
    BlobMetadataWithId metadata(BlobId blobId);

    /** {@code PUT /v1/blobs/{id}/slivers/{pair}/{type}}. */
    void storeSliver(BlobId blobId, int pairIndex, Sliver sliver);

    /**
     * Tusk's {@code PUT /v1/blobs/{id}/slivers/{type}}: many slivers of one type and one blob in one request, each
     * stored as if PUT alone. For a node without the route (a Walrus node), one {@link #storeSliver} per sliver, which
     * is also what this default does.
     */
    default void storeSlivers(BlobId blobId, SliverType type, List<Sliver> slivers, int shardCount) {
        for (Sliver sliver : slivers) {
            storeSliver(blobId, type.pairIndex(sliver.index(), shardCount), sliver);
        }
    }

    /** {@code GET /v1/blobs/{id}/slivers/{pair}/{type}}. */
    Sliver sliver(BlobId blobId, int pairIndex, SliverType type);

    /**
     * Tusk's {@code GET /v1/blobs/{id}/slivers/{type}?pair=…&max_bytes=…}: the slivers of those pairs that the node
     * serves, in the order asked. Pairs it cannot serve are missing from the list, and so are those past the answer's
     * byte budget (the smaller of {@code maxBytes} and the node's 16 MiB; never below one sliver): ask again for what
     * is missing. Fails only if it serves none of them.
     */
    List<Sliver> slivers(BlobId blobId, SliverType type, List<Integer> pairIndices, long maxBytes);

    /** {@link #slivers(BlobId, SliverType, List, long)} within the node's own answer budget. */
    default List<Sliver> slivers(BlobId blobId, SliverType type, List<Integer> pairIndices) {
        return slivers(blobId, type, pairIndices, Long.MAX_VALUE);
    }

    /**
     * {@code GET /v1/blobs/{id}/confirmation/…}: the node's signed storage confirmation, waiting up to {@code wait}
     * for the node to see the blob's registration.
     */
    SignedMessage confirmation(BlobId blobId, BlobPersistence persistence, Duration wait);

    /**
     * {@code GET /v1/blobs/{id}/recoverySymbols?id=…}: the symbols asked that the node can compute, each proven against
     * a sliver of {@code proofAxis} ({@code null}: either axis).
     */
    List<RecoverySymbol> recoverySymbols(BlobId blobId, List<SymbolId> ids, SliverType proofAxis);

    /** {@code POST /v1/blobs/{id}/inconsistencyProof/{type}}: the node's signed invalid-blob-ID message. */
    SignedMessage inconsistencyProof(BlobId blobId, InconsistencyProof proof);

    /**
     * {@code POST /v1/migrate/sync_shard}: a page of a shard's slivers, for a node that takes over the shard.
     *
     * @param caller  the calling node's BLS key (it signed {@code request})
     * @param request a signed {@code SyncShardMessage}
     * @return the BCS {@code SyncShardResponse}
     */
    byte[] syncShard(BlsPublicKey caller, SignedMessage request);

    /** {@code GET /v1/health}: the node's JSON data (epoch, public key, shards). */
    String health();

    @Override
    void close();
}
