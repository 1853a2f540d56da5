package io.tusk.cli;

import io.tusk.core.encoding.BlobEncoder;
import io.tusk.testkit.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm client daemon as a user meets it: the packaged launcher ({@code io.tusk.cli.Launcher}, what {@code ./tusk}
 * runs) in processes of their own, each handing its command to the daemon it started on first use. Output, errors,
 * exit codes, standard input and relative paths are the caller's; the configuration is read again for every command.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ClientDaemonIT {
    private static final long SEED = Long.getLong("tusk.test.seed", System.nanoTime());

    private Path dir;
    private Path runtime;
    private LocalCluster cluster;

    @BeforeAll
    void start(@TempDir Path temporary) throws IOException {
        dir = temporary;
        System.out.println("ClientDaemonIT seed: " + SEED + " (replay with -Dtusk.test.seed=" + SEED + ")");
        runtime = Files.createDirectories(dir.resolve("runtime"));
        cluster = LocalCluster.start(dir.resolve("cluster"), 4, 10, 0, 0);
    }

    @AfterAll
    void stop() throws IOException {
        // the daemons of this test: their sockets are in its runtime directory; ask each to go by removing it
        try (Stream<Path> files = Files.list(runtime.resolve("tusk"))) {
            for (Path log : files.filter(f -> f.toString().endsWith(".sock.log")).toList()) {
                String text = Files.readString(log);
                int at = text.indexOf("(pid ");
                if (at >= 0) {
                    long pid = Long.parseLong(text.substring(at + 5, text.indexOf(')', at)));
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
                }
            }
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private record Result(int exit, byte[] out, String err) {
        String text() {
            return new String(out, StandardCharsets.UTF_8);
        }
    }

    /** The launcher's command line, as ./tusk runs it: the CLI's jar alone on its class path, the whole one passed. */
    private static List<String> launcher(String... args) {
        Path jar = Path.of(System.getProperty("tusk.cli.jar", "target/tusk-cli.jar")).toAbsolutePath();
        Path lib = Path.of(System.getProperty("tusk.cli.lib", "target/lib")).toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-D" + Launcher.CLASS_PATH_PROPERTY + "=" + jar + File.pathSeparator + lib
                        + File.separator + "*", "-cp", jar.toString(), "io.tusk.cli.Launcher"));
        command.addAll(List.of(args));
        return command;
    }

    private Result tusk(Path workingDirectory, Map<String, String> environment, byte[] input, String... args)
            throws IOException, InterruptedException {
        List<String> command = launcher(args);
        String name = "run-" + System.nanoTime();
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Path in = dir.resolve(name + ".in");
        Files.write(in, input);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDirectory.toFile())
                .redirectInput(in.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("XDG_RUNTIME_DIR", runtime.toString());
        builder.environment().remove("TUSK_CONFIG");
        builder.environment().putAll(environment);
        Process process = builder.start();
        if (!process.waitFor(3, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError("tusk " + String.join(" ", args) + " did not finish: " + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readAllBytes(out), Files.readString(err));
    }

    private Map<String, String> config() {
        return Map.of("TUSK_CONFIG", cluster.clientConfigFile().toString());
    }

    @Test
    void shouldAnswerLikeAProcessOfItsOwn() throws Exception {
        CliRun inProcess = CliRun.run("--version");
        Result version = tusk(dir, Map.of(), new byte[0], "--version");
        assertThat(version.exit()).isZero();
        assertThat(version.text()).isEqualTo(inProcess.out());
        assertThat(version.err()).isEmpty();

        Result bad = tusk(dir, Map.of(), new byte[0], "read", "not-a-blob-id");
        assertThat(bad.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(bad.out()).isEmpty();
        assertThat(bad.err()).isEqualTo(CliRun.run("read", "not-a-blob-id").err());

        Result unknown = tusk(dir, Map.of(), new byte[0], "no-such-command");
        assertThat(unknown.exit()).isEqualTo(CliRun.run("no-such-command").exit());
    }

    /**
     * No daemon can be reached (its runtime directory cannot be made: a file is in the way): the command runs in the
     * launcher's own JVM, on the whole class path it was given, with the same output as a process of its own.
     */
    @Test
    void shouldRunTheCommandItselfWhenNoDaemonCanBeReached() throws Exception {
        Path file = dir.resolve("blob.txt");
        Files.writeString(file, "walrus blob id v1 regression test");
        Path inTheWay = Files.writeString(dir.resolve("not-a-directory"), "x");
        Result here = tusk(dir, Map.of("XDG_RUNTIME_DIR", inTheWay.resolve("sub").toString()), new byte[0],
                "blob-id", "--n-shards", "10", file.toString());
        assertThat(here.exit()).isZero();
        assertThat(here.text()).isEqualTo(CliRun.run("blob-id", "--n-shards", "10", file.toString()).out());
        assertThat(here.err()).contains("the client daemon is not available").contains("running here");
    }

    /**
     * {@code ./tusk read ID | head -c 10}: the reader closes the pipe early; the launcher ends quietly, as a process of
     * its own killed by SIGPIPE would (exit 128 + 13, nothing on standard error), and the daemon stops the command.
     */
    @Test
    void shouldEndQuietlyWhenItsReaderClosesTheOutput() throws Exception {
        byte[] data = new byte[1_500_000];
        new Random(SEED + 1).nextBytes(data);
        Path file = Files.write(dir.resolve("one-and-a-half-megabytes.bin"), data);
        Result stored = tusk(dir, config(), new byte[0], "store", file.toString());
        assertThat(stored.exit()).as(stored.err()).isZero();
        String blobId = new BlobEncoder(10).computeMetadata(data).blobId().toString();

        Path err = dir.resolve("head-" + System.nanoTime() + ".err");
        ProcessBuilder builder = new ProcessBuilder(launcher("read", blobId, "--no-cache")).redirectError(err.toFile());
        builder.environment().put("XDG_RUNTIME_DIR", runtime.toString());
        builder.environment().putAll(config());
        Process process = builder.start();
        byte[] first = process.getInputStream().readNBytes(10);
        process.getInputStream().close();
        assertThat(process.waitFor(2, TimeUnit.MINUTES)).as("the launcher ended").isTrue();
        assertThat(first).isEqualTo(Arrays.copyOf(data, 10));
        assertThat(process.exitValue()).isEqualTo(Launcher.CALLER_GONE);
        assertThat(Files.readString(err)).isEmpty();
    }

    @Test
    void shouldPassStandardInputAndBinaryOutputAndResolvePathsInTheCallersDirectory() throws Exception {
        byte[] data = new byte[300_000];
        new Random(SEED).nextBytes(data);
        String expected = new BlobEncoder(10).computeMetadata(data).blobId().toString();

        Result fromInput = tusk(dir, Map.of(), data, "blob-id", "--n-shards", "10", "-");
        assertThat(fromInput.exit()).as(fromInput.err()).isZero();
        assertThat(fromInput.text().strip()).isEqualTo(expected);

        Path caller = Files.createDirectories(dir.resolve("caller"));
        Files.write(caller.resolve("data.bin"), data);
        Result stored = tusk(caller, config(), new byte[0], "store", "data.bin", "--json");
        assertThat(stored.exit()).as(stored.err()).isZero();
        assertThat(stored.text()).contains("\"path\" : \"data.bin\"").contains(expected);

        Result toStdout = tusk(caller, config(), new byte[0], "read", expected);
        assertThat(toStdout.exit()).as(toStdout.err()).isZero();
        assertThat(toStdout.out()).isEqualTo(data);

        Result toFile = tusk(caller, config(), new byte[0], "read", expected, "--out", "copy.bin");
        assertThat(toFile.exit()).as(toFile.err()).isZero();
        assertThat(Files.readAllBytes(caller.resolve("copy.bin"))).isEqualTo(data);
        assertThat(toFile.err()).contains("into copy.bin");
    }

    @Test
    void shouldReadTheConfigurationAgainForEveryCommand() throws Exception {
        Path elsewhere = Files.writeString(dir.resolve("elsewhere.yaml"), "controlUrl: http://127.0.0.1:1\n");
        Result good = tusk(dir, config(), new byte[0], "info", "--json");
        assertThat(good.exit()).as(good.err()).isZero();
        Result moved = tusk(dir, Map.of("TUSK_CONFIG", elsewhere.toString()), new byte[0], "info");
        assertThat(moved.exit()).isEqualTo(Main.EXIT_FAILURE);
        assertThat(moved.err()).contains("127.0.0.1:1");
        Result missing = tusk(dir, Map.of("TUSK_CONFIG", dir.resolve("nothing.yaml").toString()), new byte[0], "info");
        assertThat(missing.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(missing.err()).contains("no client configuration at " + dir.resolve("nothing.yaml"));
    }

    @Test
    void shouldRunCommandsOfSeveralCallersAtOnce() throws Exception {
        List<CompletableFuture<Result>> runs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] data = ("caller " + i + " " + SEED).getBytes(StandardCharsets.UTF_8);
            runs.add(CompletableFuture.supplyAsync(() -> {
                try {
                    return tusk(dir, Map.of(), data, "blob-id", "--n-shards", "4", "-");
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (int i = 0; i < runs.size(); i++) {
            byte[] data = ("caller " + i + " " + SEED).getBytes(StandardCharsets.UTF_8);
            Result result = runs.get(i).join();
            assertThat(result.exit()).as(result.err()).isZero();
            assertThat(result.text().strip()).isEqualTo(new BlobEncoder(4).computeMetadata(data).blobId().toString());
        }
    }
}
