package io.tusk.node.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.metadata.BlobId;
import io.tusk.http.ApiError;
import io.tusk.http.HttpRejection;
import io.tusk.http.HttpServerBuilder;
import io.tusk.http.Request;
import io.tusk.http.Response;
import io.tusk.http.RouteHandler;
import io.tusk.http.RouteOptions;
import io.tusk.node.service.CommitteeView;
import io.tusk.node.service.NodeException;
import io.tusk.node.service.SliverWrites;
import io.tusk.node.service.StorageService;
import io.tusk.node.client.SymbolId;
import io.tusk.node.service.WriteOutcome;
import io.tusk.node.shards.ShardManager;

import java.util.List;
import java.util.Optional;

/**
 * The Walrus storage-node REST API (walrus-node-api.md §2) over {@link StorageService}: one handler per route,
 * registered on the shared server stack. tusk-http matches the routes (unknown route 404, wrong method 405) and
 * refuses bad path parameters and queries as 400 text, as Walrus's framework (axum) does; handler errors are AIP-193
 * JSON in the {@code storage.walrus.space} domain. Thread-safe.
 */
final class NodeRoutes {
    /** axum's default body limit, which Walrus keeps for metadata. */
    static final long METADATA_BODY_LIMIT = 2L << 20;
    /** A sync_shard request is one signed message of 55 bytes plus its signature. */
    static final long SYNC_SHARD_BODY_LIMIT = 64 * 1024;
    /**
     * The transport-level cap on bodies. The node's own limits are tighter and depend on the committee (a sliver's
     * largest size), so the handlers apply them; only bodies past this cap get refused before the handler runs.
     */
    static final long TRANSPORT_BODY_LIMIT = Sliver.MAX_SLIVER_BYTES + 1024L;

    private static final String BLOB = "/v1/blobs/{blob_id}";
    private static final String SLIVER = BLOB + "/slivers/{sliver_pair_index}/{sliver_type}";
    /** Tusk's batch read, beside Walrus's per-sliver route: one round trip for many slivers of one blob. */
    private static final String SLIVERS = BLOB + "/slivers/{sliver_type}";
    /** The most sliver bytes one batch answer holds; a client asks again for the rest. */
    static final long MAX_BATCH_BYTES = 16L << 20;

    private final StorageService service;
    private final ShardManager shards; // null: this node does not serve shard sync
    private final long startNanos = System.nanoTime();

    NodeRoutes(StorageService service, ShardManager shards) {
        this.service = service;
        this.shards = shards;
    }

    /** Registers every Walrus node route on {@code server}. */
    HttpServerBuilder register(HttpServerBuilder server) {
        RouteOptions body = RouteOptions.maxBody(TRANSPORT_BODY_LIMIT);
        return server
                .get("/v1/health", refusals(this::health))
                .get(BLOB + "/metadata", refusals(request -> Response.bcs(service.getMetadata(blobId(request)))))
                .put(BLOB + "/metadata", body, refusals(this::putMetadata))
                .get(BLOB + "/metadata/status", refusals(request ->
                        success(NodeJson.text(service.metadataStatus(blobId(request)).wireName()))))
                .get(SLIVER, refusals(this::getSliver))
                .put(SLIVER, body, refusals(this::putSliver))
                .get(SLIVER + "/status", refusals(this::sliverStatus))
                .get(SLIVERS, refusals(this::getSlivers))
                .put(SLIVERS, RouteOptions.maxBody(MAX_BATCH_BYTES), refusals(this::putSlivers))
                .get(BLOB + "/confirmation/permanent",
                        refusals(request -> confirmation(request, blobId(request), null)))
                .get(BLOB + "/confirmation/deletable/{object_id}", refusals(request -> {
                    BlobId blobId = blobId(request);
                    return confirmation(request, blobId, request.pathParam("object_id", ObjectId::parse));
                }))
                .get(BLOB + "/status",
                        refusals(request -> success(NodeJson.blobStatus(service.blobStatus(blobId(request))))))
                .get(BLOB + "/recoverySymbols", refusals(this::recoverySymbols))
                .get(BLOB + "/decodingSymbols", refusals(this::decodingSymbols))
                .post("/v1/migrate/sync_shard", body, refusals(this::syncShard))
                .post(BLOB + "/inconsistencyProof/{sliver_type}", body, refusals(this::inconsistencyProof));
    }

    /**
     * Answers the service's refusals ({@link NodeException}) as AIP-193 errors. Requests are measured by the server
     * ({@code tusk_http_server_requests} by route template and status).
     */
    private static RouteHandler refusals(RouteHandler handler) {
        return request -> {
            try {
                return handler.handle(request);
            } catch (NodeException e) {
                throw new ApiError(e.reason(), e.getMessage());
            }
        };
    }

    // ---- handlers ----

    private Response putMetadata(Request request) {
        BlobId blobId = blobId(request);
        boolean pending = pending(request);
        String contentType = request.contentType().orElse(null);
        if (contentType != null && !contentType.split(";", 2)[0].trim().equalsIgnoreCase(Response.OCTET_STREAM)) {
            throw new NodeException(ErrorReason.INVALID_CONTENT_TYPE, "expected content type " + Response.OCTET_STREAM
                    + ", got " + contentType);
        }
        byte[] body;
        try {
            body = request.body(METADATA_BODY_LIMIT);
        } catch (HttpRejection e) {
            // Walrus's metadata extractor reports an over-limit body as a content problem, not 413.
            throw new NodeException(ErrorReason.INVALID_CONTENT_TYPE, e.text());
        }
        WriteOutcome outcome = service.writes().putMetadata(blobId, body, pending);
        String message = switch (outcome) {
            case STORED -> "metadata successfully stored";
            case ALREADY_STORED -> "metadata already stored";
            case BUFFERED -> "metadata buffered pending registration";
        };
        return Response.success(outcome.httpCode(), NodeJson.text(message));
    }

    private Response getSliver(Request request) {
        BlobId blobId = blobId(request);
        int pair = request.pathParamU16("sliver_pair_index");
        SliverType type = request.pathParam("sliver_type", NodeRoutes::sliverType);
        return Response.bcs(service.getSliver(blobId, pair, type));
    }

    /**
     * {@code ?pair=3&pair=7[&max_bytes=65536]}: the slivers of those pairs that this node serves, BCS
     * {@code vec<SliverData>}, within the smaller of {@code max_bytes} and {@link #MAX_BATCH_BYTES}. A client that asks
     * before it knows the blob's size (so before it can size its batches) bounds the answer with {@code max_bytes}.
     */
    private Response getSlivers(Request request) {
        BlobId blobId = blobId(request);
        SliverType type = request.pathParam("sliver_type", NodeRoutes::sliverType);
        request.rejectUnknownQuery("pair", "max_bytes");
        List<Integer> pairs = request.queryAll("pair", NodeRoutes::u16);
        long maxBytes = Math.min(MAX_BATCH_BYTES, request.query("max_bytes", NodeRoutes::u64).orElse(MAX_BATCH_BYTES));
        return Response.bcs(service.getSlivers(blobId, type, pairs, maxBytes));
    }

    /**
     * Tusk's batch write, beside Walrus's per-sliver route: BCS {@code vec<SliverData>} of one type, each sliver
     * checked and stored exactly as if PUT alone (a refused one ends the batch with its error; those before it stay
     * stored). One round trip instead of one per sliver, which is most of a small blob's store. At most one sliver
     * per pair of the committee and {@link #MAX_BATCH_BYTES} in all; answers 202 if any was buffered pending the
     * registration, 201 if any was stored, 200 if all were there already.
     */
    private Response putSlivers(Request request) {
        BlobId blobId = blobId(request);
        SliverType type = request.pathParam("sliver_type", NodeRoutes::sliverType);
        boolean pending = pending(request);
        CommitteeView view = service.state().view();
        int shards = view.isKnown() ? view.shardCount() : 65_535;
        byte[] body = request.body(MAX_BATCH_BYTES);
        List<Sliver> slivers = new java.util.ArrayList<>();
        try {
            io.tusk.core.bcs.BcsReader reader = new io.tusk.core.bcs.BcsReader(body);
            long count = reader.uleb128(shards);
            for (long i = 0; i < count; i++) {
                slivers.add(Sliver.readBcs(type, reader));
            }
            reader.expectEnd();
        } catch (IllegalArgumentException e) {
            throw new NodeException(ErrorReason.INVALID_CONTENT_TYPE,
                    "the body is not a BCS vector of at most " + shards + " SliverData: " + e.getMessage());
        }
        int[] outcomes = new int[WriteOutcome.values().length];
        // One upload for the request: the blob's metadata and registration are looked up once, not per sliver.
        SliverWrites.Upload upload = service.writes().upload(blobId, pending);
        for (Sliver sliver : slivers) {
            if (sliver.index() >= shards) {
                throw new NodeException(ErrorReason.SLIVER_INDEX_MISMATCH, "sliver index " + sliver.index()
                        + " is not below the committee's " + shards + " shards");
            }
            int pair = type.pairIndex(sliver.index(), shards);
            outcomes[upload.putSliver(pair, sliver).ordinal()]++;
        }
        int stored = outcomes[WriteOutcome.STORED.ordinal()];
        int already = outcomes[WriteOutcome.ALREADY_STORED.ordinal()];
        int buffered = outcomes[WriteOutcome.BUFFERED.ordinal()];
        WriteOutcome overall = buffered > 0 ? WriteOutcome.BUFFERED
                : stored > 0 ? WriteOutcome.STORED : WriteOutcome.ALREADY_STORED;
        return Response.success(overall.httpCode(), NodeJson.text(stored + " slivers stored, " + already
                + " already stored, " + buffered + " buffered pending registration"));
    }

    private Response sliverStatus(Request request) {
        BlobId blobId = blobId(request);
        int pair = request.pathParamU16("sliver_pair_index");
        SliverType type = request.pathParam("sliver_type", NodeRoutes::sliverType);
        return success(NodeJson.text(service.sliverStatus(blobId, pair, type).wireName()));
    }

    private Response putSliver(Request request) {
        BlobId blobId = blobId(request);
        int pair = request.pathParamU16("sliver_pair_index");
        SliverType type = request.pathParam("sliver_type", NodeRoutes::sliverType);
        boolean pending = pending(request);
        byte[] body = request.body(sliverBodyLimit(service.state().view()));
        WriteOutcome outcome = service.writes().putSliver(blobId, pair, type, body, pending);
        String message = switch (outcome) {
            case STORED -> "sliver stored successfully";
            case ALREADY_STORED -> "sliver already stored";
            case BUFFERED -> "sliver buffered pending registration";
        };
        return Response.success(outcome.httpCode(), NodeJson.text(message));
    }

    /** The largest sliver of {@code n} shards (the longer axis at the largest symbol size) plus 128 bytes. */
    static long sliverBodyLimit(CommitteeView view) {
        if (!view.isKnown()) {
            return Sliver.MAX_SLIVER_BYTES;
        }
        EncodingConfig config = view.encodingConfig();
        int symbols = Math.max(config.symbolsPerSliver(SliverType.PRIMARY),
                config.symbolsPerSliver(SliverType.SECONDARY));
        return (long) symbols * EncodingConfig.MAX_SYMBOL_SIZE + 128;
    }

    /** §2.7: unknown query keys are ignored; the wait is capped by the service. */
    private Response confirmation(Request request, BlobId blobId, ObjectId objectId) throws InterruptedException {
        boolean wait = request.queryBoolean("wait_for_registration", false);
        long waitMillis = request.query("wait_millis", NodeRoutes::u64).orElse(StorageService.DEFAULT_WAIT_MILLIS);
        return success(NodeJson.confirmation(service.confirmations().confirmation(blobId, objectId, wait, waitMillis)));
    }

    private Response recoverySymbols(Request request) {
        BlobId blobId = blobId(request);
        SliverType proofAxis = request.query("proofAxis", NodeRoutes::sliverType).orElse(null);
        List<SymbolId> ids = request.queryAll("id", SymbolId::parse);
        if (!ids.isEmpty()) {
            return Response.bcs(service.symbols().recoverySymbols(blobId, ids, proofAxis));
        }
        Optional<String> target = request.query("targetSliver");
        if (target.isPresent() && request.query("targetType").isPresent()) {
            int targetSliver = request.queryRequired("targetSliver", NodeRoutes::u16);
            SliverType targetType = request.queryRequired("targetType", NodeRoutes::sliverType);
            return Response.bcs(service.symbols().recoverySymbolsForTarget(blobId, targetSliver, targetType, proofAxis));
        }
        throw HttpRejection.badRequest("Failed to deserialize query string: expected `id` or `targetSliver` and "
                + "`targetType`");
    }

    private Response decodingSymbols(Request request) {
        BlobId blobId = blobId(request);
        SliverType type = request.queryRequired("targetType", NodeRoutes::sliverType);
        List<Integer> targets = request.queryAll("targetSlivers", NodeRoutes::u16);
        return Response.bcs(service.symbols().decodingSymbols(blobId, targets, type));
    }

    private Response inconsistencyProof(Request request) {
        BlobId blobId = blobId(request);
        SliverType type = request.pathParam("sliver_type", NodeRoutes::sliverType);
        byte[] body = request.body(2 * sliverBodyLimit(service.state().view()));
        return success(NodeJson.signed(service.confirmations().inconsistencyProof(blobId, type, body)));
    }

    /** §2.13: the Authorization header is the caller's BLS key (std base64, no scheme); missing 401, invalid 400. */
    private Response syncShard(Request request) {
        String auth = request.header("Authorization").orElseThrow(() ->
                new HttpRejection(401, "missing Authorization header"));
        BlsPublicKey caller;
        try {
            caller = BlsPublicKey.fromBase64(auth.trim());
        } catch (IllegalArgumentException e) {
            throw HttpRejection.badRequest("invalid Authorization header: " + e.getMessage());
        }
        byte[] body = request.body(SYNC_SHARD_BODY_LIMIT);
        if (shards == null) {
            throw new NodeException(ErrorReason.UNAVAILABLE, "this node does not serve shard sync");
        }
        return Response.bcs(shards.serveSyncShard(caller, body));
    }

    private Response health(Request request) {
        boolean detailed = request.queryBoolean("detailed", false);
        ObjectNode data = NodeJson.health(System.nanoTime() - startNanos, service.state().view(),
                service.publicKey().toBase64(), service.store().eventCursor(), service.store().storedShards(),
                detailed);
        NodeJson.putStoreHealth(data.putObject("store"), service.store().health().snapshot());
        return success(data);
    }

    // ---- parameters ----

    private static Response success(Object data) {
        return Response.success(200, data);
    }

    private static BlobId blobId(Request request) {
        return request.pathParam("blob_id", BlobId::parse);
    }

    /** {@code ?pending=true|false}; any other key is refused, as Walrus's query struct denies unknown fields. */
    private static boolean pending(Request request) {
        request.rejectUnknownQuery("pending");
        return request.queryBoolean("pending", false);
    }

    /** serde's variant names for Walrus's {@code SliverType}: exactly {@code primary} or {@code secondary}. */
    static SliverType sliverType(String text) {
        return switch (text) {
            case "primary" -> SliverType.PRIMARY;
            case "secondary" -> SliverType.SECONDARY;
            default -> throw new IllegalArgumentException("unknown variant `" + text
                    + "`, expected `primary` or `secondary`");
        };
    }

    static int u16(String text) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("invalid digit found in string");
        }
        int value = Integer.parseInt(text);
        if (value > 0xFFFF) {
            throw new IllegalArgumentException("number too large to fit in target type");
        }
        return value;
    }

    /** A Walrus {@code u64}; values past {@code Long.MAX_VALUE} (about 292 million years of millis) saturate. */
    static long u64(String text) {
        try {
            if (text.isEmpty() || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new NumberFormatException(text);
            }
            long value = Long.parseUnsignedLong(text);
            return value < 0 ? Long.MAX_VALUE : value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("invalid digit");
        }
    }
}
