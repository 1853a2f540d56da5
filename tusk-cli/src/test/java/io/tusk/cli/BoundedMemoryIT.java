package io.tusk.cli;

import io.tusk.client.TuskClient;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.metadata.BlobId;
import io.tusk.testkit.LocalCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bounded memory, scaled down: the packaged CLI in its own JVM with a 64 MiB heap, less than encoding the committee's
 * largest blob on the heap would take (31 shards: 11 x 21 x 65534 = 15,138,354 bytes, about 90 MB with its slivers),
 * stores that blob as one blob under its Walrus blob ID, and computes the blob ID of a 30 MB file. (Full size, a
 * 149 MB blob at 100 shards with {@code -Xmx512m}: {@code scripts/large-file-benchmark}, figures in
 * docs/large-files.md.)
 */
class BoundedMemoryIT {
    private static final long SEED = Long.getLong("tusk.test.seed", System.nanoTime());
    private static final String HEAP = "-Xmx64m";

    @TempDir
    Path dir;

    @Test
    void shouldStoreTheLargestBlobWithAHeapSmallerThanItsEncoding() throws Exception {
        System.out.println("BoundedMemoryIT seed: " + SEED + " (replay with -Dtusk.test.seed=" + SEED + ")");
        int shards = 31;
        byte[] data = random(Math.toIntExact(new EncodingConfig(shards).maxBlobSize()), 1);
        Path file = Files.write(dir.resolve("largest.bin"), data);
        String expected = new BlobEncoder(shards).computeMetadata(data).blobId().toString();
        try (LocalCluster cluster = LocalCluster.start(dir.resolve("cluster"), 4, shards, 0, 0)) {
            Result stored = cli("store", "--config", cluster.clientConfigFile().toString(), "--json", file.toString());
            assertThat(stored.exit()).as(stored.errors()).isZero();
            assertThat(stored.output()).as("seed %s", SEED).contains("\"blobId\" : \"" + expected + "\"")
                    .doesNotContain("largeFile");
            try (TuskClient client = cluster.client()) {
                assertThat(client.read(BlobId.parse(expected))).isEqualTo(data);
            }
        }
    }

    @Test
    void shouldComputeTheBlobIdOfAFileManyTimesTheHeap() throws Exception {
        byte[] data = random(30_000_000, 2);
        Path file = Files.write(dir.resolve("thirty-megabytes.bin"), data);
        Result id = cli("blob-id", "--n-shards", "100", file.toString());
        assertThat(id.exit()).as(id.errors()).isZero();
        assertThat(id.output().strip()).as("seed %s", SEED)
                .isEqualTo(new BlobEncoder(100).computeMetadata(data).blobId().toString());
    }

    private static byte[] random(int length, long salt) {
        byte[] data = new byte[length];
        new Random(SEED ^ salt).nextBytes(data);
        return data;
    }

    private record Result(int exit, String output, String errors) {}

    /** The packaged CLI with a small heap. */
    private Result cli(String... args) throws IOException, InterruptedException {
        Path jar = Path.of(System.getProperty("tusk.cli.jar", "target/tusk-cli.jar")).toAbsolutePath();
        Path lib = Path.of(System.getProperty("tusk.cli.lib", "target/lib")).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                HEAP, "-XX:+ExitOnOutOfMemoryError", "--add-modules", "jdk.incubator.vector",
                "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + dir,
                "-cp", jar + File.pathSeparator + lib + File.separator + "*", "io.tusk.cli.Main"));
        command.addAll(List.of(args));
        Path out = dir.resolve("cli.out");
        Path err = dir.resolve("cli.err");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("the CLI did not finish in 5 minutes: " + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }
}
