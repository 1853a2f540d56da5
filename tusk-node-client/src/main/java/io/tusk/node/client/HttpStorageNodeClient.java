package io.tusk.node.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.core.bcs.BcsReader;
import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.InconsistencyProof;
import io.tusk.core.encoding.RecoverySymbol;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.SignedMessage;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadata;
import io.tusk.core.metadata.BlobMetadataWithId;
import io.tusk.http.ApiException;
import io.tusk.http.HttpTransport;
import io.tusk.http.HttpTransportException;
import io.tusk.http.JsonHttpClient;
import io.tusk.http.Response;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@link StorageNodeClient} over HTTP: BCS and JSON bodies through a {@link JsonHttpClient} on the shared
 * {@link HttpTransport} (one connection pool per node for the whole process; a client object is cheap).
 */
public final class HttpStorageNodeClient implements StorageNodeClient {
    private final String address;
    private final JsonHttpClient http;
    private final Duration timeout;
    private final ReceivedBytes received;
    /** Whether the node has Tusk's batch write route; false once it answered it 404 or 405 without a reason. */
    private volatile boolean batchWrites = true;

    /** A client of the node at {@code networkAddress} ({@code host:port} or a URL), with a per-request timeout. */
    public HttpStorageNodeClient(String networkAddress, Duration timeout) {
        this(networkAddress, timeout, ReceivedBytes.NONE);
    }

    public HttpStorageNodeClient(String networkAddress, Duration timeout, ReceivedBytes received) {
        this.address = networkAddress;
        this.timeout = timeout;
        this.received = received;
        URI base = URI.create(networkAddress.contains("://") ? networkAddress : "http://" + networkAddress);
        this.http = JsonHttpClient.create(base, timeout);
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public void storeMetadata(BlobId blobId, BlobMetadata metadata) {
        call(() -> http.putBytes(blobPath(blobId) + "/metadata", metadata.toBcs(), JsonNode.class));
    }

    @Override
    public BlobMetadataWithId metadata(BlobId blobId) {
        byte[] body = bytes(NodeEndpoint.METADATA, blobPath(blobId) + "/metadata");
        return parse(() -> BlobMetadataWithId.fromBcs(body), "metadata");
    }

    @Override
    public void storeSliver(BlobId blobId, int pairIndex, Sliver sliver) {
        call(() -> http.putBuffers(sliverPath(blobId, pairIndex, sliver.type()), sliver.bcsBuffers(), JsonNode.class));
    }

    /** A node that answers the batch route 404 or 405 has none (a Walrus node): its slivers go one by one from then on. */
    @Override
    public void storeSlivers(BlobId blobId, SliverType type, List<Sliver> slivers, int shardCount) {
        if (slivers.isEmpty()) {
            return;
        }
        if (!batchWrites) {
            StorageNodeClient.super.storeSlivers(blobId, type, slivers, shardCount);
            return;
        }
        io.tusk.core.bcs.BcsWriter body = new io.tusk.core.bcs.BcsWriter();
        body.uleb128(slivers.size());
        slivers.forEach(sliver -> sliver.writeBcs(body));
        try {
            call(() -> http.putBytes(blobPath(blobId) + "/slivers/" + type.wireName(), body.finish(), JsonNode.class));
        } catch (NodeRequestException e) {
            if (e.reason() != null || (e.status() != 404 && e.status() != 405)) {
                throw e;
            }
            batchWrites = false;
            StorageNodeClient.super.storeSlivers(blobId, type, slivers, shardCount);
        }
    }

    @Override
    public Sliver sliver(BlobId blobId, int pairIndex, SliverType type) {
        byte[] body = bytes(NodeEndpoint.SLIVER, sliverPath(blobId, pairIndex, type));
        return parse(() -> Sliver.fromBcs(type, body), "sliver");
    }

    @Override
    public List<Sliver> slivers(BlobId blobId, SliverType type, List<Integer> pairIndices, long maxBytes) {
        if (pairIndices.isEmpty()) {
            return List.of();
        }
        StringBuilder path = new StringBuilder(blobPath(blobId)).append("/slivers/").append(type.wireName());
        char separator = '?';
        for (int pair : pairIndices) {
            path.append(separator).append("pair=").append(pair);
            separator = '&';
        }
        if (maxBytes < Long.MAX_VALUE) {
            path.append("&max_bytes=").append(Math.max(0, maxBytes));
        }
        byte[] body = bytes(NodeEndpoint.SLIVERS, path.toString());
        return parse(() -> {
            BcsReader reader = new BcsReader(body);
            int count = (int) reader.uleb128(pairIndices.size());
            List<Sliver> slivers = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                slivers.add(Sliver.readBcs(type, reader));
            }
            reader.expectEnd();
            return slivers;
        }, "sliver batch");
    }

    @Override
    public SignedMessage confirmation(BlobId blobId, BlobPersistence persistence, Duration wait) {
        String path = blobPath(blobId) + switch (persistence) {
            case BlobPersistence.Permanent p -> "/confirmation/permanent";
            case BlobPersistence.Deletable d -> "/confirmation/deletable/" + d.objectId();
        } + "?wait_for_registration=true&wait_millis=" + wait.toMillis();
        JsonNode signed = call(() -> http.withTimeout(timeout.plus(wait)).get(path, JsonNode.class)).path("signed");
        if (!signed.isObject()) {
            throw new NodeRequestException(address, 200, null, "confirmation answer has no 'signed' message", null);
        }
        return signedMessage(signed, "confirmation");
    }

    @Override
    public List<RecoverySymbol> recoverySymbols(BlobId blobId, List<SymbolId> ids, SliverType proofAxis) {
        StringBuilder path = new StringBuilder(blobPath(blobId)).append("/recoverySymbols");
        char separator = '?';
        if (proofAxis != null) {
            path.append("?proofAxis=").append(proofAxis.wireName());
            separator = '&';
        }
        for (SymbolId id : ids) {
            path.append(separator).append("id=").append(id);
            separator = '&';
        }
        byte[] body = bytes(NodeEndpoint.RECOVERY_SYMBOLS, path.toString());
        return parse(() -> {
            BcsReader reader = new BcsReader(body);
            int count = (int) reader.uleb128(EncodingConfig.MAX_SHARDS * 4L);
            List<RecoverySymbol> symbols = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                symbols.add(RecoverySymbol.readBcs(reader));
            }
            reader.expectEnd();
            return symbols;
        }, "recovery symbols");
    }

    @Override
    public SignedMessage inconsistencyProof(BlobId blobId, InconsistencyProof proof) {
        JsonNode data = call(() -> http.postBytes(blobPath(blobId) + "/inconsistencyProof/"
                + proof.targetType().wireName(), proof.toBcs(), JsonNode.class));
        return signedMessage(data, "invalid-blob attestation");
    }

    @Override
    public byte[] syncShard(BlsPublicKey caller, SignedMessage request) {
        byte[] body = call(() -> http.send("POST", "/v1/migrate/sync_shard", request.toBcs(), Response.OCTET_STREAM,
                Response.OCTET_STREAM, Map.of("Authorization", caller.toBase64())).body());
        received.received(NodeEndpoint.SYNC_SHARD, body.length);
        return body;
    }

    @Override
    public String health() {
        return call(() -> http.get("/v1/health", JsonNode.class)).toString();
    }

    private static String blobPath(BlobId blobId) {
        return "/v1/blobs/" + blobId;
    }

    private static String sliverPath(BlobId blobId, int pairIndex, SliverType type) {
        return blobPath(blobId) + "/slivers/" + pairIndex + "/" + type.wireName();
    }

    private byte[] bytes(NodeEndpoint endpoint, String path) {
        byte[] body = call(() -> http.getBytes(path));
        received.received(endpoint, body.length);
        return body;
    }

    private SignedMessage signedMessage(JsonNode node, String what) {
        return parse(() -> SignedMessage.fromBase64(node.path("serializedMessage").asText(),
                node.path("signature").asText()), what);
    }

    /** A 2xx answer that does not parse is the node's fault, reported like any other failed request. */
    private <T> T parse(Supplier<T> parser, String what) {
        try {
            return parser.get();
        } catch (RuntimeException e) {
            throw new NodeRequestException(address, 200, null, "malformed " + what + " answer: " + e.getMessage(), e);
        }
    }

    /** Runs one request; every failure becomes a {@link NodeRequestException} naming this node. */
    private <T> T call(Supplier<T> request) {
        try {
            return request.get();
        } catch (ApiException e) {
            throw new NodeRequestException(address, e.httpStatus(), e.reason(), e.getMessage(), e);
        } catch (HttpTransportException e) {
            throw new NodeRequestException(address, 0, null, e.getMessage(), e);
        }
    }

    /** Nothing to release: connections belong to the shared transport. */
    @Override
    public void close() {
    }
}
