package io.tusk.cli;

import io.tusk.client.TuskClient;
import io.tusk.control.api.BlobObject;
import io.tusk.control.api.OwnedBlobs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code tusk list-blobs [--include-expired]}: the blob objects this account owns. */
@Command(name = "list-blobs", mixinStandardHelpOptions = true, description = "List the blobs this account owns.")
final class ListBlobsCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions options;

    @Option(names = "--include-expired", description = "Also list blobs whose storage has ended.")
    boolean includeExpired;

    @Override
    public Integer call() throws Exception {
        OwnedBlobs owned;
        int epoch;
        try (TuskClient client = options.connect()) {
            owned = client.listBlobs();
            epoch = client.control().epoch().epoch();
        }
        List<BlobObject> blobs = owned.blobs().stream()
                .filter(b -> includeExpired || b.storage().endEpoch() > epoch).toList();
        PrintWriter out = spec.commandLine().getOut();
        if (options.json) {
            out.println(ClientOptions.toJson(blobs));
            return 0;
        }
        if (blobs.isEmpty()) {
            out.println("no blobs" + (includeExpired ? "" : " (expired ones hidden; --include-expired shows them)"));
        }
        for (BlobObject blob : blobs) {
            out.printf("%s  %10d bytes  %-9s  epochs %d-%d  %s  object %s%n", blob.blobId(), blob.size(),
                    blob.deletable() ? "deletable" : "permanent", blob.storage().startEpoch(), blob.storage().endEpoch(),
                    blob.certifiedEpoch() != null ? "certified" : "uncertified", blob.id());
        }
        return 0;
    }
}
