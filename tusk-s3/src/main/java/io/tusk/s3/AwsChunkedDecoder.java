package io.tusk.s3;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Decodes an {@code aws-chunked} body as it streams: chunks {@code hex-size[;chunk-signature=sig]\r\n data \r\n}, a
 * final chunk of size 0, then trailer lines {@code name:value\r\n} (checksums, and a trailer signature in signed
 * mode) and an empty line. In signed modes every chunk signature is checked as the chunk ends, chained from the
 * request's signature, and a failure throws before the data after it is handed on; so a consumer that commits only at
 * end of stream never commits a forged body. Nothing is buffered beyond one header line.
 */
final class AwsChunkedDecoder extends InputStream {
    private static final int MAX_LINE = 4096;
    private static final int MAX_TRAILER_BYTES = 16 * 1024;
    private static final long MAX_CHUNK = 1L << 30;

    private final InputStream in;
    private final Authentication.ChunkSigning signing; // null: unsigned chunks
    private final boolean signedTrailer;
    private final Map<String, String> trailers = new LinkedHashMap<>();
    private String previousSignature;
    private long remaining; // bytes left in the current chunk
    private String chunkSignature;
    private MessageDigest chunkHash;
    private boolean done;

    /**
     * @param signing       null for {@code STREAMING-UNSIGNED-PAYLOAD-TRAILER}
     * @param signedTrailer whether a trailer signature must end the trailers ({@code ...-PAYLOAD-TRAILER})
     */
    AwsChunkedDecoder(InputStream in, Authentication.ChunkSigning signing, boolean signedTrailer) {
        this.in = in;
        this.signing = signing;
        this.signedTrailer = signedTrailer;
        this.previousSignature = signing == null ? null : signing.seedSignature();
    }

    /** The trailers (lower-case names), complete once the stream has ended. */
    Map<String, String> trailers() {
        return trailers;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (remaining == 0) {
            if (done) {
                return -1;
            }
            nextChunk();
        }
        int n = in.read(b, off, (int) Math.min(len, remaining));
        if (n < 0) {
            throw incomplete("the body ended inside a chunk");
        }
        if (chunkHash != null) {
            chunkHash.update(b, off, n);
        }
        remaining -= n;
        if (remaining == 0) {
            expectCrlf();
            checkChunkSignature();
        }
        return n;
    }

    private void nextChunk() throws IOException {
        String header = readLine();
        if (header == null) {
            throw incomplete("the body ended before its final chunk");
        }
        int semicolon = header.indexOf(';');
        String sizeText = (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
        long size;
        try {
            size = Long.parseLong(sizeText, 16);
        } catch (NumberFormatException e) {
            throw malformed("bad chunk size '" + sizeText + "'");
        }
        if (size < 0 || size > MAX_CHUNK) {
            throw malformed("chunk size " + size + " is out of range");
        }
        chunkSignature = null;
        if (semicolon >= 0) {
            String extension = header.substring(semicolon + 1).trim();
            if (extension.startsWith("chunk-signature=")) {
                chunkSignature = extension.substring("chunk-signature=".length()).trim();
            }
        }
        if (signing != null && chunkSignature == null) {
            throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH, "a chunk of a signed streaming upload has no "
                    + "chunk-signature");
        }
        chunkHash = signing == null ? null : SigV4.sha256();
        remaining = size;
        if (size == 0) {
            checkChunkSignature();
            readTrailers();
            done = true;
        }
    }

    private void checkChunkSignature() {
        if (signing == null) {
            return;
        }
        String stringToSign = "AWS4-HMAC-SHA256-PAYLOAD\n" + signing.amzDate() + "\n" + signing.scope() + "\n"
                + previousSignature + "\n" + SigV4.EMPTY_SHA256 + "\n" + HexFormat.of().formatHex(chunkHash.digest());
        String expected = SigV4.signature(signing.signingKey(), stringToSign);
        if (!SigV4.same(expected, chunkSignature)) {
            throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH, "a chunk signature of the streaming upload does not "
                    + "match").field("StringToSign", stringToSign).field("SignatureProvided", chunkSignature);
        }
        previousSignature = chunkSignature.toLowerCase(Locale.ROOT);
    }

    private void readTrailers() throws IOException {
        StringBuilder canonical = new StringBuilder();
        String trailerSignature = null;
        int total = 0;
        while (true) {
            String line = readLine();
            if (line == null || line.isEmpty()) {
                break;
            }
            total += line.length();
            if (total > MAX_TRAILER_BYTES) {
                throw malformed("the trailers are longer than " + MAX_TRAILER_BYTES + " bytes");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw malformed("bad trailer line '" + line + "'");
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (name.equals("x-amz-trailer-signature")) {
                trailerSignature = value;
            } else {
                trailers.put(name, value);
                canonical.append(name).append(':').append(value).append('\n');
            }
        }
        if (signedTrailer && signing != null) {
            if (trailerSignature == null) {
                throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH, "the signed trailer has no x-amz-trailer-signature");
            }
            String stringToSign = "AWS4-HMAC-SHA256-TRAILER\n" + signing.amzDate() + "\n" + signing.scope() + "\n"
                    + previousSignature + "\n" + SigV4.sha256Hex(canonical.toString());
            if (!SigV4.same(SigV4.signature(signing.signingKey(), stringToSign), trailerSignature)) {
                throw new S3Exception(S3Error.SIGNATURE_DOES_NOT_MATCH, "the trailer signature does not match")
                        .field("StringToSign", stringToSign).field("SignatureProvided", trailerSignature);
            }
        }
    }

    /** A line without its CRLF, or null at end of stream before any byte. */
    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(80);
        while (true) {
            int b = in.read();
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
            }
            if (b == '\n') {
                String text = line.toString(StandardCharsets.UTF_8);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            if (line.size() >= MAX_LINE) {
                throw malformed("a chunk header or trailer line is longer than " + MAX_LINE + " bytes");
            }
            line.write(b);
        }
    }

    private void expectCrlf() throws IOException {
        int cr = in.read();
        int lf = cr == '\n' ? '\n' : in.read();
        if ((cr != '\r' && cr != '\n') || lf != '\n') {
            throw malformed("a chunk's data is not followed by CRLF");
        }
    }

    private static S3Exception malformed(String what) {
        return new S3Exception(S3Error.INVALID_REQUEST, "malformed aws-chunked body: " + what);
    }

    private static S3Exception incomplete(String what) {
        return new S3Exception(S3Error.INCOMPLETE_BODY, "You did not provide the number of bytes specified: " + what);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
