package io.tusk.s3;

import io.tusk.spaces.Snapshot;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * GetObjectAttributes ({@code GET /BUCKET/KEY?attributes}): an object's ETag, checksum, parts, storage class and size
 * without its bytes, as many as {@code x-amz-object-attributes} names. A multipart object's parts page with
 * {@code x-amz-max-parts} and {@code x-amz-part-number-marker}.
 */
final class ObjectAttributes {
    private static final Set<String> NAMES = Set.of("ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize");
    private static final int MAX_PARTS = 1_000;

    private final S3Context ctx;

    ObjectAttributes(S3Context ctx) {
        this.ctx = ctx;
    }

    S3Response get(S3Request request, Authentication auth) {
        Set<String> wanted = wanted(request);
        int maxParts = intHeader(request, "x-amz-max-parts", MAX_PARTS);
        int marker = intHeader(request, "x-amz-part-number-marker", 0);
        Bucket bucket = ctx.buckets().get(request.bucket());
        Snapshot snapshot = bucket.head();
        BucketSettings settings = Bucket.settings(snapshot);
        if (settings.deleted()) {
            throw S3Exception.noSuchBucket(bucket.name());
        }
        S3Context.mayRead(auth, bucket, settings);
        String key = ObjectOps.checkKey(request.key());
        if (snapshot == null) {
            throw S3Exception.noSuchKey(key);
        }
        S3Object object = ObjectChanges.locate(snapshot, key, request.query("versionId").orElse(null)).object();

        XmlWriter xml = XmlWriter.document("GetObjectAttributesResponse");
        if (wanted.contains("ETag")) {
            xml.element("ETag", object.etag());
        }
        if (wanted.contains("Checksum") && object.checksum().isPresent()) {
            RequestBody.Checksum c = object.checksum().get();
            xml.start("Checksum").element(c.algorithm().xmlName(), c.value())
                    .element("ChecksumType", object.checksumType().orElse("FULL_OBJECT")).end();
        }
        if (wanted.contains("ObjectParts") && object.partCount() > 0) {
            parts(xml, object, maxParts, marker);
        }
        if (wanted.contains("StorageClass")) {
            xml.element("StorageClass", object.storageClass());
        }
        if (wanted.contains("ObjectSize")) {
            xml.element("ObjectSize", object.size());
        }
        return S3Response.ok(xml).header("Last-Modified", Http.httpDate(object.lastModified()))
                .header("x-amz-version-id", settings.everVersioned() ? object.versionId() : null);
    }

    /** The parts after {@code marker}, at most {@code maxParts}, with sizes (and checksums) where the object kept them. */
    private static void parts(XmlWriter xml, S3Object object, int maxParts, int marker) {
        int count = object.partCount();
        List<String> sizes = split(object.system().get(S3Object.PART_SIZES));
        List<String> checksums = split(object.system().get(S3Object.PART_CHECKSUMS));
        String algorithm = object.checksum().map(c -> c.algorithm().xmlName()).orElse(null);
        // PartsCount is what S3 sends and SDKs read (S3's docs say TotalPartsCount)
        xml.start("ObjectParts").element("PartsCount", count).element("PartNumberMarker", marker)
                .element("MaxParts", maxParts);
        int last = Math.min(count, marker + maxParts);
        xml.element("IsTruncated", last < count);
        if (last < count) {
            xml.element("NextPartNumberMarker", last);
        }
        for (int n = marker + 1; n <= last && n <= sizes.size(); n++) {
            xml.start("Part").element("PartNumber", n).element("Size", sizes.get(n - 1));
            if (algorithm != null && checksums.size() == count) {
                xml.element(algorithm, checksums.get(n - 1));
            }
            xml.end();
        }
        xml.end();
    }

    private static List<String> split(String joined) {
        return joined == null || joined.isEmpty() ? List.of() : Arrays.asList(joined.split(","));
    }

    private static Set<String> wanted(S3Request request) {
        Set<String> wanted = new LinkedHashSet<>();
        for (String value : request.headers().getValuesList("x-amz-object-attributes")) {
            for (String name : value.split(",")) {
                String n = name.trim();
                if (n.isEmpty()) {
                    continue;
                }
                if (!NAMES.contains(n)) {
                    throw S3Exception.invalidArgument("Invalid attribute name specified.", "x-amz-object-attributes", n);
                }
                wanted.add(n);
            }
        }
        if (wanted.isEmpty()) {
            throw S3Exception.invalidArgument("x-amz-object-attributes must name at least one of " + NAMES,
                    "x-amz-object-attributes", "");
        }
        return wanted;
    }

    private static int intHeader(S3Request request, String name, int fallback) {
        String text = request.header(name).orElse(null);
        if (text == null) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(text.trim());
            if (n >= 0) {
                return Math.min(n, name.equals("x-amz-max-parts") ? MAX_PARTS : Integer.MAX_VALUE);
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw S3Exception.invalidArgument(name + " must be a non-negative integer", name, text);
    }
}
