package io.tusk.client;

import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.core.crypto.Address;
import io.tusk.core.encoding.EncodingConfig;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An upload relay's tip, in Walrus's {@code /v1/tip-config} shapes (docs/upload-relay.md): {@code "no_tip"}, or
 * {@code {"send_tip": {"address": "0x…", "kind": {"const": N}}}}, or {@code {"send_tip": {"address": "0x…", "kind":
 * {"linear": {"base": B, "encoded_size_mul_per_kib": M}}}}} (B + M per KiB of the encoded blob, rounded up, as
 * Walrus's relay computes it). Also the binding of a payment to one upload, shared by the relay that checks it and
 * the client that pays: the transfer's memo is {@code SHA-256(blob) ‖ SHA-256(nonce) ‖ unencoded length (u64 LE)},
 * Walrus's tip transaction's first input, 72 bytes.
 *
 * @param kind {@code NONE} ({@code "no_tip"}), {@code CONST} or {@code LINEAR}
 * @param address who is paid ({@code 0x…}); null for {@code NONE}, and in a relay's configuration that leaves it to
 *                the relay's own account ({@link #withAddress})
 * @param constant the tip of {@code const}, or the {@code base} of {@code linear}
 * @param perEncodedKib {@code linear}'s {@code encoded_size_mul_per_kib}; 0 otherwise
 */
public record RelayTip(Kind kind, String address, long constant, long perEncodedKib) {
    /** Walrus's {@code TipKind}, and no tip. */
    public enum Kind { NONE, CONST, LINEAR }

    /** A relay that asks no tip ({@code "no_tip"}). */
    public static final RelayTip NONE = new RelayTip(Kind.NONE, null, 0, 0);
    /** The length of a payment's memo: two SHA-256 digests and a u64. */
    public static final int MEMO_BYTES = 32 + 32 + 8;
    /** The longest nonce a relay accepts (Walrus's clients send 32 random bytes). */
    public static final int MAX_NONCE_BYTES = 64;

    public RelayTip {
        java.util.Objects.requireNonNull(kind, "kind");
        if (address != null) {
            address = Address.parse(address).toString();
        }
        if (constant < 0 || perEncodedKib < 0) {
            throw new IllegalArgumentException("a tip is not negative, got " + constant + " and " + perEncodedKib
                    + " per KiB");
        }
        if (kind != Kind.LINEAR && perEncodedKib != 0) {
            throw new IllegalArgumentException("only a linear tip has a per-KiB part");
        }
        if (kind == Kind.NONE && (address != null || constant != 0)) {
            throw new IllegalArgumentException("no_tip has no address and no amount");
        }
    }

    /** A constant tip paid to {@code address} (null in a relay's configuration: its own account). */
    public static RelayTip constant(String address, long amount) {
        return new RelayTip(Kind.CONST, address, amount, 0);
    }

    /** A tip of {@code base} plus {@code perEncodedKib} per KiB of the encoded blob (address as {@link #constant}). */
    public static RelayTip linear(String address, long base, long perEncodedKib) {
        return new RelayTip(Kind.LINEAR, address, base, perEncodedKib);
    }

    /** Whether the relay asks a tip. */
    public boolean required() {
        return kind != Kind.NONE;
    }

    /** This tip with {@code address} as the recipient (a relay's default: its own account). */
    public RelayTip withAddress(String recipient) {
        return required() ? new RelayTip(kind, recipient, constant, perEncodedKib) : this;
    }

    /**
     * The tip for a blob of {@code unencodedLength} bytes on a committee of {@code shards} shards (0 for
     * {@link #NONE}).
     *
     * @throws ArithmeticException if it does not fit in a long
     */
    public long amountFor(long unencodedLength, int shards) {
        if (!required()) {
            return 0;
        }
        if (kind == Kind.CONST) {
            return constant;
        }
        long encoded = new EncodingConfig(shards).encodedSize(unencodedLength);
        long kib = Math.ceilDiv(encoded, 1024L);
        return Math.addExact(constant, Math.multiplyExact(kib, perEncodedKib));
    }

    /** Walrus's {@code TipConfig} JSON, as {@code GET /v1/tip-config} answers it. */
    public Object toJson() {
        if (!required()) {
            return "no_tip";
        }
        Map<String, Object> form = new LinkedHashMap<>();
        if (kind == Kind.LINEAR) {
            Map<String, Object> linear = new LinkedHashMap<>();
            linear.put("base", constant);
            linear.put("encoded_size_mul_per_kib", perEncodedKib);
            form.put("linear", linear);
        } else {
            form.put("const", constant);
        }
        Map<String, Object> sendTip = new LinkedHashMap<>();
        sendTip.put("address", address);
        sendTip.put("kind", form);
        return Map.of("send_tip", sendTip);
    }

    /**
     * Reads Walrus's {@code TipConfig} JSON ({@link #toJson}); {@code address} may be absent (null) only where
     * {@code addressRequired} is false (a relay's configuration, which defaults it to the relay's account).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public static RelayTip fromJson(JsonNode json, boolean addressRequired) {
        if (json == null || json.isNull() || json.isMissingNode()
                || (json.isTextual() && json.asText().equals("no_tip"))) {
            return NONE;
        }
        JsonNode sendTip = json.path("send_tip");
        if (!json.isObject() || json.size() != 1 || !sendTip.isObject()) {
            throw new IllegalArgumentException("a tip config is \"no_tip\" or {\"send_tip\": {...}}, got " + json);
        }
        JsonNode address = sendTip.path("address");
        if (!address.isMissingNode() && !address.isNull() && !address.isTextual()) {
            throw new IllegalArgumentException("send_tip.address must be a string (quote a 0x… address in YAML, "
                    + "which reads it as a number otherwise), got " + address);
        }
        if (addressRequired && !address.isTextual()) {
            throw new IllegalArgumentException("send_tip has no address to pay");
        }
        String recipient = address.isTextual() ? address.asText() : null;
        JsonNode kind = sendTip.path("kind");
        if (kind.isObject() && kind.size() == 1 && kind.has("const")) {
            return constant(recipient, amount(kind.path("const"), "const"));
        }
        JsonNode linear = kind.path("linear");
        if (kind.isObject() && kind.size() == 1 && linear.isObject()) {
            return linear(recipient, amount(linear.path("base"), "linear.base"),
                    amount(linear.path("encoded_size_mul_per_kib"), "linear.encoded_size_mul_per_kib"));
        }
        throw new IllegalArgumentException("send_tip.kind is {\"const\": N} or {\"linear\": {\"base\": B, "
                + "\"encoded_size_mul_per_kib\": M}}, got " + kind);
    }

    private static long amount(JsonNode node, String what) {
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.asLong() < 0) {
            throw new IllegalArgumentException(what + " must be a non-negative integer, got " + node);
        }
        return node.asLong();
    }

    /** The memo binding a payment to one upload: {@code SHA-256(blob) ‖ SHA-256(nonce) ‖ length (u64 LE)}. */
    public static byte[] memo(byte[] blobDigest, byte[] nonce, long unencodedLength) {
        if (blobDigest.length != 32) {
            throw new IllegalArgumentException("a blob digest is 32 bytes (SHA-256)");
        }
        return ByteBuffer.allocate(MEMO_BYTES).order(ByteOrder.LITTLE_ENDIAN).put(blobDigest).put(sha256(nonce))
                .putLong(unencodedLength).array();
    }

    /** Whether {@code memo} binds the upload of {@code unencodedLength} bytes with {@code nonce} (not the blob yet). */
    public static boolean memoNamesNonceAndLength(byte[] memo, byte[] nonce, long unencodedLength) {
        if (memo.length != MEMO_BYTES) {
            return false;
        }
        ByteBuffer in = ByteBuffer.wrap(memo).order(ByteOrder.LITTLE_ENDIAN);
        return Arrays.equals(Arrays.copyOfRange(memo, 32, 64), sha256(nonce)) && in.getLong(64) == unencodedLength;
    }

    /** The blob digest a memo names (its first 32 bytes). */
    public static byte[] memoBlobDigest(byte[] memo) {
        return Arrays.copyOf(memo, 32);
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    static byte[] sha256(byte[] bytes) {
        return sha256().digest(bytes);
    }
}
