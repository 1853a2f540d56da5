package io.tusk.cli;

import io.tusk.client.TuskClient;
import io.tusk.core.encoding.ConsistencyCheck;
import io.tusk.core.metadata.BlobId;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code tusk read BLOB_ID [--out FILE]}: writes the blob to the file (atomically) or to standard output. */
@Command(name = "read", mixinStandardHelpOptions = true, description = "Read a blob; every byte is verified against its blob ID.")
final class ReadCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions options;

    @Parameters(paramLabel = "BLOB_ID", description = "The blob ID (base64url).")
    String blobId;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the blob to FILE instead of standard output.")
    Path out;

    @ArgGroup(exclusive = true)
    Consistency consistency;

    static final class Consistency {
        @Option(names = "--strict-consistency-check", description = "Re-encode the whole blob and compare its ID.")
        boolean strict;

        @Option(names = "--skip-consistency-check", description = "Trust the verified slivers (fastest).")
        boolean skip;
    }

    @Override
    public Integer call() throws Exception {
        BlobId id;
        try {
            id = BlobId.parse(blobId);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("BLOB_ID: " + e.getMessage());
        }
        ConsistencyCheck check = consistency == null ? ConsistencyCheck.DEFAULT
                : consistency.strict ? ConsistencyCheck.STRICT : ConsistencyCheck.SKIP;
        byte[] blob;
        try (TuskClient client = options.connect()) {
            blob = client.read(id, check);
        }
        if (out != null) {
            Path absolute = out.toAbsolutePath();
            Path temporary = Files.createTempFile(absolute.getParent(), ".tusk-read-", ".part");
            Files.write(temporary, blob);
            Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        if (options.json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("blobId", id.toString());
            if (out != null) {
                result.put("out", out.toString());
                result.put("size", blob.length);
            } else {
                result.put("blob", Base64.getEncoder().encodeToString(blob));
            }
            spec.commandLine().getOut().println(ClientOptions.toJson(result));
        } else if (out == null) {
            OutputStream stdout = System.out;
            stdout.write(blob);
            stdout.flush();
        } else {
            spec.commandLine().getErr().println("read " + blob.length + " bytes of blob " + id + " into " + out);
        }
        return 0;
    }
}
