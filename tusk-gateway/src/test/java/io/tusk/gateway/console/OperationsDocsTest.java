package io.tusk.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tusk.gateway.Gateway;
import io.tusk.gateway.GatewayConfig;
import io.tusk.testkit.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/operations.md, the Grafana dashboard and the Prometheus configurations stay true to what a running network
 * exports: every metric a devnet's control plane, nodes and gateway serve is documented, every metric the dashboard
 * queries exists, and the devnet scrape configuration names every part.
 */
class OperationsDocsTest {
    private static final Path REPOSITORY = Path.of("..").toAbsolutePath().normalize();
    private static final Pattern METRIC = Pattern.compile("tusk_[a-z0-9_]+");
    /** JVM meters that exist only after a concurrent collection (G1 with a mixed cycle). */
    private static final Set<String> CONDITIONAL = Set.of("tusk_jvm_gc_concurrent_phase_time_seconds",
            "tusk_jvm_gc_pause_seconds");

    @Test
    void everyExportedMetricIsDocumentedAndEveryDashboardQueryNamesOne(@TempDir Path dir) throws Exception {
        Set<String> samples = new TreeSet<>();
        try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"), 4, 8, 0, 0);
             Gateway gateway = Gateway.start(GatewayConfig.of(cluster.controlUrl(),
                     cluster.directory().resolve("wallet.key")).withPort(0))) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> stored = http.send(HttpRequest.newBuilder(URI.create(gateway.uri()
                    + "/v1/blobs?epochs=2")).PUT(HttpRequest.BodyPublishers.ofString("documented")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(stored.statusCode()).isEqualTo(200);
            String blobId = new ObjectMapper().readTree(stored.body()).path("newlyCreated").path("blobObject")
                    .path("blobId").asText();
            http.send(HttpRequest.newBuilder(URI.create(gateway.uri() + "/v1/blobs/" + blobId)).build(),
                    HttpResponse.BodyHandlers.discarding());
            // A blob the gateway has not cached: its read goes to the nodes (the SDK's read meters).
            String cold;
            try (var client = cluster.client()) {
                cold = client.store("cold".getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        io.tusk.client.StoreOptions.defaults().withEpochs(2)).blobId();
            }
            assertThat(http.send(HttpRequest.newBuilder(URI.create(gateway.uri() + "/v1/blobs/" + cold)).build(),
                    HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("cold");
            cluster.node(0).checkpoints().create();
            List<URI> parts = new ArrayList<>(List.of(cluster.controlUrl(), gateway.uri()));
            for (int i = 0; i < cluster.nodeCount(); i++) {
                parts.add(URI.create(cluster.node(i).url()));
            }
            for (URI part : parts) {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(part + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).as(part + "/metrics").isEqualTo(200);
                PrometheusText.parse(response.body()).samples().forEach(s -> samples.add(s.name()));
            }
        }
        String docs = Files.readString(REPOSITORY.resolve("docs/operations.md"));
        Set<String> undocumented = new TreeSet<>();
        for (String sample : samples) {
            assertThat(sample).startsWith("tusk_");
            String family = family(sample, samples);
            if (!docs.contains("`" + family + "`")) {
                undocumented.add(family);
            }
        }
        assertThat(undocumented).as("metrics missing from docs/operations.md").isEmpty();
        // And the other way: the page names no metric that is not exported (but for JVM meters that appear only
        // once the JVM has done what they count).
        Set<String> families = new TreeSet<>();
        samples.forEach(sample -> families.add(family(sample, samples)));
        Set<String> stale = new TreeSet<>();
        Matcher documented = Pattern.compile("`(tusk_[a-z0-9_]+)`").matcher(docs);
        while (documented.find()) {
            if (!families.contains(documented.group(1)) && !CONDITIONAL.contains(documented.group(1))) {
                stale.add(documented.group(1));
            }
        }
        assertThat(stale).as("metrics docs/operations.md names that no part exports").isEmpty();

        JsonNode dashboard = new ObjectMapper().readTree(REPOSITORY.resolve("ops/grafana/tusk-dashboard.json").toFile());
        Set<String> queried = new TreeSet<>();
        dashboard.findValues("expr").forEach(expr -> {
            Matcher m = METRIC.matcher(expr.asText());
            while (m.find()) {
                queried.add(m.group());
            }
        });
        assertThat(queried).as("metrics the dashboard queries").isNotEmpty();
        // A conditional JVM meter exists only once the JVM has done what it counts; it must still be a documented one.
        queried.removeIf(series -> CONDITIONAL.stream().anyMatch(series::startsWith) && docs.contains(
                "`" + CONDITIONAL.stream().filter(series::startsWith).findFirst().orElseThrow() + "`"));
        assertThat(samples).as("the dashboard queries only metrics that exist").containsAll(queried);
    }

    @Test
    void theDevnetScrapeConfigurationNamesEveryPartOnTheDevnetsDefaultPorts() throws Exception {
        JsonNode config = new ObjectMapper(new YAMLFactory()).readTree(
                REPOSITORY.resolve("ops/prometheus/devnet.yml").toFile());
        Set<String> targets = new TreeSet<>();
        Set<String> nodes = new TreeSet<>();
        for (JsonNode job : config.path("scrape_configs")) {
            for (JsonNode group : job.path("static_configs")) {
                group.path("targets").forEach(t -> targets.add(t.asText()));
                if (group.path("labels").has("node")) {
                    nodes.add(group.path("labels").path("node").asText());
                }
            }
        }
        assertThat(targets).containsExactlyInAnyOrder("127.0.0.1:9180", "127.0.0.1:9185", "127.0.0.1:9186",
                "127.0.0.1:9187", "127.0.0.1:9188", "127.0.0.1:31415");
        assertThat(nodes).containsExactly("node-1", "node-2", "node-3", "node-4");
        JsonNode production = new ObjectMapper(new YAMLFactory()).readTree(
                REPOSITORY.resolve("ops/prometheus/prometheus.yml").toFile());
        assertThat(production.path("scrape_configs").findValuesAsText("job_name"))
                .containsExactly("tusk-control", "tusk-node", "tusk-gateway");
    }

    /**
     * The name a metric is documented under: a timer's or histogram's series ({@code _count}, {@code _sum},
     * {@code _max}, {@code _bucket}) share their base name, recognised by its {@code _sum} series (a gauge such as
     * {@code tusk_system_cpu_count} keeps its name).
     */
    static String family(String sample, Set<String> all) {
        for (String suffix : new String[] {"_bucket", "_count", "_sum", "_max"}) {
            if (sample.endsWith(suffix)) {
                String base = sample.substring(0, sample.length() - suffix.length());
                if (all.contains(base + "_sum")) {
                    return base;
                }
            }
        }
        return sample;
    }
}
