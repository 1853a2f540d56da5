package io.tusk.s3;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** User metadata with non-ASCII text, in (header bytes, one char each) and out (header bytes again). */
class ObjectHeadersTest {
    /** A header value as Jetty hands it over: one char per byte received. */
    private static String received(String text, java.nio.charset.Charset sentAs) {
        return new String(text.getBytes(sentAs), StandardCharsets.ISO_8859_1);
    }

    @Test
    void shouldStoreUtf8AndLatin1HeaderBytesAsTheTextTheySpell() {
        Map<String, String> fromUtf8 = ObjectHeaders.fromFields(List.of(
                Map.entry("x-amz-meta-note", received("Hello World\u00e9 \u20ac", StandardCharsets.UTF_8))));
        assertThat(fromUtf8).containsEntry("note", "Hello World\u00e9 \u20ac");
        Map<String, String> fromLatin1 = ObjectHeaders.fromFields(List.of(
                Map.entry("x-amz-meta-note", received("caf\u00e9", StandardCharsets.ISO_8859_1))));
        assertThat(fromLatin1).containsEntry("note", "caf\u00e9");
    }

    @Test
    void shouldAnswerLatin1TextAsLatin1BytesAndOtherTextAsUtf8Bytes() {
        // Latin-1 text goes out one byte per char: what botocore and the Java SDK read back as the text they sent
        assertThat(ObjectHeaders.headerText("caf\u00e9")).isEqualTo("caf\u00e9");
        // text beyond Latin-1 can only travel as its UTF-8 bytes
        assertThat(ObjectHeaders.headerText("\u20ac5")).isEqualTo(received("\u20ac5", StandardCharsets.UTF_8));
    }
}
