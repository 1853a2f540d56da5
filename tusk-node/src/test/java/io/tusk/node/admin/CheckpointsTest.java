package io.tusk.node.admin;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.tusk.node.store.NodeStore;
import io.tusk.node.store.StoreOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Checkpoints of a real RocksDB store, restores, and the admin socket, on disk and over a real Unix socket. */
class CheckpointsTest {
    @TempDir
    Path dir;

    private static final byte[] KEY_VALUE = "value".getBytes(StandardCharsets.UTF_8);

    private static void put(NodeStore store, String key, long cursor) {
        try (NodeStore.Batch batch = store.batch()) {
            batch.putNodeStatus(key, KEY_VALUE);
            batch.setEventCursor(cursor);
            batch.commit();
        }
    }

    private Checkpoints checkpoints(NodeStore store, Duration interval, int retention) throws Exception {
        return new Checkpoints(store, new CheckpointConfig(dir.resolve("checkpoints"), interval, retention),
                Clock.systemUTC(), new SimpleMeterRegistry()).start();
    }

    @Test
    void shouldCheckpointAnOpenStoreAndRestoreItElsewhere() throws Exception {
        Path data = dir.resolve("db");
        Checkpoints.Checkpoint checkpoint;
        try (NodeStore store = NodeStore.open(data, StoreOptions.DEFAULT);
             Checkpoints checkpoints = checkpoints(store, Duration.ZERO, 3)) {
            put(store, "before", 7);
            checkpoint = checkpoints.create();
            put(store, "after", 9); // the store keeps taking writes; the checkpoint does not see them
            assertThat(checkpoint.bytes()).isPositive();
            assertThat(checkpoint.path().getFileName().toString()).startsWith("checkpoint-");
        }
        Path restoredDir = dir.resolve("restored");
        assertThat(Checkpoints.restore(checkpoint.path(), restoredDir, Clock.systemUTC())).isEmpty();
        try (NodeStore restored = NodeStore.open(restoredDir, StoreOptions.DEFAULT)) {
            assertThat(restored.nodeStatus("before")).hasValue(KEY_VALUE);
            assertThat(restored.nodeStatus("after")).isEmpty();
            assertThat(restored.eventCursor()).isEqualTo(7);
            put(restored, "later", 10); // writable, and the checkpoint stays intact (files linked, not shared state)
        }
        try (NodeStore again = NodeStore.open(dir.resolve("again"), StoreOptions.DEFAULT)) {
            assertThat(again.eventCursor()).isZero();
        }
        Checkpoints.restore(checkpoint.path(), dir.resolve("again2"), Clock.systemUTC());
        try (NodeStore second = NodeStore.open(dir.resolve("again2"), StoreOptions.DEFAULT)) {
            assertThat(second.nodeStatus("later")).isEmpty();
            assertThat(second.eventCursor()).isEqualTo(7);
        }
    }

    @Test
    void shouldMoveTheReplacedDatabaseAsideAndRefuseWhatIsNotACheckpoint() throws Exception {
        Path data = dir.resolve("db");
        Checkpoints.Checkpoint checkpoint;
        try (NodeStore store = NodeStore.open(data, StoreOptions.DEFAULT);
             Checkpoints checkpoints = checkpoints(store, Duration.ZERO, 3)) {
            put(store, "old", 1);
            checkpoint = checkpoints.create();
            put(store, "newer", 2);
        }
        Optional<Path> aside = Checkpoints.restore(checkpoint.path(), data, Clock.systemUTC());
        assertThat(aside).isPresent();
        try (NodeStore replaced = NodeStore.open(aside.get(), StoreOptions.DEFAULT)) {
            assertThat(replaced.nodeStatus("newer")).hasValue(KEY_VALUE); // nothing lost
        }
        try (NodeStore restored = NodeStore.open(data, StoreOptions.DEFAULT)) {
            assertThat(restored.nodeStatus("newer")).isEmpty();
        }
        assertThatThrownBy(() -> Checkpoints.restore(dir, data, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a checkpoint");
    }

    @Test
    void shouldRefuseToRestoreOverADatabaseThatAnotherProcessHolds() throws Exception {
        Path data = dir.resolve("db");
        Checkpoints.Checkpoint checkpoint;
        try (NodeStore store = NodeStore.open(data, StoreOptions.DEFAULT);
             Checkpoints checkpoints = checkpoints(store, Duration.ZERO, 3)) {
            checkpoint = checkpoints.create();
        }
        // A second JVM locks RocksDB's LOCK file as a running node's RocksDB does (fcntl, per process).
        Path holder = dir.resolve("LockHolder.java");
        Files.writeString(holder, """
                import java.nio.channels.FileChannel;
                import java.nio.file.*;
                public class LockHolder {
                    public static void main(String[] args) throws Exception {
                        try (FileChannel c = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE);
                             var lock = c.lock()) {
                            System.out.println("locked");
                            System.in.read();
                        }
                    }
                }
                """);
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                holder.toString(), data.resolve("LOCK").toString()).redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("locked");
            assertThatThrownBy(() -> Checkpoints.restore(checkpoint.path(), data, Clock.systemUTC()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("a running node holds");
            assertThat(data.resolve("CURRENT")).isRegularFile(); // untouched
        } finally {
            process.destroyForcibly().waitFor();
        }
        assertThat(Checkpoints.restore(checkpoint.path(), data, Clock.systemUTC())).isPresent();
    }

    @Test
    void shouldTakePeriodicCheckpointsAndKeepTheNewest() throws Exception {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (NodeStore store = NodeStore.open(dir.resolve("db"), StoreOptions.DEFAULT);
             Checkpoints checkpoints = new Checkpoints(store, new CheckpointConfig(dir.resolve("checkpoints"),
                     Duration.ofSeconds(1), 2), Clock.systemUTC(), registry).start()) {
            put(store, "k", 1);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (registry.get("tusk_node_checkpoints").tag("result", "ok").counter().count() < 3) {
                assertThat(System.nanoTime()).as("3 periodic checkpoints within 60 s").isLessThan(deadline);
                Thread.sleep(100);
            }
            List<Checkpoints.Checkpoint> kept = checkpoints.list();
            assertThat(kept).hasSize(2);
            assertThat(kept.get(0).created()).isBefore(kept.get(1).created());
        }
    }

    @Test
    void shouldRemoveAnIncompleteCheckpointLeftByACrash() throws Exception {
        Path directory = dir.resolve("checkpoints");
        Path leftover = Files.createDirectories(directory.resolve("checkpoint-20261207T000000.000Z.tmp"));
        Files.writeString(leftover.resolve("000001.sst"), "partial");
        try (NodeStore store = NodeStore.open(dir.resolve("db"), StoreOptions.DEFAULT);
             Checkpoints checkpoints = checkpoints(store, Duration.ZERO, 3)) {
            assertThat(leftover).doesNotExist();
            assertThat(checkpoints.list()).isEmpty();
        }
    }

    @Test
    void shouldServeTheAdminSocketToItsOwnerOnlyAndReplaceAStaleOne() throws Exception {
        Path socketPath = dir.resolve("node-admin.sock");
        // A socket file left by a node that died: nobody accepts on it.
        ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        dead.bind(UnixDomainSocketAddress.of(socketPath));
        dead.close();
        assertThat(socketPath).exists();
        try (NodeStore store = NodeStore.open(dir.resolve("db"), StoreOptions.DEFAULT);
             Checkpoints checkpoints = checkpoints(store, Duration.ZERO, 3);
             AdminSocket socket = AdminSocket.start(socketPath, checkpoints)) {
            assertThat(Files.getPosixFilePermissions(socketPath))
                    .containsExactlyInAnyOrder(java.nio.file.attribute.PosixFilePermission.OWNER_READ,
                            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
            assertThat(AdminClient.send(socketPath, "list-checkpoints").path("checkpoints")).isEmpty();
            String made = AdminClient.send(socketPath, "checkpoint").path("checkpoint").path("path").asText();
            assertThat(AdminClient.send(socketPath, "list-checkpoints").path("checkpoints").get(0).path("path")
                    .asText()).isEqualTo(made);
            assertThatThrownBy(() -> AdminSocket.start(socketPath, checkpoints))
                    .hasMessageContaining("another running node serves the admin socket");
        }
        assertThat(socketPath).doesNotExist();
        assertThatThrownBy(() -> AdminClient.send(socketPath, "checkpoint"))
                .hasMessageContaining("no node answers on the admin socket");
        Path tooLong = dir.resolve("x".repeat(120) + ".sock");
        try (NodeStore store = NodeStore.open(dir.resolve("db2"), StoreOptions.DEFAULT);
             Checkpoints checkpoints = checkpoints(store, Duration.ZERO, 3)) {
            assertThatThrownBy(() -> AdminSocket.start(tooLong, checkpoints))
                    .hasMessageContaining("set adminSocket to a shorter path");
        }
    }
}
