package io.tusk.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Operator commands that act for an existing node key refuse a missing key file instead of creating a new key. */
class OperatorCommandsTest {
    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void shouldRefuseAMistypedKeyPathWithoutCreatingAKey() {
        Path typo = dir.resolve("node-1").resolve("bls.kye");
        Path config = dir.resolve("client.yaml");
        for (String[] args : new String[][] {
                {"stake", "--bls-key", typo.toString(), "--amount", "5", "--config", config.toString()},
                {"leave-committee", "--bls-key", typo.toString(), "--config", config.toString()}}) {
            Result result = run(args);
            assertThat(result.exit).as(args[0]).isNotZero();
            assertThat(result.err.strip()).as(args[0]).contains("no BLS key file at " + typo).doesNotContain("\n");
            assertThat(typo).as(args[0]).doesNotExist();
            assertThat(Files.exists(typo.getParent())).as(args[0]).isFalse();
        }
    }
}
