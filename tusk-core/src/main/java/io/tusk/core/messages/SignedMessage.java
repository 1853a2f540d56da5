package io.tusk.core.messages;

import io.tusk.core.bcs.BcsException;
import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.core.crypto.BlsSignature;

import java.util.Arrays;
import java.util.Base64;

/**
 * Serialized protocol-message bytes and a node's BLS signature over exactly those bytes.
 *
 * <p>JSON form {@code {"serializedMessage":"<std base64, padded>","signature":"<std base64>"}}: the TS client
 * compares {@code serializedMessage} as a string with its own padded base64, so {@link #serializedMessageBase64()}
 * is the one encoding to emit. BCS form: {@code serialized_message vec<u8> | signature [u8;96]}.
 * Equality is by content.
 *
 * @param serializedMessage the signed bytes (copied in and out)
 * @param signature the BLS signature over them
 */
public record SignedMessage(byte[] serializedMessage, BlsSignature signature) {
    /** Longest message {@link #fromBcs} accepts; Tusk's messages are under 100 bytes. */
    public static final int MAX_MESSAGE_LENGTH = 1 << 16;

    public SignedMessage {
        if (serializedMessage == null || signature == null) {
            throw new IllegalArgumentException("a signed message needs message bytes and a signature");
        }
        serializedMessage = serializedMessage.clone();
    }

    /** Builds from the two JSON strings (standard base64). */
    public static SignedMessage fromBase64(String serializedMessage, String signature) {
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(serializedMessage);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("serializedMessage is not standard base64", e);
        }
        return new SignedMessage(bytes, BlsSignature.fromBase64(signature));
    }

    @Override
    public byte[] serializedMessage() {
        return serializedMessage.clone();
    }

    /** Whether {@code key} signed exactly these bytes. Never throws. */
    public boolean verify(BlsPublicKey key) {
        return key != null && key.verify(serializedMessage, signature);
    }

    /** Parses the signed bytes as a protocol message (does not verify the signature). */
    public ProtocolMessage message() {
        return ProtocolMessage.fromBcs(serializedMessage);
    }

    /** Standard base64 with padding of the message bytes. */
    public String serializedMessageBase64() {
        return Base64.getEncoder().encodeToString(serializedMessage);
    }

    /** Standard base64 with padding of the 96 signature bytes. */
    public String signatureBase64() {
        return signature.toBase64();
    }

    /** {@code {"serializedMessage":"…","signature":"…"}}; base64 needs no JSON escaping. */
    public String toJson() {
        return "{\"serializedMessage\":\"" + serializedMessageBase64() + "\",\"signature\":\"" + signatureBase64()
                + "\"}";
    }

    public byte[] toBcs() {
        return new BcsWriter(serializedMessage.length + 3 + BlsSignature.LENGTH)
                .bytes(serializedMessage)
                .fixedBytes(signature.bytes())
                .toByteArray();
    }

    /** Parses the BCS form strictly (a valid G2 signature, no trailing bytes). */
    public static SignedMessage fromBcs(byte[] bytes) {
        BcsReader in = new BcsReader(bytes);
        byte[] message = in.bytes(MAX_MESSAGE_LENGTH);
        int signatureOffset = in.position();
        BlsSignature signature;
        try {
            signature = BlsSignature.fromBytes(in.fixedBytes(BlsSignature.LENGTH));
        } catch (BcsException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new BcsException("signed message at offset " + signatureOffset + ": " + e.getMessage(),
                    signatureOffset);
        }
        in.expectEnd();
        return new SignedMessage(message, signature);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SignedMessage other && Arrays.equals(serializedMessage, other.serializedMessage)
                && signature.equals(other.signature);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(serializedMessage) + signature.hashCode();
    }

    @Override
    public String toString() {
        return "SignedMessage" + toJson();
    }
}
