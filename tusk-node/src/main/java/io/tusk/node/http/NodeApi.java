package io.tusk.node.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.tusk.core.api.ErrorDomains;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.messages.SignedMessage;
import io.tusk.core.metadata.BlobId;
import io.tusk.node.service.CommitteeView;
import io.tusk.node.service.NodeException;
import io.tusk.node.service.NodeMetrics;
import io.tusk.node.service.StorageService;
import io.tusk.node.service.StoredState;
import io.tusk.node.service.SymbolId;
import io.tusk.node.service.WriteOutcome;
import io.tusk.node.store.BlobStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The Walrus storage-node REST API (walrus-node-api.md §2) over {@link StorageService}: routing, path and query
 * parsing, body limits, and the JSON and BCS answers. Independent of the HTTP server, so it can be tested directly.
 *
 * <p>Handler errors are AIP-193 JSON in the {@code storage.walrus.space} domain; framework rejections (bad path
 * parameter or query, unknown route, wrong method, body over the limit) are plain text, as §0 specifies.
 * Thread-safe.
 */
public final class NodeApi {
    private static final Logger LOG = LoggerFactory.getLogger(NodeApi.class);
    /** axum's default body limit, which Walrus keeps for metadata. */
    static final long METADATA_BODY_LIMIT = 2L << 20;
    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final StorageService service;
    private final NodeMetrics metrics;
    private final PrometheusMeterRegistry prometheus;
    private final long startNanos = System.nanoTime();

    public NodeApi(StorageService service, NodeMetrics metrics, PrometheusMeterRegistry prometheus) {
        this.service = service;
        this.metrics = metrics;
        this.prometheus = prometheus;
    }

    private volatile io.tusk.node.shards.ShardManager shards;

    /** Enables {@code POST /v1/migrate/sync_shard}; without it the route answers 503. */
    public void setShardManager(io.tusk.node.shards.ShardManager shards) {
        this.shards = shards;
    }

    /** §2.13: the Authorization header is the caller's BLS key (std base64, no scheme); missing 401, invalid 400. */
    private HttpResult syncShard(ApiRequest request) {
        String auth = request.header("Authorization");
        if (auth == null) {
            throw new RequestRejected(401, "missing Authorization header");
        }
        io.tusk.core.crypto.BlsPublicKey caller;
        try {
            caller = io.tusk.core.crypto.BlsPublicKey.fromBase64(auth.trim());
        } catch (IllegalArgumentException e) {
            throw new RequestRejected(400, "invalid Authorization header: " + e.getMessage());
        }
        byte[] body;
        try {
            body = request.body(64 * 1024);
        } catch (ApiRequest.BodyTooLargeException e) {
            throw new RequestRejected(413, e.getMessage());
        }
        io.tusk.node.shards.ShardManager manager = shards;
        if (manager == null) {
            throw new NodeException(ErrorReason.UNAVAILABLE, "this node does not serve shard sync");
        }
        return HttpResult.bcs(manager.serveSyncShard(caller, body));
    }

    /** Answers one request; never throws. */
    public HttpResult handle(ApiRequest request) {
        long start = System.nanoTime();
        String[] route = {"unmatched"};
        HttpResult result;
        try {
            result = route(request, route);
        } catch (NodeException e) {
            result = error(e.reason(), e.getMessage());
        } catch (RequestRejected e) {
            result = HttpResult.text(e.status(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            result = internalError(e);
        } catch (RuntimeException e) {
            result = internalError(e);
        }
        metrics.request(request.method(), route[0], result.status(), Duration.ofNanos(System.nanoTime() - start));
        return result;
    }

    private HttpResult route(ApiRequest request, String[] routeName) throws InterruptedException {
        String method = request.method();
        String[] s = request.path().split("/", -1);
        // s[0] is the empty string before the leading slash.
        if (s.length == 3 && s[1].equals("v1") && s[2].equals("health")) {
            routeName[0] = "/v1/health";
            requireMethod(method, "GET");
            return health(request);
        }
        if (s.length == 2 && s[1].equals("metrics")) {
            routeName[0] = "/metrics";
            requireMethod(method, "GET");
            return new HttpResult(200, "text/plain; version=0.0.4; charset=utf-8",
                    prometheus.scrape().getBytes(StandardCharsets.UTF_8));
        }
        if (s.length == 4 && s[1].equals("v1") && s[2].equals("migrate") && s[3].equals("sync_shard")) {
            routeName[0] = "/v1/migrate/sync_shard";
            requireMethod(method, "POST");
            return syncShard(request);
        }
        if (s.length < 5 || !s[1].equals("v1") || !s[2].equals("blobs")) {
            return HttpResult.empty(404);
        }
        String tail = String.join("/", java.util.Arrays.copyOfRange(s, 4, s.length));
        switch (tail) {
            case "metadata" -> {
                routeName[0] = "/v1/blobs/{blob_id}/metadata";
                requireMethod(method, "GET", "PUT");
                BlobId blobId = blobId(s[3]);
                return method.equals("GET") ? HttpResult.bcs(service.getMetadata(blobId))
                        : putMetadata(request, blobId);
            }
            case "metadata/status" -> {
                routeName[0] = "/v1/blobs/{blob_id}/metadata/status";
                requireMethod(method, "GET");
                return success(200, JSON.textNode(service.metadataStatus(blobId(s[3])).wireName()));
            }
            case "status" -> {
                routeName[0] = "/v1/blobs/{blob_id}/status";
                requireMethod(method, "GET");
                return success(200, blobStatus(service.blobStatus(blobId(s[3]))));
            }
            case "confirmation/permanent" -> {
                routeName[0] = "/v1/blobs/{blob_id}/confirmation/permanent";
                requireMethod(method, "GET");
                return confirmation(request, blobId(s[3]), null);
            }
            case "recoverySymbols" -> {
                routeName[0] = "/v1/blobs/{blob_id}/recoverySymbols";
                requireMethod(method, "GET");
                return recoverySymbols(request, blobId(s[3]));
            }
            case "decodingSymbols" -> {
                routeName[0] = "/v1/blobs/{blob_id}/decodingSymbols";
                requireMethod(method, "GET");
                return decodingSymbols(request, blobId(s[3]));
            }
            default -> {
                // parametrised tails below
            }
        }
        if (s.length == 7 && s[4].equals("confirmation") && s[5].equals("deletable")) {
            routeName[0] = "/v1/blobs/{blob_id}/confirmation/deletable/{object_id}";
            requireMethod(method, "GET");
            BlobId blobId = blobId(s[3]);
            return confirmation(request, blobId, objectId(s[6]));
        }
        if (s.length == 6 && s[4].equals("inconsistencyProof")) {
            routeName[0] = "/v1/blobs/{blob_id}/inconsistencyProof/{sliver_type}";
            requireMethod(method, "POST");
            BlobId blobId = blobId(s[3]);
            SliverType type = sliverType(s[5], "sliver_type");
            byte[] body;
            try {
                body = request.body(2 * sliverBodyLimit(service.state().view()));
            } catch (ApiRequest.BodyTooLargeException e) {
                throw new RequestRejected(413, e.getMessage());
            }
            SignedMessage signed = service.inconsistencyProof(blobId, type, body);
            ObjectNode data = JSON.objectNode();
            data.put("serializedMessage", signed.serializedMessageBase64());
            data.put("signature", signed.signatureBase64());
            return success(200, data);
        }
        if ((s.length == 7 || s.length == 8 && s[7].equals("status")) && s[4].equals("slivers")) {
            boolean status = s.length == 8;
            routeName[0] = "/v1/blobs/{blob_id}/slivers/{sliver_pair_index}/{sliver_type}" + (status ? "/status" : "");
            if (status) {
                requireMethod(method, "GET");
            } else {
                requireMethod(method, "GET", "PUT");
            }
            BlobId blobId = blobId(s[3]);
            int pair = u16(s[5], "sliver_pair_index");
            SliverType type = sliverType(s[6], "sliver_type");
            if (status) {
                return success(200, JSON.textNode(service.sliverStatus(blobId, pair, type).wireName()));
            }
            return method.equals("GET") ? HttpResult.bcs(service.getSliver(blobId, pair, type))
                    : putSliver(request, blobId, pair, type);
        }
        return HttpResult.empty(404);
    }

    // ---- handlers ----

    private HttpResult putMetadata(ApiRequest request, BlobId blobId) {
        boolean pending = pendingQuery(request);
        String contentType = request.header("Content-Type");
        if (contentType != null && !contentType.split(";", 2)[0].trim().equalsIgnoreCase(HttpResult.OCTETS)) {
            throw new NodeException(ErrorReason.INVALID_CONTENT_TYPE, "expected content type " + HttpResult.OCTETS
                    + ", got " + contentType);
        }
        byte[] body;
        try {
            body = request.body(METADATA_BODY_LIMIT);
        } catch (ApiRequest.BodyTooLargeException e) {
            // Walrus's metadata extractor reports an over-limit body as a content problem, not 413.
            throw new NodeException(ErrorReason.INVALID_CONTENT_TYPE, e.getMessage());
        }
        WriteOutcome outcome = service.putMetadata(blobId, body, pending);
        String message = switch (outcome) {
            case STORED -> "metadata successfully stored";
            case ALREADY_STORED -> "metadata already stored";
            case BUFFERED -> "metadata buffered pending registration";
        };
        return success(outcome.httpCode(), JSON.textNode(message));
    }

    private HttpResult putSliver(ApiRequest request, BlobId blobId, int pair, SliverType type) {
        boolean pending = pendingQuery(request);
        byte[] body;
        try {
            body = request.body(sliverBodyLimit(service.state().view()));
        } catch (ApiRequest.BodyTooLargeException e) {
            throw new RequestRejected(413, e.getMessage());
        }
        WriteOutcome outcome = service.putSliver(blobId, pair, type, body, pending);
        String message = switch (outcome) {
            case STORED -> "sliver stored successfully";
            case ALREADY_STORED -> "sliver already stored";
            case BUFFERED -> "sliver buffered pending registration";
        };
        return success(outcome.httpCode(), JSON.textNode(message));
    }

    /** The largest sliver of {@code n} shards (the longer axis at the largest symbol size) plus 128 bytes. */
    static long sliverBodyLimit(CommitteeView view) {
        if (!view.isKnown()) {
            return Sliver.MAX_SLIVER_BYTES;
        }
        EncodingConfig config = view.encodingConfig();
        int symbols = Math.max(config.symbolsPerSliver(SliverType.PRIMARY), config.symbolsPerSliver(SliverType.SECONDARY));
        return (long) symbols * EncodingConfig.MAX_SYMBOL_SIZE + 128;
    }

    private HttpResult confirmation(ApiRequest request, BlobId blobId, ObjectId objectId) throws InterruptedException {
        Map<String, List<String>> query = request.query();
        boolean wait = bool(query, "wait_for_registration", false);
        long waitMillis = u64(query, "wait_millis", StorageService.DEFAULT_WAIT_MILLIS);
        SignedMessage signed = service.confirmation(blobId, objectId, wait, waitMillis);
        ObjectNode message = JSON.objectNode();
        message.put("serializedMessage", signed.serializedMessageBase64());
        message.put("signature", signed.signatureBase64());
        ObjectNode data = JSON.objectNode();
        data.set("signed", message);
        return success(200, data);
    }

    private HttpResult recoverySymbols(ApiRequest request, BlobId blobId) {
        Map<String, List<String>> query = request.query();
        SliverType proofAxis = query.containsKey("proofAxis")
                ? sliverType(single(query, "proofAxis"), "proofAxis") : null;
        List<String> ids = query.get("id");
        if (ids != null && !ids.isEmpty()) {
            List<SymbolId> parsed = new ArrayList<>(ids.size());
            for (String id : ids) {
                try {
                    parsed.add(SymbolId.parse(id));
                } catch (IllegalArgumentException e) {
                    throw new RequestRejected(400, "Failed to deserialize query string: " + e.getMessage());
                }
            }
            return HttpResult.bcs(service.recoverySymbols(blobId, parsed, proofAxis));
        }
        if (query.containsKey("targetSliver") && query.containsKey("targetType")) {
            int target = u16(single(query, "targetSliver"), "targetSliver");
            SliverType type = sliverType(single(query, "targetType"), "targetType");
            return HttpResult.bcs(service.recoverySymbolsForTarget(blobId, target, type, proofAxis));
        }
        throw new RequestRejected(400, "Failed to deserialize query string: expected `id` or `targetSliver` and "
                + "`targetType`");
    }

    private HttpResult decodingSymbols(ApiRequest request, BlobId blobId) {
        Map<String, List<String>> query = request.query();
        if (!query.containsKey("targetType")) {
            throw new RequestRejected(400, "Failed to deserialize query string: missing field `targetType`");
        }
        SliverType type = sliverType(single(query, "targetType"), "targetType");
        List<Integer> targets = new ArrayList<>();
        for (String t : query.getOrDefault("targetSlivers", List.of())) {
            targets.add(u16(t, "targetSlivers"));
        }
        return HttpResult.bcs(service.decodingSymbols(blobId, targets, type));
    }

    private HttpResult health(ApiRequest request) {
        boolean detailed = bool(request.query(), "detailed", false);
        CommitteeView view = service.state().view();
        ObjectNode data = JSON.objectNode();
        long nanos = System.nanoTime() - startNanos;
        ObjectNode uptime = data.putObject("uptime");
        uptime.put("secs", nanos / 1_000_000_000L);
        uptime.put("nanos", nanos % 1_000_000_000L);
        data.put("epoch", view.epoch());
        data.put("publicKey", service.publicKey().toBase64());
        data.put("nodeStatus", view.isKnown() && !view.ownedShards().isEmpty() ? "Active" : "Standby");
        long cursor = service.store().eventCursor();
        ObjectNode progress = data.putObject("eventProgress");
        progress.put("persisted", cursor);
        progress.put("pending", 0);
        if (cursor > 0) {
            progress.put("highestFinishedEventIndex", cursor - 1);
        } else {
            progress.putNull("highestFinishedEventIndex");
        }
        putStoreHealth(data.putObject("store"), service.store().health().snapshot());
        Set<Integer> owned = view.ownedShards();
        ObjectNode summary = data.putObject("shardSummary");
        summary.put("owned", owned.size());
        ObjectNode ownedStatus = summary.putObject("ownedShardStatus");
        ownedStatus.put("unknown", 0);
        ownedStatus.put("ready", owned.size());
        ownedStatus.put("inTransfer", 0);
        ownedStatus.put("inRecovery", 0);
        List<Integer> other = service.store().storedShards().stream().filter(x -> !owned.contains(x)).toList();
        summary.put("readOnly", other.size());
        if (detailed) {
            ObjectNode detail = data.putObject("shardDetail");
            ArrayNode ownedArray = detail.putArray("owned");
            for (int shard : owned) {
                ownedArray.addObject().put("shard", shard).put("status", "ready");
            }
            ArrayNode otherArray = detail.putArray("other");
            for (int shard : other) {
                otherArray.addObject().put("shard", shard).put("status", "readOnly");
            }
        }
        return success(200, data);
    }

    /**
     * Tusk's addition to Walrus's health: whether the disk takes writes (with the error while it does not) and the
     * corrupt data found and dropped for recovery since start.
     */
    private static void putStoreHealth(ObjectNode node, io.tusk.node.store.StoreHealth.Snapshot health) {
        node.put("writable", health.writable());
        health.writeFailure().ifPresent(f -> {
            node.put("writeError", f.message());
            node.put("failingSinceMillis", f.sinceMillis());
        });
        node.put("corruptSliversDropped", health.corruptSlivers());
        node.put("corruptMetadataDropped", health.corruptMetadata());
        node.put("familiesRecreated", health.familiesRecreated());
    }

    // ---- JSON ----

    private static com.fasterxml.jackson.databind.JsonNode blobStatus(BlobStatus status) {
        return switch (status) {
            case BlobStatus.Nonexistent n -> JSON.textNode("nonexistent");
            case BlobStatus.Invalid invalid -> {
                ObjectNode root = JSON.objectNode();
                root.putObject("invalid").set("event", eventId(invalid.event()));
                yield root;
            }
            case BlobStatus.Permanent p -> {
                ObjectNode root = JSON.objectNode();
                ObjectNode body = root.putObject("permanent");
                body.put("endEpoch", p.endEpoch());
                body.put("isCertified", p.isCertified());
                body.set("statusEvent", eventId(p.statusEvent()));
                body.set("deletableCounts", counts(p.deletableCounts()));
                putEpoch(body, "initialCertifiedEpoch", p.initialCertifiedEpoch());
                yield root;
            }
            case BlobStatus.Deletable d -> {
                ObjectNode root = JSON.objectNode();
                ObjectNode body = root.putObject("deletable");
                putEpoch(body, "initialCertifiedEpoch", d.initialCertifiedEpoch());
                body.set("deletableCounts", counts(d.deletableCounts()));
                yield root;
            }
        };
    }

    private static void putEpoch(ObjectNode node, String field, Long epoch) {
        if (epoch == null) {
            node.putNull(field);
        } else {
            node.put(field, epoch);
        }
    }

    private static ObjectNode counts(BlobStatus.DeletableCounts counts) {
        // DeletableCounts has no serde rename in Walrus: its keys stay snake_case.
        ObjectNode node = JSON.objectNode();
        node.put("count_deletable_total", counts.total());
        node.put("count_deletable_certified", counts.certified());
        return node;
    }

    /**
     * A Walrus {@code EventID} for a control-plane event: Tusk has no Sui transactions, so the digest is the event
     * cursor as a 32-byte big-endian number in base58, and the sequence is always {@code "0"}.
     */
    static ObjectNode eventId(long cursor) {
        byte[] digest = new byte[32];
        ByteBuffer.wrap(digest, 24, 8).putLong(cursor);
        ObjectNode node = JSON.objectNode();
        node.put("txDigest", Base58.encode(digest));
        node.put("eventSeq", "0");
        return node;
    }

    private static HttpResult success(int code, com.fasterxml.jackson.databind.JsonNode data) {
        ObjectNode root = JSON.objectNode();
        ObjectNode success = root.putObject("success");
        success.put("code", code);
        success.set("data", data);
        return HttpResult.json(code, write(root));
    }

    static HttpResult error(ErrorReason reason, String message) {
        return HttpResult.json(reason.httpStatus(), write(errorBody(reason, message, null)));
    }

    private static ObjectNode errorBody(ErrorReason reason, String message, String traceId) {
        ObjectNode root = JSON.objectNode();
        ObjectNode error = root.putObject("error");
        error.put("code", reason.httpStatus());
        error.put("status", reason.status().name());
        error.put("message", message);
        ArrayNode details = error.putArray("details");
        ObjectNode info = details.addObject();
        info.put("@type", "ErrorInfo");
        info.put("reason", reason.reason());
        info.put("domain", reason.fixedDomain() != null ? reason.fixedDomain() : ErrorDomains.NODE);
        info.putObject("metadata");
        if (traceId != null) {
            ObjectNode debug = details.addObject();
            debug.put("@type", "DebugInfo");
            debug.putArray("stackEntries");
            debug.put("detail", "TraceID: " + traceId);
        }
        return root;
    }

    private static HttpResult internalError(Exception e) {
        String traceId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
        LOG.error("internal error traceId={}", traceId, e);
        return HttpResult.json(500, write(errorBody(ErrorReason.INTERNAL_ERROR, "an internal error occurred", traceId)));
    }

    private static byte[] write(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("JSON tree serialization cannot fail", e);
        }
    }

    // ---- parameters (failures are framework rejections: 400 text) ----

    private static void requireMethod(String method, String... allowed) {
        for (String a : allowed) {
            if (a.equals(method)) {
                return;
            }
        }
        throw new RequestRejected(405, "Method Not Allowed");
    }

    private static BlobId blobId(String text) {
        try {
            return BlobId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new RequestRejected(400, "Invalid URL: Cannot parse `blob_id`: " + e.getMessage());
        }
    }

    private static ObjectId objectId(String text) {
        try {
            return ObjectId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new RequestRejected(400, "Invalid URL: Cannot parse `object_id`: " + e.getMessage());
        }
    }

    private static int u16(String text, String name) {
        if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new RequestRejected(400, "Invalid URL: Cannot parse `" + name + "` with value `" + text + "` to a `u16`");
        }
        int value = Integer.parseInt(text);
        if (value > 0xFFFF) {
            throw new RequestRejected(400, "Invalid URL: Cannot parse `" + name + "` with value `" + text + "` to a `u16`");
        }
        return value;
    }

    private static SliverType sliverType(String text, String name) {
        return switch (text) {
            case "primary" -> SliverType.PRIMARY;
            case "secondary" -> SliverType.SECONDARY;
            default -> throw new RequestRejected(400, "Invalid URL: Cannot parse `" + name + "`: unknown variant `"
                    + text + "`, expected `primary` or `secondary`");
        };
    }

    private static String single(Map<String, List<String>> query, String key) {
        List<String> values = query.get(key);
        if (values == null || values.size() != 1) {
            throw new RequestRejected(400, "Failed to deserialize query string: `" + key + "` must appear once");
        }
        return values.get(0);
    }

    private static boolean bool(Map<String, List<String>> query, String key, boolean absent) {
        if (!query.containsKey(key)) {
            return absent;
        }
        String value = single(query, key);
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new RequestRejected(400, "Failed to deserialize query string: " + key
                    + ": provided string was not `true` or `false`");
        };
    }

    private static long u64(Map<String, List<String>> query, String key, long absent) {
        if (!query.containsKey(key)) {
            return absent;
        }
        String value = single(query, key);
        try {
            if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
                throw new NumberFormatException(value);
            }
            return Long.parseUnsignedLong(value) < 0 ? Long.MAX_VALUE : Long.parseUnsignedLong(value);
        } catch (NumberFormatException e) {
            throw new RequestRejected(400, "Failed to deserialize query string: " + key + ": invalid digit");
        }
    }

    /** {@code ?pending=true|false}; any other key is refused, as Walrus's query struct denies unknown fields. */
    private static boolean pendingQuery(ApiRequest request) {
        for (String key : request.query().keySet()) {
            if (!key.equals("pending")) {
                throw new RequestRejected(400, "Failed to deserialize query string: unknown field `" + key
                        + "`, expected `pending`");
            }
        }
        return bool(request.query(), "pending", false);
    }
}
