package io.tusk.s3;

import io.tusk.spaces.Entry;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * An object version (or delete marker) as S3 sees it, read from the space entry that holds it. The entry's metadata
 * holds the user metadata under its own names and S3's fields under names starting with ':' (no HTTP header name,
 * so no {@code x-amz-meta-*}, can make one):
 * {@code :md5} the ETag, {@code :vid} the version ID, {@code :dm} a delete marker, {@code :ce :cd :cc :cl :ex}
 * Content-Encoding, -Disposition, Cache-Control, Content-Language and Expires, {@code :ck} the checksum
 * ({@code ALGORITHM:base64}), {@code :ckt} its type, {@code :pn} and {@code :ps} the part count and part sizes of a
 * multipart object, {@code :pck} its parts' checksums, {@code :tags} its tag set, {@code :acl} its ACL grants, {@code :sc} its storage class.
 */
record S3Object(String key, long size, String etag, String versionId, boolean deleteMarker, Instant lastModified,
                String contentType, Map<String, String> userMetadata, Map<String, String> system, long entryVersion) {
    static final String NULL_VERSION = "null";
    static final String ETAG = ":md5";
    static final String VERSION_ID = ":vid";
    static final String DELETE_MARKER = ":dm";
    static final String CHECKSUM = ":ck";
    static final String CHECKSUM_TYPE = ":ckt";
    static final String PART_COUNT = ":pn";
    static final String PART_SIZES = ":ps";
    /** The parts' own checksums (base64, comma-separated) of a multipart object whose parts all had one. */
    static final String PART_CHECKSUMS = ":pck";
    static final String TAGS = ":tags";
    /** The object's ACL grants ({@link Grants#encode()}); none: private to the bucket's owner. */
    static final String ACL = ":acl";
    static final String STORAGE_CLASS = ":sc";
    /** The multipart upload that made the object: a retried CompleteMultipartUpload finds it done. */
    static final String UPLOAD_ID = ":up";
    /** The content headers S3 stores with an object, by their metadata field. */
    static final Map<String, String> CONTENT_HEADERS = contentHeaders();

    private static Map<String, String> contentHeaders() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(":ce", "Content-Encoding");
        headers.put(":cd", "Content-Disposition");
        headers.put(":cc", "Cache-Control");
        headers.put(":cl", "Content-Language");
        headers.put(":ex", "Expires");
        return headers;
    }

    /** The object an entry holds, under its object key {@code key} (a version record's entry key is internal). */
    static S3Object of(String key, Entry entry) {
        Map<String, String> user = new TreeMap<>();
        Map<String, String> system = new TreeMap<>();
        entry.metadata().forEach((name, value) -> (name.startsWith(":") ? system : user).put(name, value));
        String etag = system.get(ETAG);
        if (etag == null) {
            // Written through the spaces API, not S3: no MD5 was kept. A multipart-shaped ETag ("-1") tells clients
            // not to compare it with an MD5 of the bytes.
            etag = entry.etag().substring(0, 32) + "-1";
        }
        return new S3Object(key, entry.size(), etag, system.getOrDefault(VERSION_ID, NULL_VERSION),
                "1".equals(system.get(DELETE_MARKER)), entry.modified(), entry.contentType(), user, system,
                entry.version());
    }

    /** The ETag as a header or XML value: quoted. */
    String quotedEtag() {
        return "\"" + etag + "\"";
    }

    Optional<RequestBody.Checksum> checksum() {
        String value = system.get(CHECKSUM);
        if (value == null) {
            return Optional.empty();
        }
        int colon = value.indexOf(':');
        return ChecksumAlgorithm.named(value.substring(0, colon)).map(a -> new RequestBody.Checksum(a, value.substring(colon + 1)));
    }

    /** COMPOSITE (a multipart object's checksum of checksums) or empty (a checksum of the whole body). */
    Optional<String> checksumType() {
        return Optional.ofNullable(system.get(CHECKSUM_TYPE));
    }

    Grants grants() {
        return Grants.decode(system.get(ACL));
    }

    int partCount() {
        String count = system.get(PART_COUNT);
        return count == null ? 0 : Integer.parseInt(count);
    }

    String storageClass() {
        return system.getOrDefault(STORAGE_CLASS, "STANDARD");
    }
}
