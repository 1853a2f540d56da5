package io.tusk.cli;

import io.tusk.client.WalrusJson;
import io.tusk.client.TuskClient;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.quilt.QuiltPatchInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * {@code tusk list-patches-in-quilt QUILT_ID}: the quilt's index, read from its index columns only. {@code --json}
 * prints Walrus's {@code QuiltPatchItem} list, {@code [{"identifier", "patch_id", "tags"}]}.
 */
@Command(name = "list-patches-in-quilt", aliases = "resolve-quilt", mixinStandardHelpOptions = true,
        description = "List the patches of a quilt: identifiers, patch IDs, tags.")
final class ListPatchesInQuiltCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions options;

    @Parameters(paramLabel = "QUILT_ID", description = "The quilt ID (base64url).")
    String quiltId;

    @Override
    public Integer call() throws Exception {
        BlobId id;
        try {
            id = BlobId.parse(quiltId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("QUILT_ID: " + e.getMessage());
        }
        List<QuiltPatchInfo> patches;
        try (TuskClient client = options.connect()) {
            patches = client.listPatches(id);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (options.json) {
            out.println(ClientOptions.toJson(WalrusJson.quiltPatchItems(id, patches)));
            return 0;
        }
        out.println("quilt " + id + ": " + patches.size() + " patches");
        for (QuiltPatchInfo patch : patches) {
            out.println("  " + patch.patchId(id) + "  " + patch.identifier()
                    + (patch.tags().isEmpty() ? "" : "  " + patch.tags()));
        }
        return 0;
    }
}
