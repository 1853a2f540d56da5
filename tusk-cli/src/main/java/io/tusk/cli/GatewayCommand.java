package io.tusk.cli;

import io.tusk.gateway.Gateway;
import io.tusk.gateway.GatewayConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code tusk gateway --config F}: a Walrus-compatible publisher and aggregator, until stopped. */
@Command(name = "gateway", mixinStandardHelpOptions = true,
        description = "Run the publisher and aggregator (Walrus's HTTP API) with an edge cache, until stopped.")
final class GatewayCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", required = true,
            description = "Gateway configuration (YAML: controlUrl, accountKeyFile, port, limits, cache).")
    Path config;

    @Mixin
    JwtOptions jwt;

    @Override
    public Integer call() throws Exception {
        Daemon.useServiceLogging();
        GatewayConfig settings = GatewayConfig.load(config);
        Gateway gateway = Gateway.start(settings.withAuth(jwt.applyTo(settings.auth())));
        PrintWriter out = spec.commandLine().getOut();
        out.println("Tusk gateway is running: publisher and aggregator at " + gateway.uri());
        out.println("Try:  curl -X PUT \"" + gateway.uri() + "/v1/blobs?epochs=5\" -d \"some string\"");
        out.flush();
        Daemon.runUntilStopped(gateway);
        return 0;
    }
}
