package io.tusk.http;

import io.tusk.core.api.ErrorDomains;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.metadata.BlobId;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** The server on a real socket (port 0). */
class TuskHttpServerTest {
    private static final String BLOB = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8";
    private static final int STREAM_BYTES = 8 << 20;
    private static TuskHttpServer server;
    private static HttpClient client;

    @BeforeAll
    static void start() {
        server = HttpServerBuilder.create("test")
                .port(0)
                .domain(ErrorDomains.NODE)
                .requestTimeout(Duration.ofSeconds(10))
                .get("/v1/blobs/{blobId}/slivers/{pairIndex}/{sliverType}", request -> {
                    BlobId blobId = request.pathParam("blobId", BlobId::parse);
                    int pair = request.pathParamU16("pairIndex");
                    String type = request.pathParam("sliverType", t -> switch (t) {
                        case "primary", "secondary" -> t;
                        default -> throw new IllegalArgumentException("unknown variant `" + t + "`, expected `primary` or "
                                + "`secondary`");
                    });
                    return Response.ok(Map.of("blobId", blobId.toString(), "pair", pair, "type", type));
                })
                .get("/v1/blobs/{blobId}/status", request -> Response.ok("literal wins over parameter"))
                .get("/v1/blobs/{blobId}/{what}", request -> Response.ok("parameter " + request.pathParam("what")))
                .get("/v1/query", request -> Response.ok(Map.of(
                        "ids", request.queryAll("id"),
                        "wait", request.queryBoolean("wait", false),
                        "millis", request.queryLong("millis", 0, 1000).orElse(-1))))
                .get("/v1/strict", request -> {
                    request.rejectUnknownQuery("pending");
                    return Response.ok(request.queryBoolean("pending", false));
                })
                .put("/v1/limited", RouteOptions.maxBody(1024), request -> Response.bcs(request.body(100)))
                .put("/v1/echo", RouteOptions.maxBody(1024), request -> Response.bcs(request.body()))
                .post("/v1/json", request -> Response.success(201, request.json(Payload.class)))
                .get("/v1/not-registered", request -> {
                    throw ApiError.of(ErrorReason.NOT_REGISTERED,
                            "the blob has not been registered or has already expired");
                })
                .get("/v1/epoch-error", request -> {
                    throw ApiError.of(ErrorReason.INVALID_EPOCH, "bad epoch")
                            .withMetadata("request_epoch", 3).withMetadata("server_epoch", 4);
                })
                .get("/v1/boom", request -> {
                    throw new IllegalStateException("secret detail");
                })
                .get("/v1/slow", RouteOptions.timeout(Duration.ofMillis(200)), request -> {
                    Thread.sleep(5_000);
                    return Response.ok("late");
                })
                .get("/v1/large", request -> Response.stream(200, Response.OCTET_STREAM, STREAM_BYTES, out -> {
                    byte[] chunk = new byte[64 * 1024];
                    for (int i = 0; i < chunk.length; i++) {
                        chunk[i] = (byte) i;
                    }
                    for (int written = 0; written < STREAM_BYTES; written += chunk.length) {
                        out.write(chunk);
                    }
                }))
                .start();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    record Payload(String name, int count) {
    }

    private static HttpResponse<String> send(HttpRequest.Builder builder) throws Exception {
        return client.send(builder.timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(server.uri().resolve(path));
    }

    @Test
    void shouldReportTheBoundPort() {
        assertThat(server.port()).isPositive();
        assertThat(server.uri().toString()).isEqualTo("http://127.0.0.1:" + server.port());
    }

    @Test
    void shouldRouteWithTypedPathParameters() throws Exception {
        HttpResponse<String> response = send(request("/v1/blobs/" + BLOB + "/slivers/17/secondary"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).startsWith("{\"success\":{\"code\":200,\"data\":{");
        assertThat(TuskJson.mapper().readTree(response.body()).at("/success/data/pair").asInt()).isEqualTo(17);
        assertThat(TuskJson.mapper().readTree(response.body()).at("/success/data/type").asText())
                .isEqualTo("secondary");
    }

    @Test
    void shouldTakeAnEncodedSlashAsPartOfOneSegment() throws Exception {
        HttpResponse<String> response = send(request("/v1/blobs/" + BLOB + "/dir%2Ffile.bin"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("parameter dir/file.bin");
    }

    @Test
    void shouldPreferLiteralSegments() throws Exception {
        assertThat(send(request("/v1/blobs/" + BLOB + "/status")).body()).contains("literal wins");
        assertThat(send(request("/v1/blobs/" + BLOB + "/other")).body()).contains("parameter other");
    }

    @Test
    void shouldRejectBadPathParametersAsPlainText400() throws Exception {
        for (String path : List.of("/v1/blobs/" + BLOB + "/slivers/17/Primary",
                "/v1/blobs/" + BLOB + "/slivers/70000/primary",
                "/v1/blobs/" + BLOB + "/slivers/-1/primary",
                "/v1/blobs/" + BLOB + "=/slivers/1/primary",
                "/v1/blobs/not-a-blob-id/slivers/1/primary")) {
            HttpResponse<String> response = send(request(path));
            assertThat(response.statusCode()).as(path).isEqualTo(400);
            assertThat(response.headers().firstValue("Content-Type").orElse("")).as(path).startsWith("text/plain");
        }
    }

    @Test
    void shouldAnswerUnknownRoutes404EmptyAndWrongMethods405() throws Exception {
        HttpResponse<String> unknown = send(request("/v1/nothing/here"));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEmpty();

        HttpResponse<String> wrongMethod = send(request("/v1/echo"));
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("PUT");
    }

    @Test
    void shouldParseQueriesStrictly() throws Exception {
        HttpResponse<String> response = send(request("/v1/query?id=3-5&id=7-9&wait=true&millis=250"));
        var data = TuskJson.mapper().readTree(response.body()).at("/success/data");
        assertThat(data.get("ids").toString()).isEqualTo("[\"3-5\",\"7-9\"]");
        assertThat(data.get("wait").asBoolean()).isTrue();
        assertThat(data.get("millis").asLong()).isEqualTo(250);
        for (String query : List.of("wait=True", "wait=1", "millis=-3", "millis=abc", "millis=1001", "id=%C3%28",
                "wait=true&wait=true", "millis=1&millis=50")) {
            HttpResponse<String> bad = send(request("/v1/query?" + query));
            assertThat(bad.statusCode()).as(query).isEqualTo(400);
            assertThat(bad.headers().firstValue("Content-Type").orElse("")).as(query).startsWith("text/plain");
        }
    }

    @Test
    void shouldWordTextRejectionsAsWalrusNodesDo() throws Exception {
        assertThat(send(request("/v1/blobs/" + BLOB + "/slivers/70000/primary")).body())
                .isEqualTo("Invalid URL: Cannot parse `pairIndex` with value `70000` to a `u16`");
        assertThat(send(request("/v1/blobs/" + BLOB + "/slivers/1/Primary")).body())
                .isEqualTo("Invalid URL: Cannot parse `sliverType`: unknown variant `Primary`, expected `primary` or "
                        + "`secondary`");
        assertThat(send(request("/v1/strict?pending=maybe")).body())
                .isEqualTo("Failed to deserialize query string: pending: provided string was not `true` or `false`");
        assertThat(send(request("/v1/strict?other=1")).body())
                .isEqualTo("Failed to deserialize query string: unknown field `other`, expected `pending`");
        assertThat(send(request("/v1/strict?pending=true&pending=false")).body())
                .isEqualTo("Failed to deserialize query string: `pending` must appear once");
        assertThat(send(request("/v1/strict?pending=true")).body()).isEqualTo("{\"success\":{\"code\":200,\"data\":true}}");
    }

    @Test
    void shouldAnswerBadParametersAsJsonWhenBuiltSo() throws Exception {
        try (TuskHttpServer json = HttpServerBuilder.create("json").domain(ErrorDomains.GATEWAY)
                .parameterErrors(ErrorReason.MALFORMED_REQUEST)
                .get("/v1/blobs/{blobId}", r -> Response.ok(r.pathParam("blobId", BlobId::parse).toString()))
                .get("/v1/flags", r -> {
                    r.rejectUnknownQuery("force", "epochs");
                    return Response.ok(Map.of("force", r.queryBoolean("force", false),
                            "epochs", r.queryLong("epochs", 1, 53).orElse(1)));
                })
                .start()) {
            for (String path : List.of("/v1/blobs/nope", "/v1/flags?force=yes", "/v1/flags?epochs=x",
                    "/v1/flags?epochs=54", "/v1/flags?other=1", "/v1/flags?force=true&force=false")) {
                HttpResponse<String> bad = client.send(HttpRequest.newBuilder(json.uri().resolve(path)).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(bad.statusCode()).as(path).isEqualTo(400);
                assertThat(bad.headers().firstValue("Content-Type")).as(path).hasValue("application/json");
                assertThat(bad.body()).as(path).contains("\"reason\":\"MALFORMED_REQUEST\"")
                        .contains("\"domain\":\"daemon.walrus.space\"");
            }
            HttpResponse<String> bad = client.send(HttpRequest.newBuilder(json.uri().resolve("/v1/flags?epochs=54"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(bad.body()).contains("query parameter epochs must be in [1, 53], got 54");
            HttpResponse<String> good = client.send(HttpRequest.newBuilder(json.uri()
                    .resolve("/v1/flags?force=true&epochs=53")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(TuskJson.mapper().readTree(good.body()).at("/success/data/epochs").asInt()).isEqualTo(53);
        }
    }

    @Test
    void shouldRefuseAParameterErrorReasonThatIsNot400() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> HttpServerBuilder.create("x")
                .parameterErrors(ErrorReason.NOT_FOUND)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldApplyAHandlersTighterBodyLimit() throws Exception {
        HttpResponse<String> over = send(request("/v1/limited").PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[101])));
        assertThat(over.statusCode()).isEqualTo(413);
        assertThat(over.body()).isEqualTo("the request body is larger than the limit of 100 bytes");
        HttpResponse<String> chunked = send(request("/v1/limited").PUT(HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(new byte[101]))));
        assertThat(chunked.statusCode()).isEqualTo(413);
        HttpResponse<byte[]> within = client.send(request("/v1/limited").PUT(HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(new byte[100]))).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(within.statusCode()).isEqualTo(200);
        assertThat(within.body()).hasSize(100);
    }

    @Test
    void shouldEchoABodyWithinTheLimitAsOctetStream() throws Exception {
        byte[] body = new byte[1024];
        body[7] = 42;
        HttpResponse<byte[]> response = client.send(request("/v1/echo")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(response.body()).isEqualTo(body);
    }

    @Test
    void shouldRefuseAnOversizedBodyWith413AndKeepServing() throws Exception {
        HttpResponse<String> declared = send(request("/v1/echo")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[64 * 1024 * 1024])));
        assertThat(declared.statusCode()).isEqualTo(413);
        assertThat(declared.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
        assertThat(declared.body()).contains("limit of 1024 bytes");

        // Chunked (no Content-Length): the limit applies while reading.
        HttpResponse<String> chunked = send(request("/v1/echo").PUT(HttpRequest.BodyPublishers.ofInputStream(
                () -> new java.io.ByteArrayInputStream(new byte[4096]))));
        assertThat(chunked.statusCode()).isEqualTo(413);

        assertThat(send(request("/v1/echo").PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[10])))
                .statusCode()).isEqualTo(200);
    }

    @Test
    void shouldParseJsonBodiesStrictly() throws Exception {
        HttpResponse<String> created = send(request("/v1/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"a\",\"count\":2}")));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.body()).isEqualTo("{\"success\":{\"code\":201,\"data\":{\"name\":\"a\",\"count\":2}}}");

        for (String body : List.of("{\"name\":\"a\",\"count\":2,\"extra\":1}", "{\"name\":", "[]", "")) {
            HttpResponse<String> bad = send(request("/v1/json").POST(HttpRequest.BodyPublishers.ofString(body)));
            assertThat(bad.statusCode()).as(body).isEqualTo(400);
            assertThat(bad.headers().firstValue("Content-Type")).as(body).hasValue("application/json");
            assertThat(bad.body()).as(body).contains("\"reason\":\"INVALID_ARGUMENT\"");
        }
    }

    @Test
    void shouldWriteTheAip193ErrorByteForByte() throws Exception {
        HttpResponse<String> response = send(request("/v1/not-registered"));
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"error\":{\"code\":400,\"status\":\"FAILED_PRECONDITION\","
                + "\"message\":\"the blob has not been registered or has already expired\",\"details\":[{\"@type\":"
                + "\"ErrorInfo\",\"reason\":\"NOT_REGISTERED\",\"domain\":\"storage.walrus.space\",\"metadata\":{}}]}}");

        assertThat(send(request("/v1/epoch-error")).body())
                .contains("\"reason\":\"INVALID_EPOCH\"")
                .contains("\"metadata\":{\"request_epoch\":3,\"server_epoch\":4}");
    }

    @Test
    void shouldAnswer500WithATraceIdAndKeepServing() throws Exception {
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> response = send(request("/v1/boom"));
            assertThat(response.statusCode()).isEqualTo(500);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
            assertThat(response.body())
                    .startsWith("{\"error\":{\"code\":500,\"status\":\"INTERNAL\",\"message\":\"an internal error")
                    .contains("\"reason\":\"INTERNAL_ERROR\",\"domain\":\"global\"")
                    .containsPattern("\\{\"@type\":\"DebugInfo\",\"stackEntries\":\\[],\"detail\":\"TraceID: "
                            + "[0-9a-f]{32}\"}")
                    .doesNotContain("secret detail");
        }
        assertThat(send(request("/v1/blobs/" + BLOB + "/status")).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldTimeOutSlowHandlersWith503() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = send(request("/v1/slow"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        assertThat(response.statusCode()).isEqualTo(503);
        assertThat(response.body()).contains("\"status\":\"UNAVAILABLE\"").contains("\"reason\":\"UNAVAILABLE\"");
    }

    @Test
    void shouldAnswerCorsPreflightAndMarkEveryResponse() throws Exception {
        HttpResponse<String> preflight = send(request("/v1/blobs/" + BLOB + "/metadata")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                .header("Origin", "https://example.org")
                .header("Access-Control-Request-Method", "PUT")
                .header("Access-Control-Request-Headers", "content-type,authorization"));
        assertThat(preflight.statusCode()).isEqualTo(200);
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Methods")).hasValue("PUT");
        assertThat(preflight.headers().firstValue("Access-Control-Allow-Headers"))
                .hasValue("content-type,authorization");

        HttpResponse<String> error = send(request("/v1/not-registered").header("Origin", "https://example.org"));
        assertThat(error.headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
        assertThat(send(request("/v1/nothing")).headers().firstValue("Access-Control-Allow-Origin")).hasValue("*");
    }

    @Test
    void shouldStreamALargeBody() throws Exception {
        HttpResponse<InputStream> response = client.send(request("/v1/large").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(STREAM_BYTES);
        long total = 0;
        try (InputStream in = response.body()) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != (byte) ((total + i) % (64 * 1024))) {
                        throw new AssertionError("byte " + (total + i) + " differs");
                    }
                }
                total += n;
            }
        }
        assertThat(total).isEqualTo(STREAM_BYTES);
    }

    @Test
    void shouldAnswerMalformedHttpAsPlainText() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write("GET /v1/%zz HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String answer = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(answer).isEqualTo("HTTP/1.1 400");
        }
    }

    @Test
    void shouldServeConcurrentRequests() throws Exception {
        int n = 64;
        CountDownLatch ready = new CountDownLatch(n);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int pair = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    ready.await();
                    return send(request("/v1/blobs/" + BLOB + "/slivers/" + pair + "/primary"));
                }));
            }
            for (int i = 0; i < n; i++) {
                HttpResponse<String> response = futures.get(i).get();
                assertThat(response.statusCode()).isEqualTo(200);
                // each answer belongs to its own request (parsed, so the test does not depend on field order)
                assertThat(TuskJson.mapper().readTree(response.body()).path("success").path("data").path("pair").asInt(-1))
                        .isEqualTo(i);
            }
        }
    }

    @Test
    void shouldCloseGracefullyAndReleaseThePort() throws Exception {
        TuskHttpServer other = HttpServerBuilder.create("closing").domain(ErrorDomains.CONTROL)
                .get("/x", r -> Response.ok(1)).start();
        URI uri = other.uri().resolve("/x");
        assertThat(client.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
        other.close();
        other.close();
        try (Socket ignored = new Socket("127.0.0.1", uri.getPort())) {
            throw new AssertionError("port still accepting after close");
        } catch (IOException expected) {
            // refused, as it should be
        }
    }
}
