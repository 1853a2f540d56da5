package io.tusk.spaces;

import io.tusk.spaces.manifest.SpaceManifest;
import io.tusk.spaces.tree.Keys;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** The changes one commit attempt records; the last change to a key wins. */
final class Staging implements Transaction {
    sealed interface Op {
    }

    record Put(Content content, byte[] bytes, PutOptions options) implements Op {
    }

    record Delete(Condition condition, boolean forget) implements Op {
    }

    /** Content stored before the commit. */
    record PutStaged(StagedContent content, PutOptions options) implements Op {
    }

    /** The content of another key (of a version of this space): as a new entry with {@code options}, or as is (null). */
    record Copy(Snapshot source, byte[] sourceKey, PutOptions options) implements Op {
    }

    private final Snapshot base;
    /** By key bytes, in key order. */
    final TreeMap<byte[], Op> ops = new TreeMap<>(Keys.ORDER);
    /** Tag changes: tag to version, or null to remove. */
    final Map<String, Long> tags = new LinkedHashMap<>();
    boolean rotateKey;
    /** Set by retention: the manifest's new pruned ranges and kept versions, writes it adopts, tags it drops. */
    Retention retention;

    record Retention(java.util.List<io.tusk.spaces.manifest.SpaceManifest.VersionRange> pruned,
                     java.util.List<io.tusk.spaces.manifest.SpaceManifest.Kept> kept,
                     java.util.List<io.tusk.spaces.manifest.SpaceManifest.Write> adopted,
                     java.util.Set<String> droppedTags) {
    }

    Staging(Snapshot base) {
        this.base = base;
    }

    @Override
    public Snapshot base() {
        return base;
    }

    @Override
    public Transaction put(String key, byte[] data, PutOptions options) {
        return record(key, new Put(null, data.clone(), check(options)));
    }

    @Override
    public Transaction put(String key, Content content, PutOptions options) {
        if (content.length() < 0) {
            throw new IllegalArgumentException("content length must not be negative, got " + content.length());
        }
        return record(key, new Put(content, null, check(options)));
    }

    @Override
    public Transaction put(String key, StagedContent content, PutOptions options) {
        requireSameSpace(content.space(), "staged content");
        return record(key, new PutStaged(content, check(options)));
    }

    @Override
    public Transaction copy(String key, Snapshot source, String sourceKey, PutOptions options) {
        requireSameSpace(source.space(), "a copy's source");
        return record(key, new Copy(source, Keys.encode(sourceKey), check(options)));
    }

    @Override
    public Transaction copyAsIs(String key, Snapshot source, String sourceKey) {
        requireSameSpace(source.space(), "a copy's source");
        return record(key, new Copy(source, Keys.encode(sourceKey), null));
    }

    private void requireSameSpace(Space other, String what) {
        Space space = base.space();
        if (!other.owner().equals(space.owner()) || !other.name().equals(space.name())) {
            throw new SpaceException(what + " belongs to space " + other.owner() + "/" + other.name() + ", not "
                    + space.owner() + "/" + space.name() + ": content is shared only within a space");
        }
    }

    @Override
    public Transaction delete(String key) {
        return record(key, new Delete(null, false));
    }

    @Override
    public Transaction delete(String key, Condition condition) {
        return record(key, new Delete(condition, false));
    }

    Transaction forget(String key) {
        return record(key, new Delete(null, true));
    }

    @Override
    public Transaction tag(String tag, long version) {
        if (tag == null || !SpaceManifest.TAG.matcher(tag).matches()) {
            throw new InvalidKeyException("tag '" + tag + "' must be 1 to 128 of A-Z a-z 0-9 . _ - and not start with '.'");
        }
        if (version < 1) {
            throw new IllegalArgumentException("a tag names a version from 1 on, got " + version);
        }
        tags.put(tag, version);
        return this;
    }

    @Override
    public Transaction untag(String tag) {
        tags.put(tag, null);
        return this;
    }

    private Transaction record(String key, Op op) {
        byte[] k = Keys.encode(key);
        ops.remove(k); // the TreeMap keeps the first key object otherwise
        ops.put(k, op);
        return this;
    }

    private static PutOptions check(PutOptions options) {
        try {
            io.tusk.spaces.manifest.EntryRecord.checkLimits(options.contentType(), options.metadata());
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException(e.getMessage());
        }
        return options;
    }

    boolean isEmpty() {
        return ops.isEmpty() && tags.isEmpty() && !rotateKey && retention == null;
    }
}
