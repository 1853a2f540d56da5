package io.tusk.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import io.tusk.testkit.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tusk memory remember | recall | forget | history} against a LocalCluster's client.yaml, and
 * {@code tusk memory mcp} as a separate process driven by the Java MCP SDK's client over its stdin and stdout.
 */
class MemoryCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static LocalCluster cluster;
    static String config;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start(dir.resolve("cluster"), 4, 10, 0, 0);
        config = cluster.clientConfigFile().toString();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldRememberRecallForgetAndShowHistory() throws Exception {
        CliRun cat = CliRun.run("memory", "remember", "--config", config, "notes", "Kofi's cat is called Pepper",
                "--meta", "topic=pets");
        assertThat(cat.exit()).as(cat.err()).isZero();
        String catId = cat.out().trim();
        CliRun job = CliRun.run("memory", "remember", "--config", config, "notes", "Kofi works as a pharmacist");
        assertThat(job.exit()).as(job.err()).isZero();

        CliRun recall = CliRun.run("memory", "recall", "--config", config, "notes", "What is Kofi's cat called?",
                "--top", "1", "--json");
        assertThat(recall.exit()).as(recall.err()).isZero();
        JsonNode hits = JSON.readTree(recall.out());
        assertThat(hits).hasSize(1);
        assertThat(hits.get(0).get("id").asText()).isEqualTo(catId);
        assertThat(hits.get(0).get("text").asText()).isEqualTo("Kofi's cat is called Pepper");
        assertThat(hits.get(0).get("metadata").get("topic").asText()).isEqualTo("pets");

        CliRun history = CliRun.run("memory", "history", "--config", config, "notes", catId);
        assertThat(history.exit()).as(history.err()).isZero();
        assertThat(history.out()).contains("Kofi's cat is called Pepper");

        CliRun forget = CliRun.run("memory", "forget", "--config", config, "notes", catId);
        assertThat(forget.exit()).as(forget.err()).isZero();
        CliRun after = CliRun.run("memory", "recall", "--config", config, "notes", "Kofi's cat", "--json");
        assertThat(after.out()).doesNotContain(catId);

        CliRun again = CliRun.run("memory", "forget", "--config", config, "notes", catId);
        assertThat(again.exit()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(again.err().trim()).startsWith("tusk: ").contains("has no memory " + catId).doesNotContain("\n");
    }

    @Test
    void shouldServeMcpOverStdioAsItsOwnProcess() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ServerParameters server = ServerParameters.builder(java)
                .args(List.of("--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                        "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                        "memory", "mcp", "--config", config, "--space", "agent-mcp"))
                .build();
        StdioClientTransport transport = new StdioClientTransport(server, McpJsonDefaults.getMapper());
        try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofMinutes(3))
                .initializationTimeout(Duration.ofMinutes(3)).build()) {
            client.initialize();
            McpSchema.CallToolResult remembered = client.callTool(new McpSchema.CallToolRequest("remember",
                    Map.of("text", "The spare tyre is in the garage", "metadata", Map.of("room", "garage")), null));
            String id = JSON.readTree(((McpSchema.TextContent) remembered.content().getFirst()).text())
                    .get("id").asText();
            McpSchema.CallToolResult recalled = client.callTool(new McpSchema.CallToolRequest("recall",
                    Map.of("query", "where is the spare tyre?", "topK", 1), null));
            JsonNode hits = JSON.readTree(((McpSchema.TextContent) recalled.content().getFirst()).text());
            assertThat(hits.get(0).get("id").asText()).isEqualTo(id);
            assertThat(hits.get(0).get("text").asText()).isEqualTo("The spare tyre is in the garage");
            assertThat(hits.get(0).get("score").isNumber()).isTrue();
        }
    }
}
