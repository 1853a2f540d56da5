package io.tusk.s3;

import org.eclipse.jetty.http.HttpField;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/** An object's headers in both directions: what a PUT sends to be stored, what a GET or HEAD answers. */
final class ObjectHeaders {
    static final String META_PREFIX = "x-amz-meta-";
    /** S3's limit on user metadata: names (without x-amz-meta-) and values, UTF-8 bytes. */
    static final int MAX_USER_METADATA_BYTES = 2048;
    static final String DEFAULT_CONTENT_TYPE = "binary/octet-stream";
    static final Set<String> STORAGE_CLASSES = Set.of("STANDARD", "REDUCED_REDUNDANCY", "STANDARD_IA", "ONEZONE_IA",
            "INTELLIGENT_TIERING", "GLACIER", "DEEP_ARCHIVE", "GLACIER_IR", "OUTPOSTS", "SNOW", "EXPRESS_ONEZONE");
    private static final int MAX_TAGS = 10;

    private ObjectHeaders() {
    }

    /** Everything a PUT (or CreateMultipartUpload) stores beside the bytes, as entry metadata, but the ETag. */
    static Map<String, String> fromRequest(S3Request request) {
        List<Map.Entry<String, String>> fields = new ArrayList<>();
        for (HttpField field : request.headers()) {
            fields.add(Map.entry(field.getName(), field.getValue() == null ? "" : field.getValue()));
        }
        return fromFields(fields);
    }

    /**
     * As {@link #fromRequest}, from name-value pairs (names in any case): a request's headers, or a browser POST's form
     * fields, which carry the same names.
     */
    static Map<String, String> fromFields(List<Map.Entry<String, String>> fields) {
        unsupported(fields);
        Map<String, String> metadata = new TreeMap<>();
        int size = 0;
        for (Map.Entry<String, String> field : fields) {
            String name = field.getKey().toLowerCase(Locale.ROOT);
            if (name.startsWith(META_PREFIX) && name.length() > META_PREFIX.length()) {
                String key = name.substring(META_PREFIX.length());
                String value = SigV4.asUtf8(field.getValue().trim());
                metadata.merge(key, value, (a, b) -> a + "," + b);
                size += key.getBytes(StandardCharsets.UTF_8).length + value.getBytes(StandardCharsets.UTF_8).length;
            }
        }
        if (size > MAX_USER_METADATA_BYTES) {
            throw new S3Exception(S3Error.METADATA_TOO_LARGE).field("Size", Integer.toString(size))
                    .field("MaxSizeAllowed", Integer.toString(MAX_USER_METADATA_BYTES));
        }
        S3Object.CONTENT_HEADERS.forEach((field, header) -> first(fields, header).ifPresent(v -> metadata.put(field, v)));
        first(fields, "x-amz-storage-class").ifPresent(storageClass -> {
            if (!STORAGE_CLASSES.contains(storageClass)) {
                throw new S3Exception(S3Error.INVALID_STORAGE_CLASS).field("StorageClassRequested", storageClass);
            }
            if (!storageClass.equals("STANDARD")) {
                metadata.put(S3Object.STORAGE_CLASS, storageClass);
            }
        });
        first(fields, "x-amz-tagging").ifPresent(tags -> {
            String canonical = canonicalTags(S3Request.parseQuery(tags));
            if (!canonical.isEmpty()) {
                metadata.put(S3Object.TAGS, canonical);
            }
        });
        return metadata;
    }

    /** The first value of field {@code name} (any case). */
    static Optional<String> first(List<Map.Entry<String, String>> fields, String name) {
        return fields.stream().filter(f -> f.getKey().equalsIgnoreCase(name)).map(Map.Entry::getValue).findFirst();
    }

    static String contentType(S3Request request) {
        return request.header("Content-Type").filter(t -> !t.isBlank()).orElse(DEFAULT_CONTENT_TYPE);
    }

    /** Headers asking for what Tusk does not claim: server-side encryption, object lock, website redirects. */
    private static void unsupported(List<Map.Entry<String, String>> fields) {
        for (String header : List.of("x-amz-server-side-encryption", "x-amz-server-side-encryption-customer-algorithm",
                "x-amz-server-side-encryption-aws-kms-key-id", "x-amz-object-lock-mode",
                "x-amz-object-lock-retain-until-date", "x-amz-object-lock-legal-hold", "x-amz-website-redirect-location")) {
            if (first(fields, header).isPresent()) {
                throw new S3Exception(S3Error.NOT_IMPLEMENTED, "the header " + header + " asks for something this S3 API "
                        + "does not do").field("Header", header);
            }
        }
    }

    /**
     * The tags of a {@code <Tagging><TagSet><Tag><Key/><Value/></Tag>...} document (PutObjectTagging, PutBucketTagging,
     * a browser POST's {@code tagging} field), by key, each key's values in order (more than one is refused later).
     */
    static Map<String, List<String>> tagSet(XmlElement tagging) {
        if (!tagging.name().equals("Tagging")) {
            throw new S3Exception(S3Error.MALFORMED_XML);
        }
        Map<String, List<String>> tags = new LinkedHashMap<>();
        for (XmlElement set : tagging.all("TagSet")) {
            for (XmlElement tag : set.all("Tag")) {
                String k = tag.child("Key").map(XmlElement::text).orElseThrow(() -> new S3Exception(S3Error.MALFORMED_XML));
                String v = tag.child("Value").map(XmlElement::text).orElse("");
                tags.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
            }
        }
        return tags;
    }

    /**
     * A tag set ({@code k=v&k2=v2}) checked against S3's limits and written back canonically.
     *
     * @throws S3Exception {@code InvalidTag} (too many tags, a key or value too long) or {@code InvalidArgument}
     *                     (a key twice)
     */
    static String canonicalTags(Map<String, List<String>> tags) {
        return canonicalTags(tags, MAX_TAGS);
    }

    /** As {@link #canonicalTags(Map)}, with at most {@code maxTags} tags. */
    static String canonicalTags(Map<String, List<String>> tags, int maxTags) {
        if (tags.size() > maxTags) {
            throw new S3Exception(S3Error.INVALID_TAG, "Object tags cannot be greater than " + maxTags);
        }
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, List<String>> tag : tags.entrySet()) {
            if (tag.getValue().size() > 1) {
                throw S3Exception.invalidArgument("Cannot provide multiple Tags with the same key", "x-amz-tagging",
                        tag.getKey());
            }
            String value = tag.getValue().getFirst();
            if (tag.getKey().isEmpty() || tag.getKey().length() > 128 || value.length() > 256) {
                throw new S3Exception(S3Error.INVALID_TAG, "The TagKey or TagValue you have provided is too long: "
                        + "keys are 1 to 128 characters, values up to 256");
            }
            if (!out.isEmpty()) {
                out.append('&');
            }
            out.append(UriEncoding.encode(tag.getKey(), false)).append('=').append(UriEncoding.encode(value, false));
        }
        return out.toString();
    }

    /** The tag set an object holds, in order. */
    static Map<String, String> tags(S3Object object) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = object.system().get(S3Object.TAGS);
        if (raw != null) {
            S3Request.parseQuery(raw).forEach((k, v) -> out.put(k, v.getFirst()));
        }
        return out;
    }

    /** The headers GET and HEAD answer for {@code object}; {@code versioned}: the bucket was ever versioned. */
    static void toResponse(S3Response response, S3Object object, boolean versioned, S3Request request) {
        response.header("ETag", object.quotedEtag())
                .header("Last-Modified", Http.httpDate(object.lastModified()))
                .header("Accept-Ranges", "bytes");
        if (versioned) {
            response.header("x-amz-version-id", object.versionId());
        }
        object.userMetadata().forEach((name, value) -> response.header(META_PREFIX + name, headerText(value)));
        S3Object.CONTENT_HEADERS.forEach((field, header) -> {
            String override = request.query("response-" + header.toLowerCase(Locale.ROOT)).orElse(null);
            response.header(header, override != null ? override : object.system().get(field));
        });
        if (!object.storageClass().equals("STANDARD")) {
            response.header("x-amz-storage-class", object.storageClass());
        }
        int tags = tags(object).size();
        if (tags > 0) {
            response.header("x-amz-tagging-count", Integer.toString(tags));
        }
        if (object.partCount() > 0) {
            response.header("x-amz-mp-parts-count", Integer.toString(object.partCount()));
        }
    }

    /**
     * A stored text as a header value: Jetty writes each char as one byte (ISO-8859-1), which keeps text of Latin-1
     * chars as the byte strings Latin-1 clients (botocore, the Java SDK) sent and read; text beyond Latin-1 goes out as
     * its UTF-8 bytes, the only bytes that can carry it.
     */
    static String headerText(String value) {
        if (value.chars().allMatch(c -> c <= 0xFF)) {
            return value;
        }
        return new String(value.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
    }

    static String responseContentType(S3Object object, S3Request request) {
        return request.query("response-content-type").orElse(object.contentType());
    }

    /** Names of the response-* overrides S3 accepts. */
    static final Set<String> OVERRIDES = new LinkedHashSet<>(List.of("response-content-type",
            "response-content-language", "response-expires", "response-cache-control", "response-content-disposition",
            "response-content-encoding"));
}
