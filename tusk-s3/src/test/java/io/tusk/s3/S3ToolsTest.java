package io.tusk.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The S3 API driven by the real command-line clients users run, as separate processes on a real socket: the aws CLI,
 * rclone and s3cmd (installed by {@code .ci/run}; on a developer machine {@code apt-get install awscli rclone s3cmd}).
 * Each client signs with SigV4 its own way (the aws CLI streams multipart parts with checksums, rclone sends
 * UNSIGNED-PAYLOAD or signed bodies, s3cmd signs path-style requests), so these are the compatibility proof that
 * SDK tests alone are not.
 */
@ExtendWith(SharedS3Network.class)
class S3ToolsTest {
    static S3TestServer s3;
    static final Random RANDOM = new Random(TestSeeds.seed());
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @BeforeAll
    static void start(S3TestServer shared) throws Exception {
        for (String tool : List.of("aws", "rclone", "s3cmd")) {
            if (!onPath(tool)) {
                throw new IllegalStateException("S3ToolsTest drives the real '" + tool + "' client and there is none on "
                        + "the PATH: apt-get install awscli rclone s3cmd (.ci/run does)");
            }
        }
        s3 = shared;
    }

    @Test
    void awsCliShouldMakeBucketsCopyLargeFilesInPartsReadRangesAndListVersions() throws Exception {
        run("aws", "--version");
        run(aws("s3", "mb", "s3://aws-cli"));
        Path big = file("big.bin", 100 * 1000 * 1000); // "a 100 MB file": the CLI sends it in 8 MiB parts
        run(aws("s3", "cp", big.toString(), "s3://aws-cli/data/big.bin"));

        String listing = run(aws("s3", "ls", "s3://aws-cli/data/"));
        assertThat(listing).contains("100000000 big.bin");
        JsonNode head = JSON.readTree(run(aws("s3api", "head-object", "--bucket", "aws-cli", "--key", "data/big.bin")));
        assertThat(head.get("ContentLength").asLong()).isEqualTo(100_000_000L);
        assertThat(head.get("ETag").asText()).matches("\"[0-9a-f]{32}-12\""); // S3's multipart ETag: 12 parts of 8 MiB

        Path range = dir.resolve("range.bin");
        run(aws("s3api", "get-object", "--bucket", "aws-cli", "--key", "data/big.bin",
                "--range", "bytes=50000000-50999999", range.toString()));
        assertThat(Files.readAllBytes(range)).isEqualTo(slice(big, 50_000_000, 1_000_000));

        Path back = dir.resolve("back.bin");
        run(aws("s3", "cp", "s3://aws-cli/data/big.bin", back.toString()));
        assertThat(sha256(back)).isEqualTo(sha256(big));

        run(aws("s3api", "put-bucket-versioning", "--bucket", "aws-cli", "--versioning-configuration", "Status=Enabled"));
        Path small = file("small.txt", 1000);
        run(aws("s3", "cp", small.toString(), "s3://aws-cli/notes.txt"));
        run(aws("s3", "cp", small.toString(), "s3://aws-cli/notes.txt"));
        run(aws("s3", "rm", "s3://aws-cli/notes.txt"));
        JsonNode versions = JSON.readTree(run(aws("s3api", "list-object-versions", "--bucket", "aws-cli",
                "--prefix", "notes.txt")));
        assertThat(versions.get("Versions")).hasSize(2);
        assertThat(versions.get("DeleteMarkers")).hasSize(1);
        assertThat(versions.get("DeleteMarkers").get(0).get("IsLatest").asBoolean()).isTrue();

        run(aws("s3", "rm", "s3://aws-cli/data/big.bin"));
        // "aws s3 ls" of an empty prefix exits 1, so the listing is asked through s3api; the CLI prints no Contents
        // (v1: a document without them, v2: nothing at all) when there are none.
        String after = run(aws("s3api", "list-objects-v2", "--bucket", "aws-cli", "--prefix", "data/"));
        assertThat(after.isBlank() ? JSON.missingNode() : JSON.readTree(after).path("Contents")).isEmpty();
    }

    @Test
    void rcloneShouldCopyCheckAndCatWithAnOffset() throws Exception {
        run(aws("s3", "mb", "s3://rclone"));
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.createDirectories(tree.resolve("sub"));
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            files.add(file("tree/sub/f" + i + ".bin", 1000 + 40_000 * i));
        }
        files.add(file("tree/top.bin", 3_000_000));

        run(rclone("copy", tree.toString(), "tusk:rclone/tree"));
        run(rclone("check", tree.toString(), "tusk:rclone/tree")); // sizes and MD5s: exits 1 on any difference
        String cat = run(rclone("cat", "--offset", "1000", "--count", "64", "tusk:rclone/tree/top.bin"));
        assertThat(cat.getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(slice(files.getLast(), 1000, 64));

        Files.write(files.getFirst(), "changed".getBytes(StandardCharsets.UTF_8));
        Result differs = exec(rclone("check", tree.toString(), "tusk:rclone/tree"));
        assertThat(differs.exit()).as("rclone check sees a changed file: %s", differs.output()).isNotZero();
    }

    @Test
    void s3cmdShouldPutGetAndSync() throws Exception {
        Path config = s3cmdConfig();
        run("s3cmd", "-c", config.toString(), "mb", "s3://s3cmd");
        Path one = file("one.bin", 200_000);
        run("s3cmd", "-c", config.toString(), "put", one.toString(), "s3://s3cmd/one.bin");
        Path got = dir.resolve("got.bin");
        run("s3cmd", "-c", config.toString(), "get", "s3://s3cmd/one.bin", got.toString());
        assertThat(Files.readAllBytes(got)).isEqualTo(Files.readAllBytes(one));

        Path local = Files.createDirectories(dir.resolve("local"));
        for (int i = 0; i < 4; i++) {
            file("local/file" + i + ".txt", 100 * (i + 1));
        }
        run("s3cmd", "-c", config.toString(), "sync", local + "/", "s3://s3cmd/synced/");
        Path copy = Files.createDirectories(dir.resolve("copy"));
        run("s3cmd", "-c", config.toString(), "sync", "s3://s3cmd/synced/", copy + "/");
        for (int i = 0; i < 4; i++) {
            assertThat(Files.readAllBytes(copy.resolve("file" + i + ".txt")))
                    .isEqualTo(Files.readAllBytes(local.resolve("file" + i + ".txt")));
        }
        // A second sync uploads nothing: s3cmd compares sizes and MD5 ETags.
        String again = run("s3cmd", "-c", config.toString(), "sync", local + "/", "s3://s3cmd/synced/");
        assertThat(again).doesNotContain("upload:");
    }

    // ------------------------------------------------------------------------------------------------ clients

    private List<String> aws(String... args) {
        List<String> command = new ArrayList<>(List.of("aws", "--endpoint-url", s3.server.uri().toString(),
                "--region", "us-east-1", "--output", "json"));
        command.addAll(Arrays.asList(args));
        return command;
    }

    private List<String> rclone(String... args) {
        List<String> command = new ArrayList<>(List.of("rclone", "--config", "/dev/null", "--low-level-retries", "1",
                "--retries", "1"));
        command.addAll(Arrays.asList(args));
        return command;
    }

    private Path s3cmdConfig() throws IOException {
        String endpoint = "127.0.0.1:" + s3.server.port();
        return Files.writeString(dir.resolve("s3cfg"), String.join("\n",
                "[default]",
                "access_key = " + s3.credentials.accessKeyId(),
                "secret_key = " + s3.credentials.secretAccessKey(),
                "host_base = " + endpoint,
                "host_bucket = " + endpoint, // path-style
                "bucket_location = us-east-1",
                "use_https = False",
                "signature_v2 = False",
                ""));
    }

    /** The S3 API's account for every client: the aws CLI's variables, and an rclone remote "tusk" by variables. */
    private static Map<String, String> environment() {
        String key = s3.credentials.accessKeyId();
        String secret = s3.credentials.secretAccessKey();
        return Map.ofEntries(
                Map.entry("AWS_ACCESS_KEY_ID", key),
                Map.entry("AWS_SECRET_ACCESS_KEY", secret),
                Map.entry("AWS_DEFAULT_REGION", "us-east-1"),
                Map.entry("AWS_CONFIG_FILE", "/dev/null"),
                Map.entry("AWS_SHARED_CREDENTIALS_FILE", "/dev/null"),
                Map.entry("AWS_PAGER", ""),
                Map.entry("RCLONE_CONFIG_TUSK_TYPE", "s3"),
                Map.entry("RCLONE_CONFIG_TUSK_PROVIDER", "Other"),
                Map.entry("RCLONE_CONFIG_TUSK_ACCESS_KEY_ID", key),
                Map.entry("RCLONE_CONFIG_TUSK_SECRET_ACCESS_KEY", secret),
                Map.entry("RCLONE_CONFIG_TUSK_ENDPOINT", s3.server.uri().toString()),
                Map.entry("RCLONE_CONFIG_TUSK_REGION", "us-east-1"),
                Map.entry("RCLONE_CONFIG_TUSK_FORCE_PATH_STYLE", "true"));
    }

    record Result(int exit, String stdout, String stderr) {
        String output() {
            return stdout + (stderr.isEmpty() ? "" : "\n[stderr]\n" + stderr);
        }
    }

    private String run(String... command) throws Exception {
        return run(List.of(command));
    }

    /** Runs a client to completion; fails the test with its output unless it exits 0. */
    private String run(List<String> command) throws Exception {
        Result result = exec(command);
        assertThat(result.exit()).as("%s exited %d:%n%s", command, result.exit(), result.output()).isZero();
        return result.stdout();
    }

    private Result exec(List<String> command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        // Only this test's settings: an inherited AWS_CA_BUNDLE, profile or endpoint would change what the clients do
        // (rclone refuses to start with a CA bundle on a plain-HTTP endpoint).
        builder.environment().keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("RCLONE_"));
        builder.environment().putAll(environment());
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        builder.redirectError(err.toFile());
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        if (!process.waitFor(5, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish in 5 minutes");
        }
        String stdout = new String(out, StandardCharsets.ISO_8859_1);
        String stderr = Files.readString(err, StandardCharsets.ISO_8859_1);
        System.out.println("[s3-tools] " + String.join(" ", command) + " -> " + process.exitValue());
        return new Result(process.exitValue(), stdout, stderr);
    }

    private static boolean onPath(String tool) {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty() && Files.isExecutable(Path.of(entry, tool))) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------------ data

    /** A file of {@code size} random bytes, written 1 MiB at a time. */
    private Path file(String name, long size) throws IOException {
        Path path = dir.resolve(name);
        byte[] block = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(path)) {
            for (long left = size; left > 0; left -= block.length) {
                RANDOM.nextBytes(block);
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        return path;
    }

    private static byte[] slice(Path file, long offset, int length) throws IOException {
        try (var channel = Files.newByteChannel(file)) {
            channel.position(offset);
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(length);
            while (buffer.hasRemaining() && channel.read(buffer) >= 0) {
                // read until full
            }
            return buffer.array();
        }
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
