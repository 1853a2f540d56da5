package io.tusk.cli;

import io.tusk.client.WalrusJson;
import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.client.QuiltStoreResult;
import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.client.StoredQuiltPatch;
import io.tusk.client.TuskClient;
import io.tusk.core.quilt.QuiltPatch;
import io.tusk.http.TuskJson;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * {@code tusk store-quilt --paths FILE|DIR... | --blobs JSON... [--epochs N] [--permanent] [--force]}: stores many
 * files as one quilt. With {@code --paths} each file's identifier is its file name (directories are walked); with
 * {@code --blobs '{"path":"a.txt","identifier":"x","tags":{"k":"v"}}'} the identifier (default: the file name) and
 * tags are given per file, as in Walrus.
 */
@Command(name = "store-quilt", aliases = "write-quilt", mixinStandardHelpOptions = true,
        description = "Store files as patches of one quilt (deletable unless --permanent).")
final class StoreQuiltCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions options;

    @Option(names = "--paths", paramLabel = "FILE|DIR", arity = "1..*",
            description = "Files or directories (walked) to store; each file's identifier is its file name.")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--blobs", paramLabel = "JSON", arity = "1..*",
            description = "Files with identifiers and tags: '{\"path\":\"a.txt\",\"identifier\":\"a\",\"tags\":{\"k\":\"v\"}}'.")
    List<String> blobs = new ArrayList<>();

    @Option(names = "--epochs", defaultValue = "1", description = "Epochs to store for, from the current one (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--permanent", description = "Store permanently: nobody can delete it before it expires.")
    boolean permanent;

    @Option(names = "--force", description = "Store again even if the quilt is already certified long enough.")
    boolean force;

    @Override
    public Integer call() throws Exception {
        if (paths.isEmpty() == blobs.isEmpty()) {
            throw new IllegalArgumentException("give exactly one of --paths and --blobs");
        }
        List<QuiltPatch> patches = new ArrayList<>();
        for (Path path : paths) {
            for (Path file : files(path)) {
                patches.add(QuiltPatch.of(file.getFileName().toString(), Files.readAllBytes(file)));
            }
        }
        for (String blob : blobs) {
            patches.add(patch(blob));
        }
        StoreOptions storeOptions = new StoreOptions(epochs, !permanent, force);
        QuiltStoreResult result;
        try (TuskClient client = options.connect()) {
            Funding.ensureFunded(client);
            result = client.storeQuilt(patches, storeOptions);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (options.json) {
            out.println(ClientOptions.toJson(WalrusJson.quiltStoreResult(result)));
        } else {
            out.println(describe(result));
            for (StoredQuiltPatch patch : result.storedQuiltBlobs()) {
                out.println("  " + patch.quiltPatchId() + "  " + patch.identifier());
            }
        }
        return 0;
    }

    private static List<Path> files(Path typed) throws IOException {
        Path path = Invocation.current().resolve(typed);
        if (Files.isRegularFile(path)) {
            return List.of(path);
        }
        if (!Files.isDirectory(path)) {
            throw new NoSuchFileException(typed + " (not a readable file or directory)");
        }
        try (Stream<Path> walk = Files.walk(path)) {
            return walk.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static QuiltPatch patch(String json) throws IOException {
        JsonNode node;
        try {
            node = TuskJson.mapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("--blobs: not JSON: " + json);
        }
        if (node == null || !node.isObject() || !node.hasNonNull("path")) {
            throw new IllegalArgumentException("--blobs: expected {\"path\":…, \"identifier\"?:…, \"tags\"?:{…}}, got " + json);
        }
        Path named = Path.of(node.get("path").asText());
        Path file = Invocation.current().resolve(named);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(named + " (not a readable file)");
        }
        String identifier = node.hasNonNull("identifier") ? node.get("identifier").asText() : file.getFileName().toString();
        Map<String, String> tags = new LinkedHashMap<>();
        JsonNode tagNode = node.get("tags");
        if (tagNode != null && !tagNode.isNull()) {
            if (!tagNode.isObject()) {
                throw new IllegalArgumentException("--blobs: \"tags\" must be an object of strings, got " + tagNode);
            }
            tagNode.properties().forEach(e -> tags.put(e.getKey(), e.getValue().asText()));
        }
        return new QuiltPatch(identifier, Files.readAllBytes(file), tags);
    }

    private static String describe(QuiltStoreResult result) {
        return switch (result.blobStoreResult()) {
            case StoreResult.NewlyCreated created -> "stored quilt " + created.blobId() + " (object "
                    + created.blobObject().id() + ", epochs " + created.blobObject().storage().startEpoch() + " to "
                    + created.blobObject().storage().endEpoch() + ", encoded size " + created.encodedLength()
                    + " bytes, cost " + created.cost()
                    + (created.resourceOperation() instanceof StoreResult.ResourceOperation.ReuseRegistration
                            ? ", an existing registration was reused" : "") + ") with " + result.storedQuiltBlobs().size() + " patches:";
            case StoreResult.AlreadyCertified certified -> "quilt " + certified.blobId()
                    + " is already certified until epoch " + certified.endEpoch() + " (object " + certified.objectId()
                    + "); its " + result.storedQuiltBlobs().size() + " patches:";
        };
    }
}
