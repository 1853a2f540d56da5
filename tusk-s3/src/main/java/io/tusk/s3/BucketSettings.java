package io.tusk.s3;

import io.tusk.spaces.Entry;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A bucket's settings, kept in its space (entry {@link InternalKeys#CONFIG}, in the metadata) so that every write
 * reads them from the version it builds on: a PUT and a versioning change are ordered by the space's compare-and-swap.
 *
 * @param versioning {@code null} (never enabled: an unversioned bucket), {@code Enabled} or {@code Suspended}
 * @param acl        the bucket's canned ACL: {@code private}, or {@code public-read} (anonymous reads allowed)
 * @param deleted    set by DeleteBucket before the name is released, so that no write lands in between
 */
record BucketSettings(String versioning, String acl, boolean deleted) {
    static final String ENABLED = "Enabled";
    static final String SUSPENDED = "Suspended";
    static final BucketSettings NEW = new BucketSettings(null, "private", false);

    static BucketSettings of(Entry config) {
        Map<String, String> m = config.metadata();
        return new BucketSettings(m.get("versioning"), m.getOrDefault("acl", "private"), "true".equals(m.get("deleted")));
    }

    Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        if (versioning != null) {
            m.put("versioning", versioning);
        }
        m.put("acl", acl);
        if (deleted) {
            m.put("deleted", "true");
        }
        return m;
    }

    boolean versioned() {
        return ENABLED.equals(versioning);
    }

    boolean everVersioned() {
        return versioning != null;
    }

    boolean publicRead() {
        return acl.equals("public-read") || acl.equals("public-read-write");
    }

    /** {@code public-read-write}: anyone may also write (S3's canned ACL; here: unsigned browser POST uploads). */
    boolean publicWrite() {
        return acl.equals("public-read-write");
    }

    BucketSettings withVersioning(String value) {
        return new BucketSettings(value, acl, deleted);
    }

    BucketSettings withAcl(String value) {
        return new BucketSettings(versioning, value, deleted);
    }

    BucketSettings withDeleted(boolean value) {
        return new BucketSettings(versioning, acl, value);
    }
}
