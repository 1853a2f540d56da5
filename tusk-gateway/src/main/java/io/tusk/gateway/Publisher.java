package io.tusk.gateway;

import io.tusk.client.WalrusJson;
import io.tusk.client.StoreException;
import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.client.TuskClient;
import io.tusk.control.api.BlobStatus;
import io.tusk.control.api.EpochInfo;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Address;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.metadata.BlobId;
import io.tusk.http.ApiError;
import io.tusk.http.ApiException;
import io.tusk.http.HttpTransportException;
import io.tusk.http.Request;
import io.tusk.http.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.tusk.client.LargeStoreResult;
import io.tusk.client.QuiltStoreResult;
import io.tusk.http.HttpRejection;
import io.tusk.core.quilt.QuiltPatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The publisher: {@code PUT /v1/blobs} stores the raw body with the gateway's account and answers Walrus's
 * {@code BlobStoreResult} JSON. The stored bytes go into the cache at once (they were encoded here and certified by
 * the network), so a read right after a store never misses.
 *
 * <p>{@code send_object_to}: Walrus transfers the new Sui blob object to that address. Tusk's control plane has no
 * transfer command (a blob object belongs to the account that registered it, for ever), so a request naming another
 * address is refused with 400 rather than storing an object the caller would not own. Naming the publisher's own
 * address is accepted (nothing to transfer). {@code share=true} is refused likewise: Tusk has no shared blob objects.
 */
final class Publisher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);
    private static final List<String> PARAMETERS = List.of("epochs", "permanent", "deletable", "force",
            "reuse_resources", "encoding_type", "send_object_to", "share");
    private static final List<String> QUILT_PARAMETERS = List.of("epochs", "permanent", "deletable", "force",
            "reuse_resources", "encoding_type", "send_object_to", "share", "quilt_version");
    /** The reserved multipart field holding [{"identifier", "tags"}] (Walrus). */
    static final String METADATA_FIELD = "_metadata";

    private final TuskClient client;
    private final BlobCache cache;
    private final RequestLimiter limiter;
    private final GatewayConfig config;
    private final String ownAddress;
    private final GatewayMetrics metrics;
    private final ExecutorService stores = Executors.newVirtualThreadPerTaskExecutor();

    Publisher(TuskClient client, BlobCache cache, RequestLimiter limiter, GatewayConfig config,
              GatewayMetrics metrics) {
        this.client = client;
        this.cache = cache;
        this.limiter = limiter;
        this.config = config;
        this.metrics = metrics;
        this.ownAddress = client.config().account().publicKey().address().toString();
    }

    Response putBlob(Request request) {
        StoreOptions options = storeOptions(request, PARAMETERS);
        long declared = request.contentLength().orElse(-1);
        if (declared > config.maxBodyBytes()) {
            if (config.maxFileBytes() <= 0 || declared > config.maxFileBytes()) {
                throw new HttpRejection(413, "request body of " + declared + " bytes is larger than the limit of "
                        + Math.max(config.maxBodyBytes(), config.maxFileBytes()) + " bytes");
            }
            return putLargeFile(request, options, declared);
        }
        try (RequestLimiter.Permit permit = limiter.acquire()) {
            byte[] blob = body(request); // within maxBodyBytes, else 413
            long ticket = cache.ticket();
            StoreResult result = store(blob, options);
            BlobId blobId = BlobId.parse(result.blobId());
            int endEpoch = switch (result) {
                case StoreResult.NewlyCreated created -> created.blobObject().storage().endEpoch();
                case StoreResult.AlreadyCertified certified -> certified.endEpoch();
            };
            if (blob.length <= config.maxCachedBlobBytes()) {
                cache.put(blobId, blob, endEpoch, ticket);
            }
            metrics.stored(resultName(result), blob.length);
            return Response.json(200, WalrusJson.storeResult(result));
        } catch (MarkedInvalid invalid) {
            metrics.stored("marked_invalid", 0);
            return Response.json(200, WalrusJson.markedInvalid(invalid.blobId, invalid.status));
        }
    }

    /** The body, at most {@code maxBodyBytes} (the route's own limit is the larger {@code maxFileBytes}). */
    private byte[] body(Request request) {
        try (java.io.InputStream in = request.bodyStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 16, config.maxBodyBytes() + 1));
            if (body.length > config.maxBodyBytes()) {
                throw new HttpRejection(413, "request body is larger than the limit of " + config.maxBodyBytes()
                        + " bytes (send a Content-Length to store up to " + config.maxFileBytes()
                        + " bytes as a large file)");
            }
            return body;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("reading the request body failed", e);
        }
    }

    /**
     * A body above {@code maxBodyBytes} with a Content-Length up to {@code maxFileBytes}, stored with bounded memory:
     * if it fits in one blob of the committee it is one blob, whose ID is its Walrus blob ID (a large one is written
     * to a temporary file while it arrives and encoded from there); a larger body is streamed from the socket into
     * chunks plus a manifest (docs/large-files.md), answered with the manifest blob's {@code BlobStoreResult} (its
     * blob ID names the whole file for reads) and {@code X-Tusk-Chunks} and {@code X-Tusk-Chunks-Skipped} headers.
     * A configured {@code chunkBytes} chunks every body larger than that instead. These stores have their own
     * retries and node timeouts, so the store timeout (meant for a small blob) does not bound them.
     */
    private Response putLargeFile(Request request, StoreOptions options, long length) {
        try (RequestLimiter.Permit permit = limiter.acquire();
             java.io.InputStream in = request.bodyStream()) {
            LargeStoreResult result;
            try {
                result = config.chunkBytes() > 0
                        ? client.storeStream(in, length, options, config.chunkBytes(), io.tusk.client.ProgressListener.NONE)
                        : client.storeStream(in, length, options, io.tusk.client.ProgressListener.NONE);
            } catch (RuntimeException e) {
                throw storeFailure(null, e);
            }
            metrics.stored(resultName(result.result()), length);
            Response response = Response.json(200, WalrusJson.storeResult(result.result()));
            if (result.chunked()) {
                response = response.header("X-Tusk-Chunks", String.valueOf(result.chunks().size()))
                        .header("X-Tusk-Chunks-Skipped", String.valueOf(result.chunksSkipped()));
            }
            return response;
        } catch (java.io.IOException e) {
            throw new ApiError(ErrorReason.MALFORMED_REQUEST, "the request body ended or failed before its "
                    + length + " bytes: " + e.getMessage());
        }
    }

    private static String resultName(StoreResult result) {
        return switch (result) {
            case StoreResult.NewlyCreated created -> "newly_created";
            case StoreResult.AlreadyCertified certified -> "already_certified";
        };
    }

    /** The store was refused because the blob ID is marked invalid. */
    private static final class MarkedInvalid extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient String blobId;
        final transient BlobStatus.Invalid status;

        MarkedInvalid(String blobId, BlobStatus.Invalid status) {
            super(null, null, false, false);
            this.blobId = blobId;
            this.status = status;
        }
    }

    /**
     * {@code PUT /v1/quilts}: a multipart/form-data body whose fields are the patches (field name = identifier, the
     * file = content) and an optional {@code _metadata} field, a JSON list of {@code {"identifier", "tags"}}; stored
     * as one quilt; answers {@code {"blobStoreResult", "storedQuiltBlobs": [{"identifier", "quiltPatchId",
     * "range"}]}}.
     */
    Response putQuilt(Request request) {
        StoreOptions options = storeOptions(request, QUILT_PARAMETERS);
        Optional<String> version = request.query("quilt_version");
        if (version.isPresent() && !version.get().equalsIgnoreCase("v1") && !version.get().equals("1")) {
            throw malformed("quilt_version must be v1 (the only quilt version), got '" + version.get() + "'");
        }
        String boundary = Multipart.boundary(request.contentType().orElse(null));
        try (RequestLimiter.Permit permit = limiter.acquire()) {
            List<QuiltPatch> patches = patches(Multipart.parse(request.bodyStream(), boundary));
            QuiltStoreResult result = timed(() -> client.storeQuilt(patches, options), null);
            metrics.stored(resultName(result.blobStoreResult()), patches.stream().mapToLong(QuiltPatch::size).sum());
            return Response.json(200, WalrusJson.quiltStoreResult(result));
        }
    }

    /** The patches of a quilt upload, with the tags of {@code _metadata}. */
    static List<QuiltPatch> patches(List<Multipart.Part> parts) {
        Map<String, Map<String, String>> tags = new LinkedHashMap<>();
        List<Multipart.Part> files = new ArrayList<>();
        boolean metadataSeen = false;
        for (Multipart.Part part : parts) {
            if (part.name().equals(METADATA_FIELD)) {
                if (metadataSeen) {
                    throw malformed("the multipart body has two _metadata fields");
                }
                metadataSeen = true;
                tags.putAll(metadata(part.data()));
            } else {
                files.add(part);
            }
        }
        if (files.isEmpty()) {
            throw malformed("a quilt needs at least one file field (curl -F identifier=@file)");
        }
        Set<String> identifiers = new java.util.HashSet<>();
        List<QuiltPatch> patches = new ArrayList<>();
        for (Multipart.Part file : files) {
            if (file.name().isEmpty() || file.name().startsWith("_")) {
                throw malformed("quilt identifier '" + file.name() + "' is empty or starts with '_' (reserved)");
            }
            if (!identifiers.add(file.name())) {
                throw malformed("quilt identifier '" + file.name() + "' appears twice; identifiers must be unique");
            }
            try {
                patches.add(new QuiltPatch(file.name(), file.data(), tags.getOrDefault(file.name(), Map.of())));
            } catch (IllegalArgumentException e) {
                throw malformed("quilt patch '" + file.name() + "': " + e.getMessage());
            }
        }
        for (String identifier : tags.keySet()) {
            if (!identifiers.contains(identifier)) {
                throw malformed("_metadata names identifier '" + identifier + "', which no file field has");
            }
        }
        return patches;
    }

    private static Map<String, Map<String, String>> metadata(byte[] json) {
        com.fasterxml.jackson.databind.JsonNode root;
        try {
            root = io.tusk.http.TuskJson.mapper().readTree(json);
        } catch (java.io.IOException e) {
            throw malformed("_metadata is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isArray()) {
            throw malformed("_metadata must be a JSON list of {\"identifier\": ..., \"tags\": {...}}");
        }
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (com.fasterxml.jackson.databind.JsonNode entry : root) {
            if (!entry.isObject() || !entry.path("identifier").isTextual()) {
                throw malformed("_metadata entry " + entry + " has no string \"identifier\"");
            }
            Map<String, String> tags = new LinkedHashMap<>();
            com.fasterxml.jackson.databind.JsonNode tagNode = entry.get("tags");
            if (tagNode != null && !tagNode.isNull()) {
                if (!tagNode.isObject()) {
                    throw malformed("_metadata tags of '" + entry.path("identifier").asText()
                            + "' must be an object of strings, got " + tagNode);
                }
                for (var tag : tagNode.properties()) {
                    if (!tag.getValue().isTextual()) {
                        throw malformed("_metadata tag '" + tag.getKey() + "' must be a string, got " + tag.getValue());
                    }
                    tags.put(tag.getKey(), tag.getValue().asText());
                }
            }
            if (out.put(entry.path("identifier").asText(), tags) != null) {
                throw malformed("_metadata names identifier '" + entry.path("identifier").asText() + "' twice");
            }
        }
        return out;
    }

    private StoreResult store(byte[] blob, StoreOptions options) {
        return timed(() -> client.store(blob, options), blob);
    }

    /** Runs a store within the store timeout, turning its failures into Walrus's errors. */
    private <T> T timed(java.util.concurrent.Callable<T> task, byte[] blob) {
        Future<T> store = stores.submit(task);
        try {
            return store.get(config.storeTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            store.cancel(true);
            throw new ApiError(ErrorReason.INSUFFICIENT_CONFIRMATIONS, "the store did not complete within "
                    + config.storeTimeoutMillis() + " ms (storage nodes too slow or unreachable); please retry");
        } catch (InterruptedException e) {
            store.cancel(true);
            Thread.currentThread().interrupt();
            throw new ApiError(ErrorReason.UNAVAILABLE, "the publisher is shutting down");
        } catch (ExecutionException e) {
            throw storeFailure(blob, e.getCause());
        }
    }

    private RuntimeException storeFailure(byte[] blob, Throwable cause) {
        return switch (cause) {
            case io.tusk.core.quilt.QuiltException quilt -> malformed("the files cannot form a quilt: "
                    + quilt.getMessage());
            case StoreException failed -> new ApiError(ErrorReason.INSUFFICIENT_CONFIRMATIONS, failed.getMessage()
                    + "; please retry");
            case ApiException refused when refused.is(ErrorReason.INSUFFICIENT_BALANCE) ->
                    new ApiError(ErrorReason.INTERNAL_ERROR, "the publisher's account " + ownAddress
                            + " cannot pay for this store: " + refused.getMessage());
            case ApiException refused -> {
                Optional<MarkedInvalid> invalid = blob == null ? Optional.empty() : markedInvalid(blob);
                if (invalid.isPresent()) {
                    yield invalid.get();
                }
                yield new ApiError(ErrorReason.INTERNAL_ERROR, "the control plane refused the store: "
                        + refused.getMessage());
            }
            case HttpTransportException unreachable -> new ApiError(ErrorReason.UNAVAILABLE,
                    "the control plane could not be reached: " + unreachable.getMessage() + "; please retry");
            default -> {
                LOG.error("store failed", cause);
                yield new ApiError(ErrorReason.INTERNAL_ERROR, "the store failed: " + cause.getMessage(), cause);
            }
        };
    }

    /** After a refused registration: whether the blob's ID is marked invalid (costs one encoding, rare path). */
    private Optional<MarkedInvalid> markedInvalid(byte[] blob) {
        try {
            EncodingConfig encoding = new EncodingConfig(client.committeeInfo().shardCount());
            BlobId blobId = new BlobEncoder(encoding).encode(blob).blobId();
            if (client.status(blobId).status() instanceof BlobStatus.Invalid invalid) {
                return Optional.of(new MarkedInvalid(blobId.toString(), invalid));
            }
        } catch (RuntimeException e) {
            LOG.warn("checking whether a refused blob is invalid failed: {}", e.getMessage());
        }
        return Optional.empty();
    }

    /** Walrus's store query, checked before the body is read. */
    private StoreOptions storeOptions(Request request, List<String> parameters) {
        request.rejectUnknownQuery(parameters.toArray(String[]::new));
        boolean permanent = request.queryBoolean("permanent", false);
        boolean deletable = request.queryBoolean("deletable", false);
        if (permanent && deletable) {
            throw new ApiError(ErrorReason.INVALID_BLOB_PERSISTENCE, "a blob cannot be both permanent and deletable");
        }
        boolean force = request.queryBoolean("force", false);
        request.queryBoolean("reuse_resources", false); // accepted; Tusk always registers from scratch
        Optional<String> encoding = request.query("encoding_type");
        if (encoding.isPresent() && !encoding.get().equals("RS2")) {
            throw malformed("encoding_type must be RS2 (the only encoding), got '" + encoding.get() + "'");
        }
        boolean share = request.queryBoolean("share", false);
        Optional<String> sendTo = request.query("send_object_to");
        if (share && sendTo.isPresent()) {
            throw malformed("send_object_to and share cannot both be given");
        }
        if (share) {
            throw malformed("share=true is not supported: Tusk has no shared blob objects; the blob object is owned "
                    + "by the publisher's account " + ownAddress);
        }
        if (sendTo.isPresent()) {
            Address address;
            try {
                address = Address.parse(sendTo.get());
            } catch (IllegalArgumentException e) {
                throw malformed("send_object_to '" + sendTo.get() + "' is not an address (0x + 64 hex digits): "
                        + e.getMessage());
            }
            if (!address.toString().equals(ownAddress)) {
                throw malformed("send_object_to is not supported: Tusk's control plane cannot transfer a blob object "
                        + "to another account (objects stay with the account that registered them, here the "
                        + "publisher's " + ownAddress + "); store with your own account through the Tusk CLI or SDK "
                        + "instead, or omit send_object_to");
            }
        }
        int epochs = epochs(request);
        return new StoreOptions(epochs, !permanent, force);
    }

    private int epochs(Request request) {
        Optional<String> text = request.query("epochs");
        if (text.isEmpty()) {
            return 1;
        }
        String value = text.get();
        EpochInfo epoch;
        try {
            epoch = client.control().epoch();
        } catch (ApiException | HttpTransportException e) {
            throw new ApiError(ErrorReason.UNAVAILABLE, "the control plane could not be reached: " + e.getMessage());
        }
        if (value.equals("max")) {
            return epoch.maxEpochsAhead();
        }
        if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw malformed("epochs must be a positive integer (or 'max'), got '" + value + "'");
        }
        long epochs = Long.parseLong(value);
        if (epochs < 1 || epochs > epoch.maxEpochsAhead()) {
            throw malformed("epochs must be between 1 and " + epoch.maxEpochsAhead() + " (the most epochs ahead the "
                    + "network accepts), got " + epochs);
        }
        return (int) epochs;
    }

    private static ApiError malformed(String message) {
        return new ApiError(ErrorReason.MALFORMED_REQUEST, message);
    }

    @Override
    public void close() {
        stores.shutdownNow();
    }
}
