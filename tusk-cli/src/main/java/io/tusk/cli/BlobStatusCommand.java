package io.tusk.cli;

import io.tusk.client.TuskClient;
import io.tusk.control.api.BlobInfo;
import io.tusk.control.api.BlobObject;
import io.tusk.control.api.BlobStatus;
import io.tusk.core.metadata.BlobId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code tusk blob-status BLOB_ID}. */
@Command(name = "blob-status", mixinStandardHelpOptions = true, description = "Show whether a blob exists, is certified, and until when.")
final class BlobStatusCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions options;

    @Parameters(paramLabel = "BLOB_ID")
    String blobId;

    @Override
    public Integer call() throws Exception {
        BlobId id;
        try {
            id = BlobId.parse(blobId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("BLOB_ID: " + e.getMessage());
        }
        BlobInfo info;
        try (TuskClient client = options.connect()) {
            info = client.status(id);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (options.json) {
            out.println(ClientOptions.toJson(info));
            return 0;
        }
        out.println("blob " + id + ": " + switch (info.status()) {
            case BlobStatus.Nonexistent n -> "does not exist (never stored, expired or deleted)";
            case BlobStatus.Invalid i -> "INVALID (inconsistently encoded)";
            case BlobStatus.Permanent p -> (p.isCertified() ? "certified" : "registered, not certified")
                    + " permanent blob until epoch " + p.endEpoch();
            case BlobStatus.Deletable d -> (d.initialCertifiedEpoch() != null ? "certified" : "registered, not certified")
                    + " deletable blob (" + d.deletableCounts().countDeletableTotal() + " objects)";
        });
        for (BlobObject object : info.objects()) {
            out.println("  object " + object.id() + ": " + (object.deletable() ? "deletable" : "permanent")
                    + ", epochs " + object.storage().startEpoch() + " to " + object.storage().endEpoch()
                    + (object.certifiedEpoch() != null ? ", certified in epoch " + object.certifiedEpoch() : ", not certified"));
        }
        return 0;
    }
}
