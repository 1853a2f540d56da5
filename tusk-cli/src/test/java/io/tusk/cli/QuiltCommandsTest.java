package io.tusk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.core.quilt.QuiltPatchId;
import io.tusk.testkit.LocalCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** store-quilt, read-quilt and list-patches-in-quilt against a LocalCluster's client.yaml. */
class QuiltCommandsTest {
    @TempDir
    static Path dir;
    static LocalCluster cluster;
    static String config;
    static Path files;

    @BeforeAll
    static void start() throws Exception {
        cluster = LocalCluster.start(dir.resolve("cluster"), 4, 10, 0, 0);
        config = cluster.clientConfigFile().toString();
        files = Files.createDirectories(dir.resolve("files"));
        Files.writeString(files.resolve("a.txt"), "alpha", StandardCharsets.UTF_8);
        Files.writeString(files.resolve("b.txt"), "bravo bravo", StandardCharsets.UTF_8);
        Files.createDirectories(files.resolve("sub"));
        Files.write(files.resolve("sub/c.bin"), new byte[3000]);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldStoreADirectoryReadPatchesBackAndListThem() throws Exception {
        CliRun stored = CliRun.run("store-quilt", "--config", config, "--json", "--epochs", "2", "--paths", files.toString());
        assertThat(stored.exit()).as(stored.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(stored.out());
        String quiltId = json.at("/blobStoreResult/newlyCreated/blobObject/blobId").asText();
        assertThat(quiltId).hasSize(43);
        JsonNode patches = json.get("storedQuiltBlobs");
        List<String> identifiers = new ArrayList<>();
        patches.forEach(p -> identifiers.add(p.get("identifier").asText()));
        assertThat(identifiers).containsExactly("a.txt", "b.txt", "c.bin");
        for (JsonNode patch : patches) {
            QuiltPatchId id = QuiltPatchId.parse(patch.get("quiltPatchId").asText());
            assertThat(id.quiltId().toString()).isEqualTo(quiltId);
            assertThat(patch.get("range").get(0).asInt()).isEqualTo(id.startIndex());
            assertThat(patch.get("range").get(1).asInt()).isEqualTo(id.endIndex());
        }

        Path out = dir.resolve("out");
        CliRun read = CliRun.run("read-quilt", "--config", config, "--quilt-id", quiltId, "--identifiers", "b.txt", "c.bin", "--out", out.toString());
        assertThat(read.exit()).as(read.err()).isZero();
        assertThat(Files.readString(out.resolve("b.txt"))).isEqualTo("bravo bravo");
        assertThat(Files.readAllBytes(out.resolve("c.bin"))).isEqualTo(new byte[3000]);

        String patchIdA = patches.get(0).get("quiltPatchId").asText();
        CliRun byId = CliRun.run("read-quilt", "--config", config, "--json", "--quilt-patch-ids", patchIdA);
        assertThat(byId.exit()).as(byId.err()).isZero();
        JsonNode retrieved = new ObjectMapper().readTree(byId.out()).get("retrievedBlobs").get(0);
        assertThat(retrieved.get("identifier").asText()).isEqualTo("a.txt");
        byte[] blob = new byte[retrieved.get("blob").size()];
        for (int i = 0; i < blob.length; i++) {
            blob[i] = (byte) retrieved.get("blob").get(i).asInt();
        }
        assertThat(new String(blob, StandardCharsets.UTF_8)).isEqualTo("alpha");

        CliRun list = CliRun.run("list-patches-in-quilt", "--config", config, "--json", quiltId);
        assertThat(list.exit()).as(list.err()).isZero();
        JsonNode items = new ObjectMapper().readTree(list.out());
        assertThat(items).hasSize(3);
        assertThat(items.get(0).get("identifier").asText()).isEqualTo("a.txt");
        assertThat(items.get(0).get("patch_id").asText()).isEqualTo(patchIdA);
        assertThat(items.get(0).get("tags").isObject()).isTrue();

        CliRun text = CliRun.run("list-patches-in-quilt", "--config", config, quiltId);
        assertThat(text.exit()).isZero();
        assertThat(text.out()).contains("3 patches").contains(patchIdA + "  a.txt");

        CliRun missing = CliRun.run("read-quilt", "--config", config, "--quilt-id", quiltId, "--identifiers", "zzz.txt");
        assertThat(missing.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(missing.err().strip()).isEqualTo("tusk: quilt " + quiltId + " has no patch with identifier 'zzz.txt'");
    }

    @Test
    void shouldStoreBlobsWithIdentifiersAndTags() throws Exception {
        String blob = "{\"path\":\"" + files.resolve("a.txt") + "\",\"identifier\":\"first\",\"tags\":{\"k\":\"v\",\"color\":\"blue\"}}";
        CliRun stored = CliRun.run("store-quilt", "--config", config, "--json", "--blobs", blob,
                "{\"path\":\"" + files.resolve("b.txt") + "\"}");
        assertThat(stored.exit()).as(stored.err()).isZero();
        JsonNode json = new ObjectMapper().readTree(stored.out());
        String quiltId = json.at("/blobStoreResult/newlyCreated/blobObject/blobId").asText();
        CliRun list = CliRun.run("list-patches-in-quilt", "--config", config, "--json", quiltId);
        JsonNode items = new ObjectMapper().readTree(list.out());
        assertThat(items.get(0).get("identifier").asText()).isEqualTo("b.txt");
        assertThat(items.get(1).get("identifier").asText()).isEqualTo("first");
        assertThat(items.get(1).get("tags").get("color").asText()).isEqualTo("blue");
    }

    @Test
    void shouldRefuseBadInputWithOneLine() throws Exception {
        Path dup = Files.createDirectories(dir.resolve("dup"));
        Files.writeString(Files.createDirectories(dup.resolve("x")).resolve("same.txt"), "1");
        Files.writeString(Files.createDirectories(dup.resolve("y")).resolve("same.txt"), "2");
        CliRun duplicate = CliRun.run("store-quilt", "--config", config, "--paths", dup.toString());
        assertThat(duplicate.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(duplicate.err().strip()).isEqualTo("tusk: duplicate quilt patch identifier 'same.txt'");

        CliRun neither = CliRun.run("store-quilt", "--config", config);
        assertThat(neither.exit()).isEqualTo(Main.EXIT_USAGE);
        CliRun badId = CliRun.run("read-quilt", "--config", config, "--quilt-patch-ids", "short");
        assertThat(badId.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(badId.err().strip()).startsWith("tusk: --quilt-patch-ids: quilt patch ID must be 50");
        CliRun both = CliRun.run("read-quilt", "--config", config, "--quilt-patch-ids", "x", "--quilt-id", "y", "--identifiers", "z");
        assertThat(both.exit()).isEqualTo(Main.EXIT_USAGE);
    }
}
