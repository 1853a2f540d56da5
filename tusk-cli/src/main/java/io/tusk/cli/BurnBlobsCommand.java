package io.tusk.cli;

import io.tusk.client.TuskClient;
import io.tusk.control.api.BlobObject;
import io.tusk.core.messages.ObjectId;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Walrus's {@code burn-blobs --object-ids ID... | --all | --all-expired [--yes]}: gives up blob objects this account
 * owns. No refund; the nodes keep an unexpired blob's data until its end epoch, but nobody can delete or extend it
 * any more. Asks for confirmation on a terminal unless {@code --yes}; elsewhere {@code --yes} is required, so that a
 * script never burns by accident.
 */
@Command(name = "burn-blobs", mixinStandardHelpOptions = true,
        description = "Burn blob objects this account owns: no refund, and they can no longer be deleted or extended"
                + " (the data stays on the nodes until it expires).")
final class BurnBlobsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ClientOptions options;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection selection;

    static final class Selection {
        @Option(names = "--object-ids", arity = "1..*", paramLabel = "ID", description = "The blob objects to burn.")
        List<String> objectIds;
        @Option(names = "--all", description = "Burn every blob object this account owns.")
        boolean all;
        @Option(names = "--all-expired", description = "Burn every expired blob object this account owns.")
        boolean allExpired;
    }

    @Option(names = "--yes", description = "Burn without asking for confirmation.")
    boolean yes;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        try (TuskClient client = options.connect()) {
            List<ObjectId> burn = select(client);
            if (burn.isEmpty()) {
                out.println(options.json ? ClientOptions.toJson(Map.of("objectIds", List.of()))
                        : "no blob objects to burn");
                return 0;
            }
            if (!yes && !confirmed(burn.size())) {
                out.println(options.json ? ClientOptions.toJson(Map.of("objectIds", List.of()))
                        : "cancelled: nothing burned");
                return 0;
            }
            client.burn(burn);
            List<String> ids = burn.stream().map(ObjectId::toString).toList();
            if (options.json) {
                out.println(ClientOptions.toJson(Map.of("objectIds", ids)));
            } else {
                ids.forEach(id -> out.println("burned blob object " + id));
            }
        }
        return 0;
    }

    private List<ObjectId> select(TuskClient client) {
        if (selection.objectIds != null) {
            return selection.objectIds.stream().map(id -> SharedBlobCommands.objectId("--object-ids", id)).toList();
        }
        List<BlobObject> owned = client.listBlobs().blobs();
        if (selection.allExpired) {
            int epoch = client.currentEpoch();
            owned = owned.stream().filter(b -> b.storage().endEpoch() <= epoch).toList();
        }
        return owned.stream().map(b -> ObjectId.parse(b.id())).toList();
    }

    /** Asks on the caller's terminal; without one, refuses rather than burn unasked. */
    private boolean confirmed(int count) throws IOException {
        Invocation invocation = Invocation.current();
        if (!invocation.interactive()) {
            throw new IllegalArgumentException("burn-blobs would burn " + count + " blob object(s); pass --yes to "
                    + "confirm when not on a terminal");
        }
        invocation.err().print("Burn " + count + " blob object(s)? They are not refunded and can no longer be "
                + "deleted or extended. [y/N] ");
        invocation.err().flush();
        String answer = new BufferedReader(new InputStreamReader(invocation.in(), StandardCharsets.UTF_8)).readLine();
        return answer != null && (answer.strip().equalsIgnoreCase("y") || answer.strip().equalsIgnoreCase("yes"));
    }
}
