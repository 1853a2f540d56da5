package io.tusk.bench;

import io.tusk.core.encoding.BlobDecoder;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.ConsistencyCheck;
import io.tusk.core.encoding.EncodedBlob;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverPair;
import io.tusk.core.metadata.BlobMetadataWithId;
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

import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * RS2 decode of whole blobs from {@code p} verified primary slivers. Figures are milliseconds per blob; MiB/s =
 * size / time.
 * Decode uses the first {@code p} <em>repair</em> primary slivers, so every systematic row is decoded (the worst
 * case); {@code SKIP} is the decode alone, {@code DEFAULT} adds Walrus's default consistency check.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp "tusk-bench/target/tusk-bench.jar:tusk-bench/target/lib/*"
 * org.openjdk.jmh.Main Rs2DecodeBenchmark -f 1 -wi 2 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class Rs2DecodeBenchmark {
    @Param({"100", "1000"})
    int shards;

    @Param({"1048576", "67108864"})
    int size;

    @Param({"SKIP", "DEFAULT"})
    ConsistencyCheck check;

    private byte[] blob;
    private BlobDecoder decoder;
    private BlobMetadataWithId metadata;
    private List<Sliver> repairSlivers;

    @Setup(Level.Trial)
    public void setUp() {
        blob = new byte[size];
        new Random(42).nextBytes(blob);
        EncodingConfig config = new EncodingConfig(shards);
        decoder = new BlobDecoder(config);
        EncodedBlob encoded = new BlobEncoder(config).encode(blob);
        metadata = encoded.metadata();
        int p = config.primarySourceSymbols();
        repairSlivers = encoded.pairs().stream().skip(p).limit(p).map(SliverPair::primary).toList();
    }

    @Benchmark
    public byte[] decodeFromRepairSlivers() {
        return decoder.decode(metadata, repairSlivers, check);
    }
}
