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

/** {@code tusk delete BLOB_ID | --object-id ID}: deletes this account's deletable objects of a blob. */
@Command(name = "delete", mixinStandardHelpOptions = true, description = "Delete a deletable blob this account owns.")
final class DeleteCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions options;

    @Parameters(paramLabel = "BLOB_ID", arity = "0..1", description = "Delete every deletable object of this blob that this account owns.")
    String blobId;

    @Option(names = "--object-id", paramLabel = "ID", description = "Delete this one blob object.")
    String objectId;

    @Override
    public Integer call() throws Exception {
        List<CommandOutcome> outcomes = new ArrayList<>();
        try (TuskClient client = options.connect()) {
            for (ObjectId object : ObjectSelection.select(client, blobId, objectId, b -> b.deletable(), "deletable")) {
                outcomes.add(client.delete(object));
                if (!options.json) {
                    spec.commandLine().getOut().println("deleted blob object " + object);
                }
            }
        }
        if (options.json) {
            spec.commandLine().getOut().println(ClientOptions.toJson(outcomes));
        }
        return 0;
    }
}
