package io.tusk.bench;

import io.tusk.client.TuskClient;
import io.tusk.control.api.BlobObject;
import io.tusk.control.api.PriceInfo;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.metadata.BlobId;
import io.tusk.spaces.CommitResult;
import io.tusk.spaces.ListPage;
import io.tusk.spaces.ListQuery;
import io.tusk.spaces.Record;
import io.tusk.spaces.Snapshot;
import io.tusk.spaces.Space;
import io.tusk.spaces.SpaceStream;
import io.tusk.spaces.Spaces;
import io.tusk.spaces.SpacesOptions;
import io.tusk.spaces.VerifyOptions;
import io.tusk.spaces.VerifyReport;
import io.tusk.testkit.LocalCluster;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end harness for spaces (not a test): starts the default devnet (4 nodes, 100 shards, in this process, real
 * sockets and RocksDB) and measures, on one space grown to {@code --entries} entries: the bulk build, commits per second
 * and latency for commits of 1, 10 and 100 changes, put and get latency, listing a page of one prefix, verify
 * throughput, cost per 1 KiB entry against one blob per entry, stream follow delay, and concurrent writers.
 *
 * <p>Usage: {@code java -Xmx4g --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * "tusk-bench/target/tusk-bench.jar:tusk-bench/target/lib/*" io.tusk.bench.SpaceBenchmark [--entries 1000000]
 * [--batch 10000] [--entry-bytes 100] [--samples 30] [--verify true] [--parts cost,build,follow,writers]}
 */
public final class SpaceBenchmark {
    private SpaceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int entries = 1_000_000;
        int batch = 10_000;
        int entryBytes = 100;
        int samples = 30;
        boolean verify = true;
        java.util.Set<String> parts = new java.util.HashSet<>(List.of("cost", "build", "follow", "writers"));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--entries" -> entries = Integer.parseInt(args[++i]);
                case "--batch" -> batch = Integer.parseInt(args[++i]);
                case "--entry-bytes" -> entryBytes = Integer.parseInt(args[++i]);
                case "--samples" -> samples = Integer.parseInt(args[++i]);
                case "--verify" -> verify = Boolean.parseBoolean(args[++i]);
                case "--parts" -> parts = new java.util.HashSet<>(List.of(args[++i].split(",")));
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("tusk-spaces-bench-");
        Random random = new Random(7);
        try (LocalCluster cluster = LocalCluster.start(dir, 4, 100, 0, 0); TuskClient client = cluster.client()) {
            System.out.printf("devnet: 4 nodes, 100 shards, data in %s; %s%n", dir, load());
            Spaces spaces = new Spaces(client, SpacesOptions.defaults().withNodeCacheBytes(256L << 20));

            if (parts.contains("cost")) {
                cost(spaces, client, random);
            }
            if (parts.contains("build")) {
                Space space = spaces.create("bench", false);
                build(space, entries, batch, entryBytes, random);
                commits(space, entries, samples, random);
                gets(client, space, entries, samples, random);
                list(client, space, samples);
                if (verify) {
                    verify(space);
                }
            }
            if (parts.contains("follow")) {
                follow(spaces.create("stream", false), samples);
            }
            if (parts.contains("writers")) {
                writers(cluster, samples);
            }
            System.out.println("done; " + load());
        } finally {
            deleteRecursively(dir);
        }
    }

    private static String key(int i) {
        return String.format("p%03d/item-%07d", i / 1000 % 1000, i);
    }

    /** A bulk import in key order: each commit appends {@code batch} entries (a quilt of data and new nodes). */
    private static void build(Space space, int entries, int batch, int entryBytes, Random random) {
        long start = System.nanoTime();
        long[] commitNanos = new long[(entries + batch - 1) / batch];
        int c = 0;
        for (int from = 0; from < entries; from += batch) {
            int first = from;
            int last = Math.min(entries, from + batch);
            long t0 = System.nanoTime();
            space.commit(tx -> {
                byte[] data = new byte[entryBytes];
                for (int i = first; i < last; i++) {
                    random.nextBytes(data);
                    tx.put(key(i), data);
                }
            });
            commitNanos[c++] = System.nanoTime() - t0;
            if (c % 10 == 0) {
                System.out.printf("  built %,d entries (%.0f s)%n", last, (System.nanoTime() - start) / 1e9);
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Snapshot head = space.snapshot();
        System.out.printf("build: %,d entries of %d bytes in %d commits of %,d: %.1f s = %,.0f entries/s; commit of %,d "
                        + "entries p50 %.0f ms; head version %d holds %,d entries%n", entries, entryBytes, c, batch, seconds,
                entries / seconds, batch, percentile(commitNanos, 50) / 1e6, head.version(), head.entryCount());
    }

    /** Commits of k random changes on the big space: latency, so commits per second for one writer. */
    private static void commits(Space space, int entries, int samples, Random random) {
        for (int k : new int[]{1, 10, 100}) {
            long[] nanos = new long[samples];
            for (int s = 0; s < samples; s++) {
                long t0 = System.nanoTime();
                space.commit(tx -> {
                    for (int j = 0; j < k; j++) {
                        tx.put(key(random.nextInt(entries)), ("updated " + random.nextLong()).getBytes(StandardCharsets.UTF_8));
                    }
                });
                nanos[s] = System.nanoTime() - t0;
            }
            System.out.printf("commit of %3d random changes in a %,d-entry space: p50 %.0f ms, p99 %.0f ms = %.1f commits/s "
                    + "for one writer (%.0f changes/s)%n", k, entries, percentile(nanos, 50) / 1e6, percentile(nanos, 99) / 1e6,
                    1e9 / percentile(nanos, 50), k * 1e9 / percentile(nanos, 50));
        }
    }

    /** Gets of random keys: warm (this client's caches as they are) and cold (a fresh client each time). */
    private static void gets(TuskClient client, Space space, int entries, int samples, Random random) {
        Snapshot head = space.snapshot();
        long[] warm = new long[samples * 4];
        for (int s = 0; s < warm.length; s++) {
            String key = key(random.nextInt(entries));
            long t0 = System.nanoTime();
            head.read(key);
            warm[s] = System.nanoTime() - t0;
        }
        long[] cold = new long[samples];
        for (int s = 0; s < samples; s++) {
            String key = key(random.nextInt(entries));
            long t0 = System.nanoTime();
            new Spaces(client).open(space.name()).snapshot().read(key);
            cold[s] = System.nanoTime() - t0;
        }
        System.out.printf("get of a random key (" + space.snapshot().entryCount() + "-entry tree): warm client p50 %.1f ms, p99 %.1f ms; cold client "
                        + "(head, manifest, 3 nodes, data) p50 %.1f ms, p99 %.1f ms%n", percentile(warm, 50) / 1e6,
                percentile(warm, 99) / 1e6, percentile(cold, 50) / 1e6, percentile(cold, 99) / 1e6);
    }

    private static void list(TuskClient client, Space space, int samples) {
        long[] cold = new long[Math.max(3, samples / 5)];
        long[] warm = new long[samples];
        int count = 0;
        for (int s = 0; s < cold.length; s++) {
            String prefix = String.format("p%03d/", 100 + s);
            long t0 = System.nanoTime();
            ListPage page = new Spaces(client).open(space.name()).snapshot().list(ListQuery.prefix(prefix).withLimit(1000));
            cold[s] = System.nanoTime() - t0;
            count = page.entries().size();
        }
        Snapshot head = space.snapshot();
        for (int s = 0; s < warm.length; s++) {
            long t0 = System.nanoTime();
            head.list(ListQuery.prefix("p100/").withLimit(1000));
            warm[s] = System.nanoTime() - t0;
        }
        System.out.printf("list a prefix of %d entries (one page): cold client p50 %.0f ms; warm p50 %.1f ms%n", count,
                percentile(cold, 50) / 1e6, percentile(warm, 50) / 1e6);
    }

    private static void verify(Space space) {
        VerifyReport report = space.verify(VerifyOptions.defaults().withVersions(1));
        double seconds = report.elapsed().toNanos() / 1e9;
        System.out.printf("verify the head version: ok=%s, %,d nodes, %,d entries, %d blob IDs re-derived over %.1f MB in "
                        + "%.1f s = %,.0f entries/s, %.1f MB/s%n", report.ok(), report.nodesChecked(), report.entriesChecked(),
                report.blobsChecked(), report.bytesChecked() / 1e6, seconds, report.entriesChecked() / seconds,
                report.bytesChecked() / 1e6 / seconds);
    }

    /**
     * Cost in storage units (and price) of 1 KiB entries: committed in batches of b entries (pack + manifest per
     * commit) against one blob per entry, on this network (100 shards) and, from the same byte counts, on Walrus's
     * 1000 shards.
     */
    private static void cost(Spaces spaces, TuskClient client, Random random) {
        PriceInfo prices = client.control().prices();
        EncodingConfig here = new EncodingConfig(client.committeeInfo().shardCount());
        EncodingConfig mainnet = new EncodingConfig(1000);
        long oneBlobHere = units(here.encodedSize(1024), prices);
        long oneBlobMainnet = units(mainnet.encodedSize(1024), prices);
        System.out.printf("cost of one 1 KiB entry as its own blob: %d unit(s) of %d MiB here, %d units at 1000 shards%n",
                oneBlobHere, prices.unitSize() >> 20, oneBlobMainnet);
        Space space = spaces.create("cost", false);
        int next = 0;
        for (int batch : new int[]{1, 10, 100, 1000, 10_000}) {
            int first = next;
            CommitResult result = space.commit(tx -> {
                byte[] data = new byte[1024];
                for (int i = 0; i < batch; i++) {
                    random.nextBytes(data);
                    tx.put(String.format("memories/%08d", first + i), data);
                }
            });
            next += batch;
            long unitsHere = 0;
            long unitsMainnet = 0;
            BlobId manifestId = BlobId.parse(result.manifestBlobId());
            List<BlobId> blobs = new ArrayList<>();
            blobs.add(manifestId);
            space.blobsWrittenBy(result.version()).forEach(id -> blobs.add(BlobId.parse(id)));
            for (BlobId blob : blobs) {
                BlobObject object = client.status(blob).objects().getFirst();
                unitsHere += units(here.encodedSize(object.size()), prices);
                unitsMainnet += units(mainnet.encodedSize(object.size()), prices);
            }
            System.out.printf("  commit of %,6d entries of 1 KiB: %d blobs, %d units here = %.4f units/entry (%.1fx cheaper "
                            + "than a blob each); at 1000 shards %d units = %.4f units/entry (%.1fx)%n", batch, blobs.size(),
                    unitsHere, unitsHere / (double) batch, oneBlobHere * batch / (double) unitsHere, unitsMainnet,
                    unitsMainnet / (double) batch, oneBlobMainnet * batch / (double) unitsMainnet);
        }
    }

    private static long units(long encodedSize, PriceInfo prices) {
        return (encodedSize + prices.unitSize() - 1) / prices.unitSize();
    }

    /** Delay from an append landing (its commit returned) to a follower holding the record. */
    private static void follow(Space space, int samples) throws Exception {
        SpaceStream stream = space.stream("feed");
        AtomicLong landedAt = new AtomicLong();
        long[] delays = new long[samples];
        int[] seen = {0};
        Object lock = new Object();
        Thread follower = Thread.ofVirtual().start(() -> stream.follow(0, (Record r) -> {
            long now = System.nanoTime();
            synchronized (lock) {
                if (seen[0] < samples) {
                    delays[seen[0]] = now - landedAt.get();
                }
                seen[0]++;
                lock.notifyAll();
            }
            return seen[0] < samples;
        }));
        Thread.sleep(500);
        for (int s = 0; s < samples; s++) {
            stream.append(List.of(("reading " + s).getBytes(StandardCharsets.UTF_8)));
            landedAt.set(System.nanoTime());
            synchronized (lock) {
                long deadline = System.currentTimeMillis() + 30_000;
                while (seen[0] <= s && System.currentTimeMillis() < deadline) {
                    lock.wait(100);
                }
            }
        }
        follower.join(Duration.ofSeconds(30));
        // A delay can be slightly negative when the follower reads the record before the appender's call returns.
        for (int i = 0; i < delays.length; i++) {
            delays[i] = Math.max(0, delays[i]);
        }
        System.out.printf("stream: follower sees an appended record after p50 %.1f ms, p99 %.1f ms (from the append "
                + "returning)%n", percentile(delays, 50) / 1e6, percentile(delays, 99) / 1e6);
    }

    /** Four writers (their own clients) committing single changes to one space at once. */
    private static void writers(LocalCluster cluster, int samples) throws Exception {
        try (TuskClient first = cluster.client()) {
            new Spaces(first).create("contended", false);
        }
        int writers = 4;
        long start = System.nanoTime();
        List<CompletableFuture<Integer>> runs = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            runs.add(CompletableFuture.supplyAsync(() -> {
                int retries = 0;
                try (TuskClient client = cluster.client()) {
                    Space space = new Spaces(client).open("contended");
                    for (int s = 0; s < samples / 2; s++) {
                        int n = s;
                        retries += space.commit(tx -> tx.put("w" + writer + "/" + n, new byte[]{1})).attempts() - 1;
                    }
                }
                return retries;
            }));
        }
        int retries = runs.stream().mapToInt(CompletableFuture::join).sum();
        double seconds = (System.nanoTime() - start) / 1e9;
        int commits = writers * (samples / 2);
        System.out.printf("%d concurrent writers: %d commits in %.1f s = %.1f commits/s, %d lost races retried%n", writers,
                commits, seconds, commits / seconds, retries);
    }

    private static double percentile(long[] values, int p) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }

    private static String load() {
        try {
            return "load average " + Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (Exception e) {
            return "load average unknown";
        }
    }

    private static void deleteRecursively(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
