package io.tusk.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Operator commands that act for an existing node key refuse a missing key file instead of creating a new key. */
class OperatorCommandsTest {
    @TempDir
    Path dir;

    @Test
    void shouldRefuseAMistypedKeyPathWithoutCreatingAKey() {
        Path typo = dir.resolve("node-1").resolve("bls.kye");
        Path config = dir.resolve("client.yaml");
        for (String[] args : new String[][] {
                {"stake", "--bls-key", typo.toString(), "--amount", "5", "--config", config.toString()},
                {"leave-committee", "--bls-key", typo.toString(), "--config", config.toString()}}) {
            CliRun result = CliRun.run(args);
            assertThat(result.exit()).as(args[0]).isNotZero();
            assertThat(result.err().strip()).as(args[0]).contains("no BLS key file at " + typo).doesNotContain("\n");
            assertThat(typo).as(args[0]).doesNotExist();
            assertThat(Files.exists(typo.getParent())).as(args[0]).isFalse();
        }
    }
}
