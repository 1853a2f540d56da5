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

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;

/** {@code tusk blob-id [--n-shards N] [--json] FILE}: the Walrus blob ID of a file, computed locally. */
@Command(name = "blob-id", mixinStandardHelpOptions = true,
        description = "Compute the Walrus blob ID of a file (no network). '-' reads standard input.")
final class BlobIdCommand implements Callable<Integer> {
    /** A Java array holds at most this many bytes; larger blobs need the chunked store of a later release. */
    private static final long MAX_IN_MEMORY = Integer.MAX_VALUE - 8;

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
        byte[] blob = read(config);
        BlobMetadataWithId metadata = new BlobEncoder(config).computeMetadata(blob);
        if (json) {
            ObjectMapper mapper = new ObjectMapper();
            ObjectNode out = mapper.createObjectNode();
            out.put("blobId", metadata.blobId().toString());
            out.put("rootHash", HexFormat.of().formatHex(metadata.metadata().rootHash()));
            out.put("unencodedLength", blob.length);
            out.put("encodingType", metadata.metadata().encodingType().wireName());
            out.put("symbolSize", config.symbolSize(blob.length));
            out.put("encodedSize", config.encodedSize(blob.length));
            out.put("nShards", shardCount);
            spec.commandLine().getOut().println(mapper.writeValueAsString(out));
        } else {
            spec.commandLine().getOut().println(metadata.blobId());
        }
        return 0;
    }

    private byte[] read(EncodingConfig config) throws IOException {
        long limit = Math.min(config.maxBlobSize(), MAX_IN_MEMORY);
        if (file.equals("-")) {
            return readLimited(System.in, limit, config);
        }
        Path path = Path.of(file);
        try {
            if (Files.isDirectory(path)) {
                throw new IllegalArgumentException(file + " is a directory, not a file");
            }
            long size = Files.size(path);
            checkSize(size, config);
            try (InputStream in = Files.newInputStream(path)) {
                return readLimited(in, limit, config);
            }
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file: " + file);
        }
    }

    private static byte[] readLimited(InputStream in, long limit, EncodingConfig config) throws IOException {
        byte[] data = in.readNBytes((int) limit);
        if (in.read() != -1) {
            checkSize(limit + 1, config);
        }
        return data;
    }

    private static void checkSize(long size, EncodingConfig config) {
        if (size > config.maxBlobSize()) {
            throw new IllegalArgumentException("the file has " + size + " bytes, more than the maximum blob size of "
                    + config.maxBlobSize() + " bytes for " + config.shardCount() + " shards");
        }
        if (size > MAX_IN_MEMORY) {
            throw new IllegalArgumentException("the file has " + size + " bytes; blob-id handles up to " + MAX_IN_MEMORY
                    + " bytes in one piece for now");
        }
    }
}
