package io.tusk.s3;

import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * SigV4 against the worked examples of AWS's documentation (Amazon S3 API reference, "Signature Calculations for the
 * Authorization Header" and "Transferring Payload in Multiple Chunks"): same key, request and expected signatures.
 */
class SigV4Test {
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    static final String SCOPE = "20130524/us-east-1/s3/aws4_request";
    static final String DATE = "20130524T000000Z";

    static byte[] key() {
        return SigV4.signingKey(SECRET, "20130524", "us-east-1", "s3");
    }

    @Test
    void shouldDeriveTheSigningKeyOfTheIamExample() {
        byte[] key = SigV4.signingKey("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "20120215", "us-east-1", "iam");
        assertThat(HexFormat.of().formatHex(key))
                .isEqualTo("f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d");
    }

    @Test
    void shouldSignTheGetObjectExample() {
        HttpFields headers = HttpFields.build().add("Host", "examplebucket.s3.amazonaws.com").add("Range", "bytes=0-9")
                .add("x-amz-content-sha256", SigV4.EMPTY_SHA256).add("x-amz-date", DATE);
        List<String> signed = List.of("host", "range", "x-amz-content-sha256", "x-amz-date");
        String canonical = SigV4.canonicalRequest("GET", SigV4.canonicalUri("/test.txt"), "",
                SigV4.canonicalHeaders(headers, signed, false), signed, SigV4.EMPTY_SHA256);
        assertThat(SigV4.signature(key(), SigV4.stringToSign(DATE, SCOPE, canonical)))
                .isEqualTo("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
    }

    @Test
    void shouldSignThePresignedUrlExample() {
        String rawQuery = "X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1"
                + "%2Fs3%2Faws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host"
                + "&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404";
        String query = SigV4.canonicalQuery(S3Request.parseQuery(rawQuery), Set.of("X-Amz-Signature"));
        HttpFields headers = HttpFields.build().add("Host", "examplebucket.s3.amazonaws.com");
        String canonical = SigV4.canonicalRequest("GET", "/test.txt", query,
                SigV4.canonicalHeaders(headers, List.of("host"), false), List.of("host"), SigV4.UNSIGNED_PAYLOAD);
        assertThat(SigV4.signature(key(), SigV4.stringToSign(DATE, SCOPE, canonical)))
                .isEqualTo("aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
    }

    @Test
    void shouldCanonicalizePathsAndQueriesAsS3Does() {
        assertThat(SigV4.canonicalUri("/bucket/a b/c+d/%C3%A9t%C3%A9")).isEqualTo("/bucket/a%20b/c%2Bd/%C3%A9t%C3%A9");
        assertThat(SigV4.canonicalUri("/bucket/x%2Fy//z")).isEqualTo("/bucket/x/y//z");
        assertThat(SigV4.canonicalQuery(S3Request.parseQuery("uploads&prefix=a%20b&max-keys=2&acl"), Set.of()))
                .isEqualTo("acl=&max-keys=2&prefix=a%20b&uploads=");
    }

    /** The chunked-upload example: 64 KiB and 1 KiB of 'a' in signed chunks, chained from the seed signature. */
    @Test
    void shouldDecodeTheChunkedUploadExampleCheckingEveryChunkSignature() throws Exception {
        HttpFields headers = HttpFields.build().add("Host", "s3.amazonaws.com")
                .add("x-amz-date", DATE).add("x-amz-storage-class", "REDUCED_REDUNDANCY")
                .add("Content-Encoding", "aws-chunked").add("x-amz-decoded-content-length", "66560")
                .add("Content-Length", "66824").add("x-amz-content-sha256", SigV4.STREAMING_SIGNED);
        List<String> signed = List.of("content-encoding", "content-length", "host", "x-amz-content-sha256",
                "x-amz-date", "x-amz-decoded-content-length", "x-amz-storage-class");
        String canonical = SigV4.canonicalRequest("PUT", "/examplebucket/chunkObject.txt", "",
                SigV4.canonicalHeaders(headers, signed, false), signed, SigV4.STREAMING_SIGNED);
        String seed = SigV4.signature(key(), SigV4.stringToSign(DATE, SCOPE, canonical));
        assertThat(seed).isEqualTo("4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9");

        byte[] body = chunkedBody("ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648",
                "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497",
                "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9");
        assertThat(body.length).isEqualTo(66824);
        AwsChunkedDecoder decoder = new AwsChunkedDecoder(new ByteArrayInputStream(body),
                new Authentication.ChunkSigning(key(), DATE, SCOPE, seed), false);
        byte[] decoded = decoder.readAllBytes();
        assertThat(decoded).hasSize(66560).containsOnly((byte) 'a');

        body[100] = 'b'; // one byte of the first chunk changed: its signature no longer matches
        AwsChunkedDecoder forged = new AwsChunkedDecoder(new ByteArrayInputStream(body),
                new Authentication.ChunkSigning(key(), DATE, SCOPE, seed), false);
        assertThatThrownBy(forged::readAllBytes).isInstanceOfSatisfying(S3Exception.class,
                e -> assertThat(e.error()).isEqualTo(S3Error.SIGNATURE_DOES_NOT_MATCH));
    }

    @Test
    void shouldDecodeUnsignedChunksWithTrailers() throws Exception {
        byte[] body = ("5\r\nhello\r\n6\r\n world\r\n0\r\nx-amz-checksum-crc32:DUoRhQ==\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        AwsChunkedDecoder decoder = new AwsChunkedDecoder(new ByteArrayInputStream(body), null, false);
        assertThat(new String(decoder.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("hello world");
        assertThat(decoder.trailers()).containsEntry("x-amz-checksum-crc32", "DUoRhQ==");

        byte[] cut = "5\r\nhel".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> new AwsChunkedDecoder(new ByteArrayInputStream(cut), null, false).readAllBytes())
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.INCOMPLETE_BODY));
        byte[] junk = "zz\r\nhello\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThatThrownBy(() -> new AwsChunkedDecoder(new ByteArrayInputStream(junk), null, false).readAllBytes())
                .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.error()).isEqualTo(S3Error.INVALID_REQUEST));
    }

    private static byte[] chunkedBody(String sig1, String sig2, String sig3) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(("10000;chunk-signature=" + sig1 + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes("a".repeat(65536).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(("\r\n400;chunk-signature=" + sig2 + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes("a".repeat(1024).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(("\r\n0;chunk-signature=" + sig3 + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    @Test
    void shouldReadHeaderBytesAsUtf8TextWhenTheyAreUtf8() {
        // Jetty hands a header over one char per byte: "café" sent as UTF-8 arrives as "cafÃ©"
        String received = new String("café".getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
        HttpFields headers = HttpFields.build().add("host", "example.com").add("x-amz-meta-note", received);
        List<String> signed = List.of("host", "x-amz-meta-note");
        assertThat(SigV4.canonicalHeaders(headers, signed, true)).isEqualTo("host:example.com\nx-amz-meta-note:café\n");
        assertThat(SigV4.canonicalHeaders(headers, signed, false)).isEqualTo("host:example.com\nx-amz-meta-note:"
                + received + "\n");
        // sent as Latin-1 (botocore, the Java SDK's Apache client), the byte is the char: not UTF-8, left as it is
        assertThat(SigV4.asUtf8("caf\u00e9")).isEqualTo("caf\u00e9");
        assertThat(SigV4.asUtf8("plain")).isEqualTo("plain");
    }
}
