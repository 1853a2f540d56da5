package io.tusk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tusk devnet} as a user runs it, as its own process from the packaged CLI: the banner names every part with
 * its URL, {@code /metrics} answers on each of them and {@code /console} on the gateway; with
 * {@code --log-format json --access-log} every log line is one JSON object, and a store through the gateway with a
 * {@code traceparent} shows that trace ID in the gateway's and the nodes' request log lines.
 */
class DevnetIT {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Pattern PART = Pattern.compile("^ {2}(control plane|node-\\d+|gateway|console|s3):\\s+(http://\\S+)");
    private static final String TRACE = "0af7651916cd43dd8448eb211c80319c";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void theBannerNamesEveryPartAndEveryPartServesMetricsAndLogsCarryTraceIds(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("devnet.out");
        Path err = dir.resolve("devnet.err");
        Process devnet = launch(dir, out, err, "--log-format", "json", "--access-log", "devnet", "--dir",
                dir.resolve("net").toString(), "--control-port", "0", "--node-port", "0", "--gateway-port", "0");
        try {
            List<String> banner = awaitBanner(devnet, out);
            assertThat(banner.getFirst()).startsWith("Tusk devnet is running: 4 storage nodes, 100 shards.");
            Map<String, URI> parts = new LinkedHashMap<>();
            for (String line : banner) {
                Matcher m = PART.matcher(line);
                if (m.find()) {
                    parts.put(m.group(1), URI.create(m.group(2)));
                }
            }
            assertThat(parts.keySet()).containsExactly("control plane", "node-1", "node-2", "node-3", "node-4",
                    "gateway", "console", "s3");
            URI gateway = parts.get("gateway");
            assertThat(parts.get("console")).isEqualTo(URI.create(gateway + "/console"));

            Map<String, String> family = Map.of("control plane", "tusk_control_epoch ", "gateway",
                    "tusk_gateway_cache_lookups_total{", "node", "tusk_node_owned_shards ");
            for (Map.Entry<String, URI> part : parts.entrySet()) {
                if (part.getKey().equals("console") || part.getKey().equals("s3")) {
                    continue;
                }
                HttpResponse<String> metrics = get(URI.create(part.getValue() + "/metrics"), null);
                assertThat(metrics.statusCode()).as(part.getKey() + " /metrics").isEqualTo(200);
                assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(type ->
                        assertThat(type).startsWith("text/plain; version=0.0.4"));
                String expected = family.get(part.getKey().startsWith("node-") ? "node" : part.getKey());
                assertThat(metrics.body()).as(part.getKey()).contains(expected).contains("tusk_jvm_memory_used_bytes");
            }
            HttpResponse<String> console = get(parts.get("console"), null);
            assertThat(console.statusCode()).isEqualTo(200);
            assertThat(console.body()).contains("<title>Tusk console</title>");

            // The S3 API on its own port, its endpoint and the account's keys in DIR/s3.env; anonymous is refused.
            Map<String, String> env = new LinkedHashMap<>();
            for (String line : java.nio.file.Files.readAllLines(dir.resolve("net").resolve("s3.env"))) {
                env.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
            assertThat(env.keySet()).containsExactly("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_ENDPOINT_URL",
                    "AWS_DEFAULT_REGION");
            assertThat(URI.create(env.get("AWS_ENDPOINT_URL"))).isEqualTo(parts.get("s3"));
            assertThat(parts.get("s3").getPort()).isNotEqualTo(gateway.getPort());
            HttpResponse<String> anonymous = get(parts.get("s3"), null);
            assertThat(anonymous.statusCode()).isEqualTo(403);
            assertThat(anonymous.body()).contains("<Code>AccessDenied</Code>");

            // A store with the caller's trace: the gateway and the nodes log their requests under it.
            HttpResponse<String> stored = http.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/blobs?epochs=2"))
                    .header("traceparent", "00-" + TRACE + "-b7ad6b7169203331-01")
                    .PUT(HttpRequest.BodyPublishers.ofString("traced through the network")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
            assertThat(stored.headers().firstValue("Tusk-Trace-Id")).hasValue(TRACE);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            List<JsonNode> traced;
            while (true) {
                traced = jsonLines(err).stream().filter(j -> TRACE.equals(j.path("traceId").asText())).toList();
                boolean gatewayLine = traced.stream().anyMatch(j -> j.path("message").asText()
                        .startsWith("gateway PUT /v1/blobs 200"));
                boolean nodeLine = traced.stream().anyMatch(j -> j.path("message").asText().startsWith("node PUT /v1/blobs/")
                        && j.path("message").asText().contains("/slivers/"));
                if (gatewayLine && nodeLine) {
                    break;
                }
                assertThat(System.nanoTime()).as("access log lines of trace %s in %s", TRACE, err).isLessThan(deadline);
                Thread.sleep(200);
            }
            assertThat(traced).allSatisfy(j -> assertThat(j.path("logger").asText()).isNotEmpty());
        } finally {
            stop(devnet);
        }
        // Every line on stderr is a JSON log event (but the JVM's own warning about the incubating Vector API).
        List<String> lines = Files.readAllLines(err);
        assertThat(lines).isNotEmpty();
        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            if (line.startsWith("WARNING: Using incubator modules")) {
                continue;
            }
            JsonNode event = json.readTree(line);
            assertThat(event.path("level").isTextual()).as(line).isTrue();
            assertThat(event.path("message").isTextual()).as(line).isTrue();
        }
    }

    private Process launch(Path dir, Path out, Path err, String... args) throws IOException {
        Path jar = Path.of(System.getProperty("tusk.cli.jar", "target/tusk-cli.jar")).toAbsolutePath();
        Path lib = Path.of(System.getProperty("tusk.cli.lib", "target/lib")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no packaged CLI at " + jar + " (run in the integration-test phase)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx1g", "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                // as ./tusk does: Ratis's shaded Netty would print sun.misc.Unsafe warnings, not JSON, on stderr
                "--sun-misc-unsafe-memory-access=allow",
                "-cp", jar + File.pathSeparator + lib + File.separator + "*", "io.tusk.cli.Main"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(out.toFile())
                .redirectError(err.toFile()).start();
    }

    private static List<String> awaitBanner(Process process, Path out) throws Exception {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            List<String> lines = Files.exists(out) ? Files.readAllLines(out) : List.of();
            int start = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith("Tusk devnet is running")) {
                    start = i;
                }
                if (start >= 0 && lines.get(i).startsWith("Stop with Ctrl-C")) {
                    return lines.subList(start, i + 1);
                }
            }
            if (!process.isAlive()) {
                throw new AssertionError("the devnet exited with " + process.exitValue() + ": " + lines);
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no banner within " + START_TIMEOUT);
    }

    private static List<JsonNode> jsonLines(Path file) throws IOException {
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("{")) {
                try {
                    out.add(json.readTree(line));
                } catch (IOException partial) {
                    // the last line may still be being written
                }
            }
        }
        return out;
    }

    private HttpResponse<String> get(URI uri, String traceParent) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
        if (traceParent != null) {
            request.header("traceparent", traceParent);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void stop(Process process) throws InterruptedException {
        process.destroy(); // SIGTERM: the devnet closes its parts
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
