package io.tusk.cli;

import io.tusk.client.TuskClient;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.quilt.QuiltPatch;
import io.tusk.core.quilt.QuiltPatchId;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tusk read-quilt (--quilt-id ID --identifiers A B… | --quilt-patch-ids P…) [--out DIR]}: reads patches,
 * fetching only their columns. With {@code --out} each patch is written to {@code DIR/identifier}; without it a
 * single patch goes to standard output. {@code --json} prints Walrus's {@code ReadQuiltOutput}:
 * {@code {"out"?, "retrievedBlobs": [{"identifier", "tags", "blob"?}]}}, {@code blob} being the bytes as a JSON
 * array (serde's form of Walrus's {@code QuiltStoreBlob}), given only without {@code --out}.
 */
@Command(name = "read-quilt", mixinStandardHelpOptions = true, description = "Read patches of a quilt by identifier or patch ID.")
final class ReadQuiltCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions options;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection selection;

    static final class Selection {
        @ArgGroup(exclusive = false)
        ByIdentifier byIdentifier;

        @Option(names = "--quilt-patch-ids", paramLabel = "PATCH_ID", arity = "1..*", required = true,
                description = "Quilt patch IDs (base64url, 50 characters).")
        List<String> patchIds;
    }

    static final class ByIdentifier {
        @Option(names = "--quilt-id", paramLabel = "ID", required = true, description = "The quilt ID (base64url).")
        String quiltId;

        @Option(names = "--identifiers", paramLabel = "IDENTIFIER", arity = "1..*", required = true,
                description = "Identifiers of the patches to read.")
        List<String> identifiers;
    }

    @Option(names = "--out", paramLabel = "DIR", description = "Write each patch to DIR/<identifier>.")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<QuiltPatch> patches;
        try (TuskClient client = options.connect()) {
            if (selection.byIdentifier != null) {
                BlobId quiltId = parse("--quilt-id", () -> BlobId.parse(selection.byIdentifier.quiltId));
                patches = client.readPatches(quiltId, selection.byIdentifier.identifiers);
            } else {
                patches = new ArrayList<>();
                for (String text : selection.patchIds) {
                    patches.add(client.readPatch(parse("--quilt-patch-ids", () -> QuiltPatchId.parse(text))));
                }
            }
        }
        if (out != null) {
            write(patches);
        }
        if (options.json) {
            Map<String, Object> result = new LinkedHashMap<>();
            if (out != null) {
                result.put("out", out.toString());
            }
            List<Map<String, Object>> retrieved = new ArrayList<>();
            for (QuiltPatch patch : patches) {
                Map<String, Object> entry = new LinkedHashMap<>();
                if (out == null) {
                    byte[] data = patch.data();
                    int[] bytes = new int[data.length];
                    for (int i = 0; i < data.length; i++) {
                        bytes[i] = data[i] & 0xff;
                    }
                    entry.put("blob", bytes);
                }
                entry.put("identifier", patch.identifier());
                entry.put("tags", patch.tags());
                retrieved.add(entry);
            }
            result.put("retrievedBlobs", retrieved);
            spec.commandLine().getOut().println(ClientOptions.toJson(result));
        } else if (out == null) {
            if (patches.size() != 1) {
                throw new IllegalArgumentException("reading " + patches.size() + " patches needs --out DIR (or --json)");
            }
            OutputStream stdout = System.out;
            stdout.write(patches.getFirst().data());
            stdout.flush();
        } else {
            for (QuiltPatch patch : patches) {
                spec.commandLine().getErr().println("read " + patch.size() + " bytes of patch " + patch.identifier()
                        + " into " + out.resolve(patch.identifier()));
            }
        }
        return 0;
    }

    /** Writes each patch to DIR/identifier atomically; an identifier that would leave DIR is refused. */
    private void write(List<QuiltPatch> patches) throws Exception {
        Path dir = Invocation.current().resolve(out).toAbsolutePath().normalize();
        Files.createDirectories(dir);
        for (QuiltPatch patch : patches) {
            Path target = dir.resolve(patch.identifier()).normalize();
            if (!target.startsWith(dir) || target.equals(dir)) {
                throw new IllegalArgumentException("patch identifier '" + patch.identifier()
                        + "' does not name a file inside " + out + "; read it to standard output instead");
            }
            Files.createDirectories(target.getParent());
            Path temporary = Files.createTempFile(target.getParent(), ".tusk-read-", ".part");
            Files.write(temporary, patch.data());
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static <T> T parse(String option, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": " + e.getMessage());
        }
    }
}
