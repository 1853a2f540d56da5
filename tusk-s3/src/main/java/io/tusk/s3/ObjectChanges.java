package io.tusk.s3;

import io.tusk.spaces.PutOptions;
import io.tusk.spaces.Snapshot;
import io.tusk.spaces.StagedContent;
import io.tusk.spaces.Transaction;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The changes object writes make to a bucket's space, with S3's versioning and conditional-write rules. */
final class ObjectChanges {
    private ObjectChanges() {
    }

    /** What a write stores: a small body, content staged before the commit, or the content of another entry. */
    sealed interface Body {
        default long memoryBytes() {
            return 0;
        }
    }

    record Bytes(byte[] data) implements Body {
        @Override
        public long memoryBytes() {
            return data.length;
        }
    }

    record Staged(StagedContent content) implements Body {
    }

    /** Shares the content of {@code entryKey} in {@code source} (a version of the same bucket): nothing is copied. */
    record CopyOf(Snapshot source, String entryKey) implements Body {
    }

    /**
     * S3's conditional writes, checked against the version the commit builds on (and so made atomic by the space's
     * compare-and-swap): {@code If-None-Match: *} (no current object) or {@code If-None-Match: "etag"} (not that
     * object), and {@code If-Match: "etag"} or {@code *} (that object; none is {@code NoSuchKey}).
     */
    record Conditions(String ifMatch, String ifNoneMatch) {
        static final Conditions NONE = new Conditions(null, null);

        void check(String key, S3Object current) {
            boolean exists = current != null && !current.deleteMarker();
            if (ifNoneMatch != null && exists && Http.etagMatches(ifNoneMatch, current.etag())) {
                throw new S3Exception(S3Error.PRECONDITION_FAILED).field("Condition", "If-None-Match");
            }
            if (ifMatch != null) {
                if (!exists) {
                    throw S3Exception.noSuchKey(key);
                }
                if (!Http.etagMatches(ifMatch, current.etag())) {
                    throw new S3Exception(S3Error.PRECONDITION_FAILED).field("Condition", "If-Match");
                }
            }
        }
    }

    /** What a delete did: the version ID it removed or made, and whether that is a delete marker. */
    record Deleted(String versionId, boolean deleteMarker) {
    }

    /** The bucket's settings in {@code base}, refusing a bucket being deleted. */
    static BucketSettings settings(Snapshot base, String bucket) {
        BucketSettings settings = Bucket.settings(base);
        if (settings.deleted()) {
            throw S3Exception.noSuchBucket(bucket);
        }
        return settings;
    }

    /**
     * Writes a new latest version of {@code key}. {@code metadata} holds user metadata and S3's fields but the
     * version ID, which the commit decides. Answers the version ID (null in a bucket never versioned).
     */
    static Change<String> put(String bucket, String key, Body body, String contentType, Map<String, String> metadata,
                              Conditions conditions) {
        return new Change<>() {
            @Override
            public Set<String> keys() {
                return Set.of(key);
            }

            @Override
            public long bytes() {
                return body.memoryBytes();
            }

            @Override
            public String apply(Snapshot base, Transaction tx, long version) {
                BucketSettings settings = settings(base, bucket);
                conditions.check(key, Versions.current(base, key));
                String versionId = Versions.newVersionId(settings, version);
                Map<String, String> meta = new LinkedHashMap<>(metadata);
                meta.remove(S3Object.DELETE_MARKER);
                if (settings.everVersioned()) {
                    meta.put(S3Object.VERSION_ID, versionId);
                } else {
                    meta.remove(S3Object.VERSION_ID);
                }
                PutOptions options = new PutOptions(contentType, meta, null);
                Versions.retireCurrent(base, tx, key, settings);
                switch (body) {
                    case Bytes b -> tx.put(key, b.data(), options);
                    case Staged s -> tx.put(key, s.content(), options);
                    case CopyOf c -> tx.copy(key, c.source(), c.entryKey(), options);
                }
                return settings.everVersioned() ? versionId : null;
            }

            @Override
            public String describe() {
                return "PUT " + key;
            }
        };
    }

    /** DeleteObject without a version ID: removes the key, or (versioned) adds a delete marker on top. */
    static Change<Deleted> delete(String bucket, String key) {
        return new Change<>() {
            @Override
            public Set<String> keys() {
                return Set.of(key);
            }

            @Override
            public Deleted apply(Snapshot base, Transaction tx, long version) {
                BucketSettings settings = settings(base, bucket);
                if (!settings.everVersioned()) {
                    tx.delete(key);
                    return new Deleted(null, false);
                }
                String versionId = Versions.newVersionId(settings, version);
                Versions.retireCurrent(base, tx, key, settings);
                tx.put(key, new byte[0], new PutOptions("application/octet-stream",
                        Map.of(S3Object.VERSION_ID, versionId, S3Object.DELETE_MARKER, "1"), null));
                return new Deleted(versionId, true);
            }

            @Override
            public String describe() {
                return "DELETE " + key;
            }
        };
    }

    /** DeleteObject with a version ID: removes that version for good (an unknown one is not an error, as in S3). */
    static Change<Deleted> deleteVersion(String bucket, String key, String versionId) {
        return new Change<>() {
            @Override
            public Set<String> keys() {
                return Set.of(key);
            }

            @Override
            public Deleted apply(Snapshot base, Transaction tx, long version) {
                settings(base, bucket);
                var found = Versions.find(base, key, versionId);
                if (found.isEmpty()) {
                    return new Deleted(versionId, false);
                }
                Versions.deleteVersion(base, tx, key, found.get());
                return new Deleted(versionId, found.get().object().deleteMarker());
            }

            @Override
            public String describe() {
                return "DELETE " + key + "?versionId=" + versionId;
            }
        };
    }

    /** Rewrites one version's metadata (tags) in place: same content and version ID, as S3's tagging calls do. */
    static Change<String> retag(String bucket, String key, String versionId, String tags) {
        return updateSystem(bucket, key, versionId, S3Object.TAGS, tags == null || tags.isEmpty() ? null : tags,
                "PUT " + key + "?tagging");
    }

    /**
     * Sets (or, with null, removes) one of S3's fields of an object version in place (its tags, its ACL): the same
     * bytes, the same version ID. Answers the version ID.
     */
    static Change<String> updateSystem(String bucket, String key, String versionId, String field, String value,
                                       String description) {
        return new Change<>() {
            @Override
            public Set<String> keys() {
                return Set.of(key);
            }

            @Override
            public String apply(Snapshot base, Transaction tx, long version) {
                settings(base, bucket);
                Versions.Found found = locate(base, key, versionId);
                S3Object o = found.object();
                Map<String, String> meta = new LinkedHashMap<>(o.userMetadata());
                meta.putAll(o.system());
                if (value == null) {
                    meta.remove(field);
                } else {
                    meta.put(field, value);
                }
                tx.copy(found.entryKey(), base, found.entryKey(), new PutOptions(o.contentType(), meta, null));
                return o.versionId();
            }

            @Override
            public String describe() {
                return description;
            }
        };
    }

    /**
     * The version a read or tagging call names: the latest (no version ID) or that version.
     *
     * @throws S3Exception {@code NoSuchKey}, {@code NoSuchVersion}, {@code InvalidArgument} (a malformed version ID),
     *                     {@code MethodNotAllowed} (a delete marker named by version ID)
     */
    static Versions.Found locate(Snapshot base, String key, String versionId) {
        if (versionId == null) {
            S3Object current = Versions.current(base, key);
            if (current == null) {
                throw S3Exception.noSuchKey(key);
            }
            if (current.deleteMarker()) {
                throw S3Exception.noSuchKey(key).header("x-amz-delete-marker", "true")
                        .header("x-amz-version-id", current.versionId());
            }
            return new Versions.Found(key, current, true);
        }
        if (!Versions.wellFormed(versionId)) {
            throw S3Exception.invalidArgument("Invalid version id specified", "versionId", versionId);
        }
        Versions.Found found = Versions.find(base, key, versionId).orElseThrow(() ->
                new S3Exception(S3Error.NO_SUCH_VERSION).field("Key", key).field("VersionId", versionId));
        if (found.object().deleteMarker()) {
            throw new S3Exception(S3Error.METHOD_NOT_ALLOWED, "The specified method is not allowed against this resource.")
                    .field("Method", "GET").field("ResourceType", "DeleteMarker")
                    .header("x-amz-delete-marker", "true").header("x-amz-version-id", versionId)
                    .header("Last-Modified", Http.httpDate(found.object().lastModified()));
        }
        return found;
    }
}
