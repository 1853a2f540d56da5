package io.tusk.cli;

import picocli.CommandLine;

import io.tusk.cli.logging.Logging;

import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code tusk} command. Each subcommand is one class; errors print one line on stderr and exit non-zero. */
@Command(name = "tusk", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Tusk: a Walrus-compatible decentralized blob store.",
        subcommands = {DevnetCommand.class, StoreCommand.class, ReadCommand.class, StoreQuiltCommand.class,
                ReadQuiltCommand.class, ListPatchesInQuiltCommand.class, BlobStatusCommand.class,
                InfoCommand.class, ListBlobsCommand.class, DeleteCommand.class, ExtendCommand.class, HealthCommand.class,
                BlobIdCommand.class, ControlCommand.class, ClusterCommand.class, NodeCommand.class, NodeAdminCommand.class,
                GatewayCommand.class,
                OperatorCommands.CommitteeCommand.class, OperatorCommands.EpochCommand.class,
                OperatorCommands.AdvanceEpochCommand.class, OperatorCommands.JoinCommand.class,
                OperatorCommands.LeaveCommand.class, OperatorCommands.StakeCommand.class, SpaceCommand.class,
                BlobAttributeCommands.Set.class, BlobAttributeCommands.Get.class, BlobAttributeCommands.RemoveFields.class,
                BlobAttributeCommands.Remove.class, SharedBlobCommands.Share.class, SharedBlobCommands.Fund.class,
                BurnBlobsCommand.class, TransferCommand.class, ConvertBlobIdCommand.class, CompletionCommand.class, JsonCommand.class,
                MemoryCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    /** Exit code for bad usage or input (picocli's convention). */
    static final int EXIT_USAGE = 2;
    /** Exit code for a failure while doing the work. */
    static final int EXIT_FAILURE = 1;

    /** Applied while the command line is parsed, before the command runs (and logs). */
    @Option(names = "--log-format", scope = ScopeType.INHERIT, paramLabel = "text|json",
            description = "Log lines as text (default) or as one JSON object per line, on stderr.")
    void logFormat(Logging.Format format) {
        Logging.format(format);
    }

    @Option(names = "--access-log", scope = ScopeType.INHERIT,
            description = "Servers log every request they answer, with its trace ID.")
    void accessLog(boolean on) {
        Logging.accessLog(on);
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs one command line with the given output streams; returns the exit code. */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        return run(commandLine(), out, err, args);
    }

    /** Runs {@code args} on {@code cli}, a {@link #commandLine()} not used before, with the given output streams. */
    static int run(CommandLine cli, PrintWriter out, PrintWriter err, String... args) {
        cli.setOut(out);
        cli.setErr(err);
        return cli.execute(args);
    }

    /**
     * The parser of every tusk command, configured, for one command line. Building it reads the annotations of every
     * command (a few tens of milliseconds even in a warm JVM), so the client daemon builds the next one ahead.
     */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // `--log-format json` names a value that is also a command (`tusk json`): an option's value is its value.
        cli.setAllowSubcommandsAsOptionParameters(true);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("tusk: " + oneLine(e));
            return e instanceof IllegalArgumentException || e instanceof java.io.FileNotFoundException ? EXIT_USAGE : EXIT_FAILURE;
        });
        cli.setParameterExceptionHandler((e, a) -> {
            // the command's whole path ("tusk", "tusk store", "tusk info epoch"), so the hint is a command that works
            e.getCommandLine().getErr().println("tusk: " + e.getMessage() + " (see '"
                    + e.getCommandLine().getCommandSpec().qualifiedName(" ") + " --help')");
            return EXIT_USAGE;
        });
        return cli;
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        return message.replace('\n', ' ');
    }

    /** The version the build wrote into {@code version.properties}; {@code ./tusk --version} prints the same line. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            java.util.Properties properties = new java.util.Properties();
            try (java.io.InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) {
                    properties.load(in);
                }
            } catch (java.io.IOException e) {
                // no version file: say so below
            }
            String version = properties.getProperty("version");
            return new String[] {"tusk " + (version == null || version.startsWith("$") ? "development build" : version)};
        }
    }
}
