package io.tusk.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.core.api.ErrorReason;
import io.tusk.gateway.auth.PublisherAuth;
import io.tusk.http.ApiError;
import io.tusk.http.HttpServerBuilder;
import io.tusk.http.Request;
import io.tusk.http.Response;
import io.tusk.http.RouteHandler;
import io.tusk.http.RouteOptions;
import io.tusk.memory.Memory;
import io.tusk.memory.MemoryNotFoundException;
import io.tusk.memory.MemoryStore;
import io.tusk.memory.Recall;
import io.tusk.memory.Remember;
import io.tusk.memory.RememberResult;
import io.tusk.memory.SequenceNotReachedException;
import io.tusk.memory.embedding.DimensionMismatchException;
import io.tusk.memory.index.FilterJson;
import io.tusk.memory.index.RecallQuery;
import io.tusk.memory.mcp.PlainMetadata;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The memory HTTP API of the gateway (docs/memory.md, "HTTP API"): remember (one or a batch), recall, get, update,
 * forget and history on a memory collection, which is the space {@code /v1/memory/{owner}/{name}}. JSON in and out,
 * AIP-193 errors. Writes spend the gateway's funds, so they need its JWT when publisher authentication is on, like
 * every other write; a first remember creates the collection's space (encrypted) in the gateway's account.
 */
final class MemoryRoutes {
    /** Memories in one remember request. */
    static final int MAX_BATCH = 256;
    /** A remember body: a full batch of texts at their limit does not fit; large batches are split by the caller. */
    static final long MAX_REMEMBER_BODY_BYTES = 8L << 20;
    /** A recall body: a query, a vector and a filter. */
    static final long MAX_RECALL_BODY_BYTES = 256L << 10;
    /** Longest a recall waits for its {@code minSequence} (read-your-writes). */
    static final long MAX_WAIT_MILLIS = 30_000;
    /** Revisions in one history answer. */
    static final int MAX_HISTORY = 1000;

    private final MemoryCollections collections;
    private final GatewayConfig config;
    private final PublisherAuth auth;

    MemoryRoutes(MemoryCollections collections, GatewayConfig config, PublisherAuth auth) {
        this.collections = collections;
        this.config = config;
        this.auth = auth;
    }

    HttpServerBuilder register(HttpServerBuilder server) {
        Duration store = Duration.ofMillis(config.storeTimeoutMillis() + 30_000);
        RouteOptions writes = new RouteOptions(MAX_REMEMBER_BODY_BYTES, store);
        // A recall may wait for its minSequence (read-your-writes, at most 30 s) and then read other writers' commits.
        RouteOptions reads = new RouteOptions(MAX_RECALL_BODY_BYTES,
                Duration.ofMillis(MAX_WAIT_MILLIS + config.readTimeoutMillis() + 10_000));
        String base = "/v1/memory/{owner}/{name}";
        return server
                .get(base, reads, guard(this::info))
                .post(base + "/remember", writes, spending(this::remember))
                .post(base + "/recall", reads, guard(this::recallPost))
                .get(base + "/recall", reads, guard(this::recallGet))
                .get(base + "/memories/{id}", reads, guard(this::get))
                .put(base + "/memories/{id}", writes, spending(this::update))
                .route("DELETE", base + "/memories/{id}", new RouteOptions(0L, store), spending(this::forget))
                .get(base + "/memories/{id}/history", reads, guard(this::revisions))
                .get(base + "/history", reads, guard(this::recent));
    }

    // ------------------------------------------------------------------------------------------------ writes

    /** One memory as sent; a batch is {@code {"memories": [...]}} with nothing else. */
    record MemoryBody(String text, Map<String, Object> metadata, float[] embedding, String validFrom, String validTo,
                      String content, String contentType, List<MemoryBody> memories) {

        Remember toRemember(String where) {
            if (memories != null) {
                throw new IllegalArgumentException(where + ": memories cannot nest");
            }
            byte[] bytes;
            try {
                bytes = content == null ? null : Base64.getDecoder().decode(content);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": content is not base64: " + e.getMessage());
            }
            try {
                return new Remember(text, bytes, contentType, PlainMetadata.fromJsonValues(metadata), embedding,
                        instant("validFrom", validFrom), instant("validTo", validTo));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
            }
        }

        boolean batch() {
            return memories != null;
        }
    }

    private Response remember(Request request) {
        request.rejectUnknownQuery();
        MemoryBody body = request.json(MemoryBody.class);
        List<Remember> memories = new ArrayList<>();
        if (body.batch()) {
            if (body.text() != null || body.metadata() != null || body.embedding() != null || body.content() != null
                    || body.contentType() != null || body.validFrom() != null || body.validTo() != null) {
                throw new IllegalArgumentException("a batch is {\"memories\": [...]} with nothing beside it");
            }
            if (body.memories().isEmpty() || body.memories().size() > MAX_BATCH) {
                throw new IllegalArgumentException("a batch holds 1 to " + MAX_BATCH + " memories, this one "
                        + body.memories().size());
            }
            for (int i = 0; i < body.memories().size(); i++) {
                MemoryBody item = body.memories().get(i);
                if (item == null) {
                    throw new IllegalArgumentException("memories[" + i + "] is null");
                }
                memories.add(item.toRemember("memories[" + i + "]"));
            }
        } else {
            memories.add(body.toRemember("the memory"));
        }
        MemoryStore store = collection(request, true);
        List<RememberResult> results = store.rememberAll(memories);
        if (!body.batch()) {
            return Response.json(200, resultJson(results.getFirst()));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sequence", results.stream().mapToLong(RememberResult::sequence).max().orElse(store.sequence()));
        out.put("memories", results.stream().map(MemoryRoutes::resultJson).toList());
        return Response.json(200, out);
    }

    private static Map<String, Object> resultJson(RememberResult r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", r.id());
        out.put("sequence", r.sequence());
        out.put("deduplicated", r.deduplicated());
        return out;
    }

    private Response update(Request request) {
        request.rejectUnknownQuery();
        MemoryBody body = request.json(MemoryBody.class);
        if (body.batch()) {
            throw new IllegalArgumentException("an update replaces one memory: send its fields, not a batch");
        }
        Remember memory = body.toRemember("the memory");
        String id = request.pathParam("id");
        long sequence = collection(request, false).update(id, memory);
        return Response.json(200, Map.of("id", id, "sequence", sequence));
    }

    private Response forget(Request request) {
        request.rejectUnknownQuery();
        String id = request.pathParam("id");
        long sequence = collection(request, false).forget(id);
        return Response.json(200, Map.of("id", id, "sequence", sequence));
    }

    // ------------------------------------------------------------------------------------------------ reads

    /** A recall as sent (POST body; GET takes query, topK, minSequence, asOf and validAt as parameters). */
    record RecallBody(String query, float[] vector, Integer topK, JsonNode filter, String asOf, String validAt,
                      Long minSequence, Long waitMillis, Double minScore) {
    }

    private Response recallPost(Request request) {
        request.rejectUnknownQuery();
        return recall(request, request.json(RecallBody.class));
    }

    private Response recallGet(Request request) {
        request.rejectUnknownQuery("query", "topK", "minSequence", "waitMillis", "asOf", "validAt", "minScore");
        Double minScore = null;
        if (request.query("minScore").isPresent()) {
            try {
                minScore = Double.parseDouble(request.query("minScore").get());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("minScore must be a number, got '" + request.query("minScore").get()
                        + "'");
            }
        }
        RecallBody body = new RecallBody(request.queryRequired("query"), null,
                (int) request.queryLong("topK", 1, RecallQuery.MAX_TOP_K).orElse(Recall.DEFAULT_TOP_K), null,
                request.query("asOf").orElse(null), request.query("validAt").orElse(null),
                request.queryLong("minSequence", 0, Long.MAX_VALUE).orElse(0),
                request.queryLong("waitMillis", 0, MAX_WAIT_MILLIS).orElse(MAX_WAIT_MILLIS), minScore);
        return recall(request, body);
    }

    private Response recall(Request request, RecallBody body) {
        if (body.query() == null && body.vector() == null) {
            throw new IllegalArgumentException("recall needs a query (text) or a vector");
        }
        Recall recall = new Recall(body.query(), body.vector(),
                body.topK() == null ? Recall.DEFAULT_TOP_K : body.topK(), FilterJson.parse(body.filter()),
                instant("asOf", body.asOf()), instant("validAt", body.validAt()),
                body.minSequence() == null ? 0 : body.minSequence(),
                body.minScore() == null ? 0 : body.minScore());
        long wait = body.waitMillis() == null ? MAX_WAIT_MILLIS : body.waitMillis();
        if (wait < 0 || wait > MAX_WAIT_MILLIS) {
            throw new IllegalArgumentException("waitMillis must be 0.." + MAX_WAIT_MILLIS + ", got " + wait);
        }
        MemoryStore store = collection(request, false);
        store.awaitSequence(recall.minSequence(), Duration.ofMillis(wait));
        List<Memory> memories = store.recall(recall);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sequence", store.sequence());
        out.put("memories", memories.stream().map(MemoryRoutes::memoryJson).toList());
        return Response.json(200, out);
    }

    private Response get(Request request) {
        request.rejectUnknownQuery();
        String id = request.pathParam("id");
        MemoryStore store = collection(request, false);
        Memory memory = store.get(id).orElseThrow(() -> new MemoryNotFoundException(store.name(), id));
        return Response.json(200, memoryJson(memory));
    }

    private Response revisions(Request request) {
        request.rejectUnknownQuery();
        String id = request.pathParam("id");
        MemoryStore store = collection(request, false);
        List<Memory> revisions = store.history(id);
        if (revisions.isEmpty()) {
            throw new MemoryNotFoundException(store.name(), id);
        }
        return Response.json(200, Map.of("id", id, "revisions", revisions.stream().map(MemoryRoutes::memoryJson)
                .toList()));
    }

    private Response recent(Request request) {
        request.rejectUnknownQuery("limit");
        int limit = (int) request.queryLong("limit", 1, MAX_HISTORY).orElse(100);
        MemoryStore store = collection(request, false);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sequence", store.sequence());
        out.put("revisions", store.recent(limit).stream().map(MemoryRoutes::memoryJson).toList());
        return Response.json(200, out);
    }

    private Response info(Request request) {
        request.rejectUnknownQuery();
        MemoryStore store = collection(request, false);
        store.refresh();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("owner", request.pathParam("owner"));
        out.put("name", store.name());
        out.put("encrypted", store.space().encrypted());
        out.put("model", store.spec().model());
        out.put("dimension", store.spec().dimension());
        out.put("sequence", store.sequence());
        out.put("memories", store.size());
        return Response.json(200, out);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    static Map<String, Object> memoryJson(Memory m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", m.id());
        out.put("revision", m.revision());
        out.put("text", m.text());
        out.put("score", m.score());
        out.put("metadata", PlainMetadata.toJsonValues(m.metadata()));
        out.put("validFrom", m.validFrom().toString());
        out.put("validTo", m.validTo() == null ? null : m.validTo().toString());
        out.put("recordedAt", m.recordedAt().toString());
        out.put("recordedTo", m.recordedTo() == null ? null : m.recordedTo().toString());
        return out;
    }

    private MemoryStore collection(Request request, boolean create) {
        return collections.collection(request.pathParam("owner"), request.pathParam("name"), create);
    }

    private static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 time such as 2026-12-07T10:15:30Z, got '"
                    + (value.length() <= 100 ? value : value.substring(0, 97) + "...") + "'");
        }
    }

    /** A route that spends the gateway's funds: authenticated like the publisher's stores, then {@link #guard}. */
    private RouteHandler spending(RouteHandler handler) {
        return auth.guard(guard(handler));
    }

    /** Memory's exceptions as AIP-193 errors, then the spaces ones ({@link SpaceRoutes#guard}). */
    private static RouteHandler guard(RouteHandler handler) {
        return SpaceRoutes.guard(request -> {
            try {
                return handler.handle(request);
            } catch (MemoryNotFoundException e) {
                throw new ApiError(ErrorReason.MEMORY_NOT_FOUND, e.getMessage());
            } catch (DimensionMismatchException e) {
                throw new ApiError(ErrorReason.DIMENSION_MISMATCH, e.getMessage())
                        .withMetadata("expected", e.expected()).withMetadata("actual", e.actual());
            } catch (SequenceNotReachedException e) {
                throw new ApiError(ErrorReason.SEQUENCE_NOT_REACHED, e.getMessage())
                        .withMetadata("minSequence", e.wanted()).withMetadata("sequence", e.reached());
            }
        });
    }
}
