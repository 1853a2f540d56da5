package io.tusk.control.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.control.api.CommandEnvelope;
import io.tusk.control.api.ControlJson;
import io.tusk.control.api.SignedCommand;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Ed25519PublicKey;
import io.tusk.core.hash.Blake2b256;

import java.io.IOException;

/**
 * The authentication and envelope concern: a {@link SignedCommand} becomes an {@link AuthenticatedCommand} once its
 * size is within the limit, its Ed25519 signature verifies over the exact payload bytes, the payload parses as a
 * {@link CommandEnvelope}, the envelope is for this network (its chain ID) and its sender is the signing key's
 * address. Depends on nothing but the bytes and the chain ID, so it may run on any thread; thread-safe.
 */
final class CommandAuthenticator {
    private final ObjectMapper json = ControlJson.mapper();
    private final String chainId;

    CommandAuthenticator(String chainId) {
        this.chainId = chainId;
    }

    AuthenticatedCommand authenticate(SignedCommand signed) throws Refusal {
        byte[] payload = signed.payload();
        if (payload.length > SignedCommand.MAX_PAYLOAD_BYTES) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "command payload is " + payload.length
                    + " bytes, the limit is " + SignedCommand.MAX_PAYLOAD_BYTES);
        }
        Ed25519PublicKey key;
        try {
            key = Ed25519PublicKey.fromBytes(signed.publicKey());
        } catch (IllegalArgumentException e) {
            throw new Refusal(ErrorReason.INVALID_SIGNATURE, "bad public key: " + e.getMessage());
        }
        byte[] signature = signed.signature();
        if (signature.length != Ed25519PublicKey.SIGNATURE_LENGTH || !key.verify(payload, signature)) {
            throw new Refusal(ErrorReason.INVALID_SIGNATURE,
                    "the signature does not verify over the payload with key " + key.toBase64());
        }
        CommandEnvelope envelope;
        try {
            envelope = json.readValue(payload, CommandEnvelope.class);
        } catch (IOException e) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "payload is not a valid command envelope: "
                    + Text.firstLine(e.getMessage()));
        }
        if (!chainId.equals(envelope.chainId())) {
            throw new Refusal(ErrorReason.WRONG_CHAIN, "the command is signed for chain "
                    + Text.abbreviate(envelope.chainId()) + ", this network is chain " + chainId);
        }
        String sender = key.address().toString();
        if (!sender.equals(envelope.sender())) {
            throw new Refusal(ErrorReason.INVALID_SIGNATURE, "sender " + envelope.sender()
                    + " is not the address of the signing key, " + sender);
        }
        return new AuthenticatedCommand(sender, envelope.nonce(), envelope.command(), Blake2b256.hash(payload));
    }
}
