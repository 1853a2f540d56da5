package io.tusk.cli;

import io.tusk.control.server.ControlServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/**
 * {@code tusk control --config F}: one control-plane replica, until stopped; see {@link ControlConfigFile} for the
 * file. Alone it is a Raft group of one; with {@code replicas} listing 3 or 5 it is one member of that group.
 */
@Command(name = "control", mixinStandardHelpOptions = true, description = "Run a control-plane replica.",
        subcommands = {ReplicaCommands.Add.class, ReplicaCommands.Remove.class, ReplicaCommands.List.class})
final class ControlCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    // Not "required": the subcommands (add-replica, ...) take a client.yaml instead.
    @Option(names = "--config", paramLabel = "FILE", description = "Replica configuration (.yaml).")
    Path config;

    @Override
    public Integer call() throws Exception {
        if (config == null) {
            throw new IllegalArgumentException("tusk control needs --config FILE (the replica's configuration)");
        }
        ControlConfigFile file = ControlConfigFile.load(config);
        Daemon.useServiceLogging();
        ControlServer server = ControlServer.start(file.replica(), file.genesis(), file.admin());
        spec.commandLine().getOut().println("control replica " + file.replica().id() + " running at " + server.uri()
                + " (Raft on " + file.replica().bindHost() + ":" + file.replica().raftPort() + "), data in "
                + file.replica().dataDir());
        spec.commandLine().getOut().flush();
        Daemon.runUntilStopped(server);
        return 0;
    }
}
