package io.tusk.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.metadata.BlobMetadataWithId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import io.tusk.client.FileBlobSource;
import io.tusk.client.TempFileSliverStorage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;

/**
 * {@code tusk blob-id [--n-shards N] [--json] FILE}: the Walrus blob ID of a file, computed locally. A file too large
 * to read onto the heap (an eighth of it) is encoded from the file, its repair columns in temporary files, so any
 * file up to the committee's largest blob works with a small heap.
 */
@Command(name = "blob-id", mixinStandardHelpOptions = true,
        description = "Compute the Walrus blob ID of a file (no network). '-' reads standard input.")
final class BlobIdCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--n-shards", paramLabel = "N", defaultValue = "1000",
            description = "Number of shards of the committee (default: ${DEFAULT-VALUE}, as Walrus Mainnet).")
    int shardCount;

    @Option(names = "--json", description = "Print JSON: blobId, rootHash, unencodedLength, encodingType, symbolSize, encodedSize.")
    boolean json;

    @Parameters(paramLabel = "FILE", description = "The file, or '-' for standard input.")
    String file;

    @Override
    public Integer call() throws IOException {
        EncodingConfig config;
        try {
            config = new EncodingConfig(shardCount);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--n-shards: " + e.getMessage());
        }
        BlobMetadataWithId metadata = file.equals("-") ? ofStandardInput(config) : ofFile(config);
        long length = metadata.metadata().unencodedLength();
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode out = mapper.createObjectNode();
            out.put("blobId", metadata.blobId().toString());
            out.put("rootHash", HexFormat.of().formatHex(metadata.metadata().rootHash()));
            out.put("unencodedLength", length);
            out.put("encodingType", metadata.metadata().encodingType().wireName());
            out.put("symbolSize", config.symbolSize(length));
            out.put("encodedSize", config.encodedSize(length));
            out.put("nShards", shardCount);
            spec.commandLine().getOut().println(mapper.writeValueAsString(out));
        } else {
            spec.commandLine().getOut().println(metadata.blobId());
        }
        return 0;
    }

    /** Files up to this size are read onto the heap (fastest); larger ones are encoded from the file. */
    private static long inMemoryLimit() {
        return Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / 8);
    }

    private BlobMetadataWithId ofFile(EncodingConfig config) throws IOException {
        Path path = Invocation.current().resolve(Path.of(file));
        if (Files.isDirectory(path)) {
            throw new IllegalArgumentException(file + " is a directory, not a file");
        }
        long size;
        try {
            size = Files.size(path);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + file);
        }
        checkSize(size, config);
        if (size <= inMemoryLimit()) {
            return new BlobEncoder(config).computeMetadata(Files.readAllBytes(path));
        }
        try (FileBlobSource source = FileBlobSource.open(path)) {
            return new BlobEncoder(config).computeMetadata(source, TempFileSliverStorage.inTempDirectory());
        }
    }

    /** Standard input: onto the heap if it is small, else copied to a temporary file first. */
    private static BlobMetadataWithId ofStandardInput(EncodingConfig config) throws IOException {
        InputStream in = System.in;
        byte[] head = in.readNBytes((int) Math.min(inMemoryLimit(), config.maxBlobSize()));
        int next = in.read();
        if (next < 0) {
            return new BlobEncoder(config).computeMetadata(head);
        }
        Path copy = Files.createTempFile("tusk-blob-id-", ".tmp");
        try {
            try (OutputStream out = Files.newOutputStream(copy)) {
                out.write(head);
                out.write(next);
                long rest = in.transferTo(out);
                checkSize(head.length + 1 + rest, config);
            }
            try (FileBlobSource source = FileBlobSource.open(copy)) {
                return new BlobEncoder(config).computeMetadata(source, TempFileSliverStorage.inTempDirectory());
            }
        } finally {
            Files.deleteIfExists(copy);
        }
    }

    private static void checkSize(long size, EncodingConfig config) {
        if (size > config.maxBlobSize()) {
            throw new IllegalArgumentException("the file has " + size + " bytes, more than the maximum blob size of "
                    + config.maxBlobSize() + " bytes for " + config.shardCount() + " shards");
        }
    }
}
