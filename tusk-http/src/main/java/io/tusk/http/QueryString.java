package io.tusk.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A parsed {@code application/x-www-form-urlencoded} query: repeated keys keep every value in order. */
final class QueryString {
    static final QueryString EMPTY = new QueryString(Map.of());
    private final Map<String, List<String>> values;

    private QueryString(Map<String, List<String>> values) {
        this.values = values;
    }

    /** Parses a raw query; a bad percent escape or invalid UTF-8 is a 400 text rejection. */
    static QueryString parse(String raw) {
        if (raw == null || raw.isEmpty()) {
            return EMPTY;
        }
        Map<String, List<String>> values = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq), true);
            String value = eq < 0 ? "" : decode(pair.substring(eq + 1), true);
            values.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }
        return new QueryString(values);
    }

    List<String> all(String name) {
        List<String> list = values.get(name);
        return list == null ? List.of() : List.copyOf(list);
    }

    Set<String> names() {
        return values.keySet();
    }

    /** Percent-decodes; {@code plusIsSpace} for form-encoded queries (not for path segments). */
    static String decode(String text, boolean plusIsSpace) {
        if (text.indexOf('%') < 0 && (!plusIsSpace || text.indexOf('+') < 0)) {
            return text;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                int hi = i + 2 < text.length() ? hex(text.charAt(i + 1)) : -1;
                int lo = i + 2 < text.length() ? hex(text.charAt(i + 2)) : -1;
                if (hi < 0 || lo < 0) {
                    throw HttpRejection.badRequest("Invalid percent escape in '" + text + "'");
                }
                out.write(hi * 16 + lo);
                i += 2;
            } else if (c == '+' && plusIsSpace) {
                out.write(' ');
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw HttpRejection.badRequest("Invalid UTF-8 after percent decoding '" + text + "'");
        }
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
