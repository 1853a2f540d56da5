package io.tusk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.client.TuskClient;
import io.tusk.control.api.Command;
import io.tusk.control.client.ControlClient;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodedBlob;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.failpoint.FailPoints;
import io.tusk.core.metadata.BlobId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault-injection suite with separate processes ({@link ProcessCluster}, the packaged CLI): a storage node killed
 * at each of its fail points ({@code crash@N}, which halts the process as {@code kill -9} does, at the worst moment),
 * and a node whose disk fills up and then has space again (a real tmpfs when this runs as root, else the
 * {@code node.store-write} fail point). Four nodes of equal stake over 16 shards (each holds 4; f = 5, so any one node
 * may be down while stores and reads go on).
 *
 * <p>After every scenario: no certified blob lost and no wrong bytes (every blob stored so far reads back byte for
 * byte), no stuck blob (the damaged node serves every sliver it owns of every one, checked over its REST API against
 * the honest encoding, with nothing pending in recovery), the part recovers (or, killed, restarts on its data), and
 * health tells the truth (the node's {@code store.writable}). The seed is printed; {@code -Dtusk.test.seed=N} replays.
 */
class FaultScenariosIT {
    private static final int SHARDS = 16;
    private static final long STAKE = 1_000_000;
    private static final Duration HEAL_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration CRASH_TIMEOUT = Duration.ofSeconds(60);
    private static final StoreOptions OPTIONS = StoreOptions.defaults().withEpochs(10);

    @TempDir
    Path dir;

    private final Map<BlobId, byte[]> stored = new LinkedHashMap<>();
    private final Map<BlobId, EncodedBlob> encoded = new LinkedHashMap<>();
    private Random random;

    @Test
    void shouldSurviveKillsAtEveryFailPointAndAFullDisk() throws Exception {
        long seed = seed();
        random = new Random(seed);
        long start = System.nanoTime();
        int tmpfsNode = 3;
        Path tmpfs = dir.resolve("node-" + tmpfsNode).resolve("db");
        boolean mounted = false;
        try (ProcessCluster cluster = new ProcessCluster(dir, SHARDS, STAKE, STAKE, STAKE, STAKE)) {
            try {
                mounted = mountTmpfs(tmpfs, 256);
                if (mounted) {
                    // Filled before the node starts: RocksDB reserves room for its log when it opens, and that room
                    // would take tens of megabytes of stores to use up.
                    fill(tmpfs.resolve("ballast"), Files.getFileStore(tmpfs).getUsableSpace() - (2 << 20));
                }
                cluster.startAll();
                System.out.printf("[faults] control plane and 4 nodes up in %d ms (node-%d's disk: %s)%n",
                        millisSince(start), tmpfsNode, mounted ? "a 256 MiB tmpfs" : "the fail point");
                try (TuskClient client = cluster.client()) {
                    for (int i = 0; i < 3; i++) {
                        store(client, 1 + random.nextInt(120_000));
                    }
                }
                diskFull(cluster, tmpfsNode, tmpfs, mounted);
                killAtFailPoints(cluster);
                for (int i = 0; i < cluster.nodeCount(); i++) {
                    awaitHealed(cluster, i);
                }
                assertAllRead(cluster, "the end");
                System.out.printf("[faults] %d blobs, total %d ms%n", stored.size(), millisSince(start));
            } catch (Throwable failure) {
                System.out.println("[faults] failed with seed " + seed + " in " + dir + ": " + failure);
                cluster.printLogTails(150);
                throw failure;
            } finally {
                cluster.close(); // every process down before the tmpfs goes
                if (mounted) {
                    unmount(tmpfs);
                }
            }
        }
    }

    // ---- a full disk ----

    /**
     * Node {@code victim}'s disk fills up while blobs are stored: the stores succeed on the other nodes, the node's
     * health says its store does not take writes (and why); once space is freed it says so again by itself, and the
     * node rebuilds what it missed.
     */
    private void diskFull(ProcessCluster cluster, int victim, Path tmpfs, boolean mounted) throws Exception {
        long t = System.nanoTime();
        Path ballast = tmpfs.resolve("ballast");
        if (!mounted) {
            // No tmpfs (not root): the node's next 60 writes fail as on a full disk, later ones pass ("space freed").
            cluster.killNode(victim);
            cluster.launchNode(victim, "-D" + FailPoints.PROPERTY + "=node.store-write=error*60");
        }
        try (TuskClient client = cluster.client()) {
            for (int i = 0; i < 4; i++) {
                store(client, 700_000 + random.nextInt(300_000)); // certified with the victim's disk full
            }
        }
        assertThat(eventually(Duration.ofSeconds(60), () -> health(cluster, victim).path("store").path("writable")
                .asBoolean(true) == false)).as("node-%d's health reports its store not writable", victim).isTrue();
        String error = health(cluster, victim).path("store").path("writeError").asText();
        if (mounted) {
            assertThat(error).containsIgnoringCase("space");
        }
        System.out.printf("[faults] full disk: node-%d reports \"%s\"; stores went on%n", victim, error);
        assertAllRead(cluster, "node-" + victim + " with a full disk");
        if (mounted) {
            Files.delete(ballast); // RocksDB resumes by itself once 64 MiB (its largest memtable) are free
        }
        // RocksDB resumes by itself a few seconds after space is back; the node then applies the events it could
        // not write and rebuilds what it missed (awaitHealed also wants its health to say it takes writes).
        awaitHealed(cluster, victim, Duration.ofSeconds(180));
        System.out.printf("[faults] full disk: space freed, node-%d takes writes again and holds every sliver; %d ms%n",
                victim, millisSince(t));
    }

    // ---- kill -9 at each fail point ----

    /** A point, how often it is passed before the kill, and what makes the victim reach it. */
    private record Kill(String point, int hit, Trigger trigger) {
    }

    @FunctionalInterface
    private interface Trigger {
        void fire(ProcessCluster cluster, int victim) throws Exception;
    }

    private void killAtFailPoints(ProcessCluster cluster) throws Exception {
        Trigger storeBlobs = (c, victim) -> {
            try (TuskClient client = c.client()) {
                store(client, 1 + random.nextInt(80_000)); // certified by the other nodes if the victim dies
            }
        };
        Trigger advanceEpoch = (c, victim) -> {
            try (ControlClient control = new ControlClient(c.controlUrl())) {
                control.submit(new Command.AdvanceEpoch(Math.max(System.currentTimeMillis(),
                        control.epoch().startTimeMillis())), c.admin());
            }
        };
        List<Kill> kills = new ArrayList<>(List.of(
                new Kill("node.sliver-write", 1 + random.nextInt(3), storeBlobs),
                new Kill("node.store-write", 3 + random.nextInt(10), storeBlobs),
                new Kill("node.event-apply", 2 + random.nextInt(2), storeBlobs),
                new Kill("node.confirmation-sign", 1 + random.nextInt(2), storeBlobs),
                new Kill("node.store-read", 5 + random.nextInt(20), storeBlobs),
                new Kill("node.gc-collect", 1, advanceEpoch)));
        java.util.Collections.shuffle(kills, random);
        // Recovery points need a node that lacks slivers: it is down while blobs are stored, and restarts armed.
        kills.add(new Kill("node.recovery-fetch", 1, null));
        kills.add(new Kill("node.recovery-store", 1 + random.nextInt(3), null));
        for (Kill kill : kills) {
            int victim = random.nextInt(cluster.nodeCount());
            long t = System.nanoTime();
            String armed = "-D" + FailPoints.PROPERTY + "=" + kill.point() + "=crash@" + kill.hit();
            cluster.killNode(victim);
            if (kill.trigger() == null) {
                storeBlobs.fire(cluster, victim); // stored while the victim is down: it must rebuild them
                cluster.launchNode(victim, armed);
            } else {
                cluster.launchNode(victim, armed);
                cluster.awaitNodeReadyOrExit(victim);
                // The point must be hit `hit` times: one store signs one confirmation per node, so fire again
                // until the victim dies there (or the wait below gives up and the assertion names the point).
                long giveUp = System.nanoTime() + CRASH_TIMEOUT.toNanos();
                do {
                    kill.trigger().fire(cluster, victim);
                } while (kill.trigger() == storeBlobs && cluster.isAlive(victim) && System.nanoTime() < giveUp);
            }
            int status = cluster.awaitExit(victim, CRASH_TIMEOUT);
            assertThat(status).as("node-%d armed with %s=crash@%d: its exit status", victim, kill.point(), kill.hit())
                    .isEqualTo(FailPoints.CRASH_EXIT_STATUS);
            cluster.startNode(victim);
            awaitHealed(cluster, victim);
            assertAllRead(cluster, "after node-" + victim + " died at " + kill.point());
            System.out.printf("[faults] node-%d killed at %s (hit %d), restarted and healed; %d ms%n", victim,
                    kill.point(), kill.hit(), millisSince(t));
        }
    }

    // ---- checks ----

    private void store(TuskClient client, int size) {
        byte[] blob = new byte[size];
        random.nextBytes(blob);
        StoreResult result = client.store(blob, random.nextBoolean() ? OPTIONS : OPTIONS.permanent());
        BlobId id = BlobId.parse(result.blobId());
        stored.put(id, blob);
        encoded.put(id, new BlobEncoder(SHARDS).encode(blob));
    }

    private void assertAllRead(ProcessCluster cluster, String situation) {
        try (TuskClient client = cluster.client()) {
            stored.forEach((id, blob) -> assertThat(client.read(id)).as("%s: blob %s (%d bytes)", situation, id,
                    blob.length).isEqualTo(blob));
        }
    }

    /** What node {@code i} does not serve right: each owned sliver of each blob, recovery pending, writability. */
    private List<String> problems(ProcessCluster cluster, int node) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<BlobId, EncodedBlob> e : encoded.entrySet()) {
            for (int shard : cluster.shardsOf(node)) {
                int pair = e.getKey().pairForShard(shard, SHARDS);
                for (SliverType type : SliverType.values()) {
                    String what = type.wireName() + " sliver of pair " + pair + " of " + e.getKey();
                    HttpResponse<byte[]> response;
                    try {
                        response = cluster.get(node, "/v1/blobs/" + e.getKey() + "/slivers/" + pair + "/"
                                + type.wireName());
                    } catch (IOException unreachable) {
                        out.add("node-" + node + " unreachable: " + unreachable);
                        return out;
                    } catch (InterruptedException interrupted) {
                        Thread.currentThread().interrupt();
                        out.add("interrupted");
                        return out;
                    }
                    if (response.statusCode() != 200) {
                        out.add(what + ": HTTP " + response.statusCode());
                    } else if (!Arrays.equals(response.body(), e.getValue().pairs().get(pair).sliver(type).toBcs())) {
                        out.add(what + ": other bytes");
                    }
                }
            }
        }
        double pending = cluster.metric(node, "tusk_node_recovery_pending");
        if (pending != 0) {
            out.add("recovery pending: " + pending);
        }
        if (!health(cluster, node).path("store").path("writable").asBoolean(false)) {
            out.add("store not writable: " + health(cluster, node).path("store"));
        }
        return out;
    }

    private void awaitHealed(ProcessCluster cluster, int node) throws InterruptedException {
        awaitHealed(cluster, node, HEAL_TIMEOUT);
    }

    private void awaitHealed(ProcessCluster cluster, int node, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> problems = problems(cluster, node);
        while (!problems.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("node-" + node + " not healed within " + timeout + ": " + problems.size()
                        + " problems, e.g. " + problems.subList(0, Math.min(5, problems.size())));
            }
            Thread.sleep(250);
            problems = problems(cluster, node);
        }
    }

    /** The data of node {@code i}'s health answer, or an empty object if it does not answer. */
    private static JsonNode health(ProcessCluster cluster, int i) {
        try {
            HttpResponse<byte[]> response = cluster.get(i, "/v1/health");
            JsonNode json = new ObjectMapper().readTree(response.body());
            return json.has("success") ? json.path("success").path("data") : json;
        } catch (IOException e) {
            return new ObjectMapper().createObjectNode();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new ObjectMapper().createObjectNode();
        }
    }

    @FunctionalInterface
    private interface Condition {
        boolean holds() throws Exception;
    }

    private static boolean eventually(Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.holds()) {
                return true;
            }
            Thread.sleep(200);
        }
        return condition.holds();
    }

    // ---- the tmpfs ----

    /** Mounts a tmpfs of {@code mib} MiB on {@code target}; false if this process may not (not root). */
    private static boolean mountTmpfs(Path target, int mib) throws IOException, InterruptedException {
        Files.createDirectories(target);
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + mib + "m", "tmpfs", target.toString())
                .redirectErrorStream(true).start();
        String output = new String(mount.getInputStream().readAllBytes());
        boolean ok = mount.waitFor(30, TimeUnit.SECONDS) && mount.exitValue() == 0;
        if (!ok) {
            System.out.println("[faults] no tmpfs (" + output.strip() + "): the full disk is the node.store-write "
                    + "fail point instead");
        }
        return ok;
    }

    private static void unmount(Path target) throws IOException, InterruptedException {
        Process umount = new ProcessBuilder("umount", target.toString()).redirectErrorStream(true).start();
        String output = new String(umount.getInputStream().readAllBytes());
        if (!umount.waitFor(30, TimeUnit.SECONDS) || umount.exitValue() != 0) {
            System.out.println("[faults] could not unmount " + target + ": " + output.strip());
        }
    }

    private static void fill(Path file, long bytes) throws IOException {
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = Math.max(0, bytes); left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
    }

    private static long seed() {
        String fixed = System.getProperty("tusk.test.seed");
        long seed = fixed == null || fixed.isBlank() ? new Random().nextLong() : Long.parseLong(fixed.trim());
        System.out.println("[faults] seed " + seed + " (replay with -Dtusk.test.seed=" + seed + ")");
        return seed;
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
