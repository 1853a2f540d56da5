package io.tusk.gateway;

import io.tusk.client.StoreOptions;
import io.tusk.client.TuskClient;
import io.tusk.testkit.LocalCluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Aggregator latency of 1 KiB reads over loopback on a devnet-shaped cluster (4 nodes, 100 shards), one request at a
 * time: <em>cold</em> = the first read of each blob (control-plane status, verified metadata and slivers from the
 * nodes, decode), <em>cached</em> = repeated reads of the same blobs (memory cache). {@value #WARM_UP_BLOBS} other blobs
 * are read cold first and left out, so the JIT has compiled the cold path. Not a unit test: run it with
 * <pre>
 * mvn -q -B -pl tusk-gateway -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt \
 *   -Dmdep.includeScope=test
 * java -cp tusk-gateway/target/test-classes:tusk-gateway/target/classes:$(cat tusk-gateway/target/cp.txt) \
 *   io.tusk.gateway.GatewayLatencyBenchmark [blobs=200] [cachedRounds=20]
 * </pre>
 */
public final class GatewayLatencyBenchmark {
    /** Blobs read cold once before measuring, so that the cold path is compiled as in a gateway that has run a while. */
    private static final int WARM_UP_BLOBS = 100;

    private GatewayLatencyBenchmark() {}

    public static void main(String[] args) throws Exception {
        int blobs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        Path dir = Files.createTempDirectory("tusk-gateway-bench");
        try (LocalCluster cluster = LocalCluster.start(dir, 4, 100, 0, 0); TuskClient client = cluster.client();
             Gateway gateway = Gateway.start(GatewayConfig.of(cluster.controlUrl(), dir.resolve("wallet.key"))
                     .withPort(0))) {
            Random random = new Random(1);
            List<String> ids = new ArrayList<>();
            List<String> warmUp = new ArrayList<>();
            for (int i = 0; i < WARM_UP_BLOBS; i++) {
                byte[] blob = new byte[1024];
                random.nextBytes(blob);
                warmUp.add(client.store(blob, StoreOptions.defaults()).blobId());
            }
            for (int i = 0; i < blobs; i++) {
                byte[] blob = new byte[1024];
                random.nextBytes(blob);
                ids.add(client.store(blob, StoreOptions.defaults()).blobId()); // around the gateway: not cached
            }
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI base = gateway.uri();
            // Warm the JIT on both paths, left out of the figures: cold reads of blobs of their own (a gateway that
            // has served for a while), then repeated reads of the first blob (also left out of the cold figures).
            for (String id : warmUp) {
                get(http, base, id);
            }
            for (int i = 0; i < 200; i++) {
                get(http, base, ids.getFirst());
            }
            long[] cold = new long[blobs - 1];
            for (int i = 1; i < blobs; i++) {
                cold[i - 1] = get(http, base, ids.get(i));
            }
            long[] cached = new long[(blobs - 1) * rounds];
            int n = 0;
            for (int round = 0; round < rounds; round++) {
                for (int i = 1; i < blobs; i++) {
                    cached[n++] = get(http, base, ids.get(i));
                }
            }
            report("cold", cold);
            report("cached", cached);
        }
    }

    private static long get(HttpClient http, URI base, String id) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(base.resolve("/v1/blobs/" + id)).GET().build();
        long start = System.nanoTime();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        long elapsed = System.nanoTime() - start;
        if (response.statusCode() != 200 || response.body().length != 1024) {
            throw new IllegalStateException("read of " + id + " answered " + response.statusCode());
        }
        return elapsed;
    }

    private static void report(String name, long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        System.out.printf("aggregator 1 KiB read, %-6s n=%-5d p50 %.3f ms  p99 %.3f ms  max %.3f ms%n", name,
                sorted.length, sorted[sorted.length / 2] / 1e6, sorted[(int) (sorted.length * 0.99)] / 1e6,
                sorted[sorted.length - 1] / 1e6);
    }
}
