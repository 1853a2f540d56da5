package io.tusk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.client.TuskClient;
import io.tusk.gateway.console.NetworkOverview;
import io.tusk.http.TuskJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tusk health}: the control plane and every committee node. Exits 1 if any is unreachable or unhealthy.
 * {@code --detailed} shows what the web console shows ({@link NetworkOverview}).
 */
@Command(name = "health", mixinStandardHelpOptions = true, description = "Show the health of the control plane and every storage node.")
final class HealthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions options;

    @Option(names = "--detailed", description = "What the web console shows: every node's health, storage and "
            + "recovery, the committee and shard map of this and the previous epoch, blob counts, recent events.")
    boolean detailed;

    @Override
    public Integer call() throws Exception {
        if (detailed) {
            return detailed();
        }
        Map<String, JsonNode> nodes = new LinkedHashMap<>();
        Object control;
        try (TuskClient client = options.connect()) {
            control = client.control().health();
            for (Map.Entry<String, String> entry : client.health().entrySet()) {
                nodes.put(entry.getKey(), TuskJson.mapper().readTree(entry.getValue()));
            }
        }
        boolean healthy = nodes.values().stream().noneMatch(n -> n.has("error"));
        PrintWriter out = spec.commandLine().getOut();
        if (options.json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("control", control);
            result.put("nodes", nodes);
            out.println(ClientOptions.toJson(result));
        } else {
            out.println("control plane: " + TuskJson.mapper().writeValueAsString(control));
            nodes.forEach((name, health) -> out.println(name + ": " + (health.has("error")
                    ? "UNREACHABLE " + health.get("error").asText()
                    : health.path("nodeStatus").asText("?") + ", epoch " + health.path("epoch").asText("?")
                    + ", " + health.path("shardSummary").path("owned").asText("?") + " shards")));
        }
        return healthy ? 0 : Main.EXIT_FAILURE;
    }

    private int detailed() throws Exception {
        NetworkOverview.Overview overview;
        try (TuskClient client = options.connect()) {
            overview = new NetworkOverview(client.control(), client.config().controlUrl(), Duration.ofSeconds(5))
                    .collect();
        }
        PrintWriter out = spec.commandLine().getOut();
        if (options.json) {
            out.println(ClientOptions.toJson(overview));
        } else {
            OverviewText.print(overview, out);
        }
        boolean healthy = overview.nodes().stream().filter(NetworkOverview.NodeView::inCommittee)
                .allMatch(n -> n.error() == null);
        return healthy ? 0 : Main.EXIT_FAILURE;
    }
}
