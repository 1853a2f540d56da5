package io.tusk.cli;

import io.tusk.client.AccountKeys;
import io.tusk.control.api.Command;
import io.tusk.control.api.Event;
import io.tusk.control.api.EventPage;
import io.tusk.control.api.Health;
import io.tusk.control.client.ControlClient;
import io.tusk.control.state.GenesisConfig;
import io.tusk.core.crypto.Address;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.messages.ProofOfPossessionMessage;
import io.tusk.http.TuskJson;
import io.tusk.node.StorageNode;
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
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 16's control-plane scenarios with the replica as a real process ({@code tusk control} alone: a Raft group of
 * one, as in a devnet), its fail points armed with {@code -Dtusk.failpoints}. A client submits faucet commands one
 * after the other and a follower polls the events, as a storage node does; after each scenario every acknowledged
 * command is applied exactly once and every event the follower saw is still where it saw it.
 * <ul>
 *   <li>kill -9 at the log append: the process halts inside the Raft log's flush of its N-th write
 *   ({@code control.log-append=crash@N}); started again, it has every acknowledged command and nothing shown before
 *   was lost or moved;</li>
 *   <li>I/O errors at the log append ({@code error*3}): the replica stops serving, restarts its Raft server by itself
 *   and serves again, without a restart of the process;</li>
 *   <li>disk full: with less usable space than its floor (a preallocated file takes the space for real) the replica
 *   refuses commands and its health says why; it serves again by itself once the file is gone.</li>
 * </ul>
 */
class ControlPlaneFaultsIT {
    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();
    /**
     * One request's time limit: generous, because on a busy CI machine (load average 30 on 2 cores) a command that
     * takes 50 ms alone takes seconds; what the tests check is the outcome, not the speed.
     */
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofSeconds(30);
    /** How long a client keeps trying a replica process that is still starting (a JVM start took 80 s at that load). */
    private static final Duration START_BUDGET = Duration.ofSeconds(240);

    @Test
    void shouldKeepEveryAcknowledgedCommandWhenKilledAtTheLogAppend() throws Exception {
        Replica replica = new Replica(dir, 0);
        try (ControlClient client = new ControlClient(List.of(replica.url), ATTEMPT_TIMEOUT,
                Duration.ofSeconds(2))) {
            replica.start("control.log-append=crash@25");
            awaitServing(client);
            Ed25519KeyPair key = AccountKeys.loadOrCreate(dir.resolve("probe.key"));
            client.submit(new Command.Faucet(1_000_000_000_000L), key);
            List<Event> seen = new ArrayList<>();
            long acknowledged = 1;
            long unknown = 0;
            for (int i = 0; replica.process.isAlive(); i++) {
                assertThat(i).as("the crash fail point halts the replica within 100 commands").isLessThan(100);
                try {
                    client.submit(registerBlob(i), key); // each emits a blobRegistered event
                    acknowledged++;
                    poll(client, seen);
                } catch (RuntimeException e) {
                    unknown++;
                    if (!replica.process.waitFor(10, TimeUnit.SECONDS)) {
                        throw new AssertionError("the replica still runs after a failed command", e);
                    }
                }
            }
            assertThat(replica.process.exitValue()).as("halted by the crash fail point").isEqualTo(137);
            assertThat(seen).isNotEmpty();
            System.out.printf("[faults] killed at the log append after %d acknowledged commands (%d unknown), %d"
                    + " events seen%n", acknowledged, unknown, seen.size());

            replica.start(null);
            awaitServing(client);
            long nonce = client.account(key.publicKey().address().toString()).orElseThrow().nextNonce();
            assertThat(nonce).as("every acknowledged command, and at most the unknown one")
                    .isBetween(acknowledged, acknowledged + unknown);
            List<Event> after = allEvents(client);
            assertThat(after.subList(0, seen.size())).as("events a follower saw keep their cursors").isEqualTo(seen);
            assertThat(after).as("one blobRegistered per applied registration").hasSize((int) nonce - 1);
            client.submit(registerBlob(1000), key);
        } finally {
            stopAll();
        }
    }

    @Test
    void shouldServeAgainByItselfAfterLogWriteErrors() throws Exception {
        Replica replica = new Replica(dir, 0);
        try (ControlClient client = new ControlClient(List.of(replica.url), ATTEMPT_TIMEOUT,
                START_BUDGET)) {
            replica.start("control.log-append=error*3");
            Ed25519KeyPair key = AccountKeys.loadOrCreate(dir.resolve("probe.key"));
            // the first writes fail: the replica restarts its Raft server (every 5 s) until they work; the client
            // retries the same signed command across the restarts
            client.submit(new Command.Faucet(1), key);
            client.submit(new Command.Faucet(1), key);
            assertThat(replica.process.isAlive()).isTrue();
            String log = Files.readString(replica.log);
            assertThat(log).contains("stopped serving: the Raft log could not be written").contains("serves again");
            var account = client.account(key.publicKey().address().toString()).orElseThrow();
            assertThat(account.nextNonce()).isEqualTo(2);
            assertThat(account.balance()).isEqualTo(2);
        } finally {
            stopAll();
        }
    }

    @Test
    void shouldRefuseCommandsWithTheReasonWhileTheDiskIsFullAndServeWhenSpaceIsBack() throws Exception {
        long floor = Files.getFileStore(dir).getUsableSpace() - (2L << 30);
        assertThat(floor).as("this test needs more than 2 GiB free").isPositive();
        Replica replica = new Replica(dir, floor);
        try (ControlClient client = new ControlClient(List.of(replica.url), ATTEMPT_TIMEOUT,
                Duration.ofSeconds(1))) {
            replica.start(null);
            awaitServing(client);
            Ed25519KeyPair key = AccountKeys.loadOrCreate(dir.resolve("probe.key"));
            client.submit(new Command.Faucet(1), key);
            Path ballast = dir.resolve("ballast");
            Process fallocate = new ProcessBuilder("fallocate", "-l", String.valueOf(4L << 30), ballast.toString())
                    .inheritIO().start();
            assertThat(fallocate.waitFor()).as("fallocate -l 4G (util-linux)").isZero();
            try {
                Health health = awaitHealth(client, Health.NOT_SERVING);
                assertThat(health.reason()).contains("usable, below the");
                assertThat(org.assertj.core.api.Assertions.catchThrowable(
                        () -> client.submit(new Command.Faucet(1), key))).hasMessageContaining("refusing commands");
            } finally {
                Files.delete(ballast);
            }
            awaitHealth(client, Health.SERVING);
            client.submit(new Command.Faucet(1), key);
            assertThat(client.account(key.publicKey().address().toString()).orElseThrow().nextNonce()).isEqualTo(2);
            assertThat(Files.readString(replica.log)).contains("refuses commands: the disk of");
        } finally {
            stopAll();
        }
    }

    /** One replica process: its directory, config and genesis (one storage node that never runs: not needed here). */
    private final class Replica {
        final URI url;
        final Path config;
        final Path log;
        Process process;

        Replica(Path dir, long minFreeBytes) throws Exception {
            int http = freePort();
            int raft = freePort();
            this.url = URI.create("http://127.0.0.1:" + http);
            Ed25519KeyPair admin = AccountKeys.loadOrCreate(dir.resolve("admin.key"));
            BlsKeyPair nodeKey = StorageNode.loadOrCreateKey(dir.resolve("node.bls"));
            Address owner = admin.publicKey().address();
            byte[] proof = new ProofOfPossessionMessage(0, owner, nodeKey.publicKey()).sign(nodeKey).signature().bytes();
            GenesisConfig genesis = GenesisConfig.devnet(owner.toString(), System.currentTimeMillis(), List.of(
                    new GenesisConfig.GenesisNode("node-0", "127.0.0.1:1", owner.toString(), nodeKey.publicKey().bytes(),
                            proof, 1))).withShardCount(4).withInitialBalances(Map.of());
            TuskJson.mapper().writeValue(dir.resolve("genesis.json").toFile(), genesis);
            this.config = dir.resolve("control.yaml");
            Files.writeString(config, """
                    dataDir: control
                    port: %d
                    raftPort: %d
                    genesisFile: genesis.json
                    minFreeBytes: %d
                    """.formatted(http, raft, minFreeBytes), StandardCharsets.UTF_8);
            this.log = dir.resolve("control.log");
        }

        void start(String failPoints) throws Exception {
            Path jar = Path.of(System.getProperty("tusk.cli.jar", "target/tusk-cli.jar")).toAbsolutePath();
            Path lib = Path.of(System.getProperty("tusk.cli.lib", "target/lib")).toAbsolutePath();
            List<String> args = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "--add-modules", "jdk.incubator.vector",
                    "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"));
            if (failPoints != null) {
                args.add("-Dtusk.failpoints=" + failPoints);
            }
            args.addAll(List.of("-cp", jar + File.pathSeparator + lib + File.separator + "*", "io.tusk.cli.Main",
                    "control", "--config", config.toString()));
            process = new ProcessBuilder(args).directory(config.getParent().toFile()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            processes.add(process);
        }
    }

    /** A registration of a made-up blob (the control plane checks only that the blob ID fits the root hash). */
    private static Command.RegisterBlob registerBlob(int seed) {
        byte[] root = new byte[32];
        java.util.Arrays.fill(root, (byte) seed);
        root[0] = (byte) (seed >>> 8);
        long length = 1000 + seed;
        return new Command.RegisterBlob(io.tusk.core.metadata.BlobId.derive(io.tusk.core.metadata.EncodingType.RS2,
                length, root).toString(), root, length, "RS2", 1, false);
    }

    private static void poll(ControlClient client, List<Event> seen) {
        EventPage page = client.events(seen.size(), 1000, 0);
        seen.addAll(page.events());
    }

    private static List<Event> allEvents(ControlClient client) {
        List<Event> events = new ArrayList<>();
        while (true) {
            EventPage page = client.events(events.size(), 1000, 0);
            if (page.events().isEmpty()) {
                return events;
            }
            events.addAll(page.events());
        }
    }

    private static void awaitServing(ControlClient client) throws InterruptedException {
        awaitHealth(client, Health.SERVING);
    }

    private static Health awaitHealth(ControlClient client, String status) throws InterruptedException {
        long deadline = System.nanoTime() + START_BUDGET.toNanos();
        Health last = null;
        while (System.nanoTime() < deadline) {
            try {
                last = client.health();
                if (last.status().equals(status)) {
                    return last;
                }
            } catch (RuntimeException e) {
                // starting
            }
            Thread.sleep(100);
        }
        throw new AssertionError("health not " + status + " within 120 s; last " + last);
    }

    private void stopAll() throws InterruptedException {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        }
    }
}
