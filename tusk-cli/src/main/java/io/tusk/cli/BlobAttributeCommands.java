package io.tusk.cli;

import io.tusk.client.TuskClient;
import io.tusk.control.api.BlobAttribute;
import io.tusk.core.messages.ObjectId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Walrus's blob attribute commands: {@code set-blob-attribute}, {@code get-blob-attribute},
 * {@code remove-blob-attribute-fields}, {@code remove-blob-attribute}, on a blob object this account owns.
 */
final class BlobAttributeCommands {
    private BlobAttributeCommands() {
    }

    private static ObjectId objectId(String text) {
        try {
            return ObjectId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not a blob object ID: " + e.getMessage(), e);
        }
    }

    @Command(name = "set-blob-attribute", mixinStandardHelpOptions = true,
            description = "Set attribute pairs on a blob object this account owns (inserted or updated).")
    static final class Set implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions options;
        @Parameters(paramLabel = "OBJECT_ID", description = "The blob object.")
        String objectId;
        @Option(names = "--attr", arity = "2", paramLabel = "KEY VALUE", required = true,
                description = "A pair to set; repeat for more: --attr content-type text/html --attr lang en.")
        List<String> pairs;

        @Override
        public Integer call() throws java.io.IOException {
            Map<String, String> attributes = new LinkedHashMap<>();
            for (int i = 0; i < pairs.size(); i += 2) {
                attributes.put(pairs.get(i), pairs.get(i + 1));
            }
            ObjectId object = objectId(objectId);
            try (TuskClient client = options.connect()) {
                client.setAttribute(object, attributes);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(options.json ? ClientOptions.toJson(Map.of("objectId", object.toString(), "set", attributes))
                    : "set " + attributes.size() + " attribute pair(s) on blob object " + object);
            return 0;
        }
    }

    @Command(name = "get-blob-attribute", mixinStandardHelpOptions = true,
            description = "Print a blob object's attribute pairs.")
    static final class Get implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions options;
        @Parameters(paramLabel = "OBJECT_ID", description = "The blob object.")
        String objectId;

        @Override
        public Integer call() throws java.io.IOException {
            ObjectId object = objectId(objectId);
            Optional<BlobAttribute> attribute;
            try (TuskClient client = options.connect()) {
                attribute = client.attribute(object);
            }
            PrintWriter out = spec.commandLine().getOut();
            if (options.json) { // Walrus prints null for an object without attribute
                out.println(ClientOptions.toJson(attribute.map(BlobAttribute::pairs).orElse(null)));
            } else if (attribute.isEmpty()) {
                out.println("blob object " + object + " has no attribute");
            } else {
                out.println("attribute of blob object " + object + ":");
                attribute.get().pairs().forEach((key, value) -> out.println("  " + key + ": " + value));
            }
            return 0;
        }
    }

    @Command(name = "remove-blob-attribute-fields", mixinStandardHelpOptions = true,
            description = "Remove keys from a blob object's attribute.")
    static final class RemoveFields implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions options;
        @Parameters(paramLabel = "OBJECT_ID", description = "The blob object.")
        String objectId;
        @Option(names = "--keys", split = ",", paramLabel = "KEY[,KEY...]", required = true,
                description = "The keys to remove (each must be there).")
        List<String> keys;

        @Override
        public Integer call() throws java.io.IOException {
            ObjectId object = objectId(objectId);
            try (TuskClient client = options.connect()) {
                client.removeAttributeFields(object, keys);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(options.json ? ClientOptions.toJson(Map.of("objectId", object.toString(), "removed", keys))
                    : "removed " + keys.size() + " key(s) from the attribute of blob object " + object);
            return 0;
        }
    }

    @Command(name = "remove-blob-attribute", mixinStandardHelpOptions = true,
            description = "Remove a blob object's whole attribute.")
    static final class Remove implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ClientOptions options;
        @Parameters(paramLabel = "OBJECT_ID", description = "The blob object.")
        String objectId;

        @Override
        public Integer call() throws java.io.IOException {
            ObjectId object = objectId(objectId);
            try (TuskClient client = options.connect()) {
                client.removeAttribute(object);
            }
            PrintWriter out = spec.commandLine().getOut();
            out.println(options.json ? ClientOptions.toJson(Map.of("objectId", object.toString(), "removed", true))
                    : "removed the attribute of blob object " + object);
            return 0;
        }
    }
}
