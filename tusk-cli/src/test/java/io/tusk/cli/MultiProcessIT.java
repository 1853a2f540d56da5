package io.tusk.cli;

import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.client.TuskClient;
import io.tusk.control.api.BlobInfo;
import io.tusk.core.metadata.BlobId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The network as separate OS processes ({@link ProcessCluster}: a control plane and four storage nodes started from
 * the packaged CLI, so this runs in the {@code integration-test} phase, after {@code package}), configured by files
 * on loopback. Stores and reads through the SDK, SIGKILLs a node and reads, restarts it and reads, SIGKILLs and
 * restarts the control plane (statuses unchanged, stores go on), then SIGKILLs two other nodes so that reads need
 * the restarted node's data. Every process is killed at the end, whatever happens.
 */
class MultiProcessIT {
    private static final int NODES = 4;
    private static final int SHARDS = 10;

    @TempDir
    Path dir;

    @Test
    void shouldStoreAndReadAcrossProcessesThroughANodeCrashAndRestart() throws Exception {
        long seed = seed();
        Random random = new Random(seed);
        try (ProcessCluster cluster = new ProcessCluster(dir, SHARDS, 1_000_000, 1_000_000, 1_000_000, 1_000_000)) {
            try {
                long start = System.nanoTime();
                cluster.startAll();
                System.out.printf("[multi-process] control plane and %d nodes up in %d ms%n", NODES,
                        (System.nanoTime() - start) / 1_000_000);
                run(cluster, random);
            } catch (Throwable failure) {
                System.out.println("[multi-process] failed with seed " + seed + " in " + dir + ": " + failure);
                cluster.printLogTails(40);
                throw failure;
            }
        }
    }

    private static void run(ProcessCluster cluster, Random random) throws Exception {
        try (TuskClient client = cluster.client()) {
            Map<BlobId, byte[]> stored = new LinkedHashMap<>();
            for (int size : List.of(0, 1, 5_000, 100_000, 400_000)) {
                byte[] blob = new byte[size];
                random.nextBytes(blob);
                StoreResult result = client.store(blob, size % 2 == 0 ? StoreOptions.defaults()
                        : StoreOptions.defaults().permanent());
                assertThat(result).isInstanceOf(StoreResult.NewlyCreated.class);
                stored.put(BlobId.parse(result.blobId()), blob);
            }
            assertAllRead(client, stored);

            // SIGKILL one node: reads and stores go on without it
            int victim = random.nextInt(NODES);
            cluster.killNode(victim);
            assertAllRead(client, stored);
            byte[] whileDown = new byte[50_000];
            random.nextBytes(whileDown);
            BlobId whileDownId = BlobId.parse(client.store(whileDown, StoreOptions.defaults()).blobId());
            assertThat(client.read(whileDownId)).isEqualTo(whileDown);

            // restart it on its data
            cluster.startNode(victim);
            assertAllRead(client, stored);
            assertThat(client.read(whileDownId)).isEqualTo(whileDown);

            // SIGKILL the control plane and start it again on its journal: statuses unchanged, stores go on
            Map<BlobId, BlobInfo> statuses = new LinkedHashMap<>();
            for (BlobId id : stored.keySet()) {
                statuses.put(id, client.status(id));
            }
            cluster.killControl();
            cluster.startControl();
            for (BlobId id : stored.keySet()) {
                assertThat(client.status(id)).isEqualTo(statuses.get(id));
            }
            byte[] afterControlCrash = new byte[30_000];
            random.nextBytes(afterControlCrash);
            BlobId afterControlCrashId = BlobId.parse(client.store(afterControlCrash, StoreOptions.defaults()).blobId());
            assertThat(client.read(afterControlCrashId)).isEqualTo(afterControlCrash);

            // SIGKILL two others: the restarted node's shards are now needed for every read of the older blobs
            // (10 shards on 4 nodes are 3+3+2+2; two nodes keep at least 4 = the primary slivers a read needs)
            List<Integer> others = new ArrayList<>();
            for (int i = 0; i < NODES; i++) {
                if (i != victim) {
                    others.add(i);
                }
            }
            Collections.shuffle(others, random);
            cluster.killNode(others.get(0));
            cluster.killNode(others.get(1));
            assertAllRead(client, stored);
        }
    }

    private static long seed() {
        String fixed = System.getProperty("tusk.test.seed");
        long seed = fixed == null || fixed.isBlank() ? new Random().nextLong() : Long.parseLong(fixed.trim());
        System.out.println("[multi-process] seed " + seed + " (replay with -Dtusk.test.seed=" + seed + ")");
        return seed;
    }

    private static void assertAllRead(TuskClient client, Map<BlobId, byte[]> stored) {
        stored.forEach((id, blob) -> assertThat(client.read(id)).as("blob %s (%d bytes)", id, blob.length).isEqualTo(blob));
    }
}
