package io.tusk.client;

import io.tusk.core.crypto.Ed25519KeyPair;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Account key files: the 32-byte Ed25519 secret as 64 hex digits, created on first use, readable by the owner only. */
public final class AccountKeys {
    private AccountKeys() {}

    public static Ed25519KeyPair loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return load(file);
        }
        Ed25519KeyPair key = Ed25519KeyPair.generate(new SecureRandom());
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, HexFormat.of().formatHex(key.secret()) + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException notPosix) {
            // keep the file system's default permissions
        }
        return key;
    }

    public static Ed25519KeyPair load(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8).trim();
        try {
            return Ed25519KeyPair.fromSecret(HexFormat.of().parseHex(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("account key file " + file + " must hold 64 hex digits of an Ed25519 secret");
        }
    }
}
