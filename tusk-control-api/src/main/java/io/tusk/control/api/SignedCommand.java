package io.tusk.control.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * A command as submitted: the UTF-8 JSON bytes of a {@link CommandEnvelope}, the sender's Ed25519 public key (32
 * bytes) and its signature (64 bytes) over exactly {@code payload}. JSON: each field standard base64.
 *
 * <p>The payload is kept as bytes, never re-serialized, so no canonical JSON is needed. The journal stores the JSON of
 * this record.
 */
public record SignedCommand(byte[] payload, byte[] publicKey, byte[] signature) {
    /** A payload larger than this is refused before parsing; commands are small. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    public SignedCommand {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(publicKey, "publicKey");
        Objects.requireNonNull(signature, "signature");
        payload = payload.clone();
        publicKey = publicKey.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedCommand other && Arrays.equals(payload, other.payload)
                && Arrays.equals(publicKey, other.publicKey) && Arrays.equals(signature, other.signature);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(payload) + Arrays.hashCode(publicKey)) + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "SignedCommand[payload=" + payload.length + " bytes]";
    }
}
