package io.tusk.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.SignedMessage;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadata;
import io.tusk.core.metadata.BlobMetadataWithId;
import io.tusk.http.ApiException;
import io.tusk.http.HttpTransportException;
import io.tusk.http.JsonHttpClient;

import java.net.URI;
import java.time.Duration;
import java.util.function.Supplier;

/** {@link NodeApi} over HTTP: the Walrus storage-node REST API with BCS and JSON bodies, via {@link JsonHttpClient}. */
final class HttpNodeClient implements NodeApi {
    private final String address;
    private final JsonHttpClient http;
    private final Duration timeout;

    HttpNodeClient(String networkAddress, Duration timeout) {
        this.address = networkAddress;
        this.timeout = timeout;
        URI base = URI.create(networkAddress.contains("://") ? networkAddress : "http://" + networkAddress);
        this.http = JsonHttpClient.create(base, Duration.ofSeconds(5), timeout);
    }

    @Override
    public void putMetadata(BlobId blobId, BlobMetadata metadata) {
        call(() -> http.putBytes(blobPath(blobId) + "/metadata", metadata.toBcs(), JsonNode.class));
    }

    @Override
    public BlobMetadataWithId getMetadata(BlobId blobId) {
        return BlobMetadataWithId.fromBcs(call(() -> http.getBytes(blobPath(blobId) + "/metadata")));
    }

    @Override
    public void putSliver(BlobId blobId, int pairIndex, Sliver sliver) {
        call(() -> http.putBuffers(sliverPath(blobId, pairIndex, sliver.type()), sliver.bcsBuffers(), JsonNode.class));
    }

    @Override
    public Sliver getSliver(BlobId blobId, int pairIndex, SliverType type) {
        return Sliver.fromBcs(type, call(() -> http.getBytes(sliverPath(blobId, pairIndex, type))));
    }

    @Override
    public SignedMessage getConfirmation(BlobId blobId, BlobPersistence persistence, Duration wait) {
        String path = blobPath(blobId) + switch (persistence) {
            case BlobPersistence.Permanent p -> "/confirmation/permanent";
            case BlobPersistence.Deletable d -> "/confirmation/deletable/" + d.objectId();
        } + "?wait_for_registration=true&wait_millis=" + wait.toMillis();
        JsonNode signed = call(() -> http.withTimeout(timeout.plus(wait)).get(path, JsonNode.class)).path("signed");
        if (!signed.isObject()) {
            throw new NodeRequestException(address, 200, null, "confirmation answer has no 'signed' message", null);
        }
        return SignedMessage.fromBase64(signed.path("serializedMessage").asText(), signed.path("signature").asText());
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

    @Override
    public void close() {
        http.close();
    }
}
