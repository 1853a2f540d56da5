package io.tusk.cli;

import io.tusk.client.WalrusJson;
import io.tusk.client.LargeStoreResult;
import io.tusk.client.ProgressListener;
import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.client.TuskClient;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code tusk store FILE... [--epochs N] [--permanent] [--force]}. */
@Command(name = "store", mixinStandardHelpOptions = true, description = "Store files as blobs (deletable unless --permanent).")
final class StoreCommand implements Callable<Integer> {
    /** Above this size a progress bar shows the upload on an interactive terminal. */
    private static final long PROGRESS_THRESHOLD = 8L << 20;

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions options;

    @Option(names = "--epochs", defaultValue = "1", description = "Epochs to store for, from the current one (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--permanent", description = "Store permanently: nobody can delete it before it expires.")
    boolean permanent;

    @Option(names = "--force", description = "Store again even if the blob is already certified long enough.")
    boolean force;

    @Option(names = "--chunk-size", paramLabel = "BYTES",
            description = "Store files larger than this as chunks of this size plus a manifest (at most the largest "
                    + "blob the committee holds). Default: a file that fits in one blob is one blob, whose ID is its "
                    + "Walrus blob ID; a larger one is chunks of 16 MiB.")
    Long chunkBytes;

    @Option(names = "--upload-relay", paramLabel = "URL",
            description = "Send each file once to this upload relay (a Tusk gateway, or any Walrus-shaped relay), "
                    + "which encodes it and writes the slivers to the nodes; the blob is still registered and "
                    + "certified with your key. Files must fit in one blob.")
    java.net.URI uploadRelay;

    @Option(names = "--max-tip", paramLabel = "N",
            description = "With --upload-relay: the most this store pays the relay as its tip (its /v1/tip-config); "
                    + "a larger tip is refused before anything is paid. Default: at most what the network charges to "
                    + "store the file.")
    Long maxTip;

    @Option(names = "--dry-run", description = "Print each file's blob ID, encoded size and cost without storing it.")
    boolean dryRun;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Files to store.")
    List<Path> files;

    @Override
    public Integer call() throws Exception {
        StoreOptions storeOptions = new StoreOptions(epochs, !permanent, force);
        if (uploadRelay != null && chunkBytes != null) {
            throw new IllegalArgumentException("--upload-relay stores one blob per file; it cannot take --chunk-size");
        }
        if (maxTip != null && (uploadRelay == null || maxTip < 0)) {
            throw new IllegalArgumentException(uploadRelay == null ? "--max-tip is for --upload-relay"
                    : "--max-tip must not be negative, got " + maxTip);
        }
        Invocation caller = Invocation.current();
        for (Path file : files) { // check every file before storing any
            if (!Files.isRegularFile(caller.resolve(file))) {
                throw new NoSuchFileException(file + " (not a readable file)");
            }
        }
        PrintWriter out = spec.commandLine().getOut();
        if (dryRun) {
            return dryRun(storeOptions, caller, out);
        }
        List<Map<String, Object>> results = new ArrayList<>();
        try (TuskClient client = options.connect()) {
            Funding.ensureFunded(client);
            for (Path file : files) {
                Path path = caller.resolve(file);
                long size = Files.size(path);
                LargeStoreResult large;
                try (ProgressBar bar = progressBar(file, size, caller)) {
                    ProgressListener progress = bar == null ? ProgressListener.NONE : (sent, total) -> {
                        bar.maxHint(total);
                        bar.stepTo(sent);
                    };
                    // Bounded memory: one blob is encoded from the file itself; a larger file streams in chunks.
                    if (uploadRelay != null) {
                        large = new LargeStoreResult(client.storeFileViaRelay(path, storeOptions, uploadRelay,
                                maxTip == null ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(maxTip)), size,
                                0, List.of());
                    } else {
                        large = chunkBytes == null ? client.storeFile(path, storeOptions, progress)
                                : client.storeFile(path, storeOptions, chunkBytes, progress);
                    }
                }
                StoreResult result = large.result();
                if (options.json) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("path", file.toString());
                    entry.put("blobStoreResult", WalrusJson.storeResult(result));
                    if (large.chunked()) {
                        Map<String, Object> chunks = new LinkedHashMap<>();
                        chunks.put("size", large.length());
                        chunks.put("chunkSize", large.chunkSize());
                        chunks.put("chunks", large.chunks().stream().map(WalrusJson::storeResult).toList());
                        chunks.put("chunksSkipped", large.chunksSkipped());
                        entry.put("largeFile", chunks);
                    }
                    results.add(entry);
                } else {
                    out.println(describe(file, result));
                    if (large.chunked()) {
                        out.println("  a large file: " + large.length() + " bytes in " + large.chunks().size()
                                + " chunks of " + large.chunkSize() + " bytes; " + large.chunksSkipped()
                                + " chunks were already certified and not sent again; read it with the blob ID of "
                                + "its manifest, " + result.blobId());
                    }
                }
            }
        }
        if (options.json) {
            out.println(ClientOptions.toJson(results));
        }
        return 0;
    }

    /** {@code --dry-run}: Walrus's {@code DryRunOutput} per file; nothing is registered, sent or paid. */
    private int dryRun(StoreOptions storeOptions, Invocation caller, PrintWriter out) throws java.io.IOException {
        List<Map<String, Object>> results = new ArrayList<>();
        try (TuskClient client = options.connect()) {
            for (Path file : files) {
                io.tusk.client.DryRunResult result = client.dryRun(caller.resolve(file), storeOptions);
                if (options.json) {
                    Map<String, Object> entry = new LinkedHashMap<>();
                    entry.put("path", file.toString());
                    entry.put("blobId", result.blobId());
                    entry.put("encodingType", result.encodingType());
                    entry.put("unencodedSize", result.unencodedSize());
                    entry.put("encodedSize", result.encodedSize());
                    entry.put("storageCost", result.storageCost());
                    results.add(entry);
                } else {
                    out.println(file + ": would store blob " + result.blobId() + " (" + result.unencodedSize()
                            + " bytes, encoded size " + result.encodedSize() + " bytes, cost " + result.storageCost()
                            + " for " + storeOptions.epochs() + " epochs); dry run, nothing stored");
                }
            }
        }
        if (options.json) {
            out.println(ClientOptions.toJson(results));
        }
        return 0;
    }

    private static String describe(Path file, StoreResult result) {
        return switch (result) {
            case StoreResult.NewlyCreated created -> file + ": stored blob " + created.blobId() + " (object "
                    + created.blobObject().id() + ", epochs " + created.blobObject().storage().startEpoch() + " to "
                    + created.blobObject().storage().endEpoch() + ", encoded size " + created.encodedLength()
                    + " bytes, cost " + created.cost()
                    + (created.resourceOperation() instanceof StoreResult.ResourceOperation.ReuseRegistration
                            ? ", an existing registration was reused" : "") + ")";
            case StoreResult.AlreadyCertified certified -> file + ": blob " + certified.blobId()
                    + " is already certified until epoch " + certified.endEpoch() + " (object " + certified.objectId() + ")";
        };
    }

    private static ProgressBar progressBar(Path file, long size, Invocation caller) {
        if (size < PROGRESS_THRESHOLD || !caller.interactive()) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName(file.getFileName().toString()).setInitialMax(size)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" MiB", 1 << 20).setConsumer(
                        new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
    }
}
