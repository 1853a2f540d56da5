package io.tusk.gateway;

import io.tusk.client.BlobInvalidException;
import io.tusk.client.BlobNotFoundException;
import io.tusk.client.Manifest;
import io.tusk.node.client.NodeRequestException;
import io.tusk.client.TuskClient;
import io.tusk.control.api.BlobInfo;
import io.tusk.control.api.BlobObject;
import io.tusk.control.api.BlobStatus;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.encoding.ConsistencyCheck;
import io.tusk.core.encoding.InconsistentBlobException;
import io.tusk.core.encoding.NotEnoughSliversException;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.metadata.BlobId;
import io.tusk.http.ApiError;
import io.tusk.http.ApiException;
import io.tusk.http.HttpTransportException;
import io.tusk.http.Request;
import io.tusk.http.Response;

import io.tusk.client.WalrusJson;
import io.tusk.core.quilt.MalformedQuiltException;
import io.tusk.core.quilt.QuiltPatch;
import io.tusk.core.quilt.QuiltPatchId;
import io.tusk.core.quilt.QuiltPatchInfo;
import io.tusk.core.quilt.QuiltPatchNotFoundException;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The aggregator's reads: {@code GET}/{@code HEAD /v1/blobs/{blobId}} (with {@code Range}),
 * {@code /v1/blobs/{blobId}/byte-range}, {@code /v1/blobs/by-object-id/{objectId}}.
 *
 * <p>A read is served from the {@link BlobCache} when it can be; otherwise the blob's status is checked on the control
 * plane (404 unless certified, 451 if invalid, 403 if larger than the limit), or taken from the event stream when it
 * showed the blob certified ({@link CertifiedBlobs}), and it is read from the nodes through the client's verified
 * path, bounded by the cold-read limiter (429) and the read timeout (504), then cached.
 * {@code HEAD} of a blob that is not cached needs only its status: no node is asked.
 */
final class Aggregator implements AutoCloseable {
    static final String CACHE_CONTROL = "public, max-age=86400, stale-while-revalidate=3600";

    private final TuskClient client;
    private final BlobCache cache;
    private final CacheInvalidator invalidator;
    private final RequestLimiter limiter;
    private final GatewayConfig config;
    private final ExecutorService reads = Executors.newVirtualThreadPerTaskExecutor();
    private final java.util.concurrent.ConcurrentHashMap<ColdRead, CompletableFuture<byte[]>> coldReads =
            new java.util.concurrent.ConcurrentHashMap<>();
    /**
     * Memory for cold reads in KiB: a read holds twice its blob's size (the slivers plus the decoded blob) while it
     * runs, so many concurrent large reads wait instead of exhausting the heap.
     */
    private final Semaphore readMemoryKib;
    private final int readMemoryTotalKib;

    Aggregator(TuskClient client, BlobCache cache, CacheInvalidator invalidator, RequestLimiter limiter,
               GatewayConfig config) {
        this.client = client;
        this.cache = cache;
        this.invalidator = invalidator;
        this.limiter = limiter;
        this.config = config;
        this.readMemoryTotalKib = (int) Math.min(Integer.MAX_VALUE, Math.max(1, config.readMemoryBytes() >> 10));
        this.readMemoryKib = new Semaphore(readMemoryTotalKib, true);
    }

    // ------------------------------------------------------------------------------------------------ routes

    Response blob(Request request) {
        BlobId blobId = blobId(request.pathParam("blobId"));
        return serve(request, blobId, readOptions(request));
    }

    Response blobByObjectId(Request request) {
        String text = request.pathParam("objectId");
        ObjectId objectId;
        try {
            objectId = ObjectId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiError(ErrorReason.INVALID_ID_FORMAT, "'" + text + "' is not an object ID (0x + up to 64 "
                    + "hex digits): " + e.getMessage());
        }
        ConsistencyCheck check = readOptions(request);
        Optional<BlobObject> object = control(() -> client.control().object(objectId.toString()));
        if (object.isEmpty()) {
            throw new ApiError(ErrorReason.OBJECT_ID_RESOLUTION_FAILED, "no blob object " + objectId
                    + " exists (never created, or deleted)");
        }
        Response response = serve(request, BlobId.parse(object.get().blobId()), check);
        if (response.status() >= 300 && response.status() != 304) {
            return response;
        }
        // The object's attribute: allow-listed keys become headers (Walrus's aggregator), so a blob stored with a
        // content-type attribute serves a web page right.
        Optional<io.tusk.control.api.BlobAttribute> attribute = control(() -> client.control().attribute(objectId.toString()));
        return attribute.map(a -> AttributeHeaders.apply(response, a.pairs())).orElse(response);
    }

    Response byteRange(Request request) {
        BlobId blobId = blobId(request.pathParam("blobId"));
        for (String name : request.queryNames()) {
            if (!name.equals("start") && !name.equals("length") && !name.equals("strict_consistency_check")
                    && !name.equals("skip_consistency_check")) {
                throw new ApiError(ErrorReason.INVALID_BYTE_RANGE_QUERY, "unknown query parameter '" + name
                        + "'; byte-range takes start and length");
            }
        }
        long start = rangeParameter(request, "start");
        long length = rangeParameter(request, "length");
        if (length == 0) {
            throw new ApiError(ErrorReason.INVALID_BYTE_RANGE_QUERY, "length must be greater than 0");
        }
        ConsistencyCheck check = readOptions(request);
        byte[] data = fetch(blobId, check);
        Optional<Manifest> manifest = Manifest.parse(data);
        long size = manifest.map(Manifest::totalLength).orElse((long) data.length);
        if (start >= size || length > size - start) {
            throw new ApiError(ErrorReason.INVALID_BYTE_RANGE_QUERY, "start " + start + " and length " + length
                    + " reach past the end of blob " + blobId + " of " + size + " bytes");
        }
        String etag = "\"" + blobId + "-" + start + "-" + length + "\"";
        Response response = Response.stream(200, contentType(request), length, manifest.isPresent()
                ? out -> client.readRange(manifest.get(), start, length, out)
                : out -> out.write(data, (int) start, (int) length));
        return readHeaders(response, etag);
    }

    // ------------------------------------------------------------------------------------------------ quilts

    /** {@code GET /v1/blobs/by-quilt-patch-id/{patchId}}: the patch's bytes, read from its columns only. */
    Response quiltPatchById(Request request) {
        String text = request.pathParam("patchId");
        QuiltPatchId patchId;
        try {
            patchId = QuiltPatchId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiError(ErrorReason.INVALID_ID_FORMAT, "'" + text + "' is not a quilt patch ID (50 characters "
                    + "of URL-safe base64 without padding): " + e.getMessage());
        }
        readOptions(request);
        QuiltPatch patch = quiltRead(patchId.quiltId(), () -> client.readPatch(patchId));
        return patchResponse(request, patch, "\"" + patchId + "\"");
    }

    /** {@code GET /v1/blobs/by-quilt-id/{quiltId}/{identifier}}: the patch of that identifier. */
    Response quiltPatchByIdentifier(Request request) {
        BlobId quiltId = blobId(request.pathParam("quiltId"));
        String identifier = request.pathParam("identifier");
        readOptions(request);
        QuiltPatch patch = quiltRead(quiltId, () -> client.readPatch(quiltId, identifier));
        return patchResponse(request, patch, "\"" + quiltId + "\""); // as Walrus: ETags are per URL
    }

    /** {@code GET /v1/quilts/{quiltId}/patches}: {@code [{"identifier", "patch_id", "tags"}]} from the index. */
    Response quiltPatches(Request request) {
        BlobId quiltId = blobId(request.pathParam("quiltId"));
        readOptions(request);
        List<QuiltPatchInfo> patches = quiltRead(quiltId, () -> client.listPatches(quiltId));
        return Response.json(200, WalrusJson.quiltPatchItems(quiltId, patches))
                .header("Cache-Control", CACHE_CONTROL)
                .header("X-Content-Type-Options", "nosniff");
    }

    private Response patchResponse(Request request, QuiltPatch patch, String etag) {
        if (notModified(request, etag)) {
            return readHeaders(Response.empty(304), etag).header("X-Quilt-Patch-Identifier", patch.identifier());
        }
        byte[] data = patch.data();
        return withRange(request, request.header("Range"), data.length, etag, data)
                .header("X-Quilt-Patch-Identifier", patch.identifier());
    }

    /** A quilt read from the nodes: cold-read limiter, read timeout, quilt errors as 404 QUILT_PATCH_NOT_FOUND. */
    private <T> T quiltRead(BlobId quiltId, Callable<T> read) {
        try (RequestLimiter.Permit permit = limiter.acquire()) {
            requireCertified(quiltId);
            return timed(quiltId, read);
        }
    }

    // ------------------------------------------------------------------------------------------------ serving

    private Response serve(Request request, BlobId blobId, ConsistencyCheck check) {
        String etag = "\"" + blobId + "\"";
        boolean head = "HEAD".equals(request.method());
        if (notModified(request, etag)) {
            requireCertified(blobId); // a conditional request must not turn a deleted blob into a 304
            return readHeaders(Response.empty(304), etag);
        }
        Optional<String> rangeHeader = request.header("Range");
        if (head) {
            long size = cachedSize(blobId, check);
            if (size < 0) {
                size = certifiedSize(requireCertified(blobId));
            }
            if (Manifest.couldBe(size)) { // it may name a large file: HEAD answers the file's size
                Optional<Manifest> manifest = Manifest.parse(fetch(blobId, check));
                if (manifest.isPresent()) {
                    size = manifest.get().totalLength();
                }
            }
            return withRange(request, rangeHeader, size, etag, null);
        }
        byte[] data = fetch(blobId, check);
        Optional<Manifest> manifest = Manifest.parse(data);
        if (manifest.isPresent()) {
            return fileWithRange(request, rangeHeader, manifest.get(), etag);
        }
        return withRange(request, rangeHeader, data.length, etag, data);
    }

    /**
     * A large file named by its manifest: streamed chunk by chunk (two chunks held at most, none cached), the
     * first byte sent before the last chunk is fetched; {@code Range} selects the chunks it touches.
     */
    private Response fileWithRange(Request request, Optional<String> rangeHeader, Manifest manifest, String etag) {
        long size = manifest.totalLength();
        String type = contentType(request);
        if (rangeHeader.isEmpty()) {
            return readHeaders(Response.stream(200, type, size, out -> client.readRange(manifest, 0, size, out)), etag);
        }
        ByteRange range;
        try {
            range = ByteRange.parse(rangeHeader.get(), size);
        } catch (ByteRange.UnsatisfiableException e) {
            return GatewayErrors.response(ErrorReason.INVALID_BYTE_RANGE, e.getMessage())
                    .header("Content-Range", "bytes */" + size);
        }
        Response response = Response.stream(206, type, range.length(),
                out -> client.readRange(manifest, range.first(), range.length(), out));
        return readHeaders(response, etag).header("Content-Range", range.contentRange());
    }

    /** A 200 or 206 answer, or the 416 for an unsatisfiable range; {@code data} null for HEAD. */
    private Response withRange(Request request, Optional<String> rangeHeader, long size, String etag, byte[] data) {
        String type = contentType(request);
        if (rangeHeader.isEmpty()) {
            Response response = Response.stream(200, type, size, data == null ? out -> { } : out -> out.write(data));
            return readHeaders(response, etag);
        }
        ByteRange range;
        try {
            range = ByteRange.parse(rangeHeader.get(), size);
        } catch (ByteRange.UnsatisfiableException e) {
            return GatewayErrors.response(ErrorReason.INVALID_BYTE_RANGE, e.getMessage())
                    .header("Content-Range", "bytes */" + size);
        }
        Response response = Response.stream(206, type, range.length(), data == null ? out -> { }
                : out -> out.write(data, (int) range.first(), (int) range.length()));
        return readHeaders(response, etag).header("Content-Range", range.contentRange());
    }

    private static Response readHeaders(Response response, String etag) {
        return response.header("ETag", etag)
                .header("Cache-Control", CACHE_CONTROL)
                .header("X-Content-Type-Options", "nosniff")
                .header("Accept-Ranges", "bytes");
    }

    private static boolean notModified(Request request, String etag) {
        Optional<String> ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch.isEmpty()) {
            return false;
        }
        for (String candidate : ifNoneMatch.get().split(",")) {
            String tag = candidate.strip();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag) || tag.equals("*") || tag.equals(etag.substring(1, etag.length() - 1))) {
                return true;
            }
        }
        return false;
    }

    /**
     * As Walrus does: the request's {@code Accept} if it names one type without wildcards, else its
     * {@code Content-Type} (on GET), else none, and {@code nosniff} keeps browsers from guessing.
     */
    static String contentType(Request request) {
        Optional<String> accept = request.header("Accept");
        if (accept.isPresent() && !accept.get().isBlank() && !accept.get().contains("*")) {
            return accept.get();
        }
        if ("GET".equals(request.method())) {
            return request.header("Content-Type").orElse(null);
        }
        return null;
    }

    /** The cached blob's size if it may be served from the cache, else -1. */
    private long cachedSize(BlobId blobId, ConsistencyCheck check) {
        byte[] cached = cached(blobId, check);
        return cached == null ? -1 : cached.length;
    }

    /**
     * The blob's bytes: from the cache, else read and verified from the nodes (and then cached). Concurrent cold reads
     * of one blob share one read from the nodes: 600 clients asking at once for a blob that is not cached cost one
     * read's memory and requests, not 600.
     */
    byte[] fetch(BlobId blobId, ConsistencyCheck check) {
        byte[] cached = cached(blobId, check);
        if (cached != null) {
            return cached;
        }
        ColdRead key = new ColdRead(blobId, check);
        CompletableFuture<byte[]> mine = new CompletableFuture<>();
        CompletableFuture<byte[]> running = coldReads.putIfAbsent(key, mine);
        if (running != null) {
            return join(blobId, running);
        }
        try {
            byte[] data = fetchFromNodes(blobId, check);
            mine.complete(data);
            return data;
        } catch (RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            coldReads.remove(key, mine);
        }
    }

    /** A cold read in flight: one per blob and consistency check. */
    private record ColdRead(BlobId blobId, ConsistencyCheck check) {
    }

    /** Waits for another request's read of the same blob, as long as a read of its own could take. */
    private byte[] join(BlobId blobId, CompletableFuture<byte[]> running) {
        try {
            return running.get(config.readTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ApiError(ErrorReason.NODES_TIMED_OUT, "the storage nodes did not deliver blob " + blobId
                    + " within " + config.readTimeoutMillis() + " ms; please retry");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiError(ErrorReason.UNAVAILABLE, "the aggregator is shutting down");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException failure ? failure
                    : new ApiError(ErrorReason.INTERNAL_ERROR, "reading blob " + blobId + " failed: " + e.getCause());
        }
    }

    private byte[] fetchFromNodes(BlobId blobId, ConsistencyCheck check) {
        try (RequestLimiter.Permit permit = limiter.acquire()) {
            long ticket = cache.ticket();
            ReadAdmission admission = new ReadAdmission(blobId);
            byte[] data;
            int endEpoch;
            try {
                Optional<CertifiedBlobs.Known> known = invalidator.certified(blobId);
                if (known.isPresent()) {
                    // The event stream showed it certified (and not deleted, invalidated or expired since): admitted
                    // on what the stream said, and read with no status query at all, which on a busy machine costs
                    // about as much as the rest of a small read.
                    admission.admit(known.get().size());
                    endEpoch = known.get().endEpoch();
                    data = timed(blobId, () -> client.readCertified(blobId, check));
                } else {
                    // The SDK asks the control plane for the status while it fetches the metadata; the admission sees
                    // the answer before any sliver is checked or decoded (the first sliver answers, at most 4 MiB a
                    // holder, may be on their way), so a cold read costs no status query of the gateway's own.
                    data = timed(blobId, () -> client.read(blobId, check, admission));
                    endEpoch = certifiedEndEpoch(admission.info);
                }
            } finally {
                admission.release();
            }
            if (check != ConsistencyCheck.SKIP && data.length <= config.maxCachedBlobBytes()) {
                // only fully verified data is cached, and only blobs small enough
                cache.put(blobId, data, endEpoch, ticket);
            }
            return data;
        }
    }

    /** Refuses blobs over the size limit and reserves read memory (twice the size) until {@link #release}. */
    private final class ReadAdmission implements java.util.function.Consumer<BlobInfo> {
        private final BlobId blobId;
        private volatile BlobInfo info;
        private volatile int reservedKib;

        ReadAdmission(BlobId blobId) {
            this.blobId = blobId;
        }

        @Override
        public void accept(BlobInfo certified) {
            admit(certifiedSize(certified));
            info = certified;
        }

        /** Refuses a blob of {@code size} bytes over the limit, else reserves its read memory. */
        void admit(long size) {
            if (size > config.maxBlobBytes()) {
                throw new ApiError(ErrorReason.BLOB_TOO_LARGE, "blob " + blobId + " has " + size
                        + " bytes, more than this aggregator serves (" + config.maxBlobBytes() + ")");
            }
            int kib = (int) Math.min(readMemoryTotalKib, 2 * (size >> 10) + 1);
            try {
                readMemoryKib.acquire(kib);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ApiError(ErrorReason.UNAVAILABLE, "the aggregator is shutting down");
            }
            reservedKib = kib;
        }

        void release() {
            readMemoryKib.release(reservedKib);
            reservedKib = 0;
        }
    }

    /** The cached bytes if they may be served: confirmed and the event stream is being followed. */
    private byte[] cached(BlobId blobId, ConsistencyCheck check) {
        if (check == ConsistencyCheck.STRICT) {
            return null; // a strict read re-encodes the data it fetched; the cache holds default-checked data
        }
        BlobCache.Entry entry = cache.get(blobId);
        if (entry == null) {
            return null;
        }
        if (entry.confirmed() && invalidator.isFresh()) {
            return entry.data();
        }
        // From before a restart, or the event stream is stale: one status check on the control plane.
        BlobInfo info;
        try {
            info = client.control().blob(blobId);
        } catch (RuntimeException unreachable) {
            return null; // let the normal path report it
        }
        if (isCertified(info.status())) {
            cache.confirm(blobId, entry, certifiedEndEpoch(info));
            return entry.data();
        }
        cache.evict(blobId);
        return null;
    }

    private <T> T timed(BlobId blobId, Callable<T> task) {
        Future<T> read = reads.submit(task);
        try {
            return read.get(config.readTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            read.cancel(true);
            throw new ApiError(ErrorReason.NODES_TIMED_OUT, "the storage nodes did not deliver blob " + blobId
                    + " within " + config.readTimeoutMillis() + " ms; please retry");
        } catch (InterruptedException e) {
            read.cancel(true);
            Thread.currentThread().interrupt();
            throw new ApiError(ErrorReason.UNAVAILABLE, "the aggregator is shutting down");
        } catch (ExecutionException e) {
            throw readFailure(blobId, e.getCause());
        }
    }

    private static RuntimeException readFailure(BlobId blobId, Throwable cause) {
        return switch (cause) {
            case ApiError refused -> refused; // the gateway's own admission refused the read
            case QuiltPatchNotFoundException missing -> new ApiError(ErrorReason.QUILT_PATCH_NOT_FOUND,
                    missing.getMessage());
            case MalformedQuiltException malformed -> new ApiError(ErrorReason.QUILT_PATCH_NOT_FOUND, "blob " + blobId
                    + " holds no such quilt patch: " + malformed.getMessage());
            case BlobNotFoundException notFound -> new ApiError(ErrorReason.BLOB_NOT_FOUND, notFound.getMessage());
            case BlobInvalidException invalid -> invalid(blobId);
            case InconsistentBlobException inconsistent -> new ApiError(ErrorReason.BLOB_INVALID, "blob " + blobId
                    + " is inconsistently encoded: " + inconsistent.getMessage());
            case NotEnoughSliversException few -> new ApiError(ErrorReason.BLOB_UNAVAILABLE, few.getMessage()
                    + "; please retry");
            case NodeRequestException node -> new ApiError(ErrorReason.BLOB_UNAVAILABLE, node.getMessage()
                    + "; please retry");
            case ApiException control -> controlFailure(blobId, control);
            case HttpTransportException control -> controlFailure(blobId, control);
            default -> new ApiError(ErrorReason.BLOB_READ_FAILED, "reading blob " + blobId + " failed: "
                    + cause.getMessage(), cause);
        };
    }

    private static ApiError controlFailure(BlobId blobId, RuntimeException e) {
        return new ApiError(ErrorReason.BLOB_UNAVAILABLE, "the control plane could not be asked about blob " + blobId
                + ": " + e.getMessage() + "; please retry");
    }

    // ------------------------------------------------------------------------------------------------ status

    /** The blob's status; throws 404 unless a certified object lives, 451 if it is invalid. */
    private BlobInfo requireCertified(BlobId blobId) {
        BlobInfo info = control(() -> client.control().blob(blobId));
        BlobStatus status = info.status();
        if (status instanceof BlobStatus.Invalid) {
            throw invalid(blobId);
        }
        if (!isCertified(status)) {
            throw new ApiError(ErrorReason.BLOB_NOT_FOUND, "blob " + blobId + (status instanceof BlobStatus.Nonexistent
                    ? " does not exist (never stored, expired or deleted)" : " is registered but not yet certified"));
        }
        return info;
    }

    private static ApiError invalid(BlobId blobId) {
        return new ApiError(ErrorReason.BLOB_INVALID, "blob " + blobId + " was marked invalid (it was inconsistently "
                + "encoded): it has no content and never will");
    }

    static boolean isCertified(BlobStatus status) {
        return switch (status) {
            case BlobStatus.Permanent p -> p.isCertified(); // as TuskClient.read decides
            case BlobStatus.Deletable d -> d.initialCertifiedEpoch() != null;
            default -> false;
        };
    }

    private static long certifiedSize(BlobInfo info) {
        return info.objects().stream().filter(o -> o.certifiedEpoch() != null).mapToLong(BlobObject::size)
                .findFirst().orElseGet(() -> info.objects().isEmpty() ? 0 : info.objects().getFirst().size());
    }

    private static int certifiedEndEpoch(BlobInfo info) {
        return info.objects().stream().filter(o -> o.certifiedEpoch() != null)
                .mapToInt(o -> o.storage().endEpoch()).max().orElse(0);
    }

    private static <T> T control(Callable<T> call) {
        try {
            return call.call();
        } catch (ApiException | HttpTransportException e) {
            throw new ApiError(ErrorReason.BLOB_UNAVAILABLE, "the control plane could not be asked: "
                    + e.getMessage() + "; please retry");
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------ parameters

    static BlobId blobId(String text) {
        try {
            return BlobId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ApiError(ErrorReason.INVALID_ID_FORMAT, "'" + text + "' is not a blob ID (43 characters of "
                    + "URL-safe base64 without padding): " + e.getMessage());
        }
    }

    /** {@code strict_consistency_check} and {@code skip_consistency_check}: at most one. */
    static ConsistencyCheck readOptions(Request request) {
        boolean strict = request.queryBoolean("strict_consistency_check", false);
        boolean skip = request.queryBoolean("skip_consistency_check", false);
        if (strict && skip) {
            throw new ApiError(ErrorReason.INVALID_CONSISTENCY_CHECK, "strict_consistency_check and "
                    + "skip_consistency_check cannot both be set");
        }
        return strict ? ConsistencyCheck.STRICT : skip ? ConsistencyCheck.SKIP : ConsistencyCheck.DEFAULT;
    }

    private static long rangeParameter(Request request, String name) {
        Optional<String> value = request.query(name);
        if (value.isEmpty()) {
            throw new ApiError(ErrorReason.INVALID_BYTE_RANGE_QUERY, "byte-range needs the query parameter '" + name
                    + "'");
        }
        String text = value.get();
        if (text.isEmpty() || text.length() > 18 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new ApiError(ErrorReason.INVALID_BYTE_RANGE_QUERY, name + " must be a non-negative integer, got '"
                    + text + "'");
        }
        return Long.parseLong(text);
    }

    @Override
    public void close() {
        reads.shutdownNow();
    }
}
