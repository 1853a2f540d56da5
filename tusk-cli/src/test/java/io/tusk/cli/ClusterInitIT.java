package io.tusk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.control.api.ReplicaStatus;
import io.tusk.control.client.ControlClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code tusk cluster init} end to end: the parts it configures run as separate processes exactly as the files say
 * ({@code tusk control|node --config ...}), {@code tusk store --config client.yaml} works at once (its account funded
 * at genesis), {@code tusk info --json} names the replicas and their roles, and the operator adds a fourth replica
 * and removes it again with {@code tusk control add-replica} / {@code remove-replica}.
 */
class ClusterInitIT {
    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @Test
    void shouldRunANetworkFromTheFilesItWrites() throws Exception {
        CliRun init = CliRun.run("cluster", "init", "--dir", dir.toString(), "--control-replicas", "3", "--nodes", "4",
                "--shards", "20");
        assertThat(init.exit()).as(init.err()).isZero();
        try {
            for (int k = 1; k <= 3; k++) {
                launch("control-" + k, "control", dir.resolve("control-" + k + ".yaml"));
            }
            for (int k = 1; k <= 4; k++) {
                launch("node-" + k, "node", dir.resolve("node-" + k + ".yaml"));
            }
            Path client = dir.resolve("client.yaml");
            Path file = dir.resolve("hello.txt");
            Files.writeString(file, "stored in a network made by tusk cluster init\n".repeat(100), StandardCharsets.UTF_8);
            CliRun store = awaitSuccess(() -> CliRun.run("store", file.toString(), "--config", client.toString(), "--json"));
            String blobId = new ObjectMapper().readTree(store.out()).path(0).path("blobStoreResult")
                    .path("newlyCreated").path("blobObject").path("blobId").asText();
            assertThat(blobId).as(store.out()).isNotEmpty();
            Path copy = dir.resolve("copy.txt");
            CliRun read = CliRun.run("read", blobId, "--out", copy.toString(), "--config", client.toString());
            assertThat(read.exit()).as(read.err()).isZero();
            assertThat(Files.readString(copy)).isEqualTo(Files.readString(file));

            JsonNode info = new ObjectMapper().readTree(CliRun.run("info", "--json", "--config", client.toString()).out());
            List<String> roles = new ArrayList<>();
            info.path("controlReplicas").forEach(r -> roles.add(r.path("role").asText()));
            assertThat(roles).as(info.path("controlReplicas").toString()).hasSize(3)
                    .containsOnlyOnce("leader").containsOnly("leader", "follower");
            assertThat(info.has("committee")).isTrue();

            // a fourth replica joins, is added by the operator, then removed
            int http = freePort();
            int raft = freePort();
            Files.writeString(dir.resolve("control-4.yaml"), """
                    dataDir: control-4
                    port: %d
                    raftPort: %d
                    replicaId: control-4
                    replicas:
                      - {id: control-4, raftAddress: 127.0.0.1:%d, url: http://127.0.0.1:%d}
                    join: true
                    genesisFile: genesis.json
                    """.formatted(http, raft, raft, http), StandardCharsets.UTF_8);
            launch("control-4", "control", dir.resolve("control-4.yaml"));
            URI url4 = URI.create("http://127.0.0.1:" + http);
            awaitSuccess(() -> {
                ControlClient.replicaStatus(url4, Duration.ofSeconds(2));
                return new CliRun(0, "", "");
            });
            CliRun add = CliRun.run("control", "add-replica", "--config", client.toString(), "--admin-key",
                    dir.resolve("admin.key").toString(), "--id", "control-4", "--raft-address", "127.0.0.1:" + raft,
                    "--url", url4.toString(), "--json");
            assertThat(add.exit()).as(add.err()).isZero();
            assertThat(new ObjectMapper().readTree(add.out()).path("replicas")).hasSize(4);
            long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
            ReplicaStatus joined = null;
            while (System.nanoTime() < deadline) {
                joined = ControlClient.replicaStatus(url4, Duration.ofSeconds(2));
                if (joined.serving()) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(joined.serving()).as("the added replica serves: %s", joined).isTrue();
            CliRun list = CliRun.run("control", "replicas", "--config", client.toString());
            assertThat(list.out()).contains(url4.toString());

            CliRun remove = CliRun.run("control", "remove-replica", "--config", client.toString(), "--admin-key",
                    dir.resolve("admin.key").toString(), "--id", "control-4", "--json");
            assertThat(remove.exit()).as(remove.err()).isZero();
            assertThat(new ObjectMapper().readTree(remove.out()).path("replicas")).hasSize(3);
            CliRun again = CliRun.run("store", file.toString(), "--config", client.toString(), "--force");
            assertThat(again.exit()).as(again.err()).isZero();
        } finally {
            for (Process p : processes) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Runs {@code command} until it exits 0, for up to two minutes (the processes are starting). */
    private static CliRun awaitSuccess(java.util.concurrent.Callable<CliRun> command) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos(); // JVM starts take a minute on a busy machine
        CliRun last = null;
        String failure = "";
        while (System.nanoTime() < deadline) {
            try {
                last = command.call();
                if (last.exit() == 0) {
                    return last;
                }
                failure = last.err();
            } catch (RuntimeException e) {
                failure = e.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("not done within 5 minutes: " + failure);
    }

    private void launch(String name, String command, Path config) throws Exception {
        Path jar = Path.of(System.getProperty("tusk.cli.jar", "target/tusk-cli.jar")).toAbsolutePath();
        Path lib = Path.of(System.getProperty("tusk.cli.lib", "target/lib")).toAbsolutePath();
        processes.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-cp", jar + File.pathSeparator + lib + File.separator + "*", "io.tusk.cli.Main", command, "--config",
                config.toString())
                .directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".log").toFile())).start());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
