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

import java.io.BufferedOutputStream;
import java.io.IOException;
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

    @Option(names = "--no-cache", description = "Read from the storage nodes even if the blob is in the local cache "
            + "of blobs read (which otherwise serves it without network, verified).")
    boolean noCache;

    @ArgGroup(exclusive = true)
    Consistency consistency;

    static final class Consistency {
        @Option(names = "--strict-consistency-check", description = "Re-encode the whole blob and compare its ID.")
        boolean strict;

        @Option(names = "--skip-consistency-check", description = "Trust the verified slivers (fastest).")
        boolean skip;
    }

    /**
     * Streams the blob (or, for a manifest, the file it names, chunk by chunk) to {@code sink}. The default check
     * streams; a strict or skipped check reads a plain blob through that check.
     */
    private static void write(TuskClient client, BlobId id, ConsistencyCheck check, OutputStream sink) throws IOException {
        if (check == ConsistencyCheck.DEFAULT) {
            client.readStream(id, sink);
        } else {
            byte[] blob = client.read(id, check);
            java.util.Optional<io.tusk.client.Manifest> manifest = io.tusk.client.Manifest.parse(blob);
            if (manifest.isPresent()) {
                client.readRange(manifest.get(), 0, manifest.get().totalLength(), sink);
            } else {
                sink.write(blob);
            }
        }
    }

    private static final class CountingOutputStream extends java.io.FilterOutputStream {
        long count;

        CountingOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }
    }

    private TuskClient connect() throws IOException {
        return noCache ? options.connectWithoutCache() : options.connect();
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
        if (options.json && out == null) { // the blob itself goes into the JSON: small blobs only
            byte[] blob;
            try (TuskClient client = connect()) {
                blob = client.read(id, check);
            }
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("blobId", id.toString());
            result.put("blob", Base64.getEncoder().encodeToString(blob));
            spec.commandLine().getOut().println(ClientOptions.toJson(result));
            return 0;
        }
        long size;
        try (TuskClient client = connect()) {
            if (out != null) {
                Path absolute = Invocation.current().resolve(out).toAbsolutePath();
                Path temporary = Files.createTempFile(absolute.getParent(), ".tusk-read-", ".part");
                try (CountingOutputStream file = new CountingOutputStream(new BufferedOutputStream(
                        Files.newOutputStream(temporary), 1 << 20))) {
                    write(client, id, check, file);
                    size = file.count;
                } catch (IOException | RuntimeException e) {
                    Files.deleteIfExists(temporary);
                    throw e;
                }
                Files.move(temporary, absolute, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                CountingOutputStream stdout = new CountingOutputStream(new BufferedOutputStream(System.out, 1 << 20));
                write(client, id, check, stdout);
                stdout.flush();
                size = stdout.count;
            }
        }
        if (options.json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("blobId", id.toString());
            result.put("out", out.toString());
            result.put("size", size);
            spec.commandLine().getOut().println(ClientOptions.toJson(result));
        } else if (out != null) {
            spec.commandLine().getErr().println("read " + size + " bytes of blob " + id + " into " + out);
        }
        return 0;
    }
}
