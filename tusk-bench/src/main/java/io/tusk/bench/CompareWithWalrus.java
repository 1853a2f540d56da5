package io.tusk.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodingConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Times Tusk's RS2 encoder and Walrus's WASM encoder ({@code compat/bench-wasm.mjs}) on the same random blob in one
 * run and prints both speeds and their ratio.
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp "tusk-bench/target/tusk-bench.jar:tusk-bench/target/lib/*"
 * io.tusk.bench.CompareWithWalrus [--size BYTES] [--n SHARDS] [--iterations K] [--compat DIR]}
 */
public final class CompareWithWalrus {
    private CompareWithWalrus() {}

    public static void main(String[] args) throws Exception {
        long size = 64L << 20;
        int n = 1000;
        int iterations = 5;
        Path compat = Path.of("compat");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--size" -> size = Long.parseLong(args[++i]);
                case "--n" -> n = Integer.parseInt(args[++i]);
                case "--iterations" -> iterations = Integer.parseInt(args[++i]);
                case "--compat" -> compat = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        byte[] blob = new byte[Math.toIntExact(size)];
        new Random(1).nextBytes(blob);
        BlobEncoder encoder = new BlobEncoder(new EncodingConfig(n));

        double tuskMetadata = medianMs(iterations, () -> encoder.computeMetadata(blob));
        double tuskEncode = medianMs(iterations, () -> encoder.encode(blob));

        Path file = Files.createTempFile("tusk-bench-", ".bin");
        try {
            Files.write(file, blob);
            JsonNode wasm = runWasm(compat, file, n, iterations);
            double mib = size / (1024.0 * 1024.0);
            double wasmMetadata = wasm.path("metadata").path("medianMs").asDouble();
            double wasmEncode = wasm.path("encode").path("medianMs").asDouble();
            System.out.printf("blob %d bytes, %d shards, median of %d runs%n", size, n, iterations);
            System.out.printf("%-28s %10s %10s %8s%n", "", "Tusk MiB/s", "WASM MiB/s", "ratio");
            System.out.printf("%-28s %10.1f %10.1f %7.1fx%n", "metadata (blob ID)", mib / tuskMetadata * 1000,
                    mib / wasmMetadata * 1000, wasmMetadata / tuskMetadata);
            System.out.printf("%-28s %10.1f %10.1f %7.1fx%n", "encode (slivers + metadata)", mib / tuskEncode * 1000,
                    mib / wasmEncode * 1000, wasmEncode / tuskEncode);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static double medianMs(int iterations, Runnable work) {
        work.run(); // warm-up: JIT and the Reed-Solomon tables
        work.run();
        double[] times = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            long start = System.nanoTime();
            work.run();
            times[i] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(times);
        return times[iterations / 2];
    }

    private static JsonNode runWasm(Path compat, Path file, int n, int iterations) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("node", compat.resolve("bench-wasm.mjs").toString(),
                "--n", String.valueOf(n), "--file", file.toString(), "--iterations", String.valueOf(iterations)));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IOException("bench-wasm.mjs failed (exit " + process.exitValue() + "); run 'npm ci' in " + compat);
        }
        return new ObjectMapper().readTree(out);
    }
}
