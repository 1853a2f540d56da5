package io.tusk.gateway;

import io.tusk.client.BlobNotFoundException;
import io.tusk.control.api.SpaceHead;
import io.tusk.core.api.ErrorReason;
import io.tusk.http.ApiError;
import io.tusk.http.HttpServerBuilder;
import io.tusk.http.Request;
import io.tusk.http.Response;
import io.tusk.http.RouteOptions;
import io.tusk.spaces.Change;
import io.tusk.spaces.CommitOptions;
import io.tusk.spaces.CommitResult;
import io.tusk.spaces.Condition;
import io.tusk.spaces.Entry;
import io.tusk.spaces.EntryNotFoundException;
import io.tusk.spaces.EntryProof;
import io.tusk.spaces.InvalidKeyException;
import io.tusk.spaces.ListPage;
import io.tusk.spaces.ListQuery;
import io.tusk.spaces.NotOwnerException;
import io.tusk.spaces.PreconditionFailedException;
import io.tusk.spaces.PutOptions;
import io.tusk.spaces.Record;
import io.tusk.spaces.Snapshot;
import io.tusk.spaces.Space;
import io.tusk.spaces.SpaceException;
import io.tusk.spaces.SpaceExistsException;
import io.tusk.spaces.SpaceKeyException;
import io.tusk.spaces.SpaceNotFoundException;
import io.tusk.spaces.SpaceStream;
import io.tusk.spaces.Spaces;
import io.tusk.spaces.VerificationException;
import io.tusk.spaces.VerifyOptions;
import io.tusk.spaces.VerifyReport;
import io.tusk.spaces.VersionConflictException;
import io.tusk.spaces.VersionInfo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The spaces HTTP API of the gateway (docs/spaces.md, "HTTP API"; OpenAPI in {@code /v1/api}): JSON in and out,
 * AIP-193 errors. A space is addressed as {@code /v1/spaces/{owner}/{name}}; keys (any UTF-8, slashes included) go in
 * the {@code key} query parameter. The gateway's account owns the spaces it creates and is the only one that may
 * change them; any space can be read. Entry bodies are raw bytes, with the content type, etag and user metadata
 * ({@code X-Tusk-Meta-<name>}) in headers.
 */
final class SpaceRoutes {
    static final String META_PREFIX = "x-tusk-meta-";
    /** Longest a stream read may wait for new records. */
    static final long MAX_WAIT_MILLIS = 30_000;

    private final Spaces spaces;
    private final GatewayConfig config;
    private final io.tusk.gateway.auth.PublisherAuth auth;

    /** @param auth the publisher's JWT authentication: it guards the routes that write (they spend its funds) */
    SpaceRoutes(Spaces spaces, GatewayConfig config, io.tusk.gateway.auth.PublisherAuth auth) {
        this.spaces = spaces;
        this.config = config;
        this.auth = auth;
    }

    /** A route that spends the gateway's funds: authenticated like the publisher's stores, then {@link #guard}. */
    private io.tusk.http.RouteHandler spending(io.tusk.http.RouteHandler handler) {
        return auth.guard(guard(handler));
    }

    HttpServerBuilder register(HttpServerBuilder server) {
        RouteOptions writes = RouteOptions.maxBody(config.maxBodyBytes());
        RouteOptions reads = RouteOptions.timeout(Duration.ofMillis(config.readTimeoutMillis() + 30_000));
        RouteOptions json = RouteOptions.maxBody(64 * 1024);
        RouteOptions longPoll = RouteOptions.timeout(Duration.ofMillis(MAX_WAIT_MILLIS + config.readTimeoutMillis() + 10_000));
        return server
                .get("/v1/spaces", guard(this::listSpaces))
                .post("/v1/spaces", json, spending(this::createSpace))
                .get("/v1/spaces/{owner}/{name}", guard(this::head))
                .get("/v1/spaces/{owner}/{name}/entry", reads, guard(this::getEntry))
                .route("HEAD", "/v1/spaces/{owner}/{name}/entry", reads, guard(this::getEntry))
                .put("/v1/spaces/{owner}/{name}/entry", writes, spending(this::putEntry))
                .route("DELETE", "/v1/spaces/{owner}/{name}/entry", RouteOptions.DEFAULTS, spending(this::deleteEntry))
                .get("/v1/spaces/{owner}/{name}/entries", reads, guard(this::list))
                .get("/v1/spaces/{owner}/{name}/history", reads, guard(this::history))
                .get("/v1/spaces/{owner}/{name}/diff", reads, guard(this::diff))
                .post("/v1/spaces/{owner}/{name}/tags", json, spending(this::tag))
                .route("DELETE", "/v1/spaces/{owner}/{name}/tags/{tag}", RouteOptions.DEFAULTS, spending(this::untag))
                .post("/v1/spaces/{owner}/{name}/restore", json, spending(this::restore))
                .post("/v1/spaces/{owner}/{name}/forget", json, spending(this::forget))
                .get("/v1/spaces/{owner}/{name}/verify", RouteOptions.timeout(Duration.ofMinutes(30)), guard(this::verify))
                .get("/v1/spaces/{owner}/{name}/proof", reads, guard(this::proof))
                .post("/v1/spaces/{owner}/{name}/streams/{stream}", writes, spending(this::append))
                .get("/v1/spaces/{owner}/{name}/streams/{stream}", longPoll, guard(this::readStream));
    }

    // ------------------------------------------------------------------------------------------------ spaces

    private Response listSpaces(Request request) {
        request.rejectUnknownQuery("owner");
        String owner = request.query("owner").orElse(spaces.account());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("owner", owner);
        out.put("spaces", spaces.list(owner));
        return Response.json(200, out);
    }

    private record CreateBody(String name, Boolean encrypted) {
    }

    private Response createSpace(Request request) {
        CreateBody body = request.json(CreateBody.class);
        if (body.name() == null) {
            throw new ApiError(ErrorReason.INVALID_ARGUMENT, "the body needs a name: {\"name\": \"...\", \"encrypted\": false}");
        }
        Space space = spaces.create(body.name(), Boolean.TRUE.equals(body.encrypted()));
        return Response.json(201, space.head());
    }

    private Response head(Request request) {
        request.rejectUnknownQuery();
        Space space = space(request);
        Snapshot snapshot = space.snapshot();
        Map<String, Object> out = new LinkedHashMap<>();
        SpaceHead head = space.head();
        out.put("owner", head.owner());
        out.put("name", head.name());
        out.put("encrypted", head.encrypted());
        out.put("version", snapshot.version());
        out.put("manifestBlobId", snapshot.manifestBlobId());
        out.put("commitTime", snapshot.commitTime().toString());
        out.put("entryCount", snapshot.entryCount());
        out.put("tags", snapshot.tags());
        out.put("writable", space.writable());
        return Response.json(200, out);
    }

    // ------------------------------------------------------------------------------------------------ entries

    private Response getEntry(Request request) throws IOException {
        request.rejectUnknownQuery("key", "at");
        Snapshot snapshot = at(space(request), request.query("at").orElse(null));
        String key = request.queryRequired("key");
        Entry entry = snapshot.entry(key).orElseThrow(() -> new EntryNotFoundException("space "
                + snapshot.space().name() + " version " + snapshot.version() + " has no entry '" + key + "'"));
        Response response;
        if (request.method().equals("HEAD")) {
            response = Response.stream(200, entry.contentType(), entry.size(), out -> { });
        } else if (entry.size() <= config.maxCachedBlobBytes()) {
            // Small entries are read before answering, so a failed read is a proper error, not a cut body.
            ByteArrayOutputStream bytes = new ByteArrayOutputStream((int) entry.size());
            snapshot.read(key, bytes);
            response = Response.bytes(200, entry.contentType(), bytes.toByteArray());
        } else {
            response = Response.stream(200, entry.contentType(), entry.size(), out -> snapshot.read(key, out));
        }
        return withEntryHeaders(response, entry, snapshot.version());
    }

    private static Response withEntryHeaders(Response response, Entry entry, long version) {
        response.header("ETag", "\"" + entry.etag() + "\"")
                .header("X-Tusk-Version", Long.toString(version))
                .header("X-Tusk-Entry-Version", Long.toString(entry.version()))
                .header("Last-Modified", java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                        .format(entry.modified().atZone(java.time.ZoneOffset.UTC)));
        entry.metadata().forEach((k, v) -> response.header("X-Tusk-Meta-" + k, v));
        return response;
    }

    private Response putEntry(Request request) {
        request.rejectUnknownQuery("key", "message");
        Space space = space(request);
        String key = request.queryRequired("key");
        Map<String, String> metadata = new TreeMap<>();
        for (var field : request.allHeaders()) {
            String name = field.getName().toLowerCase(Locale.ROOT);
            if (name.startsWith(META_PREFIX) && name.length() > META_PREFIX.length()) {
                metadata.put(name.substring(META_PREFIX.length()), field.getValue());
            }
        }
        PutOptions options = PutOptions.defaults()
                .withContentType(request.contentType().orElse(PutOptions.DEFAULT_CONTENT_TYPE))
                .withMetadata(metadata)
                .withCondition(condition(request));
        byte[] body = request.body();
        CommitResult result = space.commit(tx -> tx.put(key, body, options),
                CommitOptions.message(request.query("message").orElse("")));
        Map<String, Object> out = commitJson(result);
        out.put("key", key);
        Entry entry = spaces.open(space.owner(), space.name()).at(result.version()).entry(key).orElseThrow();
        out.put("etag", entry.etag());
        out.put("size", entry.size());
        return Response.json(200, out);
    }

    private Response deleteEntry(Request request) {
        request.rejectUnknownQuery("key", "message");
        Space space = space(request);
        String key = request.queryRequired("key");
        Condition condition = condition(request);
        CommitResult result = space.commit(tx -> {
            if (tx.base().entry(key).isEmpty()) {
                throw new EntryNotFoundException("space " + space.name() + " has no entry '" + key + "'");
            }
            tx.delete(key, condition);
        }, CommitOptions.message(request.query("message").orElse("")));
        return Response.json(200, commitJson(result));
    }

    /** {@code If-None-Match: *} (only if absent) or {@code If-Match: "etag"} (only if the entry has that etag). */
    private static Condition condition(Request request) {
        String noneMatch = request.header("If-None-Match").orElse(null);
        String match = request.header("If-Match").orElse(null);
        if (noneMatch != null && match != null) {
            throw new ApiError(ErrorReason.INVALID_ARGUMENT, "give If-Match or If-None-Match, not both");
        }
        if (noneMatch != null) {
            if (!noneMatch.strip().equals("*")) {
                throw new ApiError(ErrorReason.INVALID_ARGUMENT, "If-None-Match supports only '*'");
            }
            return Condition.ifAbsent();
        }
        return match == null ? null : Condition.ifMatch(match.strip());
    }

    private Response list(Request request) {
        request.rejectUnknownQuery("prefix", "delimiter", "startAfter", "limit", "at");
        Snapshot snapshot = at(space(request), request.query("at").orElse(null));
        int limit = (int) request.queryLong("limit", 1, ListQuery.MAX_LIMIT).orElse(1000);
        ListPage page = snapshot.list(new ListQuery(request.query("prefix").orElse(""),
                request.query("delimiter").orElse(null), request.query("startAfter").orElse(null), limit));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", snapshot.version());
        out.put("entries", page.entries().stream().map(SpaceRoutes::entryJson).toList());
        out.put("commonPrefixes", page.commonPrefixes());
        out.put("nextStartAfter", page.nextStartAfter());
        return Response.json(200, out);
    }

    // ------------------------------------------------------------------------------------------------ history

    private Response history(Request request) {
        request.rejectUnknownQuery("from", "limit");
        Space space = space(request);
        long from = request.queryLong("from", 0, Long.MAX_VALUE).orElse(Long.MAX_VALUE);
        int limit = (int) request.queryLong("limit", 1, 1000).orElse(100);
        List<Map<String, Object>> versions = new ArrayList<>();
        for (VersionInfo v : space.history(from, limit)) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("version", v.version());
            json.put("manifestBlobId", v.manifestBlobId());
            json.put("commitTime", v.commitTime().toString());
            json.put("message", v.message());
            json.put("puts", v.puts());
            json.put("deletes", v.deletes());
            json.put("changedKeys", v.changedKeys());
            json.put("changedKeysTruncated", v.truncated());
            json.put("entryCount", v.entryCount());
            json.put("tags", v.tags());
            versions.add(json);
        }
        return Response.json(200, Map.of("versions", versions));
    }

    private Response diff(Request request) {
        request.rejectUnknownQuery("from", "to");
        Space space = space(request);
        long from = request.queryLong("from", 0, Long.MAX_VALUE).orElseThrow(() ->
                new ApiError(ErrorReason.INVALID_ARGUMENT, "query parameter from is required"));
        long to = request.queryLong("to", 0, Long.MAX_VALUE).orElse(space.head().version());
        List<Map<String, Object>> changes = new ArrayList<>();
        for (Change c : space.diff(from, to)) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("key", c.key());
            json.put("change", c.kind().name().toLowerCase(Locale.ROOT));
            json.put("before", c.before() == null ? null : entryJson(c.before()));
            json.put("after", c.after() == null ? null : entryJson(c.after()));
            changes.add(json);
        }
        return Response.json(200, Map.of("from", from, "to", to, "changes", changes));
    }

    private record TagBody(String tag, Long version) {
    }

    private Response tag(Request request) {
        TagBody body = request.json(TagBody.class);
        if (body.tag() == null || body.version() == null) {
            throw new ApiError(ErrorReason.INVALID_ARGUMENT, "the body needs a tag and a version: {\"tag\": \"...\", \"version\": 3}");
        }
        return Response.json(200, commitJson(space(request).tag(body.tag(), body.version())));
    }

    private Response untag(Request request) {
        return Response.json(200, commitJson(space(request).untag(request.pathParam("tag"))));
    }

    private record VersionBody(Long version) {
    }

    private Response restore(Request request) {
        VersionBody body = request.json(VersionBody.class);
        if (body.version() == null) {
            throw new ApiError(ErrorReason.INVALID_ARGUMENT, "the body needs a version: {\"version\": 3}");
        }
        return Response.json(200, commitJson(space(request).restore(body.version())));
    }

    private record KeyBody(String key) {
    }

    private Response forget(Request request) {
        KeyBody body = request.json(KeyBody.class);
        if (body.key() == null) {
            throw new ApiError(ErrorReason.INVALID_ARGUMENT, "the body needs a key: {\"key\": \"...\"}");
        }
        CommitResult result = space(request).forget(body.key());
        if (result.changed() == 0) {
            throw new EntryNotFoundException("no entry '" + body.key() + "' to forget");
        }
        return Response.json(200, commitJson(result));
    }

    // ------------------------------------------------------------------------------------------------ proofs

    private Response verify(Request request) {
        request.rejectUnknownQuery("entries");
        VerifyReport report = space(request).verify(VerifyOptions.defaults()
                .withEntries(request.queryBoolean("entries", true)));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ok", report.ok());
        out.put("head", report.head());
        out.put("versionsChecked", report.versionsChecked());
        out.put("oldestChecked", report.oldestRetained());
        out.put("blobsChecked", report.blobsChecked());
        out.put("nodesChecked", report.nodesChecked());
        out.put("entriesChecked", report.entriesChecked());
        out.put("bytesChecked", report.bytesChecked());
        out.put("treesChecked", report.treesChecked());
        out.put("firstBreak", report.firstBreak());
        out.put("elapsedMillis", report.elapsed().toMillis());
        return Response.json(200, out);
    }

    private Response proof(Request request) {
        request.rejectUnknownQuery("key");
        EntryProof proof = space(request).prove(request.queryRequired("key"));
        Base64.Encoder base64 = Base64.getEncoder();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("owner", proof.owner());
        out.put("name", proof.name());
        out.put("version", proof.version());
        out.put("manifestBlobId", proof.manifestBlobId());
        out.put("key", proof.key());
        out.put("manifest", base64.encodeToString(proof.manifest()));
        out.put("path", proof.path().stream().map(base64::encodeToString).toList());
        return Response.json(200, out);
    }

    // ------------------------------------------------------------------------------------------------ streams

    private Response append(Request request) {
        request.rejectUnknownQuery("raw");
        SpaceStream stream = space(request).stream(request.pathParam("stream"));
        byte[] body = request.body();
        List<byte[]> records = new ArrayList<>();
        if (request.queryBoolean("raw", false)) {
            records.add(body);
        } else {
            String text = new String(body, StandardCharsets.UTF_8);
            for (String line : text.split("\n", -1)) {
                if (!line.isEmpty()) {
                    records.add(line.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (records.isEmpty()) {
                throw new ApiError(ErrorReason.INVALID_ARGUMENT, "the body holds no records (one per line; ?raw=true "
                        + "for one record of any bytes)");
            }
        }
        SpaceStream.AppendResult result = stream.append(records);
        Map<String, Object> out = commitJson(result.commit());
        out.put("firstOffset", result.firstOffset());
        out.put("count", result.count());
        return Response.json(200, out);
    }

    private Response readStream(Request request) {
        request.rejectUnknownQuery("from", "limit", "waitMillis");
        Space space = space(request);
        SpaceStream stream = space.stream(request.pathParam("stream"));
        long from = request.queryLong("from", 0, Long.MAX_VALUE).orElse(0);
        int limit = (int) request.queryLong("limit", 1, 10_000).orElse(1000);
        long wait = request.queryLong("waitMillis", 0, MAX_WAIT_MILLIS).orElse(0);
        List<Record> records = stream.await(from, limit, Duration.ofMillis(wait));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Record r : records) {
            Map<String, Object> json = new LinkedHashMap<>();
            json.put("offset", r.offset());
            json.put("appended", r.appended().toString());
            json.put("data", Base64.getEncoder().encodeToString(r.data()));
            out.add(json);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("records", out);
        answer.put("nextOffset", records.isEmpty() ? from : records.getLast().offset() + 1);
        return Response.json(200, answer);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private Space space(Request request) {
        String owner = request.pathParam("owner");
        String name = request.pathParam("name");
        try {
            io.tusk.core.crypto.Address.parse(owner);
        } catch (IllegalArgumentException e) {
            throw new ApiError(ErrorReason.INVALID_ARGUMENT, "owner '" + abbreviate(owner) + "' is not an address: "
                    + e.getMessage());
        }
        return spaces.open(owner, name);
    }

    /** {@code at}: a version number or an ISO-8601 time; absent: the head. */
    private static Snapshot at(Space space, String at) {
        if (at == null) {
            return space.snapshot();
        }
        if (!at.isEmpty() && at.length() <= 19 && at.chars().allMatch(Character::isDigit)) {
            return space.at(Long.parseLong(at));
        }
        try {
            return space.at(Instant.parse(at));
        } catch (DateTimeParseException e) {
            throw new ApiError(ErrorReason.INVALID_ARGUMENT, "at must be a version number or an ISO-8601 time such as "
                    + "2026-12-07T10:15:30Z, got '" + abbreviate(at) + "'");
        }
    }

    static Map<String, Object> entryJson(Entry e) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("key", e.key());
        out.put("size", e.size());
        out.put("contentType", e.contentType());
        out.put("etag", e.etag());
        out.put("version", e.version());
        out.put("modified", e.modified().toString());
        out.put("metadata", new TreeMap<>(e.metadata()));
        out.put("encrypted", e.encrypted());
        return out;
    }

    private static Map<String, Object> commitJson(CommitResult r) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("version", r.version());
        out.put("manifestBlobId", r.manifestBlobId());
        out.put("commitTime", r.commitTime().toString());
        out.put("changed", r.changed());
        out.put("attempts", r.attempts());
        return out;
    }

    private static String abbreviate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 97) + "...";
    }

    /** Turns the SDK's exceptions into AIP-193 errors with the spaces reasons. */
    static io.tusk.http.RouteHandler guard(io.tusk.http.RouteHandler handler) {
        return request -> {
            try {
                return handler.handle(request);
            } catch (SpaceNotFoundException e) {
                throw new ApiError(ErrorReason.SPACE_NOT_FOUND, e.getMessage());
            } catch (EntryNotFoundException e) {
                throw new ApiError(ErrorReason.ENTRY_NOT_FOUND, e.getMessage());
            } catch (SpaceExistsException e) {
                throw new ApiError(ErrorReason.ALREADY_EXISTS, e.getMessage());
            } catch (VersionConflictException e) {
                throw new ApiError(ErrorReason.VERSION_CONFLICT, e.getMessage());
            } catch (PreconditionFailedException e) {
                throw new ApiError(ErrorReason.CONDITION_NOT_MET, e.getMessage());
            } catch (NotOwnerException e) {
                throw new ApiError(ErrorReason.NOT_SPACE_OWNER, e.getMessage());
            } catch (InvalidKeyException e) {
                throw new ApiError(ErrorReason.INVALID_ARGUMENT, e.getMessage());
            } catch (SpaceKeyException e) {
                throw new ApiError(ErrorReason.SPACE_KEY_UNAVAILABLE, e.getMessage());
            } catch (VerificationException e) {
                throw new ApiError(ErrorReason.SPACE_VERIFICATION_FAILED, e.getMessage());
            } catch (BlobNotFoundException e) {
                throw new ApiError(ErrorReason.BLOB_NOT_FOUND, e.getMessage());
            } catch (SpaceException | IllegalArgumentException e) {
                throw new ApiError(ErrorReason.INVALID_ARGUMENT, e.getMessage());
            }
        };
    }
}
