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

/**
 * {@code tusk extend BLOB_ID --epochs N | --object-id ID --epochs N | --object-id SHARED_ID --shared --epochs N}; Walrus's
 * option names {@code --blob-obj-id} and {@code --epochs-extended} work too. With {@code --shared} the object is a
 * shared blob and the extension is paid from its funds (Walrus's {@code extend --shared}), not by this account.
 */
@Command(name = "extend", mixinStandardHelpOptions = true, description = "Extend the storage of a certified blob by some epochs.")
final class ExtendCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions options;

    @Parameters(paramLabel = "BLOB_ID", arity = "0..1", description = "Extend this account's certified objects of this blob.")
    String blobId;

    @Option(names = {"--object-id", "--blob-obj-id"}, paramLabel = "ID",
            description = "Extend this one blob object (anyone may pay for any object), or with --shared this shared blob.")
    String objectId;

    @Option(names = {"--epochs", "--epochs-extended"}, required = true, paramLabel = "N", description = "Epochs to add.")
    int epochs;

    @Option(names = "--shared", description = "--object-id names a shared blob: the extension is paid from its funds.")
    boolean shared;

    @Override
    public Integer call() throws Exception {
        if (epochs < 1) {
            throw new IllegalArgumentException("--epochs must be at least 1, got " + epochs);
        }
        List<CommandOutcome> outcomes = new ArrayList<>();
        if (shared) {
            if (objectId == null || blobId != null) {
                throw new IllegalArgumentException("--shared needs --object-id naming the shared blob, and no BLOB_ID");
            }
            ObjectId sharedBlob = SharedBlobCommands.objectId("--object-id", objectId);
            try (TuskClient client = options.connect()) {
                outcomes.add(client.extendShared(sharedBlob, epochs));
            }
            spec.commandLine().getOut().println(options.json ? ClientOptions.toJson(outcomes)
                    : "extended shared blob " + sharedBlob + " by " + epochs + " epochs, paid from its funds");
            return 0;
        }
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
