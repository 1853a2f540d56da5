package io.tusk.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the CLI ({@link Main#run}) with its exit code and what it printed, for tests. */
record CliRun(int exit, String out, String err) {
    static CliRun run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new CliRun(exit, out.toString(), err.toString());
    }
}
