package io.tusk.cli;

import io.tusk.client.TuskClient;
import io.tusk.core.messages.ObjectId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * Walrus's shared blob commands: {@code share} (wrap a blob object this account owns in a shared blob anyone can fund
 * and extend) and {@code fund-shared-blob}; {@code extend --shared} is in {@link ExtendCommand}. Options and JSON
 * output as Walrus's ({@code sharedBlobObjectId}, {@code amount}).
 */
final class SharedBlobCommands {
    private SharedBlobCommands() {
    }

    static ObjectId objectId(String option, String text) {
        try {
            return ObjectId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(option + ": '" + text + "' is not an object ID: " + e.getMessage(), e);
        }
    }

    @Command(name = "share", mixinStandardHelpOptions = true,
            description = "Share a blob object this account owns: anyone can then fund it and extend it from its funds;"
                    + " this account can no longer delete or burn it.")
    static final class Share implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions options;
        @Option(names = "--blob-obj-id", required = true, paramLabel = "ID", description = "The blob object to share.")
        String blobObjectId;
        @Option(names = "--amount", paramLabel = "N",
                description = "Fund the shared blob with N from this account's balance at once.")
        Long amount;

        @Override
        public Integer call() throws java.io.IOException {
            ObjectId object = objectId("--blob-obj-id", blobObjectId);
            if (amount != null && amount < 1) {
                throw new IllegalArgumentException("--amount must be at least 1, got " + amount);
            }
            ObjectId shared;
            try (TuskClient client = options.connect()) {
                shared = client.share(object, amount == null ? 0 : amount);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (options.json) {
                Map<String, Object> result = new LinkedHashMap<>();
                result.put("sharedBlobObjectId", shared.toString());
                result.put("amount", amount);
                out.println(ClientOptions.toJson(result));
            } else {
                out.println("shared blob object " + object + " as shared blob " + shared
                        + (amount == null ? "" : ", funded with " + amount));
            }
            return 0;
        }
    }

    @Command(name = "fund-shared-blob", mixinStandardHelpOptions = true,
            description = "Add funds from this account's balance to a shared blob (anyone may).")
    static final class Fund implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions options;
        @Option(names = "--shared-blob-obj-id", required = true, paramLabel = "ID", description = "The shared blob.")
        String sharedBlobId;
        @Option(names = "--amount", required = true, paramLabel = "N", description = "The amount to add.")
        long amount;

        @Override
        public Integer call() throws java.io.IOException {
            ObjectId shared = objectId("--shared-blob-obj-id", sharedBlobId);
            if (amount < 1) {
                throw new IllegalArgumentException("--amount must be at least 1, got " + amount);
            }
            long funds;
            try (TuskClient client = options.connect()) {
                client.fundSharedBlob(shared, amount);
                funds = client.sharedBlob(shared).map(s -> s.funds()).orElse(-1L);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(options.json ? ClientOptions.toJson(Map.of("amount", amount))
                    : "funded shared blob " + shared + " with " + amount + (funds < 0 ? "" : "; its funds are " + funds));
            return 0;
        }
    }
}
