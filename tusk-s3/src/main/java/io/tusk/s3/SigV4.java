package io.tusk.s3;

import org.eclipse.jetty.http.HttpFields;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The pieces of AWS Signature Version 4 (docs.aws.amazon.com, "Signature Version 4 signing process" and "Authenticating
 * requests: using the Authorization header / query parameters / chunked upload"): canonical request, string to sign,
 * signing key. Stateless.
 */
final class SigV4 {
    static final String ALGORITHM = "AWS4-HMAC-SHA256";
    static final String UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD";
    static final String STREAMING_SIGNED = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD";
    static final String STREAMING_SIGNED_TRAILER = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER";
    static final String STREAMING_UNSIGNED_TRAILER = "STREAMING-UNSIGNED-PAYLOAD-TRAILER";
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private SigV4() {
    }

    static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from the JDK", e);
        }
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is missing from the JDK", e);
        }
    }

    static String sha256Hex(String text) {
        return HexFormat.of().formatHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"). */
    static byte[] signingKey(String secret, String date, String region, String service) {
        byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
        key = hmac(key, region);
        key = hmac(key, service);
        return hmac(key, "aws4_request");
    }

    static String signature(byte[] signingKey, String stringToSign) {
        return HexFormat.of().formatHex(hmac(signingKey, stringToSign));
    }

    /** S3's canonical URI: the path decoded and encoded once again, slashes kept (S3 does not normalize paths). */
    static String canonicalUri(String rawPath) {
        try {
            return UriEncoding.encode(UriEncoding.decode(rawPath, false), true);
        } catch (IllegalArgumentException e) {
            return rawPath;
        }
    }

    /** Every query parameter but {@code exclude}, encoded, sorted by name then value, as {@code a=1&b=&c=3}. */
    static String canonicalQuery(Map<String, List<String>> query, Set<String> exclude) {
        List<String[]> pairs = new ArrayList<>();
        for (Map.Entry<String, List<String>> e : query.entrySet()) {
            if (exclude.contains(e.getKey())) {
                continue;
            }
            String name = UriEncoding.encode(e.getKey(), false);
            for (String value : e.getValue()) {
                pairs.add(new String[]{name, UriEncoding.encode(value, false)});
            }
        }
        pairs.sort((a, b) -> {
            int byName = a[0].compareTo(b[0]);
            return byName != 0 ? byName : a[1].compareTo(b[1]);
        });
        StringBuilder out = new StringBuilder();
        for (String[] pair : pairs) {
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(pair[0]).append('=').append(pair[1]);
        }
        return out.toString();
    }

    /**
     * {@code name:value\n} for each signed header (lower case, in the order given), values trimmed and folded. With
     * {@code utf8}, a value whose chars are bytes (as Jetty reads a header: one char per byte) that spell valid UTF-8
     * is read as that UTF-8 text.
     */
    static String canonicalHeaders(HttpFields headers, List<String> signedHeaders, boolean utf8) {
        StringBuilder out = new StringBuilder();
        for (String name : signedHeaders) {
            List<String> values = headers.getValuesList(name);
            out.append(name).append(':');
            for (int i = 0; i < values.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                String value = values.get(i).trim().replaceAll("\\s+", " ");
                out.append(utf8 ? asUtf8(value) : value);
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** The text that {@code bytes} (one char per byte) spell as UTF-8, or {@code bytes} as they are if not UTF-8. */
    static String asUtf8(String bytes) {
        if (bytes.chars().allMatch(c -> c < 0x80) || bytes.chars().anyMatch(c -> c > 0xFF)) {
            return bytes;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(
                    bytes.getBytes(StandardCharsets.ISO_8859_1))).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return bytes;
        }
    }

    static String canonicalRequest(String method, String canonicalUri, String canonicalQuery, String canonicalHeaders,
                                   List<String> signedHeaders, String payloadHash) {
        return method + '\n' + canonicalUri + '\n' + canonicalQuery + '\n' + canonicalHeaders + '\n'
                + String.join(";", signedHeaders) + '\n' + payloadHash;
    }

    static String stringToSign(String amzDate, String scope, String canonicalRequest) {
        return ALGORITHM + '\n' + amzDate + '\n' + scope + '\n' + sha256Hex(canonicalRequest);
    }

    /** Constant-time comparison of two hex signatures. */
    static boolean same(String expected, String provided) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                provided.toLowerCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
    }
}
