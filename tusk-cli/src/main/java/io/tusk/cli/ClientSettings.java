package io.tusk.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.tusk.client.AccountKeys;
import io.tusk.client.ClientConfig;
import io.tusk.client.TuskClient;
import io.tusk.control.client.ControlUrls;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * The client configuration file ({@code client.yaml}): where the control plane is and which account key to use.
 * Found as {@code --config FILE}, else {@code $TUSK_CONFIG}, else {@code ~/.config/tusk/client.yaml}
 * ({@code $XDG_CONFIG_HOME/tusk/client.yaml}). The account key is created on first use.
 *
 * <pre>
 * controlUrl: http://127.0.0.1:9180                  # one control-plane replica, or a list:
 *                                                     # [http://h1:9180, http://h2:9180, http://h3:9180]
 * accountKeyFile: /home/me/.config/tusk/account.key   # optional; this is the default
 * </pre>
 */
record ClientSettings(List<URI> controlUrl, Path accountKeyFile) {
    private static final Set<String> KEYS = Set.of("controlUrl", "accountKeyFile");

    static Path configDirectory() {
        String xdg = System.getenv("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".config");
        return base.resolve("tusk");
    }

    static ClientSettings load(Path explicit) throws IOException {
        Path file = explicit;
        if (file == null && System.getenv("TUSK_CONFIG") != null && !System.getenv("TUSK_CONFIG").isBlank()) {
            file = Path.of(System.getenv("TUSK_CONFIG"));
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
        List<URI> controlUrl = ControlUrls.fromJson(root.get("controlUrl"), file + ": controlUrl");
        String key = root.path("accountKeyFile").asText("");
        Path keyFile = key.isBlank() ? configDirectory().resolve("account.key") : file.toAbsolutePath().getParent().resolve(key);
        return new ClientSettings(controlUrl, keyFile);
    }

    TuskClient connect() throws IOException {
        return new TuskClient(ClientConfig.of(controlUrl, AccountKeys.loadOrCreate(accountKeyFile)));
    }
}
