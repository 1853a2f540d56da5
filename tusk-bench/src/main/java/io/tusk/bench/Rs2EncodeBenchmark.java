package io.tusk.bench;

import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodedBlob;
import io.tusk.core.encoding.EncodingConfig;
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

import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * RS2 encode of whole blobs: metadata only (the blob ID) and all slivers plus metadata. Figures are milliseconds per
 * blob; MiB/s = size / time.
 *
 * <p>Run: {@code java --add-modules jdk.incubator.vector -cp "tusk-bench/target/tusk-bench.jar:tusk-bench/target/lib/*"
 * org.openjdk.jmh.Main Rs2EncodeBenchmark -f 1 -wi 2 -i 5}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class Rs2EncodeBenchmark {
    @Param({"100", "1000"})
    int shards;

    @Param({"1048576", "67108864"})
    int size;

    private byte[] blob;
    private BlobEncoder encoder;

    @Setup(Level.Trial)
    public void setUp() {
        blob = new byte[size];
        new Random(42).nextBytes(blob);
        EncodingConfig config = new EncodingConfig(shards);
        encoder = new BlobEncoder(config);
    }

    @Benchmark
    public BlobMetadataWithId computeMetadata() {
        return encoder.computeMetadata(blob);
    }

    @Benchmark
    public EncodedBlob encode() {
        return encoder.encode(blob);
    }
}
