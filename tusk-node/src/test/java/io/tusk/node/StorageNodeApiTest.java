package io.tusk.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.control.api.Event;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodedBlob;
import io.tusk.core.encoding.SliverPair;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.messages.SignedMessage;
import io.tusk.core.messages.StorageConfirmation;
import io.tusk.core.metadata.BlobId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The REST API on a real socket, with a real RocksDB store, against an in-memory control plane. */
class StorageNodeApiTest {
    static final int N = 10;
    static final List<Integer> OWNED = List.of(0, 3, 4, 8);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    BlsKeyPair key;
    FakeControl control;
    StorageNode node;
    HttpClient http = HttpClient.newHttpClient();
    EncodedBlob blob;
    BlobId id;

    @BeforeEach
    void setUp() throws Exception {
        key = BlsKeyPair.generate(new SecureRandom());
        Files.writeString(dir.resolve("node.bls"), HexFormat.of().formatHex(key.secret()));
        BlsKeyPair other = BlsKeyPair.generate(new SecureRandom());
        List<Integer> rest = IntStream.range(0, N).boxed().filter(s -> !OWNED.contains(s)).toList();
        control = new FakeControl(new CommitteeInfo(1, N, List.of(
                new CommitteeMember("0x01", "me", "127.0.0.1:1", key.publicKey().bytes(), 1, OWNED),
                new CommitteeMember("0x02", "other", "127.0.0.1:2", other.publicKey().bytes(), 1, rest))));
        startNode();
        byte[] data = new byte[5000];
        new java.util.Random(7).nextBytes(data);
        blob = new BlobEncoder(N).encode(data);
        id = blob.blobId();
    }

    void startNode() throws Exception {
        NodeConfig config = NodeConfig.of(dir.resolve("db"), dir.resolve("node.bls"), URI.create("http://unused"))
                .withPort(0);
        config = new NodeConfig(config.dataDir(), config.bindHost(), 0, config.blsKeyFile(), config.controlUrl(), false,
                100, 1 << 20, 60_000, 100, 200, 3_000, 16, config.recovery());
        node = StorageNode.start(config, control);
        await().atMost(EVENT_TIMEOUT).until(() -> node.follower().hasCommittee());
    }

    @AfterEach
    void tearDown() {
        node.close();
    }

    /** How long a node may take to apply an event here (generous: the machine may be busy). */
    static final Duration EVENT_TIMEOUT = Duration.ofSeconds(30);

    static String objectHex(int b) {
        byte[] bytes = new byte[32];
        Arrays.fill(bytes, (byte) b);
        return "0x" + HexFormat.of().formatHex(bytes);
    }

    void register(boolean deletable, int object) throws InterruptedException {
        long cursor = control.nextCursor();
        control.append(new Event.BlobRegistered(cursor, 1, id.toString(), objectHex(object), "0xowner", 5000, "RS2", 5,
                deletable));
        await().atMost(EVENT_TIMEOUT).until(() -> node.store().eventCursor() > cursor);
    }

    HttpResponse<byte[]> send(String method, String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(node.url() + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static JsonNode json(HttpResponse<byte[]> r) throws Exception {
        assertThat(r.headers().firstValue("content-type")).contains("application/json");
        return JSON.readTree(r.body());
    }

    static void assertError(HttpResponse<byte[]> r, int code, String reason) throws Exception {
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(code);
        JsonNode error = json(r).get("error");
        assertThat(error.get("code").asInt()).isEqualTo(code);
        JsonNode info = error.get("details").get(0);
        assertThat(info.get("@type").asText()).isEqualTo("ErrorInfo");
        assertThat(info.get("reason").asText()).isEqualTo(reason);
        assertThat(info.get("domain").asText()).isEqualTo("storage.walrus.space");
        assertThat(info.get("metadata").isObject()).isTrue();
    }

    static void assertText(HttpResponse<byte[]> r, int code) {
        assertThat(r.statusCode()).isEqualTo(code);
        if (r.body().length > 0) {
            assertThat(r.headers().firstValue("content-type").orElse("")).startsWith("text/plain");
        }
    }

    List<Integer> ownedPairs() {
        return OWNED.stream().map(s -> id.pairForShard(s, N)).sorted().toList();
    }

    int notOwnedPair() {
        return IntStream.range(0, N).filter(q -> !ownedPairs().contains(q)).findFirst().orElseThrow();
    }

    String blobPath() {
        return "/v1/blobs/" + id;
    }

    void storeEverything() throws Exception {
        HttpResponse<byte[]> r = send("PUT", blobPath() + "/metadata", blob.metadata().metadata().toBcs(),
                "Content-Type", "application/octet-stream");
        assertThat(r.statusCode()).isEqualTo(201);
        assertThat(json(r).toString()).isEqualTo("{\"success\":{\"code\":201,\"data\":\"metadata successfully stored\"}}");
        for (int pair : ownedPairs()) {
            SliverPair p = blob.pairs().get(pair);
            for (SliverType type : SliverType.values()) {
                HttpResponse<byte[]> s = send("PUT", blobPath() + "/slivers/" + pair + "/" + type.wireName(),
                        p.sliver(type).toBcs());
                assertThat(s.statusCode()).isEqualTo(201);
                assertThat(json(s).toString()).isEqualTo("{\"success\":{\"code\":201,\"data\":\"sliver stored successfully\"}}");
            }
        }
    }

    @Test
    void shouldStoreReadBackAndConfirmARegisteredBlob() throws Exception {
        assertThat(json(send("GET", blobPath() + "/status", null)).toString())
                .isEqualTo("{\"success\":{\"code\":200,\"data\":\"nonexistent\"}}");
        register(false, 0xcd);
        assertError(send("GET", blobPath() + "/confirmation/permanent", null), 400, "MISSING_SLIVERS");
        storeEverything();

        HttpResponse<byte[]> metadata = send("GET", blobPath() + "/metadata", null);
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(metadata.headers().firstValue("content-type")).contains("application/octet-stream");
        assertThat(metadata.body()).isEqualTo(blob.metadata().toBcs());
        assertThat(json(send("GET", blobPath() + "/metadata/status", null)).toString())
                .isEqualTo("{\"success\":{\"code\":200,\"data\":\"stored\"}}");
        for (int pair : ownedPairs()) {
            for (SliverType type : SliverType.values()) {
                HttpResponse<byte[]> s = send("GET", blobPath() + "/slivers/" + pair + "/" + type.wireName(), null);
                assertThat(s.body()).isEqualTo(blob.pairs().get(pair).sliver(type).toBcs());
                assertThat(json(send("GET", blobPath() + "/slivers/" + pair + "/" + type.wireName() + "/status", null))
                        .get("success").get("data").asText()).isEqualTo("stored");
            }
        }
        // A repeated PUT is a 200.
        int pair0 = ownedPairs().get(0);
        HttpResponse<byte[]> again = send("PUT", blobPath() + "/slivers/" + pair0 + "/primary",
                blob.pairs().get(pair0).primary().toBcs());
        assertThat(again.statusCode()).isEqualTo(200);

        JsonNode confirmation = json(send("GET", blobPath() + "/confirmation/permanent", null));
        JsonNode signed = confirmation.get("success").get("data").get("signed");
        SignedMessage message = SignedMessage.fromBase64(signed.get("serializedMessage").asText(),
                signed.get("signature").asText());
        assertThat(message.verify(key.publicKey())).isTrue();
        assertThat(message.serializedMessage()).isEqualTo(new StorageConfirmation(1, id, BlobPersistence.PERMANENT).toBcs());
        assertThat(signed.get("serializedMessage").asText()).isEqualTo(
                java.util.Base64.getEncoder().encodeToString(message.serializedMessage()));

        // Not registered as deletable with this object.
        assertError(send("GET", blobPath() + "/confirmation/deletable/" + objectHex(0xcd), null), 400, "NOT_REGISTERED");

        JsonNode status = json(send("GET", blobPath() + "/status", null)).get("success").get("data");
        assertThat(status.get("permanent").get("endEpoch").asInt()).isEqualTo(5);
        assertThat(status.get("permanent").get("isCertified").asBoolean()).isFalse();
        assertThat(status.get("permanent").get("statusEvent").get("eventSeq").asText()).isEqualTo("0");
        assertThat(status.get("permanent").get("deletableCounts").toString())
                .isEqualTo("{\"count_deletable_total\":0,\"count_deletable_certified\":0}");
        assertThat(status.get("permanent").get("initialCertifiedEpoch").isNull()).isTrue();

        long cursor = control.nextCursor();
        control.append(new Event.BlobCertified(cursor, 1, id.toString(), objectHex(0xcd), 5, false, false));
        await().atMost(EVENT_TIMEOUT).until(() -> node.store().eventCursor() > cursor);
        status = json(send("GET", blobPath() + "/status", null)).get("success").get("data");
        assertThat(status.get("permanent").get("isCertified").asBoolean()).isTrue();
        assertThat(status.get("permanent").get("initialCertifiedEpoch").asInt()).isEqualTo(1);

        // Health and metrics.
        JsonNode health = json(send("GET", "/v1/health?detailed=true", null)).get("success").get("data");
        assertThat(health.get("publicKey").asText()).isEqualTo(key.publicKey().toBase64());
        assertThat(health.get("shardSummary").get("owned").asInt()).isEqualTo(OWNED.size());
        assertThat(health.get("shardDetail").get("owned")).hasSize(OWNED.size());
        String metrics = new String(send("GET", "/metrics", null).body(), StandardCharsets.UTF_8);
        assertThat(metrics).contains("tusk_node_slivers_stored_total 8.0")
                .contains("tusk_http_server_requests_seconds_count{method=\"PUT\","
                + "route=\"/v1/blobs/{blob_id}/slivers/{sliver_pair_index}/{sliver_type}\",server=\"node\",status=\"201\"} 8");
    }

    @Test
    void shouldServeManySliversOfABlobInOneAnswer() throws Exception {
        register(false, 1);
        storeEverything();
        List<Integer> pairs = ownedPairs();
        HttpResponse<byte[]> batch = send("GET", blobPath() + "/slivers/secondary?pair=" + pairs.get(1) + "&pair="
                + notOwnedPair() + "&pair=" + pairs.get(0), null);
        assertThat(batch.statusCode()).isEqualTo(200);
        assertThat(batch.headers().firstValue("content-type")).contains("application/octet-stream");
        io.tusk.core.bcs.BcsReader reader = new io.tusk.core.bcs.BcsReader(batch.body());
        assertThat(reader.uleb128(N)).isEqualTo(2);
        assertThat(io.tusk.core.encoding.Sliver.readBcs(SliverType.SECONDARY, reader))
                .isEqualTo(blob.pairs().get(pairs.get(1)).secondary());
        assertThat(io.tusk.core.encoding.Sliver.readBcs(SliverType.SECONDARY, reader))
                .isEqualTo(blob.pairs().get(pairs.get(0)).secondary());
        reader.expectEnd();
        assertError(send("GET", blobPath() + "/slivers/primary?pair=" + notOwnedPair(), null), 400,
                "SHARD_NOT_ASSIGNED");
        assertText(send("GET", blobPath() + "/slivers/primary?pair=x", null), 400);
        assertText(send("GET", blobPath() + "/slivers/primary?pairs=1", null), 400);
        assertText(send("GET", blobPath() + "/slivers/tertiary?pair=1", null), 400);
    }

    @Test
    void shouldStopABatchAnswerAtTheBytesTheClientAsksFor() throws Exception {
        register(false, 1);
        storeEverything();
        List<Integer> pairs = ownedPairs();
        String both = blobPath() + "/slivers/primary?pair=" + pairs.get(0) + "&pair=" + pairs.get(1);
        // A budget below one sliver still brings the first (an answer is never empty), and only that one.
        io.tusk.core.bcs.BcsReader one = new io.tusk.core.bcs.BcsReader(send("GET", both + "&max_bytes=1", null).body());
        assertThat(one.uleb128(N)).isEqualTo(1);
        assertThat(io.tusk.core.encoding.Sliver.readBcs(SliverType.PRIMARY, one)).isEqualTo(blob.pairs().get(pairs.get(0)).primary());
        one.expectEnd();
        io.tusk.core.bcs.BcsReader two = new io.tusk.core.bcs.BcsReader(send("GET", both + "&max_bytes=1048576", null).body());
        assertThat(two.uleb128(N)).isEqualTo(2);
        assertText(send("GET", both + "&max_bytes=-1", null), 400);
    }

    @Test
    void shouldStoreTheSliversOfABatchWriteAsIfPutOneByOne() throws Exception {
        register(false, 1);
        assertThat(send("PUT", blobPath() + "/metadata", blob.metadata().metadata().toBcs(),
                "Content-Type", "application/octet-stream").statusCode()).isEqualTo(201);
        List<Integer> pairs = ownedPairs();
        for (SliverType type : SliverType.values()) {
            io.tusk.core.bcs.BcsWriter body = new io.tusk.core.bcs.BcsWriter();
            body.uleb128(pairs.size());
            pairs.forEach(pair -> blob.pairs().get(pair).sliver(type).writeBcs(body));
            byte[] bytes = body.finish();
            HttpResponse<byte[]> stored = send("PUT", blobPath() + "/slivers/" + type.wireName(), bytes);
            assertThat(stored.statusCode()).isEqualTo(201);
            assertThat(json(stored).toString()).contains(pairs.size() + " slivers stored, 0 already stored");
            HttpResponse<byte[]> again = send("PUT", blobPath() + "/slivers/" + type.wireName(), bytes);
            assertThat(again.statusCode()).isEqualTo(200);
            assertThat(json(again).toString()).contains("0 slivers stored, " + pairs.size() + " already stored");
            for (int pair : pairs) {
                assertThat(send("GET", blobPath() + "/slivers/" + pair + "/" + type.wireName(), null).body())
                        .isEqualTo(blob.pairs().get(pair).sliver(type).toBcs());
            }
        }
        // a body that is not a vector of slivers, trailing bytes, and a sliver of a pair this node does not hold
        assertThat(send("PUT", blobPath() + "/slivers/primary", new byte[] {5, 1, 2}).statusCode()).isEqualTo(400);
        io.tusk.core.bcs.BcsWriter trailing = new io.tusk.core.bcs.BcsWriter();
        trailing.uleb128(1);
        blob.pairs().get(pairs.get(0)).primary().writeBcs(trailing);
        trailing.u8(7);
        assertThat(send("PUT", blobPath() + "/slivers/primary", trailing.finish()).statusCode()).isEqualTo(400);
        int foreign = java.util.stream.IntStream.range(0, N).filter(p -> !pairs.contains(p)).findFirst().orElseThrow();
        io.tusk.core.bcs.BcsWriter notHere = new io.tusk.core.bcs.BcsWriter();
        notHere.uleb128(1);
        blob.pairs().get(foreign).primary().writeBcs(notHere);
        HttpResponse<byte[]> refused = send("PUT", blobPath() + "/slivers/primary", notHere.finish());
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(new String(refused.body(), java.nio.charset.StandardCharsets.UTF_8)).contains("SHARD_NOT_ASSIGNED");
    }

    /** The body of a batch write: a BCS vector of {@code slivers}. */
    static byte[] batchBody(List<io.tusk.core.encoding.Sliver> slivers) {
        io.tusk.core.bcs.BcsWriter body = new io.tusk.core.bcs.BcsWriter();
        body.uleb128(slivers.size());
        slivers.forEach(sliver -> sliver.writeBcs(body));
        return body.finish();
    }

    /**
     * A batch write reads the blob's registration and metadata once, where the same slivers PUT one by one read them
     * once each: counted as the store's point reads made by the sliver writes (fail point {@code node.store-read},
     * armed to count, never fail; reads of the node's background threads, such as its event cursor, do not count).
     */
    @Test
    void shouldReadTheBlobsRegistrationAndMetadataOncePerBatchWrite() throws Exception {
        register(false, 1);
        assertThat(send("PUT", blobPath() + "/metadata", blob.metadata().metadata().toBcs()).statusCode()).isEqualTo(201);
        List<Integer> pairs = ownedPairs();
        java.util.concurrent.atomic.AtomicLong reads = new java.util.concurrent.atomic.AtomicLong();
        String writes = io.tusk.node.service.SliverWrites.class.getName();
        try {
            io.tusk.core.failpoint.FailPoints.arm("node.store-read", (name, hit) -> {
                if (StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getClassName().startsWith(writes)))) {
                    reads.incrementAndGet();
                }
            });
            for (int pair : pairs) {
                assertThat(send("PUT", blobPath() + "/slivers/" + pair + "/primary",
                        blob.pairs().get(pair).primary().toBcs()).statusCode()).isEqualTo(201);
            }
            long oneByOne = reads.getAndSet(0);
            HttpResponse<byte[]> batch = send("PUT", blobPath() + "/slivers/secondary",
                    batchBody(pairs.stream().map(pair -> blob.pairs().get(pair).secondary()).toList()));
            assertThat(batch.statusCode()).isEqualTo(201);
            long batched = reads.get();
            // Per sliver one registration (blob info) and one metadata read fewer; the sliver's own reads stay.
            assertThat(oneByOne - batched).as("reads one by one %d, batched %d", oneByOne, batched)
                    .isEqualTo(2L * (pairs.size() - 1));
        } finally {
            io.tusk.core.failpoint.FailPoints.disarmAll();
        }
    }

    /**
     * A sliver that does not match the metadata in the middle of a batch is refused as its own PUT would be
     * (INVALID_SLIVER); the slivers before it are stored, as they would have been one by one, and those after it not.
     */
    @Test
    void shouldRefuseABatchAtItsFirstBadSliverAndKeepTheSliversBeforeIt() throws Exception {
        register(false, 1);
        assertThat(send("PUT", blobPath() + "/metadata", blob.metadata().metadata().toBcs()).statusCode()).isEqualTo(201);
        List<Integer> pairs = ownedPairs();
        List<io.tusk.core.encoding.Sliver> slivers = new java.util.ArrayList<>(
                pairs.stream().map(pair -> blob.pairs().get(pair).primary()).toList());
        byte[] tampered = slivers.get(1).toBcs();
        tampered[tampered.length - 5] ^= 1; // the last symbol byte: the BCS ends with symbol size and index (u16 each)
        slivers.set(1, io.tusk.core.encoding.Sliver.fromBcs(SliverType.PRIMARY, tampered));
        HttpResponse<byte[]> alone = send("PUT", blobPath() + "/slivers/" + pairs.get(1) + "/primary", tampered);
        assertError(alone, 400, "INVALID_SLIVER");

        HttpResponse<byte[]> refused = send("PUT", blobPath() + "/slivers/primary", batchBody(slivers));
        assertError(refused, 400, "INVALID_SLIVER");
        assertThat(json(refused).get("error").get("message").asText())
                .isEqualTo(json(alone).get("error").get("message").asText());
        assertThat(send("GET", blobPath() + "/slivers/" + pairs.get(0) + "/primary", null).statusCode()).isEqualTo(200);
        for (int pair : pairs.subList(1, pairs.size())) {
            assertThat(send("GET", blobPath() + "/slivers/" + pair + "/primary", null).statusCode())
                    .as("pair %d", pair).isEqualTo(404);
        }
    }

    @Test
    void shouldKeepEverythingAcrossARestart() throws Exception {
        register(true, 0x11);
        storeEverything();
        node.close();
        startNode();
        assertThat(send("GET", blobPath() + "/metadata", null).body()).isEqualTo(blob.metadata().toBcs());
        int pair = ownedPairs().get(1);
        assertThat(send("GET", blobPath() + "/slivers/" + pair + "/secondary", null).body())
                .isEqualTo(blob.pairs().get(pair).secondary().toBcs());
        JsonNode signed = json(send("GET", blobPath() + "/confirmation/deletable/" + objectHex(0x11), null))
                .get("success").get("data").get("signed");
        SignedMessage message = SignedMessage.fromBase64(signed.get("serializedMessage").asText(),
                signed.get("signature").asText());
        assertThat(message.verify(key.publicKey())).isTrue();
        assertThat(message.serializedMessage()).isEqualTo(new StorageConfirmation(1, id,
                BlobPersistence.deletable(ObjectId.parse(objectHex(0x11)))).toBcs());
        assertThat(json(send("GET", blobPath() + "/status", null)).toString()).isEqualTo(
                "{\"success\":{\"code\":200,\"data\":{\"deletable\":{\"initialCertifiedEpoch\":null,"
                        + "\"deletableCounts\":{\"count_deletable_total\":1,\"count_deletable_certified\":0}}}}}");
    }

    @Test
    void shouldRefuseBadInputWithoutStoringAnything() throws Exception {
        byte[] metadataBcs = blob.metadata().metadata().toBcs();
        // Unregistered.
        assertError(send("PUT", blobPath() + "/metadata", metadataBcs), 400, "NOT_REGISTERED");
        assertError(send("GET", blobPath() + "/confirmation/permanent", null), 400, "NOT_REGISTERED");
        register(false, 1);
        // Malformed BCS, wrong content type, metadata of another blob, unsupported encoding.
        assertError(send("PUT", blobPath() + "/metadata", new byte[] {0, 1, 2}), 400, "INVALID_CONTENT_TYPE");
        assertError(send("PUT", blobPath() + "/metadata", metadataBcs, "Content-Type", "application/json"), 400,
                "INVALID_CONTENT_TYPE");
        byte[] tampered = metadataBcs.clone();
        tampered[tampered.length - 1] ^= 1;
        assertError(send("PUT", blobPath() + "/metadata", tampered), 400, "INVALID_METADATA");
        byte[] raptor = metadataBcs.clone();
        raptor[1] = 0;
        assertError(send("PUT", blobPath() + "/metadata", raptor), 400, "UNSUPPORTED_ENCODING_TYPE");
        assertError(send("PUT", blobPath() + "/metadata", new byte[(2 << 20) + 1]), 400, "INVALID_CONTENT_TYPE");
        // Slivers before metadata.
        int pair = ownedPairs().get(0);
        byte[] primary = blob.pairs().get(pair).primary().toBcs();
        assertError(send("PUT", blobPath() + "/slivers/" + pair + "/primary", primary), 400, "METADATA_NOT_FOUND");
        assertThat(send("PUT", blobPath() + "/metadata", metadataBcs).statusCode()).isEqualTo(201);
        // Sliver checks.
        assertError(send("PUT", blobPath() + "/slivers/" + N + "/primary", primary), 400, "INDEX_OUT_OF_RANGE");
        int other = notOwnedPair();
        HttpResponse<byte[]> notAssigned = send("PUT", blobPath() + "/slivers/" + other + "/primary",
                blob.pairs().get(other).primary().toBcs());
        assertError(notAssigned, 400, "SHARD_NOT_ASSIGNED");
        assertThat(json(notAssigned).get("error").get("message").asText()).isEqualTo("shard "
                + id.shardForPair(other, N) + " is not assigned to this node in epoch 1");
        assertError(send("GET", blobPath() + "/slivers/" + other + "/primary", null), 400, "SHARD_NOT_ASSIGNED");
        assertError(send("PUT", blobPath() + "/slivers/" + pair + "/secondary", primary), 400, "SLIVER_INDEX_MISMATCH");
        assertError(send("PUT", blobPath() + "/slivers/" + pair + "/primary", new byte[] {5, 1}), 400,
                "INVALID_CONTENT_TYPE");
        byte[] corrupt = primary.clone();
        corrupt[5] ^= 0x40;
        assertError(send("PUT", blobPath() + "/slivers/" + pair + "/primary", corrupt), 400, "INVALID_SLIVER");
        byte[] wrongSymbol = io.tusk.core.encoding.Sliver.fromBcs(SliverType.PRIMARY, primary).data();
        byte[] shortSliver = new io.tusk.core.encoding.Sliver(SliverType.PRIMARY, pair, 2,
                Arrays.copyOf(wrongSymbol, 2)).toBcs();
        assertError(send("PUT", blobPath() + "/slivers/" + pair + "/primary", shortSliver), 400, "INVALID_SLIVER");
        assertText(send("PUT", blobPath() + "/slivers/" + pair + "/primary", new byte[64 * 1024 * 1024]), 413);
        assertError(send("GET", blobPath() + "/slivers/" + pair + "/primary", null), 404, "SLIVER_NOT_FOUND");
        // Framework rejections: bad path parameters and queries, unknown routes, wrong methods.
        assertText(send("GET", "/v1/blobs/notablobid/metadata", null), 400);
        assertText(send("GET", "/v1/blobs/" + id + "=/metadata", null), 400);
        assertText(send("GET", blobPath() + "/slivers/abc/primary", null), 400);
        assertText(send("GET", blobPath() + "/slivers/1/Primary", null), 400);
        assertText(send("GET", blobPath() + "/slivers/70000/primary", null), 400);
        assertText(send("GET", blobPath() + "/confirmation/deletable/0xzz", null), 400);
        assertText(send("GET", blobPath() + "/confirmation/permanent?wait_for_registration=yes", null), 400);
        assertText(send("PUT", blobPath() + "/metadata?pending=maybe", metadataBcs), 400);
        assertText(send("PUT", blobPath() + "/metadata?other=1", metadataBcs), 400);
        assertText(send("GET", blobPath() + "/recoverySymbols", null), 400);
        assertText(send("GET", blobPath() + "/recoverySymbols?id=1:2", null), 400);
        assertText(send("GET", "/v1/nothing", null), 404);
        assertText(send("DELETE", blobPath() + "/metadata", null), 405);
        assertText(send("POST", blobPath() + "/slivers/" + pair + "/primary", primary), 405);
        // Unknown blob: 404 on reads.
        BlobId unknown = BlobId.of(new byte[32]);
        assertError(send("GET", "/v1/blobs/" + unknown + "/metadata", null), 404, "METADATA_NOT_FOUND");
        assertThat(json(send("GET", "/v1/blobs/" + unknown + "/status", null)).get("success").get("data").asText())
                .isEqualTo("nonexistent");
        // Nothing was stored by any refused request, and the server still serves.
        assertThat(json(send("GET", blobPath() + "/slivers/" + pair + "/primary/status", null))
                .get("success").get("data").asText()).isEqualTo("nonexistent");
        assertThat(node.store().hasSliver(id.shardForPair(other, N), SliverType.PRIMARY, id)).isFalse();
        assertThat(send("GET", blobPath() + "/metadata", null).body()).isEqualTo(blob.metadata().toBcs());
        // CORS preflight.
        HttpResponse<byte[]> preflight = send("OPTIONS", blobPath() + "/metadata", null,
                "Origin", "https://example.com", "Access-Control-Request-Method", "PUT");
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("access-control-allow-origin")).contains("*");
    }

    @Test
    void shouldBufferPendingUploadsAndLongPollForRegistration() throws Exception {
        byte[] metadataBcs = blob.metadata().metadata().toBcs();
        HttpResponse<byte[]> buffered = send("PUT", blobPath() + "/metadata?pending=true", metadataBcs);
        assertThat(buffered.statusCode()).isEqualTo(202);
        assertThat(json(buffered).get("success").get("data").asText()).isEqualTo("metadata buffered pending registration");
        for (int pair : ownedPairs()) {
            for (SliverType type : SliverType.values()) {
                assertThat(send("PUT", blobPath() + "/slivers/" + pair + "/" + type.wireName() + "?pending=true",
                        blob.pairs().get(pair).sliver(type).toBcs()).statusCode()).isEqualTo(202);
            }
        }
        assertThat(node.store().hasMetadata(id)).isFalse();
        Thread registrar = Thread.ofVirtual().start(() -> {
            try {
                Thread.sleep(300);
                control.append(new Event.BlobRegistered(control.nextCursor(), 1, id.toString(), objectHex(9), "0xo",
                        5000, "RS2", 4, false));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        HttpResponse<byte[]> confirmation = send("GET",
                blobPath() + "/confirmation/permanent?wait_for_registration=true&wait_millis=5000", null);
        registrar.join();
        assertThat(confirmation.statusCode()).as(new String(confirmation.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(node.store().hasMetadata(id)).isTrue();
    }

    @Test
    void shouldServeRecoverySymbolsOverHttp() throws Exception {
        register(false, 1);
        storeEverything();
        int pair = ownedPairs().get(0);
        HttpResponse<byte[]> r = send("GET", blobPath() + "/recoverySymbols?id=" + pair + "-2&id=" + pair + "-1", null);
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).contains("application/octet-stream");
        io.tusk.core.bcs.BcsReader reader = new io.tusk.core.bcs.BcsReader(r.body());
        assertThat(reader.uleb128(10)).isEqualTo(2);
        io.tusk.core.encoding.RecoverySymbol first = io.tusk.core.encoding.RecoverySymbol.readBcs(reader);
        first.verify(new io.tusk.core.encoding.EncodingConfig(N), blob.metadata().metadata());
        assertThat(first.secondaryIndex()).isEqualTo(1);
        HttpResponse<byte[]> target = send("GET", blobPath() + "/recoverySymbols?targetSliver=3&targetType=secondary", null);
        assertThat(target.statusCode()).isEqualTo(200);
        assertError(send("GET", blobPath() + "/recoverySymbols?targetSliver=3&targetType=secondary&proofAxis=secondary",
                null), 400, "INVALID_FILTER");
        HttpResponse<byte[]> decoding = send("GET", blobPath() + "/decodingSymbols?targetSlivers=0&targetSlivers=1&targetType=primary", null);
        assertThat(decoding.statusCode()).isEqualTo(200);
        assertError(send("GET", blobPath() + "/decodingSymbols?targetSlivers=9&targetType=primary", null), 400,
                "RECOVERY_SYMBOL_OUT_OF_RANGE");
    }

    @Test
    void shouldFollowAnEpochChangeToItsNewShards() throws Exception {
        register(false, 1);
        storeEverything();
        assertThat(send("GET", blobPath() + "/confirmation/permanent", null).statusCode()).isEqualTo(200);
        // Epoch 2: this node gains shard 1.
        List<Integer> owned = java.util.stream.Stream.concat(OWNED.stream(), java.util.stream.Stream.of(1)).sorted().toList();
        List<Integer> rest = IntStream.range(0, N).boxed().filter(s -> !owned.contains(s)).toList();
        CommitteeInfo before = control.committee();
        control.setCommittee(new CommitteeInfo(2, N, List.of(
                new CommitteeMember("0x01", "me", "127.0.0.1:1", key.publicKey().bytes(), 1, owned),
                new CommitteeMember("0x02", "other", "127.0.0.1:2", before.members().get(1).blsPublicKey(), 1, rest))));
        long cursor = control.nextCursor();
        control.append(new Event.EpochChange(cursor, 2));
        await().atMost(EVENT_TIMEOUT).until(() -> node.store().eventCursor() > cursor);
        assertThat(node.service().state().view().epoch()).isEqualTo(2);
        assertThat(node.service().state().view().ownedShards()).containsExactlyElementsOf(owned);
        // Missing the slivers of the new shard: no confirmation until they are stored.
        assertError(send("GET", blobPath() + "/confirmation/permanent", null), 400, "MISSING_SLIVERS");
        int newPair = id.pairForShard(1, N);
        for (SliverType type : SliverType.values()) {
            assertThat(send("PUT", blobPath() + "/slivers/" + newPair + "/" + type.wireName(),
                    blob.pairs().get(newPair).sliver(type).toBcs()).statusCode()).isEqualTo(201);
        }
        JsonNode signed = json(send("GET", blobPath() + "/confirmation/permanent", null)).get("success").get("data")
                .get("signed");
        SignedMessage message = SignedMessage.fromBase64(signed.get("serializedMessage").asText(),
                signed.get("signature").asText());
        assertThat(message.serializedMessage()).isEqualTo(new StorageConfirmation(2, id, BlobPersistence.PERMANENT).toBcs());
        assertThat(json(send("GET", "/v1/health", null)).get("success").get("data").get("epoch").asInt()).isEqualTo(2);
    }
}
