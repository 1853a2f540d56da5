package io.tusk.spaces;

import java.time.Instant;
import java.util.Map;

/**
 * An entry of a version: its key, size (bytes of content), content type, user metadata, etag (hex Blake2b-256 of the
 * stored bytes; changes with every write of new bytes), the version that wrote it and that version's commit time.
 */
public record Entry(String key, long size, String contentType, Map<String, String> metadata, String etag, long version,
                    Instant modified, boolean encrypted) {
    public Entry {
        metadata = Map.copyOf(metadata);
    }
}
