package io.tusk.s3;

import io.tusk.spaces.Entry;
import io.tusk.spaces.ListPage;
import io.tusk.spaces.ListQuery;
import io.tusk.spaces.Snapshot;
import io.tusk.spaces.tree.Keys;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * ListObjects (v1 and v2) and ListObjectVersions over a bucket's space: pages of the space's ordered listing (prefix,
 * delimiter, start-after), without internal keys (they sort last: the first one ends a listing) and, for object
 * listings, without delete markers.
 */
final class Listings {
    static final int MAX_KEYS = 1000;

    private final S3Context ctx;

    Listings(S3Context ctx) {
        this.ctx = ctx;
    }

    /** An object or a common prefix, in key order. */
    record Item(String key, Entry entry) {
        boolean isPrefix() {
            return entry == null;
        }
    }

    private record Listed(Bucket bucket, Snapshot snapshot, BucketSettings settings) {
    }

    private Listed readable(S3Request request, Authentication auth) {
        Bucket bucket = ctx.buckets().get(request.bucket());
        Snapshot snapshot = bucket.head();
        BucketSettings settings = Bucket.settings(snapshot);
        if (settings.deleted()) {
            throw S3Exception.noSuchBucket(bucket.name());
        }
        S3Context.mayRead(auth, bucket, settings);
        return new Listed(bucket, snapshot, settings);
    }

    static int maxKeys(S3Request request, String name) {
        Optional<String> text = request.query(name);
        if (text.isEmpty()) {
            return MAX_KEYS;
        }
        try {
            int n = Integer.parseInt(text.get().trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.min(n, MAX_KEYS);
        } catch (NumberFormatException e) {
            throw S3Exception.invalidArgument("Provided " + name + " not an integer or within integer range", name,
                    text.get());
        }
    }

    static boolean urlEncoding(S3Request request) {
        Optional<String> type = request.query("encoding-type");
        if (type.isPresent() && !type.get().equals("url")) {
            throw S3Exception.invalidArgument("Invalid Encoding Method specified in Request", "encoding-type", type.get());
        }
        return type.isPresent();
    }

    /**
     * Up to {@code max + 1} items after {@code startAfter} (one more than a page tells whether it is truncated).
     * Delete markers are skipped when {@code objectsOnly}, and so are common prefixes holding nothing but markers.
     */
    static List<Item> collect(Snapshot snapshot, String prefix, String delimiter, String startAfter, int max,
                              boolean objectsOnly, boolean markersPossible) {
        List<Item> out = new ArrayList<>();
        if (snapshot == null || max == 0 || InternalKeys.isInternal(prefix)) {
            return out;
        }
        String after = startAfter == null || startAfter.isEmpty() ? null : startAfter;
        while (true) {
            ListPage page = snapshot.list(new ListQuery(prefix, delimiter, after,
                    Math.min(ListQuery.MAX_LIMIT, max + 1 - out.size() + 8)));
            for (Item item : merge(page)) {
                if (InternalKeys.isInternal(item.key())) {
                    return out; // internal keys sort after every object key
                }
                if (objectsOnly && markersPossible && (item.isPrefix() ? !hasObject(snapshot, item.key())
                        : S3Object.of(item.key(), item.entry()).deleteMarker())) {
                    continue;
                }
                out.add(item);
                if (out.size() > max) {
                    return out;
                }
            }
            if (page.nextStartAfter() == null) {
                return out;
            }
            after = page.nextStartAfter();
        }
    }

    private static boolean hasObject(Snapshot snapshot, String prefix) {
        for (Entry e : snapshot.entries(prefix)) {
            if (!S3Object.of(e.key(), e).deleteMarker()) {
                return true;
            }
        }
        return false;
    }

    /** A page's entries and common prefixes merged into key order. */
    private static List<Item> merge(ListPage page) {
        List<Item> out = new ArrayList<>(page.entries().size() + page.commonPrefixes().size());
        int e = 0;
        int p = 0;
        while (e < page.entries().size() || p < page.commonPrefixes().size()) {
            boolean takeEntry = p == page.commonPrefixes().size() || (e < page.entries().size()
                    && Keys.compare(page.entries().get(e).key(), page.commonPrefixes().get(p)) < 0);
            if (takeEntry) {
                Entry entry = page.entries().get(e++);
                out.add(new Item(entry.key(), entry));
            } else {
                out.add(new Item(page.commonPrefixes().get(p++), null));
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ objects

    S3Response listObjects(S3Request request, Authentication auth, boolean v2) {
        Listed listed = readable(request, auth);
        boolean url = urlEncoding(request);
        String prefix = request.query("prefix").orElse("");
        String delimiter = request.query("delimiter").filter(d -> !d.isEmpty()).orElse(null);
        int max = maxKeys(request, "max-keys");
        String continuation = v2 ? request.query("continuation-token").orElse(null) : null;
        String startAfter = v2 ? request.query("start-after").orElse(null) : request.query("marker").orElse(null);
        String from = continuation != null ? decodeToken(continuation) : startAfter;
        List<Item> items = collect(listed.snapshot(), prefix, delimiter, from, max, true,
                listed.settings().everVersioned());
        boolean truncated = items.size() > max;
        List<Item> page = truncated ? items.subList(0, max) : items;

        XmlWriter xml = XmlWriter.document("ListBucketResult");
        xml.element("Name", listed.bucket().name()).element("Prefix", encode(prefix, url));
        if (v2) {
            if (delimiter != null) {
                xml.element("Delimiter", encode(delimiter, url));
            }
            xml.element("MaxKeys", max);
            if (url) {
                xml.element("EncodingType", "url");
            }
            xml.element("KeyCount", page.size()).element("IsTruncated", truncated);
            xml.element("ContinuationToken", continuation);
            if (truncated) {
                xml.element("NextContinuationToken", encodeToken(page.getLast().key()));
            }
            xml.element("StartAfter", startAfter == null ? null : encode(startAfter, url));
        } else {
            xml.element("Marker", encode(startAfter == null ? "" : startAfter, url));
            if (truncated && delimiter != null) {
                xml.element("NextMarker", encode(page.getLast().key(), url));
            }
            xml.element("MaxKeys", max);
            if (delimiter != null) {
                xml.element("Delimiter", encode(delimiter, url));
            }
            if (url) {
                xml.element("EncodingType", "url");
            }
            xml.element("IsTruncated", truncated);
        }
        boolean owner = !v2 || request.query("fetch-owner").map(f -> f.equals("true")).orElse(false);
        for (Item item : page) {
            if (item.isPrefix()) {
                continue;
            }
            S3Object object = S3Object.of(item.key(), item.entry());
            xml.start("Contents").element("Key", encode(item.key(), url))
                    .element("LastModified", object.lastModified()).element("ETag", object.quotedEtag())
                    .element("Size", object.size()).element("StorageClass", object.storageClass());
            if (owner) {
                BucketOps.owner(xml, listed.bucket().owner());
            }
            xml.end();
        }
        for (Item item : page) {
            if (item.isPrefix()) {
                xml.start("CommonPrefixes").element("Prefix", encode(item.key(), url)).end();
            }
        }
        return S3Response.ok(xml);
    }

    static String encode(String text, boolean url) {
        return url ? UriEncoding.encode(text, true) : text;
    }

    static String encodeToken(String key) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key.getBytes(StandardCharsets.UTF_8));
    }

    static String decodeToken(String token) {
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw S3Exception.invalidArgument("The continuation token provided is incorrect", "continuation-token", token);
        }
    }

    // ------------------------------------------------------------------------------------------------ versions

    /** One line of a version listing. */
    private record VersionItem(String key, S3Object version, boolean latest) {
        boolean isPrefix() {
            return version == null;
        }
    }

    S3Response listVersions(S3Request request, Authentication auth) {
        Listed listed = readable(request, auth);
        boolean url = urlEncoding(request);
        String prefix = request.query("prefix").orElse("");
        String delimiter = request.query("delimiter").filter(d -> !d.isEmpty()).orElse(null);
        int max = maxKeys(request, "max-keys");
        String keyMarker = request.query("key-marker").filter(k -> !k.isEmpty()).orElse(null);
        String versionMarker = request.query("version-id-marker").filter(v -> !v.isEmpty()).orElse(null);
        if (versionMarker != null && keyMarker == null) {
            throw S3Exception.invalidArgument("A version-id marker cannot be specified without a key marker.",
                    "version-id-marker", versionMarker);
        }
        Snapshot snapshot = listed.snapshot();
        List<VersionItem> items = new ArrayList<>();
        if (snapshot != null && max > 0 && !InternalKeys.isInternal(prefix)) {
            if (keyMarker != null && versionMarker != null && keyMarker.startsWith(prefix)) {
                // first the rest of the marker key's versions, after the marker version
                Optional<Versions.Found> marker = Versions.wellFormed(versionMarker)
                        ? Versions.find(snapshot, keyMarker, versionMarker) : Optional.empty();
                if (marker.isPresent()) {
                    String afterRecord = marker.get().current() ? null : marker.get().entryKey();
                    for (Versions.Found older : Versions.older(snapshot, keyMarker, afterRecord, max + 1)) {
                        items.add(new VersionItem(keyMarker, older.object(), false));
                    }
                }
            }
            String after = keyMarker;
            fill:
            while (items.size() <= max) {
                int want = Math.min(MAX_KEYS, max + 1 - items.size());
                List<Item> keys = collect(snapshot, prefix, delimiter, after, want, false, false);
                for (Item item : keys) {
                    if (item.isPrefix()) {
                        items.add(new VersionItem(item.key(), null, false));
                    } else {
                        items.addAll(versionsOf(snapshot, item.key(), max + 1 - items.size()));
                    }
                    after = item.key();
                    if (items.size() > max) {
                        break fill;
                    }
                }
                if (keys.size() <= want) {
                    break; // collect gives one more than asked while more keys follow
                }
            }
        }
        boolean truncated = items.size() > max;
        List<VersionItem> page = truncated ? items.subList(0, max) : items;

        XmlWriter xml = XmlWriter.document("ListVersionsResult");
        xml.element("Name", listed.bucket().name()).element("Prefix", encode(prefix, url))
                .element("KeyMarker", encode(keyMarker == null ? "" : keyMarker, url))
                .element("VersionIdMarker", versionMarker == null ? "" : versionMarker);
        if (truncated) {
            VersionItem last = page.getLast();
            xml.element("NextKeyMarker", encode(last.key(), url));
            if (!last.isPrefix()) {
                xml.element("NextVersionIdMarker", last.version().versionId());
            }
        }
        xml.element("MaxKeys", max);
        if (delimiter != null) {
            xml.element("Delimiter", encode(delimiter, url));
        }
        if (url) {
            xml.element("EncodingType", "url");
        }
        xml.element("IsTruncated", truncated);
        for (VersionItem item : page) {
            if (item.isPrefix()) {
                continue;
            }
            S3Object v = item.version();
            if (v.deleteMarker()) {
                xml.start("DeleteMarker").element("Key", encode(item.key(), url)).element("VersionId", v.versionId())
                        .element("IsLatest", item.latest()).element("LastModified", v.lastModified());
                BucketOps.owner(xml, listed.bucket().owner());
                xml.end();
            } else {
                xml.start("Version").element("Key", encode(item.key(), url)).element("VersionId", v.versionId())
                        .element("IsLatest", item.latest()).element("LastModified", v.lastModified())
                        .element("ETag", v.quotedEtag()).element("Size", v.size())
                        .element("StorageClass", v.storageClass());
                BucketOps.owner(xml, listed.bucket().owner());
                xml.end();
            }
        }
        for (VersionItem item : page) {
            if (item.isPrefix()) {
                xml.start("CommonPrefixes").element("Prefix", encode(item.key(), url)).end();
            }
        }
        return S3Response.ok(xml);
    }

    /** The versions of one key, latest first, at most {@code limit}. */
    private static List<VersionItem> versionsOf(Snapshot snapshot, String key, int limit) {
        List<VersionItem> out = new ArrayList<>();
        S3Object current = Versions.current(snapshot, key);
        if (current == null || limit <= 0) {
            return out;
        }
        out.add(new VersionItem(key, current, true));
        for (Versions.Found older : Versions.older(snapshot, key, null, limit - 1)) {
            out.add(new VersionItem(key, older.object(), false));
        }
        return out;
    }
}
