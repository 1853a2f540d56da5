package io.tusk.s3;

import io.tusk.spaces.Entry;
import io.tusk.spaces.ListPage;
import io.tusk.spaces.ListQuery;
import io.tusk.spaces.Snapshot;
import io.tusk.spaces.Transaction;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * S3's versioning on a space (docs/s3.md): an object key holds its latest version (an object or a delete marker);
 * older versions are kept, as the entries they were, under version records ({@link InternalKeys#version}). A versioned
 * PUT's version ID is the space version that committed it, so {@code GetObject?versionId=} reads what that version
 * wrote. Unversioned buckets keep no records: a write replaces the key, as in S3.
 */
final class Versions {
    /** An object version found in a snapshot, with the entry key it lives under. */
    record Found(String entryKey, S3Object object, boolean current) {
    }

    private Versions() {
    }

    /** The latest version of {@code key} (maybe a delete marker), or null. */
    static S3Object current(Snapshot base, String key) {
        if (base == null) {
            return null;
        }
        return base.entry(key).map(e -> S3Object.of(key, e)).orElse(null);
    }

    /** The version records of {@code key}, newest first, at most {@code limit}, after {@code afterEntryKey} if set. */
    static List<Found> older(Snapshot base, String key, String afterEntryKey, int limit) {
        List<Found> out = new ArrayList<>();
        if (base == null) {
            return out;
        }
        String after = afterEntryKey;
        while (out.size() < limit) {
            ListPage page = base.list(new ListQuery(InternalKeys.versionsOf(key), null, after,
                    Math.min(ListQuery.MAX_LIMIT, limit - out.size())));
            for (Entry e : page.entries()) {
                out.add(new Found(e.key(), S3Object.of(key, e), false));
            }
            if (page.nextStartAfter() == null) {
                break;
            }
            after = page.nextStartAfter();
        }
        return out;
    }

    /** Whether {@code versionId} is one this API could have made: {@code null} or a space version. */
    static boolean wellFormed(String versionId) {
        return versionId.equals(S3Object.NULL_VERSION) || (versionId.matches("[0-9]{1,18}") && !versionId.startsWith("0"));
    }

    /** The version {@code versionId} of {@code key}, current or older. */
    static Optional<Found> find(Snapshot base, String key, String versionId) {
        S3Object current = current(base, key);
        if (current == null) {
            return Optional.empty(); // a key with any version has its latest one under the key itself
        }
        if (current.versionId().equals(versionId)) {
            return Optional.of(new Found(key, current, true));
        }
        if (versionId.equals(S3Object.NULL_VERSION)) {
            return nullRecord(base, key);
        }
        String record = InternalKeys.version(key, Long.parseLong(versionId));
        return base.entry(record).map(e -> S3Object.of(key, e)).filter(o -> o.versionId().equals(versionId))
                .map(o -> new Found(record, o, false));
    }

    private static Optional<Found> nullRecord(Snapshot base, String key) {
        for (Entry e : base.entries(InternalKeys.versionsOf(key))) {
            S3Object o = S3Object.of(key, e);
            if (o.versionId().equals(S3Object.NULL_VERSION)) {
                return Optional.of(new Found(e.key(), o, false));
            }
        }
        return Optional.empty();
    }

    /** The record key an older version is kept under: by its version ID (null versions: the version that wrote them). */
    static String recordKey(String key, S3Object version) {
        long order = version.versionId().equals(S3Object.NULL_VERSION) ? version.entryVersion()
                : Long.parseLong(version.versionId());
        return InternalKeys.version(key, order);
    }

    /**
     * Makes room for a new latest version of {@code key} (object or delete marker) as S3 does: versioning enabled, the
     * current one is kept as a record; suspended, a non-null current one is kept and any null version goes (the new
     * one is the null version); never enabled, the new one simply replaces it.
     */
    static void retireCurrent(Snapshot base, Transaction tx, String key, BucketSettings settings) {
        if (!settings.everVersioned()) {
            return;
        }
        S3Object current = current(base, key);
        if (settings.versioned()) {
            if (current != null) {
                tx.copyAsIs(recordKey(key, current), base, key);
            }
            return;
        }
        if (current != null && !current.versionId().equals(S3Object.NULL_VERSION)) {
            tx.copyAsIs(recordKey(key, current), base, key);
        }
        nullRecord(base, key).ifPresent(f -> tx.delete(f.entryKey()));
    }

    /**
     * Removes one version for good. If it was the latest, the newest older one becomes the latest (moved back under
     * the key), as in S3.
     */
    static void deleteVersion(Snapshot base, Transaction tx, String key, Found version) {
        if (!version.current()) {
            tx.delete(version.entryKey());
            return;
        }
        List<Found> older = older(base, key, null, 1);
        if (older.isEmpty()) {
            tx.delete(key);
        } else {
            tx.copyAsIs(key, base, older.getFirst().entryKey());
            tx.delete(older.getFirst().entryKey());
        }
    }

    /** The version ID a new latest version of a bucket with these settings gets in commit {@code version}. */
    static String newVersionId(BucketSettings settings, long version) {
        return settings.versioned() ? Long.toString(version) : S3Object.NULL_VERSION;
    }
}
