package io.tusk.control.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Key files of accounts (Ed25519) and nodes (BLS): the secret as 64 hex digits on one line, created on first use with
 * owner-only permissions. One format and one code path for the CLI, the SDK and the nodes.
 */
public final class SecretFiles {
    private SecretFiles() {}

    /**
     * Reads the key in {@code file}, or generates one with {@code generate}, writes its {@code secret} and returns it.
     *
     * @param what   the key's kind for error messages ("BLS key", "account key")
     * @param parse  makes a key from the 32 secret bytes; throws IllegalArgumentException for a bad secret
     * @throws IllegalArgumentException naming the file if it does not hold a valid secret
     */
    public static <K> K loadOrCreate(Path file, String what, Function<byte[], K> parse, Supplier<K> generate,
                                     Function<K, byte[]> secret) throws IOException {
        if (Files.exists(file)) {
            return read(file, what, parse);
        }
        K key = generate.get();
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, HexFormat.of().formatHex(secret.apply(key)) + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // keep the file system's default permissions
        }
        return key;
    }

    /**
     * Reads the key in {@code file}, which must exist: for commands that act for a key made earlier, where a mistyped
     * path must not quietly create a new key.
     *
     * @throws IllegalArgumentException naming the file if it is missing or does not hold a valid secret
     */
    public static <K> K load(Path file, String what, Function<byte[], K> parse) throws IOException {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no " + what + " file at " + file);
        }
        return read(file, what, parse);
    }

    private static <K> K read(Path file, String what, Function<byte[], K> parse) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).trim();
        try {
            return parse.apply(HexFormat.of().parseHex(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " file " + file + " must hold 64 hex digits of a secret: "
                    + e.getMessage(), e);
        }
    }

    /** One random generator for all key generation. */
    public static SecureRandom random() {
        return RANDOM;
    }

    private static final SecureRandom RANDOM = new SecureRandom();
}
