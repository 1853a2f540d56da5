package io.tusk.cli;

import io.tusk.client.TuskClient;
import io.tusk.control.api.CommandOutcome;
import io.tusk.core.messages.ObjectId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code tusk extend BLOB_ID --epochs N | --object-id ID --epochs N}. */
@Command(name = "extend", mixinStandardHelpOptions = true, description = "Extend the storage of a certified blob by some epochs.")
final class ExtendCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions options;

    @Parameters(paramLabel = "BLOB_ID", arity = "0..1", description = "Extend this account's certified objects of this blob.")
    String blobId;

    @Option(names = "--object-id", paramLabel = "ID", description = "Extend this one blob object (anyone may pay for any object).")
    String objectId;

    @Option(names = "--epochs", required = true, paramLabel = "N", description = "Epochs to add.")
    int epochs;

    @Override
    public Integer call() throws Exception {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        List<CommandOutcome> outcomes = new ArrayList<>();
        try (TuskClient client = options.connect()) {
            for (ObjectId object : ObjectSelection.select(client, blobId, objectId, b -> b.certifiedEpoch() != null, "certified")) {
                outcomes.add(client.extend(object, epochs));
                if (!options.json) {
                    spec.commandLine().getOut().println("extended blob object " + object + " by " + epochs + " epochs");
                }
            }
        }
        if (options.json) {
            spec.commandLine().getOut().println(ClientOptions.toJson(outcomes));
        }
        return 0;
    }
}
