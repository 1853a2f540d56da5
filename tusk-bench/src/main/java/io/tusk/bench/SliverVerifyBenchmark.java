package io.tusk.bench;

import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodedBlob;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverPair;
import io.tusk.core.metadata.BlobMetadata;
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

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * What storage nodes spend checking a stored blob: {@link Sliver#verify} of all {@code 2n} slivers of one blob on
 * one thread (each sliver is expanded to its {@code n} cells and their Merkle root compared with the metadata's).
 * The committee does this once per blob, spread over its nodes. Figures are milliseconds per blob.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp "tusk-bench/target/tusk-bench.jar:tusk-bench/target/lib/*"
 * org.openjdk.jmh.Main SliverVerifyBenchmark -f 1 -wi 3 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx4g"})
@Warmup(iterations = 3)
@Measurement(iterations = 5)
public class SliverVerifyBenchmark {
    @Param({"100"})
    int shards;

    @Param({"1048576", "134217728"})
    int size;

    private EncodingConfig config;
    private BlobMetadata metadata;
    private List<Sliver> slivers;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] blob = new byte[size];
        new Random(42).nextBytes(blob);
        config = new EncodingConfig(shards);
        EncodedBlob encoded = new BlobEncoder(config).encode(blob);
        metadata = encoded.metadata().metadata();
        slivers = new ArrayList<>();
        for (SliverPair pair : encoded.pairs()) {
            slivers.add(pair.primary());
            slivers.add(pair.secondary());
        }
    }

    @Benchmark
    public int verifyEverySliver() {
        int verified = 0;
        for (Sliver sliver : slivers) {
            sliver.verify(config, metadata);
            verified++;
        }
        return verified;
    }
}
