package io.tusk.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.concurrent.Callable;

/**
 * {@code tusk completion [--shell bash|zsh]}: prints the shell completion script (Walrus's {@code walrus
 * completion}), generated from the command definitions so it never falls behind. zsh loads the bash script through
 * {@code bashcompinit}. Use: {@code source <(./tusk completion)}.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a shell completion script: source <(tusk completion --shell bash).")
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--shell", defaultValue = "bash", description = "bash (default) or zsh.")
    String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new IllegalArgumentException("--shell must be bash or zsh, got '" + shell + "'");
        }
        CommandLine root = spec.root().commandLine();
        String script = AutoComplete.bash(root.getCommandName(), root);
        if (shell.equals("zsh")) {
            script = "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + script;
        }
        spec.commandLine().getOut().print(script);
        spec.commandLine().getOut().flush();
        return 0;
    }
}
