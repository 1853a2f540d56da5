package io.tusk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.testkit.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tusk space ...} against a LocalCluster's client.yaml, in process. */
class SpaceCommandsTest {
    @TempDir
    static Path dir;
    static LocalCluster cluster;
    static String config;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start(dir.resolve("cluster"), 4, 10, 0, 0);
        config = cluster.clientConfigFile().toString();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static CliRun ok(String... args) {
        CliRun run = CliRun.run(args);
        assertThat(run.exit()).as(String.join(" ", args) + ": " + run.err()).isZero();
        return run;
    }

    private static Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void shouldCreatePutGetListAndTravelInTime() throws Exception {
        ok("space", "create", "--config", config, "docs");
        ok("space", "put", "--config", config, "docs", "readme.md", file("r1", "v1").toString(), "--meta", "lang=en",
                "--meta", "team=core");
        Instant between = Instant.now();
        Thread.sleep(5);
        ok("space", "put", "--config", config, "docs", "readme.md", file("r2", "v2").toString());
        ok("space", "put", "--config", config, "docs", "src/a.java", file("a", "class A {}").toString());

        Path out = dir.resolve("got");
        ok("space", "get", "--config", config, "docs", "readme.md", "--out", out.toString());
        assertThat(Files.readString(out)).isEqualTo("v2");
        ok("space", "get", "--config", config, "docs", "readme.md", "--at", "1", "--out", out.toString());
        assertThat(Files.readString(out)).isEqualTo("v1");
        ok("space", "get", "--config", config, "docs", "readme.md", "--at", between.toString(), "--out", out.toString());
        assertThat(Files.readString(out)).isEqualTo("v1");
        assertThat(stdout(() -> ok("space", "get", "--config", config, "docs", "src/a.java")))
                .isEqualTo("class A {}".getBytes(StandardCharsets.UTF_8));

        JsonNode ls = new ObjectMapper().readTree(ok("space", "ls", "--config", config, "docs", "--json").out());
        assertThat(ls.get("version").asLong()).isEqualTo(3);
        List<String> keys = new ArrayList<>();
        ls.get("entries").forEach(e -> keys.add(e.get("key").asText()));
        assertThat(keys).containsExactly("readme.md", "src/a.java");
        JsonNode atOne = new ObjectMapper().readTree(ok("space", "ls", "--config", config, "docs", "--at", "1", "--json").out());
        assertThat(atOne.get("entries").get(0).get("metadata").get("lang").asText()).isEqualTo("en");
        JsonNode prefixed = new ObjectMapper().readTree(ok("space", "ls", "--config", config, "docs", "--prefix", "src/",
                "--json").out());
        assertThat(prefixed.get("entries")).hasSize(1);

        JsonNode history = new ObjectMapper().readTree(ok("space", "history", "--config", config, "docs", "--json").out());
        assertThat(history.isArray()).isTrue();
        List<Long> versions = new ArrayList<>();
        history.forEach(v -> versions.add(v.get("version").asLong()));
        assertThat(versions).containsExactly(1L, 2L, 3L);

        CliRun verify = ok("space", "verify", "--config", config, "docs");
        assertThat(verify.out().strip().lines()).hasSize(1);
        assertThat(verify.out()).startsWith("verified 3 versions of space docs");

        ok("space", "rm", "--config", config, "docs", "src/a.java");
        CliRun again = CliRun.run("space", "rm", "--config", config, "docs", "src/a.java");
        assertThat(again.exit()).isNotZero();
        assertThat(again.err()).contains("has no entry 'src/a.java'").doesNotContain("\tat ");
    }

    @Test
    void shouldRefuseBadInputWithOneLineAndChangeNothing() throws Exception {
        ok("space", "create", "--config", config, "strict");
        CliRun dup = CliRun.run("space", "create", "--config", config, "strict");
        assertThat(dup.exit()).isNotZero();
        assertThat(dup.err().strip().lines()).hasSize(1);
        assertThat(dup.err()).contains("already has a space named 'strict'");
        CliRun unknown = CliRun.run("space", "put", "--config", config, "nope", "k", file("x", "x").toString());
        assertThat(unknown.exit()).isNotZero();
        assertThat(unknown.err()).contains("no space named 'nope'");
        CliRun longKey = CliRun.run("space", "put", "--config", config, "strict", "k".repeat(1100), file("y", "y").toString());
        assertThat(longKey.exit()).isNotZero();
        assertThat(longKey.err()).contains("longer than 1024");
        CliRun badName = CliRun.run("space", "create", "--config", config, "no/slashes");
        assertThat(badName.exit()).isNotZero();
        CliRun badAt = CliRun.run("space", "get", "--config", config, "strict", "k", "--at", "yesterday");
        assertThat(badAt.exit()).isNotZero();
        assertThat(badAt.err()).contains("ISO-8601");
        JsonNode history = new ObjectMapper().readTree(ok("space", "history", "--config", config, "strict", "--json").out());
        assertThat(history).isEmpty();
    }

    @Test
    void twoCliWritersOnOneSpaceBothLand() throws Exception {
        ok("space", "create", "--config", config, "shared");
        Path a = file("wa", "from a");
        Path b = file("wb", "from b");
        List<CompletableFuture<CliRun>> runs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            runs.add(CompletableFuture.supplyAsync(() -> CliRun.run("space", "put", "--config", config, "shared", "a" + n, a.toString())));
            runs.add(CompletableFuture.supplyAsync(() -> CliRun.run("space", "put", "--config", config, "shared", "b" + n, b.toString())));
        }
        for (CompletableFuture<CliRun> run : runs) {
            CliRun r = run.join();
            assertThat(r.exit()).as(r.err()).isZero();
        }
        JsonNode ls = new ObjectMapper().readTree(ok("space", "ls", "--config", config, "shared", "--json").out());
        assertThat(ls.get("version").asLong()).isEqualTo(6);
        assertThat(ls.get("entries")).hasSize(6);
    }

    @Test
    void shouldAppendAndFollowAStream() throws Exception {
        ok("space", "create", "--config", config, "feeds");
        Path lines = file("lines", "first\nsecond\nthird\n");
        CliRun appended = ok("space", "append", "--config", config, "feeds", "sensor", lines.toString());
        assertThat(appended.out()).contains("appended 3 records");
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("fourth\nfifth\n".getBytes(StandardCharsets.UTF_8)));
            ok("space", "append", "--config", config, "feeds", "sensor", "-");
        } finally {
            System.setIn(stdin);
        }
        byte[] followed = stdout(() -> ok("space", "follow", "--config", config, "feeds", "sensor", "--from", "1",
                "--limit", "4"));
        assertThat(new String(followed, StandardCharsets.UTF_8)).isEqualTo("second\nthird\nfourth\nfifth\n");
    }

    /** What a command writes straight to System.out (entry bytes, records). */
    private static byte[] stdout(Runnable command) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true));
        try {
            command.run();
        } finally {
            System.setOut(original);
        }
        return captured.toByteArray();
    }
}
