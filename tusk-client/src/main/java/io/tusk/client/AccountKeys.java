package io.tusk.client;

import io.tusk.control.client.SecretFiles;
import io.tusk.core.crypto.Ed25519KeyPair;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Account key files: the 32-byte Ed25519 secret as 64 hex digits, created on first use, readable by the owner only. */
public final class AccountKeys {
    private AccountKeys() {}

    public static Ed25519KeyPair loadOrCreate(Path file) throws IOException {
        return SecretFiles.loadOrCreate(file, "account key", Ed25519KeyPair::fromSecret,
                () -> Ed25519KeyPair.generate(SecretFiles.random()), Ed25519KeyPair::secret);
    }

    public static Ed25519KeyPair load(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new IllegalArgumentException("no account key file at " + file);
        }
        return loadOrCreate(file);
    }
}
