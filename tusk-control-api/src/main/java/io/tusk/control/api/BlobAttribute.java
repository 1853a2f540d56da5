package io.tusk.control.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A blob object's attribute (Walrus's {@code Metadata} dynamic field of a {@code Blob}): string pairs in the order
 * they were first set. An object may have none, or one with no pairs left (after {@code removeBlobAttributeFields}).
 */
public record BlobAttribute(String objectId, Map<String, String> pairs) {
    public BlobAttribute {
        Objects.requireNonNull(objectId, "objectId");
        pairs = Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(pairs, "pairs")));
    }
}
