package io.tusk.bench;

import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.client.TuskClient;
import io.tusk.core.metadata.BlobId;
import io.tusk.testkit.LocalCluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

/**
 * End-to-end harness (not a test): starts the default devnet (4 nodes, 100 shards, in this process, real sockets and
 * RocksDB), then measures store and read throughput of whole files and the latency of small reads through the SDK.
 * Each store uses a fresh random file, so nothing is "already certified".
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * "tusk-bench/target/tusk-bench.jar:tusk-bench/target/lib/*" io.tusk.bench.EndToEndBenchmark [--nodes 4] [--shards 100]
 * [--rounds 3] [--warmup 3] [--small-reads 300] [--small-warmup 2000]}
 *
 * <p>The small reads follow {@code --small-warmup} untimed reads of the same kind: the JIT compiles a 1 KiB read's path
 * (batched sliver checks, the HTTP client) only after a thousand or so reads, and until then a read costs about twice
 * its settled time (2026-12-08, 4 nodes, 100 shards, 2 cores: p50 4.2 ms over the first 1,500 reads, 1.9 ms after
 * 4,500). A client or gateway that has served a while runs the compiled path; the first reads of a process are not
 * what this figure is for.
 */
public final class EndToEndBenchmark {
    private EndToEndBenchmark() {}

    public static void main(String[] args) throws Exception {
        int nodes = 4;
        int shards = 100;
        int rounds = 3;
        int smallReads = 300;
        int warmup = 3;
        int smallWarmup = 2000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--shards" -> shards = Integer.parseInt(args[++i]);
                case "--rounds" -> rounds = Integer.parseInt(args[++i]);
                case "--small-reads" -> smallReads = Integer.parseInt(args[++i]);
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--small-warmup" -> smallWarmup = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("tusk-e2e-");
        Random random = new Random(7);
        try (LocalCluster cluster = LocalCluster.start(dir, nodes, shards, 0, 0); TuskClient client = cluster.client()) {
            System.out.printf("devnet: %d nodes, %d shards, data in %s%n", nodes, shards, dir);
            for (int size : new int[] {1 << 20, 128 << 20}) {
                double[] store = new double[rounds];
                double[] read = new double[rounds];
                // Warm-up rounds let the JIT compile the whole path (encoder, HTTP, node checks, RocksDB): a devnet
                // serves for hours, and on two cores C2 needs a few stores of a large blob to settle.
                for (int round = -warmup; round < rounds; round++) {
                    byte[] blob = new byte[size];
                    random.nextBytes(blob);
                    long start = System.nanoTime();
                    StoreResult result = client.store(blob, StoreOptions.defaults());
                    long stored = System.nanoTime();
                    byte[] back = client.read(BlobId.parse(result.blobId()));
                    long done = System.nanoTime();
                    if (!Arrays.equals(back, blob)) {
                        throw new AssertionError("read back different bytes for " + result.blobId());
                    }
                    if (round >= 0) {
                        store[round] = mbPerSecond(size, stored - start);
                        read[round] = mbPerSecond(size, done - stored);
                    }
                }
                Arrays.sort(store);
                Arrays.sort(read);
                System.out.printf("%4d MiB file: store %.1f MB/s, read %.1f MB/s (median of %d; min-max store %.1f-%.1f, read %.1f-%.1f)%n",
                        size >> 20, store[rounds / 2], read[rounds / 2], rounds, store[0], store[rounds - 1], read[0], read[rounds - 1]);
            }
            byte[] small = new byte[1024];
            random.nextBytes(small);
            BlobId id = BlobId.parse(client.store(small, StoreOptions.defaults()).blobId());
            for (int i = 0; i < smallWarmup; i++) {
                client.read(id);
            }
            long[] latencies = new long[smallReads];
            for (int i = 0; i < smallReads; i++) {
                long start = System.nanoTime();
                client.read(id);
                latencies[i] = System.nanoTime() - start;
            }
            Arrays.sort(latencies);
            System.out.printf("1 KiB read latency over %d reads: p50 %.2f ms, p99 %.2f ms%n", smallReads,
                    latencies[smallReads / 2] / 1e6, latencies[smallReads * 99 / 100] / 1e6);
        } finally {
            deleteTree(dir);
        }
    }

    private static double mbPerSecond(long bytes, long nanos) {
        return bytes / 1e6 / (nanos / 1e9);
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
