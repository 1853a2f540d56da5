package io.tusk.memory.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * MCP round trips with a real client over a real process's stdin and stdout: the Java MCP SDK's client, and a raw
 * reader that checks stdout carries nothing but JSON-RPC messages.
 */
class MemoryMcpServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static List<String> serverCommand() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return List.of(java, "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), McpTestServerMain.class.getName());
    }

    @Test
    void shouldRememberRecallForgetAndShowHistoryThroughTheMcpClient() throws Exception {
        List<String> command = serverCommand();
        ServerParameters server = ServerParameters.builder(command.getFirst())
                .args(command.subList(1, command.size())).build();
        StdioClientTransport transport = new StdioClientTransport(server, McpJsonDefaults.getMapper());
        try (McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofMinutes(2))
                .initializationTimeout(Duration.ofMinutes(2)).build()) {
            client.initialize();
            assertThat(client.listTools().tools()).extracting(McpSchema.Tool::name)
                    .containsExactlyInAnyOrder("remember", "recall", "forget", "history");

            JsonNode pets = call(client, "remember", Map.of("text", "Ingrid has a grey cat called Miso",
                    "metadata", Map.of("topic", "pets", "importance", 3)));
            JsonNode work = call(client, "remember", Map.of("text", "Ingrid works as a translator in Oslo"));
            assertThat(pets.get("id").isTextual()).isTrue();

            JsonNode recalled = call(client, "recall", Map.of("query", "What is the name of Ingrid's cat?",
                    "topK", 2));
            assertThat(recalled.isArray()).isTrue();
            assertThat(recalled.get(0).get("id").asText()).isEqualTo(pets.get("id").asText());
            assertThat(recalled.get(0).get("text").asText()).isEqualTo("Ingrid has a grey cat called Miso");
            assertThat(recalled.get(0).get("score").asDouble()).isGreaterThan(recalled.get(1).get("score").asDouble());

            JsonNode history = call(client, "history", Map.of("id", work.get("id").asText()));
            assertThat(history).hasSize(1);
            assertThat(history.get(0).get("current").asBoolean()).isTrue();

            call(client, "forget", Map.of("id", pets.get("id").asText()));
            JsonNode after = call(client, "recall", Map.of("query", "Ingrid's cat"));
            for (JsonNode hit : after) {
                assertThat(hit.get("id").asText()).isNotEqualTo(pets.get("id").asText());
            }

            CallToolResult bad = client.callTool(new McpSchema.CallToolRequest("forget", Map.of("id", "nope"), null));
            assertThat(bad.isError()).isTrue();
            assertThat(((McpSchema.TextContent) bad.content().getFirst()).text()).contains("has no memory nope");
        }
    }

    private static JsonNode call(McpSyncClient client, String tool, Map<String, Object> arguments) throws Exception {
        CallToolResult result = client.callTool(new McpSchema.CallToolRequest(tool, arguments, null));
        assertThat(result.content()).hasSize(1);
        String text = ((McpSchema.TextContent) result.content().getFirst()).text();
        assertThat(result.isError()).as(text).isNotEqualTo(Boolean.TRUE);
        return JSON.readTree(text);
    }

    @Test
    void shouldWriteNothingButJsonRpcToStdout() throws Exception {
        Process process = new ProcessBuilder(serverCommand()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (OutputStream in = process.getOutputStream();
             BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                     StandardCharsets.UTF_8))) {
            send(in, """
                    {"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18",\
                    "capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}""");
            assertThat(readMessage(out).get("id").asInt()).isEqualTo(1);
            send(in, """
                    {"jsonrpc":"2.0","method":"notifications/initialized"}""");
            send(in, """
                    {"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"remember",\
                    "arguments":{"text":"raw clients work too"}}}""");
            JsonNode remembered = readMessage(out);
            assertThat(remembered.get("id").asInt()).isEqualTo(2);
            String text = remembered.get("result").get("content").get(0).get("text").asText();
            assertThat(JSON.readTree(text).get("id").isTextual()).isTrue();
        } finally {
            process.destroy();
        }
    }

    private static void send(OutputStream in, String message) throws Exception {
        in.write((message + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** The next stdout line, which must be a JSON-RPC 2.0 message. */
    private static JsonNode readMessage(BufferedReader out) throws Exception {
        String line = out.readLine();
        assertThat(line).as("stdout closed").isNotNull();
        JsonNode message = JSON.readTree(line);
        assertThat(message.get("jsonrpc").asText()).as(line).isEqualTo("2.0");
        return message;
    }
}
