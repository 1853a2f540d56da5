package io.tusk.cli;

import io.tusk.client.TuskClient;
import io.tusk.memory.IndexInUseException;
import io.tusk.memory.IndexSnapshots;
import io.tusk.memory.Memory;
import io.tusk.memory.MemoryOptions;
import io.tusk.memory.MemoryStore;
import io.tusk.memory.Recall;
import io.tusk.memory.Remember;
import io.tusk.memory.RememberResult;
import io.tusk.memory.embedding.Embedder;
import io.tusk.memory.mcp.MemoryMcpServer;
import io.tusk.memory.mcp.PlainMetadata;
import io.tusk.memory.space.TuskMemorySpace;
import io.tusk.spaces.Spaces;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tusk memory ...}: AI memory on a space (issue 12). Each command opens the collection (the space is created,
 * encrypted, on first use) with its recall index in a local directory (resumed from the last run, then the commits
 * since are read; the first run starts it from the segments published in the space), then does one thing.
 */
@Command(name = "memory", mixinStandardHelpOptions = true, description = "AI memory on a space: remember, recall, forget.",
        subcommands = {MemoryCommand.RememberCommand.class, MemoryCommand.RecallCommand.class,
                MemoryCommand.ForgetCommand.class, MemoryCommand.HistoryCommand.class,
                MemoryCommand.PublishIndexCommand.class, MemoryCommand.McpCommand.class})
final class MemoryCommand {

    /** An open collection and what it needs closed after it. */
    private record Opened(TuskClient client, Spaces spaces, MemoryStore store) implements AutoCloseable {
        @Override
        public void close() {
            try (client; spaces) {
                store.close();
            }
        }
    }

    /**
     * The local embedding model, loaded once per process: a warm client daemon runs many memory commands, and each
     * loaded the model again (the model is thread-safe).
     */
    private static final class LocalModel {
        static final Embedder EMBEDDER = Embedder.local();
    }

    /** Where the recall index lives between runs. */
    static final class IndexOptions {
        @Option(names = "--index-dir", paramLabel = "DIR", description = "Keep the recall index here between runs "
                + "(default: $XDG_CACHE_HOME/tusk/memory/ACCOUNT/NAME, else ~/.cache/tusk/memory/ACCOUNT/NAME).")
        Path indexDir;
        @Option(names = "--no-local-index", description = "Keep the recall index in memory only: start it from the "
                + "index published in the space and the commits after it, every run.")
        boolean inMemory;
    }

    /**
     * Opens the collection with its recall index in a local directory, so a second command resumes it and reads only
     * the commits since instead of rebuilding it; when another process holds that index (an MCP server, a parallel
     * command), this one keeps its index in memory and says so on standard error.
     */
    private static Opened open(ClientOptions options, IndexOptions index, String name, PrintWriter err)
            throws Exception {
        TuskClient client = options.connect();
        try {
            Spaces spaces = new Spaces(client);
            TuskMemorySpace space = TuskMemorySpace.openOrCreate(spaces, name, true);
            Embedder embedder = LocalModel.EMBEDDER;
            if (index.inMemory) {
                return new Opened(client, spaces, MemoryStore.open(space, embedder, MemoryOptions.DEFAULT));
            }
            Path directory = index.indexDir != null ? Invocation.current().resolve(index.indexDir)
                    : ClientSettings.cacheHome().resolve("memory").resolve(spaces.account()).resolve(name);
            try {
                return new Opened(client, spaces, MemoryStore.open(space, embedder,
                        MemoryOptions.DEFAULT.withIndexDirectory(directory)));
            } catch (IndexInUseException busy) {
                err.println("note: " + busy.getMessage() + "; this command keeps its index in memory");
                return new Opened(client, spaces, MemoryStore.open(space, embedder, MemoryOptions.DEFAULT));
            }
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    @Command(name = "remember", mixinStandardHelpOptions = true, description = "Remember TEXT; prints the memory's id.")
    static final class RememberCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions options;
        @Mixin
        IndexOptions index;
        @Parameters(index = "0", paramLabel = "NAME", description = "The memory space.")
        String name;
        @Parameters(index = "1", paramLabel = "TEXT", description = "What to remember.")
        String text;
        @Option(names = "--meta", paramLabel = "K=V", description = "Metadata (numbers and true/false are typed).")
        List<String> meta = new ArrayList<>();

        @Override
        public Integer call() throws Exception {
            Map<String, Object> metadata = new LinkedHashMap<>();
            for (String pair : meta) {
                int eq = pair.indexOf('=');
                if (eq < 1) {
                    throw new IllegalArgumentException("--meta " + pair + " is not K=V");
                }
                metadata.put(pair.substring(0, eq), typed(pair.substring(eq + 1)));
            }
            try (Opened opened = open(options, index, name, spec.commandLine().getErr())) {
                RememberResult result = opened.store().remember(Remember.text(text,
                        PlainMetadata.fromJsonValues(metadata)));
                PrintWriter out = spec.commandLine().getOut();
                if (options.json) {
                    out.println(ClientOptions.toJson(result));
                } else {
                    out.println(result.id() + (result.deduplicated() ? " (already remembered)" : ""));
                }
            }
            return 0;
        }

        private static Object typed(String value) {
            if (value.equals("true") || value.equals("false")) {
                return Boolean.parseBoolean(value);
            }
            try {
                return Long.parseLong(value);
            } catch (NumberFormatException notLong) {
                try {
                    double d = Double.parseDouble(value);
                    return Double.isFinite(d) ? d : value;
                } catch (NumberFormatException notNumber) {
                    return value;
                }
            }
        }
    }

    @Command(name = "recall", mixinStandardHelpOptions = true, description = "Recall the memories best matching QUERY.")
    static final class RecallCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions options;
        @Mixin
        IndexOptions index;
        @Parameters(index = "0", paramLabel = "NAME", description = "The memory space.")
        String name;
        @Parameters(index = "1", paramLabel = "QUERY", description = "The question.")
        String query;
        @Option(names = "--top", paramLabel = "K", defaultValue = "10", description = "How many (default 10).")
        int top;

        @Override
        public Integer call() throws Exception {
            try (Opened opened = open(options, index, name, spec.commandLine().getErr())) {
                List<Memory> memories = opened.store().recall(Recall.of(query, top));
                PrintWriter out = spec.commandLine().getOut();
                if (options.json) {
                    List<Map<String, Object>> json = new ArrayList<>();
                    for (Memory m : memories) {
                        Map<String, Object> hit = new LinkedHashMap<>();
                        hit.put("id", m.id());
                        hit.put("text", m.text());
                        hit.put("score", m.score());
                        hit.put("metadata", PlainMetadata.toJsonValues(m.metadata()));
                        hit.put("recordedAt", m.recordedAt().toString());
                        json.add(hit);
                    }
                    out.println(ClientOptions.toJson(json));
                } else {
                    for (Memory m : memories) {
                        out.printf("%.3f  %s  %s%n", m.score(), m.id(), m.text());
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "forget", mixinStandardHelpOptions = true, description = "Forget memory ID for good.")
    static final class ForgetCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions options;
        @Mixin
        IndexOptions index;
        @Parameters(index = "0", paramLabel = "NAME", description = "The memory space.")
        String name;
        @Parameters(index = "1", paramLabel = "ID", description = "The memory's id.")
        String id;

        @Override
        public Integer call() throws Exception {
            try (Opened opened = open(options, index, name, spec.commandLine().getErr())) {
                long sequence = opened.store().forget(id);
                spec.commandLine().getOut().println(options.json
                        ? ClientOptions.toJson(Map.of("id", id, "sequence", sequence))
                        : "forgot " + id + " (sequence " + sequence + ")");
            }
            return 0;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true,
            description = "Revisions of memory ID (oldest first), or the latest changes of the space.")
    static final class HistoryCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions options;
        @Mixin
        IndexOptions index;
        @Parameters(index = "0", paramLabel = "NAME", description = "The memory space.")
        String name;
        @Parameters(index = "1", arity = "0..1", paramLabel = "ID", description = "The memory's id.")
        String id;

        @Override
        public Integer call() throws Exception {
            try (Opened opened = open(options, index, name, spec.commandLine().getErr())) {
                List<Memory> revisions = id == null ? opened.store().recent(50) : opened.store().history(id);
                PrintWriter out = spec.commandLine().getOut();
                if (options.json) {
                    out.println(ClientOptions.toJson(revisions));
                } else {
                    for (Memory m : revisions) {
                        out.printf("%s  rev %d  %s  %s%s%n", m.id(), m.revision(), m.recordedAt(), m.text(),
                                m.current() ? "" : "  (superseded " + m.recordedTo() + ")");
                    }
                }
            }
            return 0;
        }
    }

    @Command(name = "publish-index", mixinStandardHelpOptions = true,
            description = "Store the recall index's segments in the space, so fresh clients start from them.")
    static final class PublishIndexCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions options;
        @Mixin
        IndexOptions index;
        @Parameters(index = "0", paramLabel = "NAME", description = "The memory space.")
        String name;

        @Override
        public Integer call() throws Exception {
            try (Opened opened = open(options, index, name, spec.commandLine().getErr())) {
                IndexSnapshots.Published published = IndexSnapshots.publish(opened.store());
                spec.commandLine().getOut().println(options.json ? ClientOptions.toJson(published)
                        : "published index at sequence " + published.sequence() + ": " + published.files()
                        + " files, " + published.bytes() + " bytes (" + published.uploaded() + " files new)");
            }
            return 0;
        }
    }

    @Command(name = "mcp", mixinStandardHelpOptions = true,
            description = "Serve the memory space NAME as a Model Context Protocol server over stdio.")
    static final class McpCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions options;
        @Mixin
        IndexOptions index;
        @Option(names = "--space", required = true, paramLabel = "NAME", description = "The memory space.")
        String name;

        @Override
        public Integer call() throws Exception {
            // Standard output carries MCP messages only: anything else printed goes to standard error.
            PrintStream stdout = System.out;
            System.setOut(System.err);
            try (Opened opened = open(options, index, name, spec.commandLine().getErr())) {
                CountDownLatch closed = new CountDownLatch(1);
                var server = MemoryMcpServer.startOnStdio(opened.store(), stdout);
                Runtime.getRuntime().addShutdownHook(new Thread(closed::countDown));
                closed.await();
                server.closeGracefully();
            }
            return 0;
        }
    }
}
