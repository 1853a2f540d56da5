package io.tusk.cli;

import io.tusk.client.AccountKeys;
import io.tusk.client.ClientConfig;
import io.tusk.client.TuskClient;
import io.tusk.http.ConfigFile;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The client configuration file ({@code client.yaml}): where the control plane is, which account key to use, and the
 * cache of blobs read. Found as {@code --config FILE}, else {@code $TUSK_CONFIG}, else
 * {@code ~/.config/tusk/client.yaml} ({@code $XDG_CONFIG_HOME/tusk/client.yaml}). The account key is created on first
 * use.
 *
 * <pre>
 * controlUrl: http://127.0.0.1:9180
 * accountKeyFile: /home/me/.config/tusk/account.key   # optional; this is the default
 * cacheDir: /home/me/.cache/tusk/blobs                # optional; default $XDG_CACHE_HOME/tusk/blobs
 * cacheBytes: 1073741824                              # optional; blobs read are kept and read again offline; 0 = off
 * </pre>
 */
record ClientSettings(URI controlUrl, Path accountKeyFile, Path cacheDirectory, long cacheBytes) {
    /** Default size of the cache of blobs read: 1 GiB. */
    static final long DEFAULT_CACHE_BYTES = 1L << 30;

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
        return ConfigFile.read(file, FileForm.class).toSettings(file);
    }

    /** {@code client.yaml} as written, bound by Jackson ({@link ConfigFile}); absent keys are null. */
    record FileForm(String controlUrl, String accountKeyFile, String cacheDir, Long cacheBytes) {
        ClientSettings toSettings(Path file) {
            if (controlUrl == null || controlUrl.isBlank()) {
                throw new IllegalArgumentException(file + ": controlUrl is required");
            }
            URI control;
            try {
                control = URI.create(controlUrl);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ": controlUrl '" + controlUrl + "' is not a URL");
            }
            Path base = file.toAbsolutePath().getParent();
            Path keyFile = accountKeyFile == null || accountKeyFile.isBlank() ? configDirectory().resolve("account.key")
                    : base.resolve(accountKeyFile);
            Path cacheDirectory = cacheDir == null || cacheDir.isBlank() ? cacheHome().resolve("blobs")
                    : base.resolve(cacheDir);
            long bytes = cacheBytes == null ? DEFAULT_CACHE_BYTES : cacheBytes;
            if (bytes < 0) {
                throw new IllegalArgumentException(file + ": cacheBytes must be a number of bytes >= 0 (0 = no cache), got "
                        + bytes);
            }
            return new ClientSettings(control, keyFile, cacheDirectory, bytes);
        }
    }

    /** The caller's cache directory for Tusk: {@code $XDG_CACHE_HOME/tusk}, else {@code ~/.cache/tusk}. */
    static Path cacheHome() {
        Invocation caller = Invocation.current();
        String xdg = caller.env("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? caller.resolve(Path.of(xdg)) : caller.home().resolve(".cache");
        return base.resolve("tusk");
    }

    /** A client of this configuration; {@code cached}: with the cache of blobs read, if the configuration has one. */
    TuskClient connect(boolean cached) throws IOException {
        ClientConfig config = ClientConfig.of(controlUrl, AccountKeys.loadOrCreate(accountKeyFile));
        return new TuskClient(cached && cacheBytes > 0 ? config.withBlobCache(cacheDirectory, cacheBytes) : config);
    }
}
