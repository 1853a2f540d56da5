package io.tusk.spaces.manifest;

import io.tusk.core.hash.Blake2b256;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What a leaf of a space's tree says about an entry (docs/spaces.md). In BCS:
 * <pre>
 * struct EntryRecord {
 *     size: u64,                              // bytes of content (before encryption)
 *     content_type: String,                   // at most 256 bytes
 *     metadata: vector&lt;(String, String)&gt;,     // user metadata, sorted by name (code points), at most 8 KiB
 *     etag: [u8; 32],                         // Blake2b-256 of the stored bytes
 *     version: u64,                           // the version that wrote the entry
 *     modified_millis: u64,                   // that version's commit time
 *     data: DataRef,
 *     key: Option&lt;KeyRef&gt;                     // encrypted spaces: where the entry's data key is
 * }
 * </pre>
 */
public record EntryRecord(long size, String contentType, Map<String, String> metadata, byte[] etag, long version,
                          long modifiedMillis, DataRef data, KeyRef key) {
    public static final int MAX_CONTENT_TYPE_BYTES = 256;
    /** 8 KiB: room for S3's 2 KB of user metadata plus the system fields the S3 API keeps beside it (docs/s3.md). */
    public static final int MAX_METADATA_BYTES = 8192;
    public static final int MAX_METADATA_ENTRIES = 256;

    public EntryRecord {
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(data, "data");
        TreeMap<String, String> sorted = new TreeMap<>(io.tusk.spaces.tree.Keys::compare);
        sorted.putAll(metadata);
        metadata = Collections.unmodifiableMap(sorted);
        if (etag.length != Blake2b256.DIGEST_LENGTH) {
            throw new IllegalArgumentException("etag must be 32 bytes, got " + etag.length);
        }
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, got " + size);
        }
    }

    /** The etag as lowercase hex (64 characters). */
    public String etagHex() {
        return HexFormat.of().formatHex(etag);
    }

    /** The same entry with its data (and key) placed elsewhere. */
    public EntryRecord withData(DataRef newData, KeyRef newKey) {
        return new EntryRecord(size, contentType, metadata, etag, version, modifiedMillis, newData, newKey);
    }

    /**
     * Checks user metadata and content type against the limits.
     *
     * @throws IllegalArgumentException naming the limit
     */
    public static void checkLimits(String contentType, Map<String, String> metadata) {
        if (contentType.getBytes(StandardCharsets.UTF_8).length > MAX_CONTENT_TYPE_BYTES) {
            throw new IllegalArgumentException("content type is longer than " + MAX_CONTENT_TYPE_BYTES + " bytes");
        }
        if (metadata.size() > MAX_METADATA_ENTRIES) {
            throw new IllegalArgumentException("metadata has " + metadata.size() + " names, at most "
                    + MAX_METADATA_ENTRIES + " are allowed");
        }
        int total = 0;
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey().isEmpty()) {
                throw new IllegalArgumentException("a metadata name must not be empty");
            }
            total += e.getKey().getBytes(StandardCharsets.UTF_8).length + e.getValue().getBytes(StandardCharsets.UTF_8).length;
        }
        if (total > MAX_METADATA_BYTES) {
            throw new IllegalArgumentException("metadata is " + total + " bytes of names and values, more than "
                    + MAX_METADATA_BYTES);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EntryRecord r && size == r.size && contentType.equals(r.contentType)
                && metadata.equals(r.metadata) && Arrays.equals(etag, r.etag) && version == r.version
                && modifiedMillis == r.modifiedMillis && data.equals(r.data) && Objects.equals(key, r.key);
    }

    @Override
    public int hashCode() {
        return Objects.hash(size, contentType, Arrays.hashCode(etag), version);
    }

    @Override
    public String toString() {
        return "EntryRecord[" + size + " bytes, " + contentType + ", v" + version + ", etag " + etagHex().substring(0, 12)
                + "…, " + data + (key == null ? "" : ", " + key) + "]";
    }
}
