package io.tusk.gateway;

import io.tusk.core.api.ErrorReason;
import io.tusk.http.ApiError;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A small {@code multipart/form-data} parser (RFC 7578) for {@code PUT /v1/quilts}: the whole body is in memory
 * (bounded by the route's limit), parts are returned in order with their field name, optional file name and bytes.
 * Anything malformed answers 400 {@code MALFORMED_REQUEST}.
 */
final class Multipart {
    record Part(String name, String filename, byte[] data) {}

    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};

    private Multipart() {}

    /** The boundary of a {@code multipart/form-data} content type, or a 400. */
    static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw malformed("the body must be multipart/form-data (curl -F identifier=@file), got Content-Type "
                    + contentType);
        }
        for (String parameter : contentType.split(";")) {
            String p = parameter.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String value = p.substring("boundary=".length());
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                if (!value.isEmpty() && value.length() <= 200) {
                    return value;
                }
            }
        }
        throw malformed("the multipart/form-data Content-Type has no boundary");
    }

    static List<Part> parse(byte[] body, String boundary) {
        byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        byte[] inner = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        int at = indexOf(body, delimiter, 0);
        if (at < 0) {
            throw malformed("the body holds no multipart boundary");
        }
        at += delimiter.length;
        List<Part> parts = new ArrayList<>();
        while (true) {
            if (startsWith(body, at, new byte[] {'-', '-'})) {
                return parts; // closing delimiter
            }
            at = skipLinearWhitespace(body, at);
            if (!startsWith(body, at, CRLF)) {
                throw malformed("a multipart boundary is not followed by a line break");
            }
            at += 2;
            int headersEnd;
            String headers;
            if (startsWith(body, at, CRLF)) { // no headers at all
                headersEnd = at + 2;
                headers = "";
            } else {
                int end = indexOf(body, HEADER_END, at);
                if (end < 0) {
                    throw malformed("a multipart part's headers do not end");
                }
                headers = new String(body, at, end - at, StandardCharsets.UTF_8);
                headersEnd = end + HEADER_END.length;
            }
            int dataEnd = indexOf(body, inner, headersEnd);
            if (dataEnd < 0) {
                throw malformed("the multipart body ends without a closing boundary");
            }
            parts.add(part(headers, Arrays.copyOfRange(body, headersEnd, dataEnd)));
            at = dataEnd + inner.length;
        }
    }

    private static Part part(String headers, byte[] data) {
        String name = null;
        String filename = null;
        for (String line : headers.split("\r\n")) {
            int colon = line.indexOf(':');
            if (colon < 0 || !line.substring(0, colon).strip().equalsIgnoreCase("content-disposition")) {
                continue;
            }
            for (String parameter : splitParameters(line.substring(colon + 1))) {
                int eq = parameter.indexOf('=');
                if (eq < 0) {
                    continue;
                }
                String key = parameter.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                String value = unquote(parameter.substring(eq + 1).strip());
                if (key.equals("name")) {
                    name = value;
                } else if (key.equals("filename")) {
                    filename = value;
                }
            }
        }
        if (name == null) {
            throw malformed("a multipart part has no Content-Disposition: form-data; name=...");
        }
        return new Part(name, filename, data);
    }

    /** Splits on semicolons outside quoted strings. */
    private static List<String> splitParameters(String text) {
        List<String> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' && (i == 0 || text.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            }
            if (c == ';' && !quoted) {
                out.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        out.add(current.toString());
        return out;
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
            return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return value;
    }

    private static int skipLinearWhitespace(byte[] body, int at) {
        while (at < body.length && (body[at] == ' ' || body[at] == '\t')) {
            at++;
        }
        return at;
    }

    private static boolean startsWith(byte[] body, int at, byte[] prefix) {
        if (at + prefix.length > body.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (body[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] body, byte[] needle, int from) {
        byte first = needle[0];
        int last = body.length - needle.length;
        for (int i = from; i <= last; i++) {
            if (body[i] == first && startsWith(body, i, needle)) {
                return i;
            }
        }
        return -1;
    }

    private static ApiError malformed(String message) {
        return new ApiError(ErrorReason.MALFORMED_REQUEST, message);
    }
}
