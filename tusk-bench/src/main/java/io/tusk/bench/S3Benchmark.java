package io.tusk.bench;

import io.tusk.client.TuskClient;
import io.tusk.s3.Credentials;
import io.tusk.s3.S3Account;
import io.tusk.s3.S3Config;
import io.tusk.s3.S3Server;
import io.tusk.spaces.PutOptions;
import io.tusk.spaces.Space;
import io.tusk.spaces.Spaces;
import io.tusk.testkit.LocalCluster;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * End-to-end harness for the S3 API (not a test; docs/s3.md "Figures"): starts the default devnet (4 nodes, 100
 * shards, in this process, real sockets and RocksDB) and the S3 API in front of it, and measures through the AWS SDK
 * for Java v2: PUT and GET throughput of 1 MiB objects (sequential) and of one 256 MiB object, the latency of small
 * (1 KiB) PUTs, and listing a bucket of 100,000 keys page by page (the keys are written through the spaces SDK in
 * commits of 10,000: writing them one S3 PUT at a time would measure commits, not listing).
 *
 * <p>Usage: {@code java -Xmx2g --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp
 * "tusk-bench/target/tusk-bench.jar:tusk-bench/target/lib/*" io.tusk.bench.S3Benchmark [--mib-objects 20]
 * [--large-mib 256] [--small-puts 50] [--list-keys 100000]}
 */
public final class S3Benchmark {
    private S3Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        int mibObjects = 20;
        int largeMib = 256;
        int smallPuts = 50;
        int listKeys = 100_000;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--mib-objects" -> mibObjects = Integer.parseInt(args[++i]);
                case "--large-mib" -> largeMib = Integer.parseInt(args[++i]);
                case "--small-puts" -> smallPuts = Integer.parseInt(args[++i]);
                case "--list-keys" -> listKeys = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("tusk-s3-bench-");
        try (LocalCluster cluster = LocalCluster.start(dir, 4, 100, 0, 0); TuskClient tusk = cluster.client()) {
            S3Account account = S3Account.of(tusk);
            try (S3Server server = S3Server.start(S3Config.defaults(), List.of(account));
                 S3Client s3 = client(server, account.credentials())) {
                System.out.printf("S3 API %s on a devnet of 4 nodes, 100 shards (load average %s)%n", server.uri(),
                        loadAverage());
                s3.createBucket(b -> b.bucket("bench"));
                Random random = new Random(1);

                byte[] mib = new byte[1 << 20];
                long[] putNanos = new long[mibObjects];
                for (int i = 0; i < mibObjects; i++) {
                    random.nextBytes(mib);
                    int n = i;
                    long start = System.nanoTime();
                    s3.putObject(b -> b.bucket("bench").key("mib/" + n), RequestBody.fromBytes(mib));
                    putNanos[i] = System.nanoTime() - start;
                }
                long[] getNanos = new long[mibObjects];
                for (int i = 0; i < mibObjects; i++) {
                    int n = i;
                    long start = System.nanoTime();
                    s3.getObject(b -> b.bucket("bench").key("mib/" + n), ResponseTransformer.toOutputStream(OutputStream.nullOutputStream()));
                    getNanos[i] = System.nanoTime() - start;
                }
                report("PUT 1 MiB objects", mibObjects, 1 << 20, putNanos);
                report("GET 1 MiB objects", mibObjects, 1 << 20, getNanos);

                Path large = dir.resolve("large.bin");
                try (OutputStream out = Files.newOutputStream(large)) {
                    for (int i = 0; i < largeMib; i++) {
                        random.nextBytes(mib);
                        out.write(mib);
                    }
                }
                long largeBytes = (long) largeMib << 20;
                long start = System.nanoTime();
                s3.putObject(b -> b.bucket("bench").key("large.bin"), RequestBody.fromFile(large));
                long put = System.nanoTime() - start;
                start = System.nanoTime();
                s3.getObject(b -> b.bucket("bench").key("large.bin"),
                        ResponseTransformer.toOutputStream(OutputStream.nullOutputStream()));
                long get = System.nanoTime() - start;
                report("PUT one " + largeMib + " MiB object", 1, largeBytes, new long[]{put});
                report("GET one " + largeMib + " MiB object", 1, largeBytes, new long[]{get});
                Files.delete(large);

                byte[] small = new byte[1024];
                long[] smallNanos = new long[smallPuts];
                for (int i = 0; i < smallPuts; i++) {
                    random.nextBytes(small);
                    int n = i;
                    start = System.nanoTime();
                    s3.putObject(b -> b.bucket("bench").key("small/" + n), RequestBody.fromBytes(small));
                    smallNanos[i] = System.nanoTime() - start;
                }
                Arrays.sort(smallNanos);
                System.out.printf("PUT 1 KiB objects, one at a time: p50 %.1f ms, p90 %.1f ms (%d PUTs)%n",
                        smallNanos[smallPuts / 2] / 1e6, smallNanos[smallPuts * 9 / 10] / 1e6, smallPuts);

                if (listKeys > 0) {
                    list(s3, tusk, listKeys);
                }
            }
        } finally {
            deleteTree(dir);
        }
    }

    /** Lists a bucket of {@code keys} keys through ListObjectsV2, 1,000 a page, timing the whole walk. */
    private static void list(S3Client s3, TuskClient tusk, int keys) {
        s3.createBucket(b -> b.bucket("listing"));
        long start = System.nanoTime();
        try (Spaces spaces = new Spaces(tusk)) {
            Space space = spaces.open("listing");
            byte[] value = "v".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            PutOptions options = new PutOptions("application/octet-stream", Map.of(), null);
            for (int from = 0; from < keys; from += 10_000) {
                int first = from;
                int last = Math.min(keys, from + 10_000);
                space.commit(tx -> {
                    for (int i = first; i < last; i++) {
                        tx.put(String.format("dir%02d/key-%07d", i % 100, i), value, options);
                    }
                });
            }
        }
        System.out.printf("(wrote %,d keys through the spaces SDK in %.1f s)%n", keys, (System.nanoTime() - start) / 1e9);
        for (int round = 0; round < 2; round++) { // the first walk loads the tree's nodes; the second finds them cached
            start = System.nanoTime();
            long listed = 0;
            int pages = 0;
            String token = null;
            do {
                String t = token;
                ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket("listing").continuationToken(t));
                listed += page.keyCount();
                pages++;
                token = page.isTruncated() ? page.nextContinuationToken() : null;
            } while (token != null);
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("LIST %,d keys (%s): %d pages in %.2f s, %,.0f keys/s%n", listed,
                    round == 0 ? "cold" : "warm", pages, seconds, listed / seconds);
            if (listed != keys) {
                throw new IllegalStateException("listed " + listed + " keys, wrote " + keys);
            }
        }
    }

    private static void report(String what, int count, long bytes, long[] nanos) {
        long total = Arrays.stream(nanos).sum();
        System.out.printf("%s: %.1f MB/s (%d in %.2f s)%n", what, (double) count * bytes / 1e6 / (total / 1e9),
                count, total / 1e9);
    }

    @SuppressWarnings("deprecation") // the Apache 4 client, as the tests use (S3TestServer)
    private static S3Client client(S3Server server, Credentials credentials) {
        return S3Client.builder()
                .endpointOverride(URI.create(server.uri().toString()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(credentials.accessKeyId(), credentials.secretAccessKey())))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClient(ApacheHttpClient.builder().socketTimeout(Duration.ofMinutes(10)).build())
                .build();
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ", 4)[0];
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            List<Path> paths = new ArrayList<>(walk.toList());
            java.util.Collections.reverse(paths);
            for (Path p : paths) {
                Files.deleteIfExists(p);
            }
        }
    }
}
