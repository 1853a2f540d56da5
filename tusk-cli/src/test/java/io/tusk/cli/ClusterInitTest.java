package io.tusk.cli;

import io.tusk.control.state.GenesisConfig;
import io.tusk.gateway.GatewayConfig;
import io.tusk.http.TuskJson;
import io.tusk.node.NodeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tusk cluster init} writes configurations every part reads, with keys created and the genesis agreed. */
class ClusterInitTest {
    @TempDir
    Path dir;

    @Test
    void shouldWriteAConfigurationPerPartOnLoopback() throws Exception {
        CliRun run = CliRun.run("cluster", "init", "--dir", dir.toString(), "--control-replicas", "3", "--nodes", "4",
                "--shards", "20");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("tusk control --config").contains("client.yaml");

        GenesisConfig genesis = TuskJson.mapper().readValue(dir.resolve("genesis.json").toFile(), GenesisConfig.class);
        assertThat(genesis.nodes()).hasSize(4);
        assertThat(genesis.shardCount()).isEqualTo(20);
        assertThat(genesis.initialBalances()).hasSize(2).allSatisfy((address, balance) -> assertThat(balance).isPositive());

        ControlConfigFile control = ControlConfigFile.load(dir.resolve("control-2.yaml"));
        assertThat(control.replica().id()).isEqualTo("control-2");
        assertThat(control.replica().peers()).hasSize(3);
        assertThat(control.replica().bindHost()).isEqualTo("127.0.0.1");
        assertThat(control.admin()).isNotNull();
        assertThat(control.genesis().nodes()).hasSize(4);

        NodeConfig node = NodeConfig.load(dir.resolve("node-3.yaml"));
        assertThat(node.controlUrl()).hasSize(3);
        assertThat(node.blsKeyFile()).isEqualTo(dir.resolve("node-3.bls"));
        assertThat(genesis.nodes().get(2).networkAddress()).isEqualTo("127.0.0.1:" + node.port());

        GatewayConfig gateway = GatewayConfig.load(dir.resolve("gateway.yaml"));
        assertThat(gateway.controlUrl()).isEqualTo(node.controlUrl());
        ClientSettings client = ClientSettings.load(dir.resolve("client.yaml"));
        assertThat(client.controlUrl()).isEqualTo(node.controlUrl());
        assertThat(client.controlUrl()).contains(control.replica().self().url());

        CliRun again = CliRun.run("cluster", "init", "--dir", dir.toString());
        assertThat(again.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(again.err()).contains("already holds a network");
    }

    @Test
    void shouldSpreadPartsOverHostsOnTheDefaultPorts() throws Exception {
        CliRun run = CliRun.run("cluster", "init", "--dir", dir.toString(), "--control-replicas", "5", "--nodes", "4",
                "--hosts", "h1,h2,h3");
        assertThat(run.exit()).as(run.err()).isZero();
        ControlConfigFile c1 = ControlConfigFile.load(dir.resolve("control-1.yaml"));
        ControlConfigFile c4 = ControlConfigFile.load(dir.resolve("control-4.yaml"));
        assertThat(c1.replica().bindHost()).isEqualTo("0.0.0.0");
        assertThat(c1.replica().self().url()).isEqualTo(URI.create("http://h1:9180"));
        assertThat(c1.replica().self().raftAddress()).isEqualTo("h1:9181");
        assertThat(c4.replica().self().url()).isEqualTo(URI.create("http://h1:9182")); // the second replica on h1
        assertThat(NodeConfig.load(dir.resolve("node-2.yaml")).port()).isEqualTo(9185);
        assertThat(Files.readString(dir.resolve("gateway.yaml"))).contains("port: 31415");
    }

    @Test
    void shouldRefuseAnEvenNumberOfReplicas() {
        CliRun run = CliRun.run("cluster", "init", "--dir", dir.toString(), "--control-replicas", "2");
        assertThat(run.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(run.err()).contains("must be 1, 3 or 5");
        assertThat(dir.resolve("genesis.json")).doesNotExist();
    }
}
