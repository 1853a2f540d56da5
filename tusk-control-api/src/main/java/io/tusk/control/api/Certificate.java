package io.tusk.control.api;

import java.util.List;
import java.util.Objects;

/**
 * The JSON form of a confirmation certificate: indices of the signers in the committee's member list (sorted by node
 * ID), the BCS bytes of the signed {@code StorageConfirmation} message, and the aggregate BLS signature (96 bytes).
 */
public record Certificate(List<Integer> signers, byte[] serializedMessage, byte[] signature) {
    public Certificate {
        signers = List.copyOf(Objects.requireNonNull(signers, "signers"));
        Objects.requireNonNull(serializedMessage, "serializedMessage");
        Objects.requireNonNull(signature, "signature");
        serializedMessage = serializedMessage.clone();
        signature = signature.clone();
    }

    @Override
    public byte[] serializedMessage() {
        return serializedMessage.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }
}
