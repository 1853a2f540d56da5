package io.tusk.bench;

import io.tusk.core.rs.ReedSolomonCode;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Leopard GF(2^16) Reed-Solomon throughput on batched shards (one long shard per original, as the RS2 layer
 * feeds it), single thread. The {@code originalBytes} counter is the rate of original data processed (bytes/s):
 * k * shardBytes per operation. Codes: Walrus's primary and secondary codes for n = 1000 and n = 100.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp "tusk-bench/target/tusk-bench.jar:tusk-bench/target/lib/*"
 * org.openjdk.jmh.Main ReedSolomon -f 1 -wi 2 -i 3}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx6g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class ReedSolomonBenchmark {

    /** "k x r". */
    @Param({"334x666", "667x333", "34x66", "67x33"})
    public String code;

    /** Bytes per (batched) shard. */
    @Param({"65536"})
    public int shardBytes;

    private ReedSolomonCode rs;
    private byte[][] originals;
    private byte[][] recovery;
    private byte[][] decodeOriginals;
    private boolean[] missing;
    private byte[][] decodeRecovery;

    /** Original bytes processed, reported by JMH as a rate. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Counters {
        public long originalBytes;
    }

    @Setup(Level.Trial)
    public void setUp() {
        String[] parts = code.split("x");
        int k = Integer.parseInt(parts[0]);
        int r = Integer.parseInt(parts[1]);
        rs = ReedSolomonCode.of(k, r);
        Random random = new Random(1);
        originals = new byte[k][shardBytes];
        for (byte[] o : originals) {
            random.nextBytes(o);
        }
        recovery = new byte[r][shardBytes];
        rs.encode(originals, recovery);
        // Decode scenario: the first min(k, r) originals are lost, all recovery shards are present.
        int lost = Math.min(k, r);
        missing = new boolean[k];
        decodeOriginals = new byte[k][];
        for (int i = 0; i < k; i++) {
            missing[i] = i < lost;
            decodeOriginals[i] = missing[i] ? new byte[shardBytes] : originals[i];
        }
        decodeRecovery = recovery;
    }

    @Benchmark
    public byte[][] encode(Counters counters) {
        rs.encode(originals, recovery, 0, shardBytes);
        counters.originalBytes += (long) rs.originalCount() * shardBytes;
        return recovery;
    }

    @Benchmark
    public byte[][] reconstruct(Counters counters) {
        rs.reconstruct(decodeOriginals, missing, decodeRecovery, 0, shardBytes);
        counters.originalBytes += (long) rs.originalCount() * shardBytes;
        return decodeOriginals;
    }
}
