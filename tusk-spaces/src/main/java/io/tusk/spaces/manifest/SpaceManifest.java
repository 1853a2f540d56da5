package io.tusk.spaces.manifest;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.crypto.Address;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.metadata.BlobId;
import io.tusk.spaces.VerificationException;
import io.tusk.spaces.tree.Keys;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One version of a space: the commit manifest, stored as its own blob (docs/spaces.md). In BCS:
 * <pre>
 * struct SpaceManifest {
 *     magic: [u8; 8],                       // 89 'T' 'U' 'S' 'K' 'S' 'P' 0A
 *     format: u8,                           // 1, or 2 when inline versions follow details
 *     owner: [u8; 32], name: String,        // the space
 *     version: u64,                         // >= 1
 *     previous: Option&lt;[u8; 32]&gt;,         // the manifest blob of the version before the first this one covers
 *                                           // (version - 1 when it folds no inline versions; None for version 1)
 *     commit_time_millis: u64,
 *     skips: vector&lt;Skip&gt;,                 // versions at multiples of powers of two below this one, newest first
 *     pack: Option&lt;[u8; 32]&gt;,             // the quilt holding this commit's new nodes and small entries
 *     fanout_bits: u8, entry_count: u64,
 *     root: Option&lt;vector&lt;u8&gt;&gt;,         // the stored bytes of the entry tree's root node (None: empty space)
 *     keys_root: Option&lt;vector&lt;u8&gt;&gt;,     // encrypted spaces: root of the key index (commit -&gt; key blob)
 *     encryption: Option&lt;Encryption&gt;,
 *     tags: vector&lt;(String, u64)&gt;,        // tag -&gt; version, sorted
 *     pruned: vector&lt;(u64, u64)&gt;,         // inclusive version ranges whose blobs retention deleted
 *     kept: vector&lt;Kept&gt;,                  // versions retention kept that the chain from here no longer reaches
 *     writes: vector&lt;Write&gt;,              // blobs this commit stored (pack, key blob, large entries)
 *     details: vector&lt;u8&gt;,                // BCS CommitDetails, sealed in encrypted spaces
 *     inline: vector&lt;vector&lt;u8&gt;&gt;,         // format 2 only: the inline versions this manifest folds, oldest
 *                                           // first (docs/spaces.md, "Inline versions")
 * }
 * struct Skip { version: u64, manifest: [u8; 32], commit_time_millis: u64 }
 * struct Encryption { key_version: u32, keys: vector&lt;WrappedKey&gt; }   // space keys, each wrapped by the owner key
 * struct WrappedKey { version: u32, wrapped: vector&lt;u8&gt; }
 * struct Write { blob_id: [u8; 32], object_id: Option&lt;[u8; 32]&gt; }
 * struct Kept { version: u64, manifest: [u8; 32], commit_time_millis: u64, successor_time_millis: u64 }
 * </pre>
 */
public record SpaceManifest(Address owner, String name, long version, BlobId previous, long commitTimeMillis,
                            List<Skip> skips, BlobId pack, int fanoutBits, long entryCount, byte[] root,
                            byte[] keysRoot, Encryption encryption, Map<String, Long> tags, List<VersionRange> pruned,
                            List<Kept> kept, List<Write> writes, byte[] details, List<byte[]> inline) {
    static final byte[] MAGIC = {(byte) 0x89, 'T', 'U', 'S', 'K', 'S', 'P', 0x0A};
    public static final int FORMAT = 1;
    /** The format of a manifest that folds inline versions. */
    public static final int FORMAT_INLINE = 2;
    /** Most inline versions one manifest folds (the control plane holds at most 64 per space). */
    public static final int MAX_INLINE = 1024;
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");
    public static final Pattern TAG = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
    public static final int MAX_TAGS = 1000;
    public static final int MAX_SKIPS = 64;
    public static final int MAX_PRUNED_RANGES = 10_000;
    public static final int MAX_WRITES = 1 << 20;
    public static final int MAX_NODE_BYTES = 64 << 20;
    public static final int MAX_DETAILS_BYTES = 4 << 20;
    public static final int MAX_WRAPPED_KEYS = 1 << 16;

    public record Skip(long version, BlobId manifest, long commitTimeMillis) {
        public Skip {
            Objects.requireNonNull(manifest, "manifest");
        }
    }

    /**
     * A version retention kept below pruned ones: its manifest, its commit time and the commit time of the version
     * after it (pruned, so no longer readable), so that {@code asOf} a time still finds it.
     */
    public record Kept(long version, BlobId manifest, long commitTimeMillis, long successorTimeMillis) {
        public Kept {
            Objects.requireNonNull(manifest, "manifest");
        }
    }

    public record WrappedKey(int version, byte[] wrapped) {
        @Override
        public boolean equals(Object o) {
            return o instanceof WrappedKey w && version == w.version && Arrays.equals(wrapped, w.wrapped);
        }

        @Override
        public int hashCode() {
            return version;
        }
    }

    public record Encryption(int keyVersion, List<WrappedKey> keys) {
        public Encryption {
            keys = List.copyOf(keys);
        }
    }

    /**
     * A blob this commit stored: its object, when the blob's content could be shared with other spaces or versions
     * (large entries: retention must delete this space's object, not another's); for blobs only this space can have
     * (packs, manifests, key blobs) the owner's object of that blob ID.
     */
    public record Write(BlobId blobId, ObjectId objectId) {
        public Write {
            Objects.requireNonNull(blobId, "blobId");
        }
    }

    public record VersionRange(long first, long last) {
        public VersionRange {
            if (first < 1 || last < first) {
                throw new IllegalArgumentException("bad version range [" + first + ", " + last + "]");
            }
        }

        public boolean contains(long v) {
            return v >= first && v <= last;
        }
    }

    public SpaceManifest {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(name, "name");
        if (version < 1) {
            throw new IllegalArgumentException("a manifest's version is at least 1, got " + version);
        }
        if ((version == 1) != (previous == null)) {
            throw new IllegalArgumentException("version " + version + (previous == null ? " needs" : " cannot have")
                    + " a previous manifest");
        }
        skips = List.copyOf(skips);
        TreeMap<String, Long> sortedTags = new TreeMap<>(Keys::compare);
        sortedTags.putAll(tags);
        tags = Collections.unmodifiableMap(sortedTags);
        pruned = List.copyOf(pruned);
        kept = List.copyOf(kept);
        writes = List.copyOf(writes);
        Objects.requireNonNull(details, "details");
        inline = inline == null ? List.of() : List.copyOf(inline);
    }

    /** The manifest of a version retention kept below the pruned ones, if it is one. */
    public java.util.Optional<Kept> kept(long v) {
        return kept.stream().filter(k -> k.version() == v).findFirst();
    }

    /** The oldest version of the unbroken run of retained versions that ends here (1 if nothing was pruned). */
    public long floor() {
        long floor = 1;
        for (VersionRange r : pruned) {
            if (r.last() < version) {
                floor = Math.max(floor, r.last() + 1);
            }
        }
        return floor;
    }

    public boolean isPruned(long v) {
        for (VersionRange range : pruned) {
            if (range.contains(v)) {
                return true;
            }
        }
        return false;
    }

    public byte[] toBytes() {
        BcsWriter out = new BcsWriter(256 + (root == null ? 0 : root.length) + details.length + writes.size() * 32);
        out.fixedBytes(MAGIC).u8(inline.isEmpty() ? FORMAT : FORMAT_INLINE).fixedBytes(owner.bytes()).string(name).u64(version);
        optionalId(out, previous);
        out.u64(commitTimeMillis).uleb128(skips.size());
        for (Skip s : skips) {
            out.u64(s.version()).fixedBytes(s.manifest().bytes()).u64(s.commitTimeMillis());
        }
        optionalId(out, pack);
        out.u8(fanoutBits).u64(entryCount);
        optionalBytes(out, root);
        optionalBytes(out, keysRoot);
        if (encryption == null) {
            out.u8(0);
        } else {
            out.u8(1).u32(encryption.keyVersion()).uleb128(encryption.keys().size());
            for (WrappedKey k : encryption.keys()) {
                out.u32(k.version()).bytes(k.wrapped());
            }
        }
        out.uleb128(tags.size());
        tags.forEach((tag, v) -> out.string(tag).u64(v));
        out.uleb128(pruned.size());
        for (VersionRange r : pruned) {
            out.u64(r.first()).u64(r.last());
        }
        out.uleb128(kept.size());
        for (Kept k : kept) {
            out.u64(k.version()).fixedBytes(k.manifest().bytes()).u64(k.commitTimeMillis()).u64(k.successorTimeMillis());
        }
        out.uleb128(writes.size());
        for (Write w : writes) {
            out.fixedBytes(w.blobId().bytes());
            if (w.objectId() == null) {
                out.u8(0);
            } else {
                out.u8(1).fixedBytes(w.objectId().bytes());
            }
        }
        out.bytes(details);
        if (!inline.isEmpty()) {
            out.uleb128(inline.size());
            inline.forEach(out::bytes);
        }
        return out.toByteArray();
    }

    /** Whether {@code blob} starts like a space manifest (cheap test before parsing). */
    public static boolean looksLike(byte[] blob) {
        return blob.length > MAGIC.length && Arrays.equals(blob, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    /**
     * Parses a manifest strictly.
     *
     * @throws VerificationException if the bytes are not a well-formed manifest of format 1
     */
    public static SpaceManifest parse(byte[] blob) {
        if (!looksLike(blob)) {
            throw new VerificationException("not a space manifest (bad magic)");
        }
        try {
            BcsReader in = new BcsReader(blob, MAGIC.length, blob.length - MAGIC.length);
            int format = in.u8();
            if (format != FORMAT && format != FORMAT_INLINE) {
                throw new VerificationException("space manifest format " + format + " is not " + FORMAT + " or "
                        + FORMAT_INLINE);
            }
            Address owner = new Address(in.fixedBytes(Address.LENGTH));
            String name = in.string(64);
            if (!NAME.matcher(name).matches()) {
                throw new VerificationException("space manifest names an invalid space '" + name + "'");
            }
            long version = in.u64();
            BlobId previous = optionalId(in);
            long time = in.u64();
            int skipCount = in.length(MAX_SKIPS, "skips");
            List<Skip> skips = new ArrayList<>(skipCount);
            for (int i = 0; i < skipCount; i++) {
                skips.add(new Skip(in.u64(), BlobId.of(in.fixedBytes(BlobId.LENGTH)), in.u64()));
            }
            BlobId pack = optionalId(in);
            int fanout = in.u8();
            long entryCount = in.u64();
            byte[] root = optionalBytes(in);
            byte[] keysRoot = optionalBytes(in);
            Encryption encryption = null;
            if (in.bool()) {
                long keyVersion = in.u32();
                int keyCount = in.length(MAX_WRAPPED_KEYS, "wrapped keys");
                List<WrappedKey> keys = new ArrayList<>(keyCount);
                for (int i = 0; i < keyCount; i++) {
                    keys.add(new WrappedKey((int) in.u32(), in.bytes(256)));
                }
                encryption = new Encryption((int) keyVersion, keys);
            }
            int tagCount = in.length(MAX_TAGS, "tags");
            Map<String, Long> tags = new TreeMap<>(Keys::compare);
            for (int i = 0; i < tagCount; i++) {
                String tag = in.string(128);
                if (!TAG.matcher(tag).matches() || tags.put(tag, in.u64()) != null) {
                    throw new VerificationException("space manifest has an invalid or repeated tag '" + tag + "'");
                }
            }
            int prunedCount = in.length(MAX_PRUNED_RANGES, "pruned ranges");
            List<VersionRange> pruned = new ArrayList<>(prunedCount);
            for (int i = 0; i < prunedCount; i++) {
                pruned.add(new VersionRange(in.u64(), in.u64()));
            }
            int keptCount = in.length(MAX_PRUNED_RANGES, "kept versions");
            List<Kept> kept = new ArrayList<>(keptCount);
            for (int i = 0; i < keptCount; i++) {
                kept.add(new Kept(in.u64(), BlobId.of(in.fixedBytes(BlobId.LENGTH)), in.u64(), in.u64()));
            }
            int writeCount = in.length(MAX_WRITES, "writes");
            List<Write> writes = new ArrayList<>(writeCount);
            for (int i = 0; i < writeCount; i++) {
                BlobId written = BlobId.of(in.fixedBytes(BlobId.LENGTH));
                writes.add(new Write(written, in.bool() ? new ObjectId(in.fixedBytes(ObjectId.LENGTH)) : null));
            }
            byte[] details = in.bytes(MAX_DETAILS_BYTES);
            List<byte[]> inline = new ArrayList<>();
            if (format == FORMAT_INLINE) {
                int inlineCount = in.length(MAX_INLINE, "inline versions");
                if (inlineCount == 0) {
                    throw new VerificationException("a manifest of format 2 folds at least one inline version");
                }
                for (int i = 0; i < inlineCount; i++) {
                    inline.add(in.bytes(InlineVersion.MAX_BYTES));
                }
            }
            in.expectEnd();
            return new SpaceManifest(owner, name, version, previous, time, skips, pack, fanout, entryCount, root,
                    keysRoot, encryption, tags, pruned, kept, writes, details, inline);
        } catch (IllegalArgumentException e) {
            throw new VerificationException("malformed space manifest: " + e.getMessage(), e);
        }
    }

    private static void optionalId(BcsWriter out, BlobId id) {
        if (id == null) {
            out.u8(0);
        } else {
            out.u8(1).fixedBytes(id.bytes());
        }
    }

    private static BlobId optionalId(BcsReader in) {
        return in.bool() ? BlobId.of(in.fixedBytes(BlobId.LENGTH)) : null;
    }

    private static void optionalBytes(BcsWriter out, byte[] bytes) {
        if (bytes == null) {
            out.u8(0);
        } else {
            out.u8(1).bytes(bytes);
        }
    }

    private static byte[] optionalBytes(BcsReader in) {
        return in.bool() ? in.bytes(MAX_NODE_BYTES) : null;
    }

    /**
     * The skip pointers of version {@code version + 1}, built from this manifest (version {@code version}, stored as
     * {@code self}): for every i >= 0 the largest multiple of 2^i below the new version (i = 0: this version itself),
     * each with its manifest and commit time, newest first. From any version they reach any older one in O(log V)
     * manifest reads ({@code asOf}), and each is among this manifest's own skips or is this manifest.
     */
    public List<Skip> nextSkips(BlobId self) {
        return nextSkips(self, version + 1);
    }

    /**
     * The skip pointers of a manifest of version {@code next} that folds the inline versions between this one and it:
     * for each multiple of 2^i at or below this version, the oldest manifest this one knows (itself or one of its
     * skips) that covers it or comes after it, newest first. Targets above this version are inline versions the new
     * manifest holds itself. {@code asOf} still reaches any older version in O(log V) manifest reads.
     */
    public List<Skip> nextSkips(BlobId self, long next) {
        if (next <= version) {
            throw new IllegalArgumentException("the next manifest's version " + next + " is not after " + version);
        }
        TreeMap<Long, Skip> known = new TreeMap<>();
        for (Skip s : skips) {
            known.put(s.version(), s);
        }
        known.put(version, new Skip(version, self, commitTimeMillis));
        List<Skip> out = new ArrayList<>();
        long last = -1;
        for (int i = 0; i < 63; i++) {
            long target = ((next - 1) >> i) << i;
            if (target < 1) {
                break;
            }
            if (target > version) {
                continue;
            }
            Map.Entry<Long, Skip> s = known.ceilingEntry(target);
            if (s.getKey() != last) {
                out.add(s.getValue());
                last = s.getKey();
            }
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SpaceManifest m && Arrays.equals(toBytes(), m.toBytes());
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version) ^ name.hashCode();
    }

    @Override
    public String toString() {
        return "SpaceManifest[" + owner + "/" + name + " v" + version + ", " + entryCount + " entries]";
    }
}
