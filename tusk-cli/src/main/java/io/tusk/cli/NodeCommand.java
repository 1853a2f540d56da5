package io.tusk.cli;

import io.tusk.node.NodeConfig;
import io.tusk.node.StorageNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code tusk node --config F}: one storage node, until stopped. The config format is in tusk-node's README. */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Run a storage node.")
final class NodeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Node configuration (.yaml or .properties).")
    Path config;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(config)) {
            throw new IllegalArgumentException("no node configuration at " + config);
        }
        Daemon.useServiceLogging();
        StorageNode node = StorageNode.start(NodeConfig.load(config));
        spec.commandLine().getOut().println("storage node running at " + node.url() + ", BLS public key " + node.publicKey().toBase64());
        spec.commandLine().getOut().flush();
        Daemon.runUntilStopped(node);
        return 0;
    }
}
