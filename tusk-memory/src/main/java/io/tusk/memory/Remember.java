package io.tusk.memory;

import io.tusk.memory.index.MetadataValues;
import java.time.Instant;
import java.util.Map;

/**
 * What to remember: text and/or binary content, metadata, and optionally a precomputed embedding and a valid time.
 *
 * @param text        what is embedded, searched and returned; null for binary-only memories
 * @param content     binary content (an image, a file), or null
 * @param contentType media type of {@code content}
 * @param metadata    typed metadata ({@link MetadataValues}); may be empty
 * @param embedding   a precomputed vector, or null to embed {@code text} with the collection's model
 * @param validFrom   when the fact became true; null for now
 * @param validTo     when it stops being true; null for open-ended
 */
public record Remember(String text, byte[] content, String contentType, Map<String, Object> metadata,
                       float[] embedding, Instant validFrom, Instant validTo) {

    /** The longest text accepted: a memory is a fact or a passage, not a book (chunk those first). */
    public static final int MAX_TEXT_CHARS = 32_768;
    public static final int MAX_CONTENT_BYTES = 64 << 20;

    public Remember {
        if (text == null && content == null && embedding == null) {
            throw new IllegalArgumentException("a memory needs text, content or an embedding");
        }
        if (text != null && text.length() > MAX_TEXT_CHARS) {
            throw new IllegalArgumentException("memory text has " + text.length() + " characters; at most "
                    + MAX_TEXT_CHARS + " are allowed (split it into several memories)");
        }
        if (content != null && content.length > MAX_CONTENT_BYTES) {
            throw new IllegalArgumentException("memory content has " + content.length + " bytes; at most "
                    + MAX_CONTENT_BYTES + " are allowed");
        }
        if (content != null && contentType == null) {
            contentType = "application/octet-stream";
        }
        if (text == null && embedding == null) {
            throw new IllegalArgumentException("a memory without text needs a precomputed embedding");
        }
        if (embedding != null) {
            embedding = embedding.clone();
        }
        metadata = MetadataValues.checked(metadata);
        if (validFrom != null && validTo != null && !validTo.isAfter(validFrom)) {
            throw new IllegalArgumentException("validTo " + validTo + " is not after validFrom " + validFrom);
        }
    }

    public static Remember embedding(float[] vector, String text, Map<String, Object> metadata) {
        return new Remember(text, null, null, metadata, vector, null, null);
    }

    public static Remember text(String text) {
        return new Remember(text, null, null, Map.of(), null, null, null);
    }

    public static Remember text(String text, Map<String, Object> metadata) {
        return new Remember(text, null, null, metadata, null, null, null);
    }

    public Remember withEmbedding(float[] vector) {
        return new Remember(text, content, contentType, metadata, vector, validFrom, validTo);
    }

    public Remember withValidity(Instant from, Instant to) {
        return new Remember(text, content, contentType, metadata, embedding, from, to);
    }
}
