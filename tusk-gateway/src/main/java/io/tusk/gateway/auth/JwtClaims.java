package io.tusk.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Address;
import io.tusk.http.TuskJson;

import java.io.IOException;

/**
 * The claims of a publisher JWT, as Walrus's publisher reads them (RFC 7519 plus Walrus's storage limits). Other
 * claims ({@code sub}, {@code aud}, ...) are allowed and ignored.
 *
 * @param iat issued at, Unix seconds, or {@code null}
 * @param exp expires at, Unix seconds (required)
 * @param jti the token's unique ID, or {@code null}; required when uploads are verified (a token is accepted once)
 * @param sendObjectTo the address the stored blob object must be sent to, or {@code null}
 * @param epochs the exact number of epochs to store for, or {@code null}
 * @param maxEpochs the most epochs to store for, or {@code null}
 * @param size the exact request body size in bytes, or {@code null}
 * @param maxSize the largest request body size in bytes, or {@code null}
 */
public record JwtClaims(Long iat, long exp, String jti, Address sendObjectTo, Integer epochs, Integer maxEpochs,
                        Long size, Long maxSize) {

    /**
     * Parses a token's payload.
     *
     * @throws JwtRefusal {@code INVALID_TOKEN} naming the claim at fault: not a JSON object, {@code exp}
     *     missing, a claim of the wrong type or out of range
     */
    static JwtClaims parse(byte[] payload) {
        JsonNode root;
        try {
            root = TuskJson.mapper().readTree(payload);
        } catch (IOException e) {
            throw invalid("its claims are not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid("its claims are not a JSON object");
        }
        Long exp = integer(root, "exp", Long.MIN_VALUE, Long.MAX_VALUE);
        if (exp == null) {
            throw invalid("it has no 'exp' (expiry) claim");
        }
        JsonNode jti = root.get("jti");
        if (jti != null && !jti.isNull() && (!jti.isTextual() || jti.asText().isEmpty())) {
            throw invalid("its 'jti' (token ID) claim is not a non-empty string");
        }
        Address sendObjectTo = null;
        JsonNode send = root.get("send_object_to");
        if (send != null && !send.isNull()) {
            if (!send.isTextual()) {
                throw invalid("its 'send_object_to' claim is not a string");
            }
            try {
                sendObjectTo = Address.parse(send.asText());
            } catch (IllegalArgumentException e) {
                throw invalid("its 'send_object_to' claim is not an address: " + e.getMessage());
            }
        }
        Long epochs = integer(root, "epochs", 0, 0xFFFF_FFFFL);
        Long maxEpochs = integer(root, "max_epochs", 0, 0xFFFF_FFFFL);
        return new JwtClaims(integer(root, "iat", Long.MIN_VALUE, Long.MAX_VALUE), exp,
                jti == null || jti.isNull() ? null : jti.asText(), sendObjectTo,
                epochs == null ? null : (int) Math.min(Integer.MAX_VALUE, epochs),
                maxEpochs == null ? null : (int) Math.min(Integer.MAX_VALUE, maxEpochs),
                integer(root, "size", 0, Long.MAX_VALUE), integer(root, "max_size", 0, Long.MAX_VALUE));
    }

    /** An optional integer claim in {@code [min, max]}; {@code null} when absent or JSON null. */
    private static Long integer(JsonNode root, String name, long min, long max) {
        JsonNode node = root.get(name);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw invalid("its '" + name + "' claim is not an integer: " + node);
        }
        long value = node.asLong();
        if (value < min || value > max) {
            throw invalid("its '" + name + "' claim " + value + " is out of range [" + min + ", " + max + "]");
        }
        return value;
    }

    private static JwtRefusal invalid(String why) {
        return new JwtRefusal(ErrorReason.INVALID_TOKEN, "the JWT is invalid: " + why);
    }
}
