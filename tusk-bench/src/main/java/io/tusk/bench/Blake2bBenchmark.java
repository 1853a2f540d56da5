package io.tusk.bench;

import io.tusk.core.hash.Blake2b256;
import io.tusk.core.hash.Blake2b256Batch;
import io.tusk.core.merkle.MerkleTree;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.crypto.digests.Blake2bDigest;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Blake2b-256 throughput. Every benchmark declares the bytes it hashes per invocation as its operation count
 * and reports ops/us, so <b>the score is MB/s</b> (10^6 bytes per second) of message data.
 *
 * <ul>
 *   <li>{@code small*}: 1000 messages of 303 bytes (an RS2 leaf {@code 0x00 || 302-byte symbol} at 1000
 *       shards) from one 303 KB buffer; the batch variants hash {@code prefix || 302 bytes}, the same
 *       303-byte messages.</li>
 *   <li>{@code large*}: one 1 MiB message.</li>
 *   <li>{@code bigSymbolsTuskBatch}: 64 messages {@code 0x00 || 58,920-byte symbol}, the leaves of a 128 MiB blob
 *       at 100 shards (a devnet's), where all but the first and last block of a message are whole.</li>
 *   <li>{@code rootOfEqualLeaves}: the Merkle root over 1000 leaves of 302 bytes (leaf and inner levels),
 *       counted as 302,000 bytes of leaf data.</li>
 * </ul>
 *
 * <p>Results (MB/s; AMD Zen 5, 2 cores with AVX-512, JDK 25, shared with other builds at load average
 * 4-8, so each JMH score swings by 2x; "best" is the best 2-second iteration of two runs):
 * <pre>
 *                         303-byte messages   1 MiB message   root, 1000 x 302 B
 *   Bouncy Castle 1.87          ~250              ~300
 *   Tusk scalar                 ~500-650          ~870          ~390 (SCALAR)
 *   Tusk LANES_4 (AVX2)         ~1470 best                      ~770 best
 *   Tusk LANES_8 (AVX-512)      ~2190 best                      ~1050 best (1800-1900 in a quieter
 *                                                                 standalone loop)
 * </pre>
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp "tusk-bench/target/tusk-bench.jar:tusk-bench/target/lib/*"
 * org.openjdk.jmh.Main Blake2b -f 1 -wi 2 -i 3}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class Blake2bBenchmark {

    static final int MESSAGES = 1000;
    static final int MESSAGE = 303;
    static final int SYMBOL = MESSAGE - 1;
    static final int LARGE = 1 << 20;
    /** A 128 MiB blob's symbol at 100 shards: 2^27 bytes over 34 x 67 source symbols, rounded up to even. */
    static final int BIG_SYMBOL = 58_920;
    static final int BIG_SYMBOLS = 64;

    /** The batch implementation, a parameter only of the benchmarks that take this state. */
    @State(Scope.Thread)
    public static class Batch {
        @Param({"SCALAR", "LANES_4", "LANES_8"})
        public String implementation;

        Blake2b256Batch hasher;

        @Setup(Level.Trial)
        public void setUp() {
            hasher = Blake2b256Batch.valueOf(implementation);
        }
    }

    private byte[] small;
    private byte[] large;
    private byte[] digests;
    private byte[] bigSymbols;
    private final byte[] digest = new byte[32];
    private final Blake2bDigest bouncy = new Blake2bDigest(256);
    private final Blake2b256 tusk = new Blake2b256();

    @Setup(Level.Trial)
    public void setUp() {
        Random random = new Random(42);
        small = new byte[MESSAGES * MESSAGE];
        random.nextBytes(small);
        large = new byte[LARGE];
        random.nextBytes(large);
        digests = new byte[32 * MESSAGES];
        bigSymbols = new byte[BIG_SYMBOLS * BIG_SYMBOL];
        random.nextBytes(bigSymbols);
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES * MESSAGE)
    public void smallBouncyCastle(Blackhole bh) {
        for (int i = 0; i < MESSAGES; i++) {
            bouncy.update(small, i * MESSAGE, MESSAGE);
            bouncy.doFinal(digest, 0);
            bh.consume(digest);
        }
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES * MESSAGE)
    public void smallTuskScalar(Blackhole bh) {
        for (int i = 0; i < MESSAGES; i++) {
            tusk.update(small, i * MESSAGE, MESSAGE);
            tusk.digest(digest, 0);
            bh.consume(digest);
        }
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES * MESSAGE)
    public byte[] smallTuskBatch(Batch batch) {
        batch.hasher.hashPrefixedChunks((byte) 0, small, 0, SYMBOL, MESSAGES, digests, 0);
        return digests;
    }

    @Benchmark
    @OperationsPerInvocation(BIG_SYMBOLS * BIG_SYMBOL)
    public byte[] bigSymbolsTuskBatch(Batch batch) {
        batch.hasher.hashPrefixedChunks((byte) 0, bigSymbols, 0, BIG_SYMBOL, BIG_SYMBOLS, digests, 0);
        return digests;
    }

    @Benchmark
    @OperationsPerInvocation(LARGE)
    public byte[] largeBouncyCastle() {
        bouncy.update(large, 0, LARGE);
        bouncy.doFinal(digest, 0);
        return digest;
    }

    @Benchmark
    @OperationsPerInvocation(LARGE)
    public byte[] largeTuskScalar() {
        return Blake2b256.hash(large);
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES * SYMBOL)
    public byte[] rootOfEqualLeaves(Batch batch) {
        return MerkleTree.rootOfEqualLeaves(small, 0, SYMBOL, MESSAGES, batch.hasher);
    }
}
