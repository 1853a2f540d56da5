package io.tusk.control.state;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.control.api.CommandEnvelope;
import io.tusk.control.api.ControlJson;
import io.tusk.control.api.SignedCommand;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Ed25519PublicKey;
import io.tusk.core.hash.Blake2b256;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The authentication and envelope concern: a {@link SignedCommand} becomes an {@link AuthenticatedCommand} once its
 * size is within the limit, its Ed25519 signature verifies over the exact payload bytes, the payload parses as a
 * {@link CommandEnvelope}, the envelope is for this network (its chain ID) and its sender is the signing key's
 * address. Depends on nothing but the bytes and the chain ID, so it may run on any thread; thread-safe. The signature
 * check is {@link SignatureCheck}'s.
 */
final class CommandAuthenticator {
    /**
     * Validated keys kept: about 780 bytes each with AWS-LC's fast path (the JDK's key beside Bouncy Castle's point),
     * 12 MiB for all; 280 bytes without it (measured on 16,384 keys after a full GC).
     */
    static final int KEYS_KEPT = 16_384;

    private final ObjectMapper json = ControlJson.mapper();
    private final String chainId;
    /**
     * The validated keys of recent senders, least recently used out first. Decoding a key checks that it is a point of
     * full order, a scalar multiplication by the group order that costs about as much as the signature check itself
     * (a fifth of a replica's CPU in a profile of {@code ControlPlaneBenchmark}), and an account signs many commands
     * with one key. Only keys that passed are kept, so a bad key is refused every time.
     */
    private final Map<ByteBuffer, SignatureCheck.Key> keys;

    CommandAuthenticator(String chainId) {
        this(chainId, KEYS_KEPT);
    }

    CommandAuthenticator(String chainId, int keysKept) {
        this.chainId = chainId;
        this.keys = new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<ByteBuffer, SignatureCheck.Key> eldest) {
                return size() > keysKept;
            }
        };
    }

    AuthenticatedCommand authenticate(SignedCommand signed) throws Refusal {
        byte[] payload = signed.payload();
        if (payload.length > SignedCommand.MAX_PAYLOAD_BYTES) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "command payload is " + payload.length
                    + " bytes, the limit is " + SignedCommand.MAX_PAYLOAD_BYTES);
        }
        SignatureCheck.Key senderKey = key(signed.publicKey());
        Ed25519PublicKey key = senderKey.key();
        byte[] signature = signed.signature();
        if (signature.length != Ed25519PublicKey.SIGNATURE_LENGTH || !senderKey.verify(payload, signature)) {
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

    private SignatureCheck.Key key(byte[] bytes) throws Refusal {
        // a buffer over a copy, never written: equal, and hashed, by its bytes
        ByteBuffer id = ByteBuffer.wrap(bytes == null ? new byte[0] : bytes.clone());
        synchronized (keys) {
            SignatureCheck.Key kept = keys.get(id);
            if (kept != null) {
                return kept;
            }
        }
        SignatureCheck.Key key;
        try {
            key = SignatureCheck.of(Ed25519PublicKey.fromBytes(bytes));
        } catch (IllegalArgumentException e) {
            throw new Refusal(ErrorReason.INVALID_SIGNATURE, "bad public key: " + e.getMessage());
        }
        synchronized (keys) {
            keys.put(id, key);
        }
        return key;
    }

    /** Number of validated keys kept (for tests). */
    int keysKept() {
        synchronized (keys) {
            return keys.size();
        }
    }
}
