package io.tusk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tusk.control.server.ControlServer;
import io.tusk.control.state.GenesisConfig;
import io.tusk.http.TuskJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code tusk control --config F}: the control plane (one embedded replica), until stopped.
 *
 * <pre>
 * dataDir: control            # journal and snapshots; relative to this file
 * bindHost: 127.0.0.1         # default
 * port: 9180                  # default
 * genesisFile: genesis.json   # needed on the first start (GenesisConfig as JSON); afterwards the stored one is used
 * </pre>
 */
@Command(name = "control", mixinStandardHelpOptions = true, description = "Run the control plane.")
final class ControlCommand implements Callable<Integer> {
    private static final Set<String> KEYS = Set.of("dataDir", "bindHost", "port", "genesisFile");

    @Spec
    CommandSpec spec;

    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Control plane configuration (.yaml).")
    Path config;

    @Override
    public Integer call() throws Exception {
        if (!Files.isRegularFile(config)) {
            throw new IllegalArgumentException("no control plane configuration at " + config);
        }
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(config.toFile());
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(config + " must be a YAML mapping");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KEYS.contains(name)) {
                throw new IllegalArgumentException(config + ": unknown key '" + name + "' (known: " + KEYS + ")");
            }
        }
        Path base = config.toAbsolutePath().getParent();
        if (root.path("dataDir").asText("").isBlank()) {
            throw new IllegalArgumentException(config + ": dataDir is required");
        }
        Path dataDir = base.resolve(root.path("dataDir").asText());
        String host = root.path("bindHost").asText("127.0.0.1");
        int port = root.path("port").asInt(9180);
        GenesisConfig genesis = null;
        if (!root.path("genesisFile").asText("").isBlank()) {
            Path genesisFile = base.resolve(root.path("genesisFile").asText());
            genesis = TuskJson.mapper().readValue(genesisFile.toFile(), GenesisConfig.class);
        }
        Daemon.useServiceLogging();
        ControlServer server = ControlServer.start(dataDir, genesis, host, port);
        spec.commandLine().getOut().println("control plane running at " + server.uri() + ", data in " + dataDir);
        spec.commandLine().getOut().flush();
        Daemon.runUntilStopped(server);
        return 0;
    }
}
