package io.tusk.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tusk.client.TuskClient;
import io.tusk.http.TuskJson;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;

/** Options every client command shares: the configuration file and JSON output. */
final class ClientOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Client configuration (default: $TUSK_CONFIG, else ~/.config/tusk/client.yaml).")
    Path config;

    @Option(names = "--json", description = "Print JSON (Walrus's shapes where Walrus has one).")
    boolean json;

    TuskClient connect() throws IOException {
        return ClientSettings.load(config).connect(true);
    }

    /** A client that reads every blob from the network (and keeps nothing it reads). */
    TuskClient connectWithoutCache() throws IOException {
        return ClientSettings.load(config).connect(false);
    }

    static String toJson(Object value) {
        try {
            return TuskJson.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }
}
