package io.tusk.memory.mcp;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.tusk.memory.Memory;
import io.tusk.memory.MemoryNotFoundException;
import io.tusk.memory.MemoryStore;
import io.tusk.memory.Recall;
import io.tusk.memory.Remember;
import io.tusk.memory.RememberResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Model Context Protocol server over stdio for one memory collection, with tools {@code remember}, {@code recall},
 * {@code forget} and {@code history}. Each answers one text content holding JSON: {@code remember} an object with
 * the memory's {@code id}; {@code recall} an array of objects with {@code id}, {@code text} and {@code score};
 * {@code forget} an object with the {@code id} and the commit {@code sequence}; {@code history} an array of
 * revisions. A bad argument answers a tool error (isError) with one clear line; the server stays up.
 */
public final class MemoryMcpServer {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryMcpServer.class);
    static final int HISTORY_DEFAULT = 50;

    private final MemoryStore store;
    private final McpJsonMapper json = McpJsonDefaults.getMapper();

    public MemoryMcpServer(MemoryStore store) {
        this.store = store;
    }

    /** Serves on the given streams until the client closes them; returns the running server. */
    public McpSyncServer start(InputStream in, OutputStream out) {
        StdioServerTransportProvider transport = new StdioServerTransportProvider(json, in, out);
        return McpServer.sync(transport)
                .serverInfo("tusk-memory", "0.1.0")
                .instructions("Long-term memory on Tusk: remember facts, recall them by meaning and words, forget"
                        + " them (destroyed, not hidden), and read how a memory changed over time.")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .tools(List.of(remember(), recall(), forget(), history()))
                .build();
    }

    /**
     * Runs on this process's stdin and stdout. Anything else that would print to stdout (a library's banner) is sent
     * to stderr instead, because stdout carries nothing but MCP messages.
     */
    public static McpSyncServer startOnStdio(MemoryStore store, OutputStream stdout) {
        return new MemoryMcpServer(store).start(System.in, stdout);
    }

    private SyncToolSpecification remember() {
        return tool("remember", "Remember a fact or a passage. Returns its id; an exact or near duplicate of an"
                        + " existing memory returns that memory's id.",
                """
                {"type":"object","properties":{
                  "text":{"type":"string","description":"what to remember"},
                  "metadata":{"type":"object","description":"string, number or boolean values"}},
                 "required":["text"]}""",
                args -> {
                    RememberResult result = store.remember(Remember.text(string(args, "text"),
                            PlainMetadata.fromJsonValues(args.get("metadata"))));
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("id", result.id());
                    out.put("sequence", result.sequence());
                    out.put("deduplicated", result.deduplicated());
                    return out;
                });
    }

    private SyncToolSpecification recall() {
        return tool("recall", "Recall the memories that best answer a query (meaning and exact words), best first.",
                """
                {"type":"object","properties":{
                  "query":{"type":"string"},
                  "topK":{"type":"integer","minimum":1,"maximum":1000,"default":10}},
                 "required":["query"]}""",
                args -> {
                    int topK = args.get("topK") == null ? Recall.DEFAULT_TOP_K : integer(args, "topK");
                    List<Map<String, Object>> out = new ArrayList<>();
                    for (Memory m : store.recall(Recall.of(string(args, "query"), topK))) {
                        Map<String, Object> hit = new LinkedHashMap<>();
                        hit.put("id", m.id());
                        hit.put("text", m.text());
                        hit.put("score", m.score());
                        hit.put("metadata", PlainMetadata.toJsonValues(m.metadata()));
                        hit.put("recordedAt", m.recordedAt().toString());
                        out.add(hit);
                    }
                    return out;
                });
    }

    private SyncToolSpecification forget() {
        return tool("forget", "Forget a memory for good: it leaves recall and history, and its stored bytes become"
                        + " unreadable (encrypted spaces).",
                """
                {"type":"object","properties":{"id":{"type":"string"}},"required":["id"]}""",
                args -> {
                    String id = string(args, "id");
                    long sequence = store.forget(id);
                    return Map.of("id", id, "sequence", sequence);
                });
    }

    private SyncToolSpecification history() {
        return tool("history", "How a memory changed (every revision, oldest first), or without an id the latest"
                        + " changes across all memories (newest first).",
                """
                {"type":"object","properties":{"id":{"type":"string"}}}""",
                args -> {
                    List<Memory> revisions = args.get("id") == null ? store.recent(HISTORY_DEFAULT)
                            : store.history(string(args, "id"));
                    if (args.get("id") != null && revisions.isEmpty()) {
                        throw new MemoryNotFoundException(store.name(), string(args, "id"));
                    }
                    List<Map<String, Object>> out = new ArrayList<>();
                    for (Memory m : revisions) {
                        Map<String, Object> revision = new LinkedHashMap<>();
                        revision.put("id", m.id());
                        revision.put("revision", m.revision());
                        revision.put("text", m.text());
                        revision.put("validFrom", m.validFrom().toString());
                        revision.put("validTo", m.validTo() == null ? null : m.validTo().toString());
                        revision.put("recordedAt", m.recordedAt().toString());
                        revision.put("recordedTo", m.recordedTo() == null ? null : m.recordedTo().toString());
                        revision.put("current", m.current());
                        out.add(revision);
                    }
                    return out;
                });
    }

    private SyncToolSpecification tool(String name, String description, String inputSchema,
                                       Function<Map<String, Object>, Object> handler) {
        McpSchema.Tool tool = McpSchema.Tool.builder(name, json, inputSchema)
                .description(description)
                .build();
        return SyncToolSpecification.builder()
                .tool(tool)
                .callHandler((exchange, request) -> call(name, handler, request.arguments()))
                .build();
    }

    private CallToolResult call(String name, Function<Map<String, Object>, Object> handler,
                                Map<String, Object> arguments) {
        try {
            Object result = handler.apply(arguments == null ? Map.of() : arguments);
            return CallToolResult.builder().addTextContent(json.writeValueAsString(result)).build();
        } catch (IllegalArgumentException | MemoryNotFoundException e) {
            return CallToolResult.builder().addTextContent(e.getMessage()).isError(true).build();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            LOG.warn("tool {} failed", name, e);
            return CallToolResult.builder().addTextContent(name + " failed: " + e.getMessage()).isError(true).build();
        }
    }

    private static String string(Map<String, Object> args, String key) {
        Object value = args.get(key);
        if (!(value instanceof String s) || s.isBlank()) {
            throw new IllegalArgumentException("argument '" + key + "' must be a non-empty string");
        }
        return s;
    }

    private static int integer(Map<String, Object> args, String key) {
        Object value = args.get(key);
        if (!(value instanceof Number n) || n.doubleValue() != Math.rint(n.doubleValue())) {
            throw new IllegalArgumentException("argument '" + key + "' must be an integer");
        }
        return n.intValue();
    }
}
