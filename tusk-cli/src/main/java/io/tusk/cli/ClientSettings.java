package io.tusk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tusk.client.AccountKeys;
import io.tusk.client.ClientConfig;
import io.tusk.client.TuskClient;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Set;

/**
 * The client configuration file ({@code client.yaml}): where the control plane is and which account key to use.
 * Found as {@code --config FILE}, else {@code $TUSK_CONFIG}, else {@code ~/.config/tusk/client.yaml}
 * ({@code $XDG_CONFIG_HOME/tusk/client.yaml}). The account key is created on first use.
 *
 * <pre>
 * controlUrl: http://127.0.0.1:9180
 * accountKeyFile: /home/me/.config/tusk/account.key   # optional; this is the default
 * </pre>
 */
record ClientSettings(URI controlUrl, Path accountKeyFile) {
    private static final Set<String> KEYS = Set.of("controlUrl", "accountKeyFile");

    /** The caller's configuration directory (its environment: the client daemon runs commands of other processes). */
    static Path configDirectory() {
        Invocation caller = Invocation.current();
        String xdg = caller.env("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? caller.resolve(Path.of(xdg)) : caller.home().resolve(".config");
        return base.resolve("tusk");
    }

    static ClientSettings load(Path explicit) throws IOException {
        Invocation caller = Invocation.current();
        Path file = explicit == null ? null : caller.resolve(explicit);
        String fromEnvironment = caller.env("TUSK_CONFIG");
        if (file == null && fromEnvironment != null && !fromEnvironment.isBlank()) {
            file = caller.resolve(Path.of(fromEnvironment));
        }
        if (file == null) {
            file = configDirectory().resolve("client.yaml");
        }
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("no client configuration at " + file
                    + "; start a devnet ('tusk devnet') and pass its client.yaml with --config, or set TUSK_CONFIG");
        }
        JsonNode root = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException(file + " must be a YAML mapping with controlUrl");
        }
        for (Iterator<String> names = root.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KEYS.contains(name)) {
                throw new IllegalArgumentException(file + ": unknown key '" + name + "' (known: " + KEYS + ")");
            }
        }
        String url = root.path("controlUrl").asText("");
        if (url.isBlank()) {
            throw new IllegalArgumentException(file + ": controlUrl is required");
        }
        URI controlUrl;
        try {
            controlUrl = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": controlUrl '" + url + "' is not a URL");
        }
        String key = root.path("accountKeyFile").asText("");
        Path keyFile = key.isBlank() ? configDirectory().resolve("account.key") : file.toAbsolutePath().getParent().resolve(key);
        return new ClientSettings(controlUrl, keyFile);
    }

    TuskClient connect() throws IOException {
        return new TuskClient(ClientConfig.of(controlUrl, AccountKeys.loadOrCreate(accountKeyFile)));
    }
}
