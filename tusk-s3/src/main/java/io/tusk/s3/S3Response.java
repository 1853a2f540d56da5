package io.tusk.s3;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What an operation answers: status, headers and a body (bytes, or written after the headers by a writer). */
final class S3Response {
    static final String XML = "application/xml";

    /** Writes a (possibly large) body once the headers are out. */
    @FunctionalInterface
    interface BodyWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    private final int status;
    private final String contentType;
    private final byte[] body;
    private final BodyWriter writer;
    private final long contentLength;
    private final List<Map.Entry<String, String>> headers = new ArrayList<>();

    private S3Response(int status, String contentType, byte[] body, BodyWriter writer, long contentLength) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
        this.writer = writer;
        this.contentLength = contentLength;
    }

    static S3Response xml(int status, XmlWriter xml) {
        byte[] bytes = xml.toBytes();
        return new S3Response(status, XML, bytes, null, bytes.length);
    }

    static S3Response ok(XmlWriter xml) {
        return xml(200, xml);
    }

    static S3Response empty(int status) {
        return new S3Response(status, null, new byte[0], null, 0);
    }

    /** A body of {@code contentLength} bytes written by {@code writer}; a HEAD request sends the headers alone. */
    static S3Response stream(int status, String contentType, long contentLength, BodyWriter writer) {
        return new S3Response(status, contentType, null, writer, contentLength);
    }

    S3Response header(String name, String value) {
        if (value != null) {
            headers.add(Map.entry(name, value));
        }
        return this;
    }

    int status() {
        return status;
    }

    String contentType() {
        return contentType;
    }

    byte[] body() {
        return body;
    }

    BodyWriter writer() {
        return writer;
    }

    long contentLength() {
        return contentLength;
    }

    List<Map.Entry<String, String>> headers() {
        return headers;
    }
}
