package io.tusk.bench;

import io.tusk.client.ClientConfig;
import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.client.TuskClient;
import io.tusk.control.api.Command;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.metadata.BlobId;
import io.tusk.node.StorageNode;
import io.tusk.node.recovery.RecoveryConfig;
import io.tusk.node.recovery.RecoveryMetrics;
import io.tusk.node.service.CommitteeView;
import io.tusk.testkit.LocalCluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Recovery benchmark (not a test): a {@link LocalCluster} in a temporary directory, {@code count} random blobs of
 * {@code size} bytes stored, then one node stopped, its data directory deleted, and restarted; measures the time until
 * it stores every sliver of its shards again (event replay included) and the bytes it fetched.
 *
 * <pre>
 * java -cp "tusk-bench/target/tusk-bench.jar:tusk-bench/target/lib/*" io.tusk.bench.RecoveryBenchmark \
 *     COUNT SIZE [NODES=4] [SHARDS=16] [STORE_THREADS=8] [RECOVERY_CONCURRENCY=16]
 * </pre>
 */
public final class RecoveryBenchmark {
    private RecoveryBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int count = Integer.parseInt(args[0]);
        int size = Integer.parseInt(args[1]);
        int nodes = args.length > 2 ? Integer.parseInt(args[2]) : 4;
        int shards = args.length > 3 ? Integer.parseInt(args[3]) : 16;
        int storeThreads = args.length > 4 ? Integer.parseInt(args[4]) : 8;
        int concurrency = args.length > 5 ? Integer.parseInt(args[5]) : 16;
        Path dir = Files.createTempDirectory("tusk-recovery-bench");
        RecoveryConfig config = RecoveryConfig.DEFAULT.withDelay(Duration.ZERO).withConcurrency(concurrency)
                .withMaxBackoff(Duration.ofSeconds(1));
        try (LocalCluster cluster = LocalCluster.start(dir, nodes, shards, 0, 0, config)) {
            List<BlobId> blobs = Collections.synchronizedList(new ArrayList<>());
            long storeStart = System.nanoTime();
            AtomicLong next = new AtomicLong();
            try (ExecutorService pool = Executors.newFixedThreadPool(storeThreads)) {
                List<Future<?>> workers = new ArrayList<>();
                for (int t = 0; t < storeThreads; t++) {
                    int seed = t;
                    workers.add(pool.submit(() -> {
                        Ed25519KeyPair key = Ed25519KeyPair.generate(new SecureRandom());
                        try (TuskClient client = new TuskClient(ClientConfig.of(cluster.controlUrl(), key))) {
                            client.control().submit(new Command.Faucet(1_000_000_000_000_000L), key);
                            Random random = new Random(seed);
                            byte[] blob = new byte[size];
                            while (next.getAndIncrement() < count) {
                                random.nextBytes(blob);
                                StoreResult r = client.store(blob, StoreOptions.defaults().withEpochs(5));
                                blobs.add(BlobId.parse(r.blobId()));
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> w : workers) {
                    w.get();
                }
            }
            double storeSeconds = (System.nanoTime() - storeStart) / 1e9;
            System.out.printf("stored %d blobs of %d bytes in %.1f s (%.1f blobs/s)%n", blobs.size(), size, storeSeconds,
                    blobs.size() / storeSeconds);

            int victim = 0;
            CommitteeView before = cluster.node(victim).service().state().view();
            cluster.stopNode(victim);
            long sliverBytes = directorySize(cluster.nodeDataDir(victim));
            wipe(cluster.nodeDataDir(victim));
            long start = System.nanoTime();
            cluster.restartNode(victim);
            StorageNode node = cluster.node(victim);
            while (true) {
                CommitteeView view = node.service().state().view();
                if (view.isKnown() && node.recovery().pending() == 0
                        && blobs.stream().allMatch(id -> node.service().storesAllSlivers(id, view))) {
                    break;
                }
                Thread.sleep(20);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            RecoveryMetrics.Snapshot m = node.recovery().metrics().snapshot();
            System.out.printf("node %d (%d of %d shards, db %.1f MiB before the wipe) rebuilt %d slivers of %d blobs in %.2f s: "
                            + "%.1f blobs/s, %.1f MiB/s rebuilt%n", victim, before.ownedShards().size(), shards,
                    sliverBytes / 1048576.0, m.sliversRecovered(), m.blobsRecovered(), seconds, blobs.size() / seconds,
                    m.bytesRebuilt() / 1048576.0 / seconds);
            System.out.printf("bytes rebuilt %d, symbol bytes fetched %d (ratio %.3f), metadata bytes fetched %d "
                            + "(ratio with metadata %.3f), requests %d, failures %d%n", m.bytesRebuilt(),
                    m.symbolBytesFetched(), (double) m.symbolBytesFetched() / m.bytesRebuilt(), m.metadataBytesFetched(),
                    m.trafficRatio(), m.requests(), m.failures());
        } finally {
            wipe(dir);
        }
    }

    private static long directorySize(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    private static void wipe(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
