package io.tusk.s3;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;

/** Writes S3's XML responses: elements and escaped text, nothing else. Not thread-safe. */
final class XmlWriter {
    static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

    private final StringBuilder out = new StringBuilder(256).append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    private final Deque<String> open = new ArrayDeque<>();

    /** A document whose root element carries S3's namespace. */
    static XmlWriter document(String root) {
        XmlWriter xml = new XmlWriter();
        xml.out.append('<').append(root).append(" xmlns=\"").append(NAMESPACE).append("\">");
        xml.open.push(root);
        return xml;
    }

    /** A document whose root element has no namespace (S3's error documents). */
    static XmlWriter plainDocument(String root) {
        XmlWriter xml = new XmlWriter();
        xml.start(root);
        return xml;
    }

    XmlWriter start(String name) {
        out.append('<').append(name).append('>');
        open.push(name);
        return this;
    }

    /** An element with attributes given as name/value pairs. */
    XmlWriter startWith(String name, String... attributes) {
        out.append('<').append(name);
        for (int i = 0; i + 1 < attributes.length; i += 2) {
            out.append(' ').append(attributes[i]).append("=\"");
            escape(attributes[i + 1]);
            out.append('"');
        }
        out.append('>');
        open.push(name);
        return this;
    }

    XmlWriter end() {
        out.append("</").append(open.pop()).append('>');
        return this;
    }

    /** Text inside the open element. */
    XmlWriter text(String text) {
        escape(text);
        return this;
    }

    /** {@code <name>text</name>}; nothing if {@code text} is null. */
    XmlWriter element(String name, String text) {
        if (text != null) {
            out.append('<').append(name).append('>');
            escape(text);
            out.append("</").append(name).append('>');
        }
        return this;
    }

    XmlWriter element(String name, long value) {
        return element(name, Long.toString(value));
    }

    XmlWriter element(String name, boolean value) {
        return element(name, Boolean.toString(value));
    }

    /** An ISO-8601 time in UTC with milliseconds, as S3 writes them. */
    XmlWriter element(String name, Instant time) {
        return element(name, iso(time));
    }

    static String iso(Instant time) {
        return time.truncatedTo(ChronoUnit.MILLIS).toString().replaceFirst("(\\d\\d:\\d\\d:\\d\\d)Z$", "$1.000Z");
    }

    byte[] toBytes() {
        while (!open.isEmpty()) {
            end();
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private void escape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        out.append("&#x").append(Integer.toHexString(c)).append(';');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
