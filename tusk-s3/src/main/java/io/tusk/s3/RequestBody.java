package io.tusk.s3;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * An object's bytes as the request sends them, decoded ({@code aws-chunked} bodies) and checked as they stream: the
 * length against {@code Content-Length} / {@code x-amz-decoded-content-length}, the SHA-256 a signature covers,
 * {@code Content-MD5}, and an {@code x-amz-checksum-*} value from a header or a trailer. The MD5 (the ETag) and the
 * checksum are computed on the way. The checks run as the last byte is delivered, before it is: a consumer that stores
 * what it reads and commits at the end never commits a body that fails them. Read it once, not thread-safe.
 */
final class RequestBody extends InputStream {
    /** An additional checksum: its algorithm and base64 value. */
    record Checksum(ChecksumAlgorithm algorithm, String value) {
    }

    private final InputStream in;
    private final AwsChunkedDecoder chunked;
    private final long length;
    private final MessageDigest md5 = digest("MD5");
    private final MessageDigest sha256;
    private final String expectedSha256;
    private final byte[] expectedMd5;
    private final ChecksumAlgorithm checksumAlgorithm;
    private final String checksumHeaderValue;
    private final boolean checksumInTrailer;
    private final ChecksumAlgorithm.Hasher checksum;
    private long count;
    private boolean finished;
    private S3Exception failure;
    private byte[] md5Result;
    private Checksum checksumResult;

    private RequestBody(InputStream in, AwsChunkedDecoder chunked, long length, String expectedSha256,
                        byte[] expectedMd5, ChecksumAlgorithm algorithm, String headerValue, boolean inTrailer) {
        this.in = in;
        this.chunked = chunked;
        this.length = length;
        this.expectedSha256 = expectedSha256;
        this.sha256 = expectedSha256 == null ? null : SigV4.sha256();
        this.expectedMd5 = expectedMd5;
        this.checksumAlgorithm = algorithm;
        this.checksumHeaderValue = headerValue;
        this.checksumInTrailer = inTrailer;
        this.checksum = algorithm == null ? null : algorithm.newHasher();
    }

    /**
     * Opens the body of a PUT-like request, checking its headers before a byte is read.
     *
     * @throws S3Exception {@code MissingContentLength}, {@code EntityTooLarge}, {@code InvalidDigest},
     *                     {@code InvalidRequest} (bad or several checksum headers)
     */
    static RequestBody open(S3Request request, Authentication auth, long maxLength) {
        return open(request, auth, maxLength, true);
    }

    /**
     * As {@link #open(S3Request, Authentication, long)}; with {@code checksumHeaders} false the {@code x-amz-checksum-*}
     * and {@code x-amz-sdk-checksum-algorithm} headers are left to the caller, for requests where they describe
     * something other than the body (CompleteMultipartUpload: the whole object's checksum).
     */
    static RequestBody open(S3Request request, Authentication auth, long maxLength, boolean checksumHeaders) {
        String payload = auth.payloadHash() == null ? request.header("x-amz-content-sha256").orElse("") : auth.payloadHash();
        boolean isChunked = payload.startsWith("STREAMING-")
                || request.header("Content-Encoding").map(e -> e.toLowerCase(Locale.ROOT).contains("aws-chunked")).orElse(false);
        long length;
        InputStream raw = request.rawBody();
        AwsChunkedDecoder decoder = null;
        if (isChunked) {
            length = request.headers().getLongField("x-amz-decoded-content-length");
            if (length < 0) {
                throw new S3Exception(S3Error.MISSING_CONTENT_LENGTH, "an aws-chunked body needs "
                        + "x-amz-decoded-content-length");
            }
            if (payload.startsWith("STREAMING-AWS4-HMAC-SHA256-PAYLOAD") && auth.chunks() == null) {
                throw new S3Exception(S3Error.INVALID_REQUEST, "a signed streaming body needs a signed request");
            }
            if (payload.startsWith("STREAMING-") && !payload.equals(SigV4.STREAMING_SIGNED)
                    && !payload.equals(SigV4.STREAMING_SIGNED_TRAILER) && !payload.equals(SigV4.STREAMING_UNSIGNED_TRAILER)) {
                throw new S3Exception(S3Error.NOT_IMPLEMENTED, "x-amz-content-sha256 " + payload + " is not supported");
            }
            decoder = new AwsChunkedDecoder(raw, payload.equals(SigV4.STREAMING_UNSIGNED_TRAILER) ? null : auth.chunks(),
                    payload.equals(SigV4.STREAMING_SIGNED_TRAILER));
            raw = decoder;
        } else {
            length = request.contentLength();
            if (length < 0) {
                throw new S3Exception(S3Error.MISSING_CONTENT_LENGTH);
            }
        }
        if (length > maxLength) {
            throw new S3Exception(S3Error.ENTITY_TOO_LARGE).field("ProposedSize", Long.toString(length))
                    .field("MaxSizeAllowed", Long.toString(maxLength));
        }
        String expectedSha256 = payload.matches("[0-9a-fA-F]{64}") ? payload.toLowerCase(Locale.ROOT) : null;
        byte[] expectedMd5 = request.header("Content-MD5").map(RequestBody::parseMd5).orElse(null);

        ChecksumAlgorithm algorithm = null;
        String headerValue = null;
        for (ChecksumAlgorithm a : checksumHeaders ? ChecksumAlgorithm.values() : new ChecksumAlgorithm[0]) {
            Optional<String> value = request.header(a.header());
            if (value.isPresent()) {
                if (algorithm != null) {
                    throw new S3Exception(S3Error.INVALID_REQUEST, "Expecting a single x-amz-checksum- header. "
                            + "Multiple checksum Types are not allowed.");
                }
                if (!a.wellFormed(value.get())) {
                    // a value no body can have: it cannot match the body's checksum
                    throw new S3Exception(S3Error.BAD_DIGEST, "The " + a.header() + " you specified is not a "
                            + a.name() + " value, so it does not match the body's.");
                }
                algorithm = a;
                headerValue = value.get().trim();
            }
        }
        boolean inTrailer = false;
        Optional<String> trailer = request.header("x-amz-trailer");
        if (trailer.isPresent()) {
            ChecksumAlgorithm declared = ChecksumAlgorithm.ofHeader(trailer.get().trim()).orElseThrow(() ->
                    new S3Exception(S3Error.INVALID_REQUEST, "x-amz-trailer '" + trailer.get() + "' is not an "
                            + "x-amz-checksum-* header"));
            if (algorithm != null && algorithm != declared) {
                throw new S3Exception(S3Error.INVALID_REQUEST, "Expecting a single x-amz-checksum- header.");
            }
            if (!isChunked) {
                throw new S3Exception(S3Error.INVALID_REQUEST, "x-amz-trailer needs an aws-chunked body");
            }
            algorithm = declared;
            inTrailer = headerValue == null;
        }
        Optional<String> sdkAlgorithm = checksumHeaders ? request.header("x-amz-sdk-checksum-algorithm") : Optional.empty();
        if (sdkAlgorithm.isPresent()) {
            ChecksumAlgorithm named = ChecksumAlgorithm.named(sdkAlgorithm.get()).orElseThrow(() ->
                    new S3Exception(S3Error.INVALID_REQUEST, "Value for x-amz-sdk-checksum-algorithm header is invalid."));
            if (algorithm == null) {
                algorithm = named; // computed and kept, with nothing to compare it with
            } else if (algorithm != named) {
                throw new S3Exception(S3Error.INVALID_REQUEST, "Value for x-amz-sdk-checksum-algorithm header is invalid.");
            }
        }
        return new RequestBody(raw, decoder, length, expectedSha256, expectedMd5, algorithm, headerValue, inTrailer);
    }

    /**
     * The file of a browser POST: {@code length} bytes from {@code in}, checked against the form's
     * {@code x-amz-checksum-*} field if it has one ({@code checksums}: the form's fields by lower-case name).
     *
     * @throws S3Exception {@code BadDigest} for a malformed checksum value, {@code InvalidRequest} for two
     */
    static RequestBody ofFormFile(InputStream in, long length, Map<String, String> fields) {
        ChecksumAlgorithm algorithm = null;
        String value = null;
        for (ChecksumAlgorithm a : ChecksumAlgorithm.values()) {
            String v = fields.get(a.header());
            if (v != null) {
                if (algorithm != null) {
                    throw new S3Exception(S3Error.INVALID_REQUEST, "Expecting a single x-amz-checksum- field.");
                }
                if (!a.wellFormed(v)) {
                    throw new S3Exception(S3Error.BAD_DIGEST, "The " + a.header() + " you specified is not a "
                            + a.name() + " value, so it does not match the file's.");
                }
                algorithm = a;
                value = v.trim();
            }
        }
        return new RequestBody(in, null, length, null, null, algorithm, value, false);
    }

    private static byte[] parseMd5(String text) {
        try {
            byte[] md5 = Base64.getDecoder().decode(text.trim());
            if (md5.length == 16) {
                return md5;
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw new S3Exception(S3Error.INVALID_DIGEST);
    }

    /** The object's length, as declared. */
    long length() {
        return length;
    }

    /** The body as one array (small bodies only), checked. */
    byte[] readAllChecked() throws IOException {
        byte[] all = readNBytes((int) length);
        if (!finished) {
            finish();
        }
        return all;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (failure != null) {
            throw failure;
        }
        if (count == length) {
            if (!finished) {
                finish();
            }
            return -1;
        }
        int n = in.read(b, off, (int) Math.min(len, length - count));
        if (n < 0) {
            throw fail(new S3Exception(S3Error.INCOMPLETE_BODY, "You did not provide the number of bytes specified by "
                    + "the Content-Length HTTP header: got " + count + " of " + length));
        }
        md5.update(b, off, n);
        if (sha256 != null) {
            sha256.update(b, off, n);
        }
        if (checksum != null) {
            checksum.update(b, off, n);
        }
        count += n;
        if (count == length) {
            finish(); // before the last bytes go on: a consumer never sees a whole body that fails a check
        }
        return n;
    }

    private void finish() throws IOException {
        finished = true;
        if (chunked != null && chunked.read() != -1) {
            throw fail(new S3Exception(S3Error.INVALID_REQUEST, "the aws-chunked body holds more than "
                    + "x-amz-decoded-content-length (" + length + ") bytes"));
        }
        md5Result = md5.digest();
        if (expectedSha256 != null && !HexFormat.of().formatHex(sha256.digest()).equals(expectedSha256)) {
            throw fail(new S3Exception(S3Error.X_AMZ_CONTENT_SHA256_MISMATCH).field("ClientComputedContentSHA256",
                    expectedSha256));
        }
        if (expectedMd5 != null && !MessageDigest.isEqual(expectedMd5, md5Result)) {
            throw fail(new S3Exception(S3Error.BAD_DIGEST).field("ExpectedDigest",
                    Base64.getEncoder().encodeToString(expectedMd5)));
        }
        if (checksumAlgorithm != null) {
            String computed = checksum.base64();
            String claimed = checksumHeaderValue;
            if (checksumInTrailer) {
                claimed = chunked.trailers().get(checksumAlgorithm.header());
                if (claimed == null) {
                    throw fail(new S3Exception(S3Error.INVALID_REQUEST, "the trailer " + checksumAlgorithm.header()
                            + " declared by x-amz-trailer is missing"));
                }
                if (!checksumAlgorithm.wellFormed(claimed)) {
                    throw fail(new S3Exception(S3Error.INVALID_REQUEST, "Value for " + checksumAlgorithm.header()
                            + " trailing header is invalid."));
                }
            }
            if (claimed != null && !claimed.trim().equals(computed)) {
                throw fail(new S3Exception(S3Error.BAD_DIGEST, "The " + checksumAlgorithm.name() + " you specified did "
                        + "not match the calculated checksum."));
            }
            checksumResult = new Checksum(checksumAlgorithm, computed);
        }
    }

    private S3Exception fail(S3Exception e) {
        failure = e;
        return e;
    }

    /** The failed check, if one failed (a consumer may have wrapped the exception it threw). */
    S3Exception failure() {
        return failure;
    }

    /** The MD5 of the whole body; available once it was read to the end. */
    byte[] md5() {
        if (md5Result == null) {
            throw new IllegalStateException("the body was not read to its end");
        }
        return md5Result.clone();
    }

    String md5Hex() {
        return HexFormat.of().formatHex(md5());
    }

    /** The additional checksum the client asked for (checked if it sent a value), once read to the end. */
    Optional<Checksum> checksum() {
        return Optional.ofNullable(checksumResult);
    }

    private static MessageDigest digest(String name) {
        try {
            return MessageDigest.getInstance(name);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(name + " is missing from the JDK", e);
        }
    }
}
