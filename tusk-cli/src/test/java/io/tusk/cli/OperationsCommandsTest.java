package io.tusk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.client.StoreOptions;
import io.tusk.client.TuskClient;
import io.tusk.core.metadata.BlobId;
import io.tusk.testkit.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tusk node-admin} (checkpoint, list-checkpoints, restore) and {@code tusk health --detailed} against a real
 * one-node network, as an operator types them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OperationsCommandsTest {
    private Path dir;
    private LocalCluster cluster;
    private Path nodeConfig;
    private BlobId blobId;
    private byte[] blob;

    @BeforeAll
    void start(@TempDir Path temporary) throws Exception {
        dir = temporary;
        cluster = LocalCluster.start(dir.resolve("net"), 1, 4, 0, 0);
        nodeConfig = dir.resolve("node.yaml");
        // The node's own configuration: dataDir decides the admin socket and checkpoint folder, as for the node.
        Files.writeString(nodeConfig, "dataDir: " + cluster.nodeDataDir(0) + "\nblsKeyFile: "
                + cluster.directory().resolve("node-1/bls.key") + "\ncontrolUrl: " + cluster.controlUrl() + "\n");
        blob = "kept across a restore".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try (TuskClient client = cluster.client()) {
            blobId = BlobId.parse(client.store(blob, StoreOptions.defaults().withEpochs(3)).blobId());
        }
    }

    @AfterAll
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void checkpointsAreTakenWhileTheNodeServesListedAndRestoredOnlyWhenItIsStopped() throws Exception {
        CliRun taken = CliRun.run("node-admin", "checkpoint", "--config", nodeConfig.toString());
        assertThat(taken.exit()).as(taken.err()).isZero();
        assertThat(taken.out()).startsWith("checkpoint written: " + cluster.nodeDataDir(0) + "-checkpoints/checkpoint-");

        Path exported = dir.resolve("exported");
        CliRun to = CliRun.run("node-admin", "checkpoint", "--config", nodeConfig.toString(), "--to",
                exported.toString(), "--json");
        assertThat(to.exit()).as(to.err()).isZero();
        assertThat(new ObjectMapper().readTree(to.out()).path("checkpoint").path("path").asText())
                .isEqualTo(exported.toString());

        CliRun list = CliRun.run("node-admin", "list-checkpoints", "--config", nodeConfig.toString());
        assertThat(list.exit()).isZero();
        assertThat(list.out().strip().lines()).hasSize(1); // the exported one is outside the checkpoint folder

        CliRun running = CliRun.run("node-admin", "restore", "--config", nodeConfig.toString());
        assertThat(running.exit()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(running.err().strip()).contains("the node is running").doesNotContain("\n");

        cluster.stopNode(0);
        CliRun notRunning = CliRun.run("node-admin", "checkpoint", "--config", nodeConfig.toString());
        assertThat(notRunning.exit()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(notRunning.err().strip()).contains("no node answers on the admin socket").doesNotContain("\n");

        CliRun restored = CliRun.run("node-admin", "restore", "--config", nodeConfig.toString(), "--checkpoint",
                exported.toString());
        assertThat(restored.exit()).as(restored.err()).isZero();
        assertThat(restored.out()).contains("restored " + exported).contains("moved to " + cluster.nodeDataDir(0)
                + ".replaced-");
        cluster.restartNode(0);
        try (TuskClient client = cluster.client()) {
            assertThat(client.read(blobId)).isEqualTo(blob);
        }
    }

    @Test
    void aMissingConfigurationIsOneClearLine() {
        CliRun missing = CliRun.run("node-admin", "checkpoint", "--config", dir.resolve("nope.yaml").toString());
        assertThat(missing.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(missing.err().strip()).isEqualTo("tusk: no node configuration at " + dir.resolve("nope.yaml"));
    }

    @Test
    void healthDetailedShowsWhatTheConsoleShows() throws Exception {
        CliRun created = CliRun.run("space", "create", "--config", cluster.clientConfigFile().toString(), "counted");
        assertThat(created.exit()).as(created.err()).isZero();
        CliRun text = CliRun.run("health", "--detailed", "--config", cluster.clientConfigFile().toString());
        assertThat(text.exit()).as(text.err()).isZero();
        assertThat(text.out()).startsWith("Tusk network: epoch 1").contains("node-1").contains("Active")
                .contains("committee of epoch 1").contains("0-3").contains("blobCertified " + blobId)
                .contains("spaces: 1");

        CliRun json = CliRun.run("health", "--detailed", "--json", "--config", cluster.clientConfigFile().toString());
        assertThat(json.exit()).as(json.err()).isZero();
        JsonNode overview = new ObjectMapper().readTree(json.out());
        assertThat(overview.path("nodes").get(0).path("name").asText()).isEqualTo("node-1");
        assertThat(overview.path("nodes").get(0).path("ownedShards").asInt()).isEqualTo(4);
        assertThat(overview.path("counts").path("blobIds").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(overview.path("shardOwners")).hasSize(4);
    }
}
