package io.tusk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class BlobIdCommandTest {
    @TempDir
    Path dir;

    @Test
    void shouldPrintTheWalrusBlobIdOfAFile() throws Exception {
        Path file = Files.writeString(dir.resolve("regression.txt"), "walrus blob id v1 regression test", StandardCharsets.US_ASCII);
        CliRun result = CliRun.run("blob-id", "--n-shards", "10", file.toString());
        assertThat(result.exit()).isZero();
        assertThat(result.out()).isEqualTo("RcU82Mwf-CFkv1LaI_2qcpANwpGUuG3TMwnVzZxD2kY" + System.lineSeparator());
        assertThat(result.err()).isEmpty();
    }

    @Test
    void shouldDefaultToOneThousandShardsAndPrintJson() throws Exception {
        Path file = Files.writeString(dir.resolve("other.txt"), "some other string", StandardCharsets.US_ASCII);
        CliRun result = CliRun.run("blob-id", "--json", file.toString());
        assertThat(result.exit()).isZero();
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.get("blobId").asText()).isEqualTo("M4hsZGQ1oCktdzegB6HnI6Mi28S2nqOPHxK-W7_4BUk");
        assertThat(json.get("unencodedLength").asLong()).isEqualTo(17);
        assertThat(json.get("encodingType").asText()).isEqualTo("RS2");
        assertThat(json.get("symbolSize").asInt()).isEqualTo(2);
        assertThat(json.get("encodedSize").asLong()).isEqualTo(66_034_000L);
        assertThat(json.get("rootHash").asText()).hasSize(64);
    }

    @Test
    void shouldFailWithOneLineForAMissingFile() {
        CliRun result = CliRun.run("blob-id", dir.resolve("nope.bin").toString());
        assertThat(result.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(result.err().strip()).startsWith("tusk: no such file").doesNotContain("\n");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void shouldRefuseShardCountsWalrusCannotEncode() throws Exception {
        Path file = Files.write(dir.resolve("x.bin"), new byte[10]);
        CliRun result = CliRun.run("blob-id", "--n-shards", "3", file.toString());
        assertThat(result.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(result.err().strip()).contains("--n-shards").contains("got 3").doesNotContain("\n");
        CliRun notNumber = CliRun.run("blob-id", "--n-shards", "many", file.toString());
        assertThat(notNumber.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(notNumber.err().lines().count()).isEqualTo(1);
    }

    @Test
    void shouldPointAUsageErrorAtTheHelpOfTheCommandThatFailed() {
        assertThat(CliRun.run("--bogus").err().strip()).endsWith("(see 'tusk --help')");
        assertThat(CliRun.run("blob-id", "--bogus").err().strip()).endsWith("(see 'tusk blob-id --help')");
        assertThat(CliRun.run("info", "epoch", "--bogus").err().strip()).endsWith("(see 'tusk info epoch --help')");
    }

    @Test
    void shouldPrintTheVersionTheBuildWrote() {
        assertThat(CliRun.run("--version").out().strip()).matches("tusk \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void shouldRefuseAFileTooLargeForTheShardCount() throws Exception {
        // 4 shards hold at most 2 x 3 x 65534 = 393,204 bytes.
        Path file = Files.write(dir.resolve("big.bin"), new byte[393_205]);
        CliRun result = CliRun.run("blob-id", "--n-shards", "4", file.toString());
        assertThat(result.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(result.err().strip()).contains("393205").contains("393204").contains("4 shards").doesNotContain("\n");
        Path fits = Files.write(dir.resolve("fits.bin"), new byte[393_204]);
        assertThat(CliRun.run("blob-id", "--n-shards", "4", fits.toString()).exit()).isZero();
    }

    @Test
    void shouldRefuseADirectory() {
        CliRun result = CliRun.run("blob-id", dir.toString());
        assertThat(result.exit()).isEqualTo(Main.EXIT_USAGE);
        assertThat(result.err()).contains("is a directory");
    }
}
