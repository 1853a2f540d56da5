package io.tusk.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.core.api.ErrorDomains;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/** Request metrics, {@code /metrics} and trace IDs carried between two real servers on real sockets. */
class ServerMetricsAndTraceTest {
    private static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static ServerMetrics downstreamMetrics;
    private static TuskHttpServer downstream;
    private static ServerMetrics upstreamMetrics;
    private static TuskHttpServer upstream;
    private static JsonHttpClient toDownstream;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        downstreamMetrics = ServerMetrics.create();
        downstream = HttpServerBuilder.create("down").port(0).domain(ErrorDomains.NODE).metrics(downstreamMetrics)
                .get("/v1/trace", request -> Response.ok(Map.of(
                        "traceId", TraceContext.current().orElse("none"),
                        "mdc", String.valueOf(MDC.get(TraceContext.MDC_KEY)),
                        "header", request.header(TraceContext.HEADER).orElse("none"))))
                .get("/v1/items/{id}", request -> Response.ok(request.pathParam("id")))
                .put("/v1/items/{id}", RouteOptions.maxBody(1 << 20), request -> Response.ok(request.body().length))
                .get("/v1/stream", request -> Response.stream(200, Response.OCTET_STREAM, -1,
                        out -> out.write(new byte[12_345])))
                .get("/v1/boom", request -> {
                    throw new IllegalStateException("boom");
                })
                .start();
        toDownstream = JsonHttpClient.create(downstream.uri());
        upstreamMetrics = ServerMetrics.create();
        // The upstream handler calls the downstream server from a thread it forks, as the SDK does per node.
        upstream = HttpServerBuilder.create("up").port(0).domain(ErrorDomains.GATEWAY).metrics(upstreamMetrics)
                .get("/v1/relay", request -> {
                    try (ExecutorService forked = Executors.newVirtualThreadPerTaskExecutor()) {
                        Future<JsonNode> answer = forked.submit(() -> toDownstream.get("/v1/trace", JsonNode.class));
                        return Response.ok(Map.of("here", TraceContext.current().orElse("none"),
                                "downstream", answer.get()));
                    }
                })
                .start();
    }

    @AfterAll
    static void stop() {
        upstream.close();
        upstreamMetrics.close();
        toDownstream.close();
        downstream.close();
        downstreamMetrics.close();
    }

    @Test
    void aTraceParentIsTheHandlersTraceAndIsAnsweredAndLoggedWithIt() throws Exception {
        HttpResponse<String> response = get(downstream, "/v1/trace", "00-" + TRACE + "-00f067aa0ba902b7-01");
        JsonNode data = TuskJson.mapper().readTree(response.body()).path("success").path("data");
        assertThat(data.path("traceId").asText()).isEqualTo(TRACE);
        assertThat(data.path("mdc").asText()).isEqualTo(TRACE);
        assertThat(response.headers().firstValue(TraceContext.RESPONSE_HEADER)).hasValue(TRACE);
    }

    @Test
    void aRequestWithoutAValidTraceParentGetsANewTrace() throws Exception {
        for (String header : new String[] {null, "garbage", "00-" + TRACE.toUpperCase() + "-00f067aa0ba902b7-01",
                "00-00000000000000000000000000000000-00f067aa0ba902b7-01"}) {
            HttpResponse<String> response = get(downstream, "/v1/trace", header);
            String id = TuskJson.mapper().readTree(response.body()).path("success").path("data").path("traceId").asText();
            assertThat(id).as("for %s", header).matches("[0-9a-f]{32}").isNotEqualTo(TRACE)
                    .isNotEqualTo("0".repeat(32));
            assertThat(response.headers().firstValue(TraceContext.RESPONSE_HEADER)).hasValue(id);
        }
    }

    @Test
    void theTraceTravelsWithRequestsMadeWhileHandlingOne() throws Exception {
        HttpResponse<String> response = get(upstream, "/v1/relay", "00-" + TRACE + "-00f067aa0ba902b7-01");
        JsonNode data = TuskJson.mapper().readTree(response.body()).path("success").path("data");
        assertThat(data.path("here").asText()).isEqualTo(TRACE);
        assertThat(data.path("downstream").path("traceId").asText()).isEqualTo(TRACE);
        // A new span ID per hop, the same trace ID.
        assertThat(data.path("downstream").path("header").asText()).startsWith("00-" + TRACE + "-")
                .doesNotContain("00f067aa0ba902b7");
    }

    @Test
    void aClientOutsideAnyTraceSendsNoTraceParent() {
        JsonNode data = toDownstream.get("/v1/trace", JsonNode.class);
        assertThat(data.path("header").asText()).isEqualTo("none");
        TraceContext.Scope scope = TraceContext.open(TRACE);
        try {
            assertThat(toDownstream.get("/v1/trace", JsonNode.class).path("traceId").asText()).isEqualTo(TRACE);
        } finally {
            scope.close();
        }
        assertThat(TraceContext.current()).isEmpty();
    }

    @Test
    void anInternalErrorNamesTheRequestsTrace() throws Exception {
        HttpResponse<String> response = get(downstream, "/v1/boom", "00-" + TRACE + "-00f067aa0ba902b7-01");
        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.body()).contains("TraceID: " + TRACE).doesNotContain("boom");
    }

    @Test
    void requestsAreCountedByRouteTemplateStatusAndBytes() throws Exception {
        ServerMetrics metrics = ServerMetrics.create();
        try (TuskHttpServer server = HttpServerBuilder.create("measured").port(0).domain(ErrorDomains.NODE)
                .metrics(metrics)
                .get("/v1/items/{id}", request -> Response.ok(request.pathParam("id")))
                .put("/v1/items/{id}", RouteOptions.maxBody(1 << 20), request -> Response.ok(request.body().length))
                .get("/v1/stream", request -> Response.stream(200, Response.OCTET_STREAM, -1,
                        out -> out.write(new byte[12_345])))
                .start()) {
            for (int i = 0; i < 3; i++) {
                assertThat(get(server, "/v1/items/secret-" + i, null).statusCode()).isEqualTo(200);
            }
            HttpResponse<String> put = HTTP.send(HttpRequest.newBuilder(server.uri().resolve("/v1/items/x"))
                    .PUT(HttpRequest.BodyPublishers.ofByteArray(new byte[4321])).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(put.statusCode()).isEqualTo(200);
            assertThat(get(server, "/v1/stream", null).body()).hasSize(12_345);
            assertThat(get(server, "/nowhere/at/all", null).statusCode()).isEqualTo(404);
            assertThat(HTTP.send(HttpRequest.newBuilder(server.uri().resolve("/v1/stream"))
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(405);

            String text = get(server, "/metrics", null).body();
            assertThat(text)
                    .contains("tusk_http_server_requests_seconds_count{method=\"GET\",route=\"/v1/items/{id}\","
                            + "server=\"measured\",status=\"200\"} 3")
                    .contains("tusk_http_server_requests_seconds_count{method=\"PUT\",route=\"/v1/items/{id}\","
                            + "server=\"measured\",status=\"200\"} 1")
                    .contains("tusk_http_server_requests_seconds_count{method=\"GET\",route=\"unmatched\","
                            + "server=\"measured\",status=\"404\"} 1")
                    .contains("tusk_http_server_requests_seconds_count{method=\"DELETE\",route=\"/v1/stream\","
                            + "server=\"measured\",status=\"405\"} 1")
                    .contains("tusk_http_server_request_bytes_total{route=\"/v1/items/{id}\",server=\"measured\"} 4321.0")
                    .contains("tusk_http_server_response_bytes_total{route=\"/v1/stream\",server=\"measured\"} 12345.0")
                    .contains("tusk_http_server_requests_seconds_bucket{method=\"GET\",route=\"/v1/items/{id}\","
                            + "server=\"measured\",status=\"200\",le=\"0.005\"}")
                    .contains("tusk_jvm_memory_used_bytes").contains("tusk_process_cpu_usage")
                    .doesNotContain("secret-").doesNotContain("/nowhere");
            for (String line : text.split("\n")) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    assertThat(line).as("every series is prefixed").startsWith("tusk_");
                }
            }
        } finally {
            metrics.close();
        }
    }

    @Test
    void aRefreshRunsBeforeEachScrapeAndAFailingOneDoesNotStopIt() {
        ServerMetrics metrics = ServerMetrics.create();
        try {
            java.util.concurrent.atomic.AtomicInteger refreshes = new java.util.concurrent.atomic.AtomicInteger();
            metrics.beforeScrape(() -> {
                throw new IllegalStateException("a broken source");
            });
            metrics.beforeScrape(refreshes::incrementAndGet);
            io.micrometer.core.instrument.Gauge.builder("tusk_test_refreshes", refreshes, r -> r.get())
                    .register(metrics.registry());
            assertThat(metrics.scrape()).contains("tusk_test_refreshes 1.0");
            assertThat(metrics.scrape()).contains("tusk_test_refreshes 2.0");
        } finally {
            metrics.close();
        }
    }

    @Test
    void traceParentParsingFollowsW3c() {
        assertThat(TraceContext.parseHeader("00-" + TRACE + "-00f067aa0ba902b7-01")).hasValue(TRACE);
        assertThat(TraceContext.parseHeader(" 00-" + TRACE + "-00f067aa0ba902b7-00 ")).hasValue(TRACE);
        assertThat(TraceContext.parseHeader("01-" + TRACE + "-00f067aa0ba902b7-01")).isEmpty();
        assertThat(TraceContext.parseHeader("00-" + TRACE + "-00f067aa0ba902b7")).isEmpty();
        assertThat(TraceContext.parseHeader("00-" + TRACE + "-00f067aa0ba902bx-01")).isEmpty();
        assertThat(TraceContext.parseHeader("00-" + TRACE.substring(1) + "x-00f067aa0ba902b7-01")).isEmpty();
        String header = TraceContext.header(TRACE);
        assertThat(TraceContext.parseHeader(header)).hasValue(TRACE);
        assertThat(header.substring(36, 52)).isNotEqualTo("0".repeat(16));
    }

    private static HttpResponse<String> get(TuskHttpServer server, String path, String traceParent)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.uri() + path)).GET();
        if (traceParent != null) {
            request.header(TraceContext.HEADER, traceParent);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
