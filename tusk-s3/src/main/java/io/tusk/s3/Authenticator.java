package io.tusk.s3;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Checks a request's SigV4 signature, from the {@code Authorization} header or from a presigned URL's query, and maps
 * its access key to an {@link S3Account}. A request with neither is anonymous (the caller decides what anonymous may
 * do). Thread-safe.
 */
final class Authenticator {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Authenticator.class);
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final long MAX_PRESIGNED_SECONDS = 7 * 24 * 3600;
    private static final Set<String> PRESIGNED_EXCLUDED = Set.of("X-Amz-Signature");

    private final Function<String, Optional<S3Account>> accounts;
    private final Duration clockSkew;
    private final Clock clock;
    /** Signing keys by secret, date, region and service: one HMAC chain per account and day instead of per request. */
    private final Map<String, byte[]> signingKeys = new ConcurrentHashMap<>();

    Authenticator(Function<String, Optional<S3Account>> accounts, Duration clockSkew, Clock clock) {
        this.accounts = accounts;
        this.clockSkew = clockSkew;
        this.clock = clock;
    }

    /**
     * @throws S3Exception {@code AccessDenied}, {@code InvalidAccessKeyId}, {@code SignatureDoesNotMatch},
     *                     {@code RequestTimeTooSkewed}, {@code AuthorizationHeaderMalformed}, ...
     */
    Authentication authenticate(S3Request request) {
        Optional<String> header = request.header("Authorization");
        if (header.isPresent()) {
            return fromHeader(request, header.get().trim());
        }
        if (request.has("X-Amz-Algorithm") || request.has("X-Amz-Credential") || request.has("X-Amz-Signature")) {
            return fromQuery(request);
        }
        if (request.has("AWSAccessKeyId") || request.has("Signature")) {
            throw new S3Exception(S3Error.INVALID_REQUEST, "Signature Version 2 is not supported: please use "
                    + SigV4.ALGORITHM);
        }
        return Authentication.ANONYMOUS;
    }

    // ------------------------------------------------------------------------------------------------ header

    private Authentication fromHeader(S3Request request, String header) {
        if (!header.startsWith(SigV4.ALGORITHM + " ")) {
            throw new S3Exception(S3Error.INVALID_REQUEST, "the authorization mechanism you have provided is not "
                    + "supported; please use " + SigV4.ALGORITHM);
        }
        String credential = null;
        String signedHeaders = null;
        String signature = null;
        for (String part : header.substring(SigV4.ALGORITHM.length()).split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq < 0) {
                continue;
            }
            String value = p.substring(eq + 1).trim();
            switch (p.substring(0, eq).trim()) {
                case "Credential" -> credential = value;
                case "SignedHeaders" -> signedHeaders = value;
                case "Signature" -> signature = value;
                default -> {
                }
            }
        }
        if (credential == null || signedHeaders == null || signature == null) {
            throw new S3Exception(S3Error.AUTHORIZATION_HEADER_MALFORMED, "the authorization header is malformed; it "
                    + "needs Credential, SignedHeaders and Signature");
        }
        Scope scope = Scope.parse(credential, S3Error.AUTHORIZATION_HEADER_MALFORMED);
        S3Account account = account(scope.accessKeyId());
        String amzDate = request.header("x-amz-date").orElseGet(() -> request.header("Date")
                .map(Authenticator::fromHttpDate).orElseThrow(() -> new S3Exception(S3Error.ACCESS_DENIED,
                        "AWS authentication requires a valid Date or x-amz-date header")));
        Instant signedAt = parseAmzDate(amzDate, S3Error.ACCESS_DENIED);
        if (!amzDate.startsWith(scope.date())) {
            throw new S3Exception(S3Error.AUTHORIZATION_HEADER_MALFORMED, "the credential's date " + scope.date()
                    + " is not the request's date " + amzDate);
        }
        Instant now = clock.instant();
        if (Duration.between(signedAt, now).abs().compareTo(clockSkew) > 0) {
            throw new S3Exception(S3Error.REQUEST_TIME_TOO_SKEWED).field("RequestTime", amzDate)
                    .field("ServerTime", AMZ_DATE.format(now)).field("MaxAllowedSkewMilliseconds",
                            Long.toString(clockSkew.toMillis()));
        }
        String payload = request.header("x-amz-content-sha256").orElseThrow(() -> new S3Exception(
                S3Error.INVALID_REQUEST, "Missing required header for this request: x-amz-content-sha256"));
        if (!payload.equals(SigV4.UNSIGNED_PAYLOAD) && !payload.startsWith("STREAMING-")
                && !payload.matches("[0-9a-fA-F]{64}")) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "x-amz-content-sha256 must be UNSIGNED-PAYLOAD, "
                    + "STREAMING-... or a SHA-256 in hex").field("ArgumentName", "x-amz-content-sha256")
                    .field("ArgumentValue", payload);
        }
        List<String> signed = signedHeaders(signedHeaders);
        if (!signed.contains("host")) {
            throw new S3Exception(S3Error.AUTHORIZATION_HEADER_MALFORMED, "the signed headers must include host");
        }
        String canonicalQuery = SigV4.canonicalQuery(request.queryMap(), Set.of());
        byte[] key = signingKey(account.credentials().secretAccessKey(), scope);
        verify(request, key, amzDate, scope, canonicalQuery, signed, payload, signature, account);
        Authentication.ChunkSigning chunks = payload.startsWith("STREAMING-AWS4-HMAC-SHA256-PAYLOAD")
                ? new Authentication.ChunkSigning(key, amzDate, scope.text(), signature.toLowerCase(Locale.ROOT)) : null;
        return new Authentication(account, payload, chunks);
    }

    // ------------------------------------------------------------------------------------------------ presigned

    private Authentication fromQuery(S3Request request) {
        String algorithm = request.query("X-Amz-Algorithm").orElse("");
        if (!algorithm.equals(SigV4.ALGORITHM)) {
            throw new S3Exception(S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                    "X-Amz-Algorithm only supports \"" + SigV4.ALGORITHM + "\"");
        }
        String credential = required(request, "X-Amz-Credential");
        String amzDate = required(request, "X-Amz-Date");
        String expiresText = required(request, "X-Amz-Expires");
        String signedHeaders = required(request, "X-Amz-SignedHeaders");
        String signature = required(request, "X-Amz-Signature");
        Scope scope = Scope.parse(credential, S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        S3Account account = account(scope.accessKeyId());
        Instant signedAt = parseAmzDate(amzDate, S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR);
        long expires;
        try {
            expires = Long.parseLong(expiresText);
        } catch (NumberFormatException e) {
            expires = -1;
        }
        if (expires < 0) {
            throw new S3Exception(S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                    "X-Amz-Expires should be a number");
        }
        if (expires > MAX_PRESIGNED_SECONDS) {
            throw new S3Exception(S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                    "X-Amz-Expires must be less than a week (in seconds) that is 604800");
        }
        Instant now = clock.instant();
        if (signedAt.isAfter(now.plus(clockSkew))) {
            throw new S3Exception(S3Error.ACCESS_DENIED, "Request is not valid yet");
        }
        if (now.isAfter(signedAt.plusSeconds(expires))) {
            throw new S3Exception(S3Error.ACCESS_DENIED, "Request has expired").field("X-Amz-Expires", expiresText)
                    .field("Expires", AMZ_DATE.format(signedAt.plusSeconds(expires)))
                    .field("ServerTime", AMZ_DATE.format(now));
        }
        List<String> signed = signedHeaders(signedHeaders);
        String payload = request.query("X-Amz-Content-Sha256").orElse(SigV4.UNSIGNED_PAYLOAD);
        String canonicalQuery = SigV4.canonicalQuery(request.queryMap(), PRESIGNED_EXCLUDED);
        byte[] key = signingKey(account.credentials().secretAccessKey(), scope);
        verify(request, key, amzDate, scope, canonicalQuery, signed, payload, signature, account);
        return new Authentication(account, payload, null);
    }

    private static String required(S3Request request, String name) {
        return request.query(name).orElseThrow(() -> new S3Exception(S3Error.AUTHORIZATION_QUERY_PARAMETERS_ERROR,
                "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, "
                        + "X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters; " + name + " is missing"));
    }

    // ------------------------------------------------------------------------------------------------ browser POST

    /**
     * The account that signed a browser POST's policy document ({@code fields} by lower-case name). SigV4 forms carry
     * {@code x-amz-algorithm}, {@code x-amz-credential}, {@code x-amz-date} and {@code x-amz-signature}: the base64
     * policy signed with the day's signing key. Forms made for S3's first POST signature (ceph's tests, older SDKs)
     * carry {@code AWSAccessKeyId} and {@code signature}: base64 HMAC-SHA1 of the policy with the secret key; they are
     * accepted too, since the policy and its expiration, not the request, are what is signed either way.
     *
     * @throws S3Exception {@code InvalidArgument} (a signature field missing), {@code InvalidAccessKeyId},
     *                     {@code SignatureDoesNotMatch}
     */
    S3Account postSigner(Map<String, String> fields, String policy) {
        if (fields.containsKey("x-amz-signature")) {
            String algorithm = postField(fields, "x-amz-algorithm");
            if (!algorithm.equals(SigV4.ALGORITHM)) {
                throw S3Exception.invalidArgument("x-amz-algorithm only supports " + SigV4.ALGORITHM,
                        "x-amz-algorithm", algorithm);
            }
            Scope scope = Scope.parse(postField(fields, "x-amz-credential"), S3Error.INVALID_ARGUMENT);
            parseAmzDate(postField(fields, "x-amz-date"), S3Error.INVALID_ARGUMENT);
            S3Account account = account(scope.accessKeyId());
            String expected = SigV4.signature(signingKey(account.credentials().secretAccessKey(), scope), policy);
            if (!SigV4.same(expected, fields.get("x-amz-signature"))) {
                throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH, "The request signature we calculated does not "
                        + "match the signature you provided.").field("AWSAccessKeyId", scope.accessKeyId());
            }
            return account;
        }
        String accessKeyId = postField(fields, "awsaccesskeyid");
        String signature = postField(fields, "signature");
        S3Account account = account(accessKeyId);
        byte[] expected = hmacSha1(account.credentials().secretAccessKey(), policy);
        byte[] provided;
        try {
            provided = Base64.getDecoder().decode(signature.trim());
        } catch (IllegalArgumentException e) {
            provided = new byte[0];
        }
        if (!MessageDigest.isEqual(expected, provided)) {
            throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH, "The request signature we calculated does not match "
                    + "the signature you provided.").field("AWSAccessKeyId", accessKeyId);
        }
        return account;
    }

    private static String postField(Map<String, String> fields, String name) {
        String value = fields.get(name);
        if (value == null || value.isEmpty()) {
            throw S3Exception.invalidArgument("Bucket POST must contain a field named '" + name + "'. If it is "
                    + "specified, please check the order of the fields.", name, "");
        }
        return value;
    }

    private static byte[] hmacSha1(String secret, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8),
                    "HmacSHA1"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is missing from the JDK", e);
        }
    }

    // ------------------------------------------------------------------------------------------------ shared

    /**
     * Compares the signature with one computed over S3's canonical URI; a client that signed its path exactly as it
     * sent it (escaping fewer characters than SigV4 asks) is matched on the raw path as a second try. Header values
     * with bytes above 0x7F are ambiguous: HTTP gives them no charset, so Jetty hands each byte over as one char
     * (ISO-8859-1), which is what clients that send text as Latin-1 (botocore) signed; clients that send UTF-8 bytes
     * (the Java SDK) signed the text those bytes spell. Both readings are tried.
     */
    private void verify(S3Request request, byte[] key, String amzDate, Scope scope, String canonicalQuery,
                        List<String> signed, String payload, String provided, S3Account account) {
        String headers = SigV4.canonicalHeaders(request.headers(), signed, false);
        String canonical = SigV4.canonicalRequest(request.method(), SigV4.canonicalUri(request.rawPath()),
                canonicalQuery, headers, signed, payload);
        String stringToSign = SigV4.stringToSign(amzDate, scope.text(), canonical);
        if (SigV4.same(SigV4.signature(key, stringToSign), provided)) {
            return;
        }
        Set<String> tried = new java.util.HashSet<>(Set.of(canonical));
        String utf8Headers = SigV4.canonicalHeaders(request.headers(), signed, true);
        for (String path : List.of(SigV4.canonicalUri(request.rawPath()), request.rawPath())) {
            for (String h : List.of(headers, utf8Headers)) {
                String candidate = SigV4.canonicalRequest(request.method(), path, canonicalQuery, h, signed, payload);
                if (tried.add(candidate) && SigV4.same(SigV4.signature(key,
                        SigV4.stringToSign(amzDate, scope.text(), candidate)), provided)) {
                    return;
                }
            }
        }
        LOG.debug("signature mismatch; canonical request:\n{}", canonical);
        throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH).field("AWSAccessKeyId", account.credentials().accessKeyId())
                .field("StringToSign", stringToSign).field("SignatureProvided", provided)
                .field("CanonicalRequest", canonical);
    }

    private S3Account account(String accessKeyId) {
        return accounts.apply(accessKeyId).orElseThrow(() -> new S3Exception(S3Error.INVALID_ACCESS_KEY_ID)
                .field("AWSAccessKeyId", accessKeyId));
    }

    private byte[] signingKey(String secret, Scope scope) {
        String cacheKey = secret + '\n' + scope.date() + '\n' + scope.region() + '\n' + scope.service();
        if (signingKeys.size() > 10_000) {
            signingKeys.clear(); // days and accounts come and go: a bound, not an eviction policy
        }
        return signingKeys.computeIfAbsent(cacheKey, k -> SigV4.signingKey(secret, scope.date(), scope.region(),
                scope.service()));
    }

    private static List<String> signedHeaders(String text) {
        List<String> names = new ArrayList<>(Arrays.asList(text.toLowerCase(Locale.ROOT).split(";")));
        names.removeIf(String::isBlank);
        return names;
    }

    private static Instant parseAmzDate(String text, S3Error error) {
        try {
            return ZonedDateTime.parse(text, AMZ_DATE).toInstant();
        } catch (DateTimeParseException e) {
            throw new S3Exception(error, "the date '" + text + "' is not in the form yyyyMMddTHHmmssZ");
        }
    }

    /** A Date header (RFC 1123) as an x-amz-date. */
    private static String fromHttpDate(String text) {
        try {
            return AMZ_DATE.format(ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME));
        } catch (DateTimeParseException e) {
            throw new S3Exception(S3Error.ACCESS_DENIED, "AWS authentication requires a valid Date or x-amz-date header");
        }
    }

    /** {@code AKID/20130524/us-east-1/s3/aws4_request}. */
    record Scope(String accessKeyId, String date, String region, String service) {
        static Scope parse(String credential, S3Error error) {
            String[] parts = credential.split("/");
            if (parts.length != 5 || !parts[4].equals("aws4_request") || !parts[1].matches("\\d{8}")) {
                throw new S3Exception(error, "the credential '" + credential + "' is not ACCESS_KEY/yyyyMMdd/REGION/"
                        + "SERVICE/aws4_request");
            }
            if (!parts[3].equals("s3")) {
                throw new S3Exception(error, "the credential names service '" + parts[3] + "', not 's3'");
            }
            return new Scope(parts[0], parts[1], parts[2], parts[3]);
        }

        String text() {
            return date + "/" + region + "/" + service + "/aws4_request";
        }
    }
}
