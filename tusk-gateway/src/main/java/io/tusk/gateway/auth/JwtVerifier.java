package io.tusk.gateway.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.core.api.ErrorReason;
import io.tusk.http.TuskJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Checks a JWT in the JWS compact form ({@code header.payload.signature}, RFC 7515 section 7.1) against one key
 * and one algorithm. The header's {@code alg} must be that algorithm: a token cannot choose a weaker one (or
 * {@code none}), and a public key is never used as an HMAC secret. A header with {@code crit} is refused (no
 * extension is understood). Without a key (Walrus's "decode without verifying", for a publisher behind a gateway
 * that already checked the signature) the signature is not checked, everything else is. Thread-safe.
 */
final class JwtVerifier {
    /** Longer tokens are refused before any decoding (Jetty's header limit is 8 KiB anyway). */
    static final int MAX_TOKEN_CHARS = 8192;

    private final JwtAlgorithm algorithm;
    private final JwtKey key;

    /** @param key the key, or {@code null} to skip the signature check */
    JwtVerifier(JwtAlgorithm algorithm, JwtKey key) {
        if (key != null && key.algorithm() != algorithm) {
            throw new IllegalArgumentException("a " + key.algorithm() + " key cannot check " + algorithm + " tokens");
        }
        this.algorithm = algorithm;
        this.key = key;
    }

    /**
     * The payload of {@code token} once its form, header and signature are checked.
     *
     * @throws JwtRefusal {@code INVALID_TOKEN} for a malformed token or header, another {@code alg} or a
     *     {@code crit} header; {@code INVALID_SIGNATURE} for a signature that does not verify
     */
    byte[] verifiedPayload(String token) {
        if (token.length() > MAX_TOKEN_CHARS) {
            throw invalid("it is longer than " + MAX_TOKEN_CHARS + " characters");
        }
        int first = token.indexOf('.');
        int second = first < 0 ? -1 : token.indexOf('.', first + 1);
        if (first < 0 || second < 0 || token.indexOf('.', second + 1) >= 0) {
            throw invalid("it is not three base64url parts separated by dots (header.payload.signature)");
        }
        byte[] header = base64Url(token.substring(0, first), "header");
        byte[] payload = base64Url(token.substring(first + 1, second), "payload");
        byte[] signature = base64Url(token.substring(second + 1), "signature");
        checkHeader(header);
        if (key != null && !key.verify(token.substring(0, second).getBytes(StandardCharsets.US_ASCII), signature)) {
            throw new JwtRefusal(ErrorReason.INVALID_TOKEN_SIGNATURE, "the JWT's " + algorithm
                    + " signature does not verify with the publisher's key");
        }
        return payload;
    }

    private void checkHeader(byte[] header) {
        JsonNode root;
        try {
            root = TuskJson.mapper().readTree(header);
        } catch (IOException e) {
            throw invalid("its header is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid("its header is not a JSON object");
        }
        JsonNode alg = root.get("alg");
        if (alg == null || !alg.isTextual()) {
            throw invalid("its header has no 'alg'");
        }
        if (!alg.asText().equals(algorithm.name())) {
            throw invalid("it is signed with '" + alg.asText() + "', the publisher accepts only " + algorithm);
        }
        if (root.has("crit")) {
            throw invalid("its header has 'crit' extensions " + root.get("crit") + ", which the publisher does not know");
        }
    }

    /** RFC 7515's base64url: URL alphabet, no padding. */
    private static byte[] base64Url(String part, String what) {
        if (part.isEmpty() && !what.equals("signature")) {
            throw invalid("its " + what + " is empty");
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            boolean ok = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_';
            if (!ok) {
                throw invalid("its " + what + " has '" + c + "', which is not base64url (A-Z a-z 0-9 - _, no padding)");
            }
        }
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw invalid("its " + what + " is not base64url: " + e.getMessage());
        }
    }

    private static JwtRefusal invalid(String why) {
        return new JwtRefusal(ErrorReason.INVALID_TOKEN, "the JWT is invalid: " + why);
    }
}
