package io.tusk.s3;

import io.tusk.spaces.Entry;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bucket's settings, kept in its space (entry {@link InternalKeys#CONFIG}, in the metadata) so that every write
 * reads them from the version it builds on: a PUT and a versioning change are ordered by the space's compare-and-swap.
 *
 * @param versioning {@code null} (never enabled: an unversioned bucket), {@code Enabled} or {@code Suspended}
 * @param grants     the bucket's ACL beside its owner's FULL_CONTROL (AllUsers READ: anonymous reads allowed)
 * @param deleted    set by DeleteBucket before the name is released, so that no write lands in between
 * @param tags       the bucket's tag set ({@code k=v&k2=v2}, as object tags), or null
 */
record BucketSettings(String versioning, Grants grants, boolean deleted, String tags) {
    static final String ENABLED = "Enabled";
    static final String SUSPENDED = "Suspended";
    static final BucketSettings NEW = new BucketSettings(null, Grants.PRIVATE, false, null);

    static BucketSettings of(Entry config) {
        Map<String, String> m = config.metadata();
        // Buckets made before grants were kept hold a canned ACL's name under "acl".
        Grants grants = m.containsKey("grants") ? Grants.decode(m.get("grants"))
                : Grants.canned(m.getOrDefault("acl", "private"));
        return new BucketSettings(m.get("versioning"), grants, "true".equals(m.get("deleted")), m.get("tags"));
    }

    Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        if (versioning != null) {
            m.put("versioning", versioning);
        }
        m.put("grants", grants.encode());
        if (deleted) {
            m.put("deleted", "true");
        }
        if (tags != null) {
            m.put("tags", tags);
        }
        return m;
    }

    boolean versioned() {
        return ENABLED.equals(versioning);
    }

    boolean everVersioned() {
        return versioning != null;
    }

    /** Anonymous reads (GET, HEAD, listings) are allowed: AllUsers has READ. */
    boolean publicRead() {
        return grants.allowsEveryone("READ");
    }

    /** Anyone may also write (AllUsers has WRITE, e.g. public-read-write); here: unsigned browser POST uploads. */
    boolean publicWrite() {
        return grants.allowsEveryone("WRITE");
    }

    BucketSettings withVersioning(String value) {
        return new BucketSettings(value, grants, deleted, tags);
    }

    BucketSettings withGrants(Grants value) {
        return new BucketSettings(versioning, value, deleted, tags);
    }

    BucketSettings withDeleted(boolean value) {
        return new BucketSettings(versioning, grants, value, tags);
    }

    BucketSettings withTags(String value) {
        return new BucketSettings(versioning, grants, deleted, value);
    }
}
