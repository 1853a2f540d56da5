package io.tusk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.node.NodeConfig;
import io.tusk.node.admin.AdminClient;
import io.tusk.node.admin.Checkpoints;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code tusk node-admin}: database checkpoints of a storage node, as Walrus operators have them. {@code checkpoint}
 * asks the running node over its admin socket; {@code list-checkpoints} and {@code restore} work on the files (restore
 * only with the node stopped). docs/operations.md has the backup and restore procedure.
 */
@Command(name = "node-admin", mixinStandardHelpOptions = true,
        description = "Administer a storage node: database checkpoints (backups) and restores.",
        subcommands = {NodeAdminCommand.Checkpoint.class, NodeAdminCommand.ListCheckpoints.class,
                NodeAdminCommand.Restore.class})
final class NodeAdminCommand {

    static NodeConfig load(Path file) throws java.io.IOException {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no node configuration at " + file);
        }
        return NodeConfig.load(file);
    }

    static String describe(long bytes) {
        return bytes < 1 << 20 ? bytes + " bytes" : String.format("%.1f MiB", bytes / (double) (1 << 20));
    }

    @Command(name = "checkpoint", mixinStandardHelpOptions = true,
            description = "Take a checkpoint of a running node's database (it keeps serving).")
    static final class Checkpoint implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "The node's configuration.")
        Path config;

        @Option(names = "--to", paramLabel = "DIR", description = "A new folder for this checkpoint, outside the "
                + "retention count (default: the node's checkpointDir, where the oldest beyond checkpointRetention are deleted).")
        Path to;

        @Option(names = "--json", description = "Print the node's answer as JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            NodeConfig node = load(config);
            if (node.adminSocket() == null) {
                throw new IllegalArgumentException(config + " turns the admin socket off (adminSocket: none); a running "
                        + "node takes checkpoints only through it (or periodically: checkpointIntervalMillis)");
            }
            String request = to == null ? "checkpoint" : "checkpoint " + to.toAbsolutePath().normalize();
            JsonNode answer = AdminClient.send(node.adminSocket(), request);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(ClientOptions.toJson(answer));
            } else {
                JsonNode made = answer.path("checkpoint");
                out.println("checkpoint written: " + made.path("path").asText() + " ("
                        + describe(made.path("bytes").asLong()) + ", " + made.path("created").asText() + ")");
            }
            return 0;
        }
    }

    @Command(name = "list-checkpoints", mixinStandardHelpOptions = true,
            description = "List the checkpoints in the node's checkpointDir, oldest first (the node may be stopped).")
    static final class ListCheckpoints implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "The node's configuration.")
        Path config;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            NodeConfig node = load(config);
            List<Checkpoints.Checkpoint> all = Checkpoints.list(node.checkpoints().directory());
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("directory", node.checkpoints().directory().toString());
                result.put("checkpoints", all.stream().map(c -> Map.of("path", c.path().toString(),
                        "created", c.created().toString(), "bytes", c.bytes())).toList());
                out.println(ClientOptions.toJson(result));
            } else if (all.isEmpty()) {
                out.println("no checkpoints in " + node.checkpoints().directory());
            } else {
                for (Checkpoints.Checkpoint c : all) {
                    out.println(c.created() + "  " + c.path() + "  " + describe(c.bytes()));
                }
            }
            return 0;
        }
    }

    @Command(name = "restore", mixinStandardHelpOptions = true,
            description = {"Put a checkpoint in place of a stopped node's database; the database it replaces is moved "
                    + "aside, not deleted.",
                    "Started again, the node catches up: it follows the events since the checkpoint, rebuilds what "
                            + "was stored since from the other nodes and pulls shards it gained."})
    static final class Restore implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--config", required = true, paramLabel = "FILE", description = "The node's configuration.")
        Path config;

        @Option(names = "--checkpoint", paramLabel = "DIR", description = "The checkpoint folder (default: the newest "
                + "in the node's checkpointDir).")
        Path checkpoint;

        @Override
        public Integer call() throws Exception {
            NodeConfig node = load(config);
            if (node.adminSocket() != null && AdminClient.answers(node.adminSocket())) {
                throw new IllegalStateException("the node is running (it answers on " + node.adminSocket()
                        + "): stop it before restoring");
            }
            Path from = checkpoint;
            if (from == null) {
                List<Checkpoints.Checkpoint> all = Checkpoints.list(node.checkpoints().directory());
                if (all.isEmpty()) {
                    throw new IllegalArgumentException("no checkpoints in " + node.checkpoints().directory()
                            + "; name one with --checkpoint");
                }
                from = all.getLast().path();
            }
            Optional<Path> replaced = Checkpoints.restore(from, node.dataDir(), Clock.systemUTC());
            PrintWriter out = spec.commandLine().getOut();
            out.println("restored " + from + " into " + node.dataDir());
            replaced.ifPresent(p -> out.println("the database it replaced was moved to " + p
                    + " (delete it once the node has caught up)"));
            out.println("start the node: it catches up from the checkpoint by recovery and shard sync");
            return 0;
        }
    }
}
