package io.tusk.spaces;

import java.util.Map;
import java.util.Objects;

/**
 * How an entry is put: its content type, user metadata (at most 256 names and 8 KiB of names and values), and an
 * optional {@link Condition} (null for none).
 */
public record PutOptions(String contentType, Map<String, String> metadata, Condition condition) {
    public static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

    public PutOptions {
        Objects.requireNonNull(contentType, "contentType");
        metadata = Map.copyOf(metadata);
    }

    public static PutOptions defaults() {
        return new PutOptions(DEFAULT_CONTENT_TYPE, Map.of(), null);
    }

    public PutOptions withContentType(String value) {
        return new PutOptions(value, metadata, condition);
    }

    public PutOptions withMetadata(Map<String, String> value) {
        return new PutOptions(contentType, value, condition);
    }

    public PutOptions withCondition(Condition value) {
        return new PutOptions(contentType, metadata, value);
    }
}
