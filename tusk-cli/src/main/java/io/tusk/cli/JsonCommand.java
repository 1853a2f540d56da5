package io.tusk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tusk json [JSON]}: Walrus's JSON mode. One JSON command in (the argument, or standard input), the command's
 * JSON result out: {@code {"config": "client.yaml", "command": {"store": {"files": ["a.txt"], "epochs": 2}}}}.
 * The command is named in camelCase ({@code blobStatus} is {@code blob-status}); each field is the option of that
 * name ({@code chunkSize} is {@code --chunk-size}; {@code true} turns a flag on), or the positional parameter whose
 * label it names ({@code files} or {@code file} for {@code FILE}, {@code blobId} for {@code BLOB_ID}); an object
 * gives a two-value option one pair per entry ({@code "attr": {"content-type": "text/html"}}). The mapping reads
 * the commands' own definitions, so every command takes part without a list to keep up to date. Subcommands nest at
 * every level, as Walrus's {@code "command"} field or by name: {@code {"command": {"space": {"put": {"name": "notes",
 * "key": "a", "file": "a.txt"}}}}} is {@code tusk space put --json -- notes a a.txt}.
 */
@Command(name = "json", mixinStandardHelpOptions = true,
        description = "Run one command given as JSON (Walrus's 'walrus json'); prints its JSON result.")
final class JsonCommand implements Callable<Integer> {
    /** Standard input larger than this is refused (a command is small). */
    private static final int MAX_INPUT_BYTES = 1 << 20;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "JSON", arity = "0..1", description = "The command as JSON; read from standard input if absent.")
    String text;

    @Override
    public Integer call() throws IOException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(text != null ? text : readStandardInput());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("the input is not JSON: " + e.getOriginalMessage());
        }
        List<String> args = arguments(root, spec.root().commandLine());
        // A command line of its own, with the CLI's error handling: one clear line and the command's exit code.
        return Main.run(spec.commandLine().getOut(), spec.commandLine().getErr(), args.toArray(String[]::new));
    }

    private static String readStandardInput() throws IOException {
        InputStream in = Invocation.current().in();
        byte[] bytes = in.readNBytes(MAX_INPUT_BYTES + 1);
        if (bytes.length > MAX_INPUT_BYTES) {
            throw new IllegalArgumentException("the JSON command is larger than " + MAX_INPUT_BYTES + " bytes");
        }
        return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The command line {@code root} describes, for the CLI whose top command is {@code cli}. */
    static List<String> arguments(JsonNode root, CommandLine cli) {
        if (root == null || !root.isObject() || !root.path("command").isObject() || root.path("command").size() != 1) {
            throw new IllegalArgumentException("expected {\"command\": {\"<name>\": {...}}} with one command");
        }
        String config = root.has("config") ? scalar(root.get("config"), "config") : null;
        List<String> args = new ArrayList<>();
        appendCommand(args, cli, root.path("command"), config);
        return args;
    }

    /**
     * Appends the subcommand of {@code parent} that {@code named} ({@code {"<name>": {fields}}}) names, its options,
     * and then either its own subcommand or its positional parameters. A command with subcommands takes one of them
     * as Walrus's JSON does, under {@code "command"} ({@code {"info": {"command": {"epoch": {}}}}}), or directly by
     * its name ({@code {"space": {"put": {...}}}}); {@code --config} and {@code --json} go to the innermost command.
     */
    private static void appendCommand(List<String> args, CommandLine parent, JsonNode named, String config) {
        if (!named.isObject() || named.size() != 1) {
            throw new IllegalArgumentException("'" + parent.getCommandName() + "' takes one subcommand as "
                    + "{\"<name>\": {...}}");
        }
        Map.Entry<String, JsonNode> command = named.properties().iterator().next();
        String name = kebab(command.getKey());
        CommandLine sub = parent.getSubcommands().get(name);
        if (sub == null || name.equals("json") || name.equals("help")) {
            throw new IllegalArgumentException("unknown command '" + command.getKey() + "'"
                    + (parent.getParent() == null ? "" : " of '" + parent.getCommandName() + "'"));
        }
        CommandSpec target = sub.getCommandSpec();
        JsonNode fields = command.getValue();
        if (!fields.isObject() && !fields.isNull()) {
            throw new IllegalArgumentException("the fields of '" + command.getKey() + "' must be an object");
        }
        List<String> options = new ArrayList<>();
        Map<PositionalParamSpec, List<String>> positionals = new java.util.LinkedHashMap<>();
        JsonNode nested = null;
        for (Iterator<Map.Entry<String, JsonNode>> it = fields.properties().iterator(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            JsonNode subcommand = subcommandIn(sub, field);
            if (subcommand != null) {
                if (nested != null) {
                    throw new IllegalArgumentException("'" + command.getKey() + "' takes one subcommand");
                }
                nested = subcommand;
                continue;
            }
            ArgSpec arg = find(target, field.getKey());
            if (arg instanceof OptionSpec option) {
                addOption(options, option, field.getValue(), field.getKey());
            } else {
                addValues(positionals.computeIfAbsent((PositionalParamSpec) arg, p -> new ArrayList<>()),
                        field.getValue(), field.getKey());
            }
        }
        args.add(name);
        args.addAll(options);
        if (nested != null) {
            if (!positionals.isEmpty()) {
                throw new IllegalArgumentException("'" + command.getKey() + "' takes a subcommand or parameters, not both");
            }
            appendCommand(args, sub, nested, config);
            return;
        }
        if (config != null) {
            args.addAll(List.of("--config", config));
        }
        if (target.findOption("--json") != null && !options.contains("--json")) {
            args.add("--json");
        }
        args.add("--"); // positionals that start with '-' stay positionals
        for (PositionalParamSpec positional : target.positionalParameters()) { // in index order, whatever the JSON's
            args.addAll(positionals.getOrDefault(positional, List.of()));
        }
    }

    /** The {@code {"<name>": {...}}} of a subcommand if {@code field} names one of {@code command}'s, else null. */
    private static JsonNode subcommandIn(CommandLine command, Map.Entry<String, JsonNode> field) {
        if (command.getSubcommands().isEmpty()) {
            return null;
        }
        CommandSpec spec = command.getCommandSpec();
        if (field.getKey().equals("command") && spec.findOption("--command") == null) {
            return field.getValue();
        }
        String name = kebab(field.getKey());
        if (command.getSubcommands().containsKey(name) && spec.findOption("--" + name) == null) {
            return new ObjectMapper().createObjectNode().set(field.getKey(), field.getValue());
        }
        return null;
    }

    private static ArgSpec find(CommandSpec target, String field) {
        OptionSpec option = target.findOption("--" + kebab(field));
        if (option != null) {
            return option;
        }
        for (PositionalParamSpec positional : target.positionalParameters()) {
            String label = camel(positional.paramLabel());
            if (label.equals(field) || (label + "s").equals(field)) {
                return positional;
            }
        }
        throw new IllegalArgumentException("'" + target.name() + "' has no option or parameter '" + field + "'");
    }

    private static void addOption(List<String> out, OptionSpec option, JsonNode value, String field) {
        String flag = option.longestName();
        if (value.isBoolean() && (option.type() == boolean.class || option.type() == Boolean.class)) {
            if (value.booleanValue()) {
                out.add(flag);
            }
            return;
        }
        if (value.isObject() && option.arity().min() == 2) {
            value.properties().forEach(pair -> {
                out.add(flag);
                out.add(pair.getKey());
                out.add(scalar(pair.getValue(), field + "." + pair.getKey()));
            });
            return;
        }
        if (value.isArray()) {
            List<String> values = new ArrayList<>();
            addValues(values, value, field);
            if (option.splitRegex() != null && !option.splitRegex().isEmpty()) {
                out.add(flag);
                out.add(String.join(",", values));
            } else {
                for (String item : values) {
                    out.add(flag);
                    out.add(item);
                }
            }
            return;
        }
        out.add(flag);
        out.add(scalar(value, field));
    }

    private static void addValues(List<String> out, JsonNode value, String field) {
        if (value.isArray()) {
            value.forEach(item -> out.add(scalar(item, field)));
        } else {
            out.add(scalar(value, field));
        }
    }

    private static String scalar(JsonNode value, String field) {
        if (value == null || !value.isValueNode() || value.isNull()) {
            throw new IllegalArgumentException("'" + field + "' must be a string, number or boolean");
        }
        return value.asText();
    }

    /** {@code blobStatus} → {@code blob-status}. */
    static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
    }

    /** {@code BLOB_ID} → {@code blobId}; {@code FILE} → {@code file}. */
    static String camel(String label) {
        String[] words = label.replaceAll("[^A-Za-z0-9_]", "").toLowerCase(Locale.ROOT).split("_");
        StringBuilder out = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            if (!words[i].isEmpty()) {
                out.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
            }
        }
        return out.toString();
    }
}
