package io.tusk.spaces;

import io.tusk.client.BlobNotFoundException;
import io.tusk.control.api.SpaceHead;
import io.tusk.core.crypto.Address;
import io.tusk.core.hash.Blake2b256;
import io.tusk.core.metadata.BlobId;
import io.tusk.spaces.crypto.EntryCipher;
import io.tusk.spaces.crypto.KeyBlob;
import io.tusk.spaces.crypto.Sealer;
import io.tusk.spaces.manifest.CommitDetails;
import io.tusk.spaces.manifest.DataRef;
import io.tusk.spaces.manifest.EntryRecord;
import io.tusk.spaces.manifest.KeyIndexCodec;
import io.tusk.spaces.manifest.KeyRef;
import io.tusk.spaces.manifest.SpaceManifest;
import io.tusk.spaces.tree.Keys;
import io.tusk.spaces.tree.Node;
import io.tusk.spaces.tree.NodeCodec;
import io.tusk.spaces.tree.TreeCursor;
import io.tusk.spaces.tree.TreeDiff;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One space: read any version, commit new ones (owner only), history, diffs, tags, restore, verification,
 * encryption, retention, renewal and streams (docs/spaces.md). Thread-safe; commits from several threads or
 * processes race on the head's version and the losers re-apply their changes.
 */
public final class Space {
    static final NodeCodec KEY_NODES = new NodeCodec(KeyIndexCodec.INSTANCE);

    private final Spaces spaces;
    private final Address owner;
    private final String name;
    private final boolean encrypted;
    /** The newest head this object has seen, with its manifest and sealer: key lookups use the newest key index. */
    private volatile Latest latest;

    private record Latest(SpaceHead head, SpaceManifest manifest, Sealer sealer) {
    }

    Space(Spaces spaces, Address owner, String name, boolean encrypted) {
        this.spaces = spaces;
        this.owner = owner;
        this.name = name;
        this.encrypted = encrypted;
    }

    public String owner() {
        return owner.toString();
    }

    public String name() {
        return name;
    }

    public boolean encrypted() {
        return encrypted;
    }

    /** Whether this client's account owns the space (and so may commit to it). */
    public boolean writable() {
        return owner.equals(spaces.accountAddress());
    }

    Spaces spaces() {
        return spaces;
    }

    Address ownerAddress() {
        return owner;
    }

    /** The head, fresh from the control plane. */
    public SpaceHead head() {
        return spaces.client().control().space(owner.toString(), name).orElseThrow(() ->
                new SpaceNotFoundException(owner + " has no space named '" + name + "' (any more)"));
    }

    /** The head version. */
    public Snapshot snapshot() {
        return snapshotAt(head());
    }

    Snapshot snapshotAt(SpaceHead head) {
        Latest seen = remember(head);
        if (head.version() == 0) {
            return new Snapshot(this, 0, null, null, seen.sealer());
        }
        return new Snapshot(this, head.version(), BlobId.parse(head.manifestBlobId()), seen.manifest(), seen.sealer());
    }

    private Latest remember(SpaceHead head) {
        Latest current = latest;
        if (current != null && current.head().version() >= head.version()) {
            return current.head().version() == head.version() ? current : new Latest(head, manifestOf(head), current.sealer());
        }
        SpaceManifest manifest = manifestOf(head);
        Latest fresh = new Latest(head, manifest, sealerFor(manifest));
        latest = fresh;
        return fresh;
    }

    private SpaceManifest manifestOf(SpaceHead head) {
        if (head.version() == 0) {
            return null;
        }
        return manifest(BlobId.parse(head.manifestBlobId()), head.version());
    }

    /** The manifest of {@code version} stored as {@code blobId}, checked to be this space's at that version. */
    SpaceManifest manifest(BlobId blobId, long version) {
        SpaceManifest m = spaces.manifest(blobId);
        if (!m.owner().equals(owner) || !m.name().equals(name) || m.version() != version) {
            throw new VerificationException("manifest " + blobId + " is " + m.owner() + "/" + m.name() + " version "
                    + m.version() + ", not " + owner + "/" + name + " version " + version);
        }
        if ((m.encryption() != null) != encrypted) {
            throw new VerificationException("manifest " + blobId + " is " + (encrypted ? "not " : "")
                    + "encrypted in a space created " + (encrypted ? "encrypted" : "plaintext"));
        }
        return m;
    }

    /** The sealer for reading (and writing) at a manifest: every space key it lists, if this client holds the owner key. */
    Sealer sealerFor(SpaceManifest manifest) {
        if (!encrypted) {
            return Sealer.plain();
        }
        if (manifest == null) {
            return Sealer.encrypted(Map.of(), 0);
        }
        Map<Integer, byte[]> keys = new HashMap<>();
        try {
            for (SpaceManifest.WrappedKey wrapped : manifest.encryption().keys()) {
                keys.put(wrapped.version(), spaces.ownerKey().unwrap(owner, name, wrapped.version(), wrapped.wrapped()));
            }
        } catch (SpaceKeyException e) {
            return Sealer.encrypted(Map.of(), manifest.encryption().keyVersion()); // not this client's to read
        }
        return Sealer.encrypted(keys, manifest.encryption().keyVersion());
    }

    // ------------------------------------------------------------------------------------------------ time travel

    /**
     * The space as of {@code version} (0 is the empty space): O(log V) manifest reads through the manifests' skip
     * pointers.
     *
     * @throws SpaceException if there is no such version yet, or retention deleted it
     */
    public Snapshot at(long version) {
        SpaceHead head = head();
        Snapshot top = snapshotAt(head);
        if (version == head.version()) {
            return top;
        }
        if (version < 0 || version > head.version()) {
            throw new SpaceException("space " + name + " has no version " + version + "; its head is version " + head.version());
        }
        if (version == 0) {
            return new Snapshot(this, 0, null, null, top.sealer());
        }
        if (top.manifest().isPruned(version)) {
            throw new SpaceException("version " + version + " of space " + name + " was deleted by retention");
        }
        java.util.Optional<SpaceManifest.Kept> kept = top.manifest().kept(version);
        if (kept.isPresent()) {
            return snapshotOf(kept.get().version(), kept.get().manifest(), top.sealer());
        }
        SpaceManifest m = top.manifest();
        BlobId id = top.manifestId();
        while (m.version() > version) {
            SpaceManifest.Skip hop = null;
            for (SpaceManifest.Skip s : m.skips()) {
                if (s.version() >= version && (hop == null || s.version() < hop.version())) {
                    hop = s;
                }
            }
            if (hop == null) {
                throw new VerificationException("manifest of version " + m.version() + " has no skip towards " + version);
            }
            id = hop.manifest();
            m = manifest(id, hop.version());
        }
        return new Snapshot(this, version, id, m, top.sealer());
    }

    /** The space as of {@code time}: the last version committed at or before it (version 0 if none). */
    public Snapshot at(Instant time) {
        long t = time.toEpochMilli();
        SpaceHead head = head();
        Snapshot top = snapshotAt(head);
        if (head.version() == 0 || head.commitTimeMillis() <= t) {
            return top;
        }
        SpaceManifest m = top.manifest();
        long floor = m.floor();
        if (floor > 1 && at(floor).manifest().commitTimeMillis() > t) {
            return keptAt(top, t, floor); // before the unbroken run of kept versions
        }
        while (true) {
            // m was committed after t; its previous version (always among its skips) may be the answer.
            SpaceManifest.Skip answer = null;
            SpaceManifest.Skip hop = null;
            for (SpaceManifest.Skip s : m.skips()) {
                if (s.version() == m.version() - 1 && s.commitTimeMillis() <= t) {
                    answer = s;
                }
                if (s.commitTimeMillis() > t && (hop == null || s.version() < hop.version())) {
                    hop = s;
                }
            }
            if (answer != null) {
                return snapshotOf(answer, top.sealer());
            }
            if (m.version() == 1) {
                return new Snapshot(this, 0, null, null, top.sealer());
            }
            if (hop == null) {
                throw new VerificationException("manifest of version " + m.version() + " has no skip to its previous version");
            }
            m = manifest(hop.manifest(), hop.version());
        }
    }

    /**
     * The version current at {@code t}, which is before the unbroken run of kept versions: the kept version committed
     * at or before {@code t} whose successor came after it (retention records that time), version 0 if {@code t} is
     * before version 1, or an error if the version current then was pruned.
     */
    private Snapshot keptAt(Snapshot top, long t, long floor) {
        for (SpaceManifest.Kept k : top.manifest().kept()) {
            if (k.commitTimeMillis() <= t && t < k.successorTimeMillis()) {
                return snapshotOf(k.version(), k.manifest(), top.sealer());
            }
        }
        java.util.Optional<SpaceManifest.Kept> first = top.manifest().kept(1);
        if (first.isPresent() && t < first.get().commitTimeMillis()) {
            return new Snapshot(this, 0, null, null, top.sealer());
        }
        throw new SpaceException("the version of space " + name + " current at " + Instant.ofEpochMilli(t)
                + " was deleted by retention");
    }

    private Snapshot snapshotOf(long version, BlobId manifestId, Sealer sealer) {
        return new Snapshot(this, version, manifestId, manifest(manifestId, version), sealer);
    }

    private Snapshot snapshotOf(SpaceManifest.Skip skip, Sealer sealer) {
        return new Snapshot(this, skip.version(), skip.manifest(), manifest(skip.manifest(), skip.version()), sealer);
    }

    // ------------------------------------------------------------------------------------------------ writes

    /** Commits {@code changes} as one version, re-applying them on the new head after a lost race. */
    public CommitResult commit(Consumer<Transaction> changes) {
        return commit(changes, CommitOptions.defaults());
    }

    public CommitResult commit(Consumer<Transaction> changes, CommitOptions options) {
        requireWritable();
        return new Committer(this).commit(changes, options);
    }

    public CommitResult put(String key, byte[] data) {
        return put(key, data, PutOptions.defaults());
    }

    public CommitResult put(String key, byte[] data, PutOptions options) {
        Keys.encode(key);
        return commit(tx -> tx.put(key, data, options));
    }

    public CommitResult put(String key, Content content, PutOptions options) {
        Keys.encode(key);
        return commit(tx -> tx.put(key, content, options));
    }

    /** Deletes the entry; if the head has no such key nothing is committed ({@code changed} 0). */
    public CommitResult delete(String key) {
        Keys.encode(key);
        return commit(tx -> tx.delete(key));
    }

    /**
     * Stores {@code length} bytes from {@code in} now (streamed, bounded memory), for a commit to name later with
     * {@link Transaction#put(String, StagedContent, PutOptions)}: a server can read a request body once and commit it
     * with other changes. Content that is never committed should go to {@link #discard}.
     *
     * @throws SpaceException if {@code in} gives more or fewer than {@code length} bytes
     * @throws IOException    if reading {@code in} fails
     */
    public StagedContent upload(java.io.InputStream in, long length) throws IOException {
        requireWritable();
        if (length < 0) {
            throw new IllegalArgumentException("length must not be negative, got " + length);
        }
        byte[] dataKey = encrypted ? io.tusk.spaces.crypto.Aead.randomKey() : null;
        return ContentUploader.upload(this, in, length, dataKey, "an upload to space " + name);
    }

    /**
     * The contents of {@code keys} in {@code source} (a version of this space) one after the other, as one content to
     * commit (an S3 multipart upload's parts becoming its object). Parts whose blobs line up as the chunks of one
     * chunked file (all of one length but the last) are not copied: only a new manifest naming them is stored.
     * Plaintext spaces only.
     *
     * @throws EntryNotFoundException if {@code source} lacks one of the keys
     */
    public StagedContent concatenate(Snapshot source, java.util.List<String> keys) throws IOException {
        requireWritable();
        if (!source.space().owner().equals(owner()) || !source.space().name().equals(name)) {
            throw new SpaceException("entries of " + source.space() + " cannot be concatenated into " + this);
        }
        return new Concatenation(this).concatenate(source, keys);
    }

    /** Deletes the blobs of content staged but never committed (best effort: what is left expires). */
    public void discard(StagedContent staged) {
        for (io.tusk.spaces.manifest.SpaceManifest.Write write : staged.writes()) {
            if (write.objectId() == null) {
                continue;
            }
            try {
                spaces.client().delete(write.objectId());
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Space.class).warn("could not delete blob {} of content staged for space {}"
                        + " and not committed: {}", write.blobId(), name, e.getMessage());
            }
        }
    }

    /** Tags {@code version} (a tag lives in the manifests, so tagging commits a version with the same entries). */
    public CommitResult tag(String tag, long version) {
        return commit(tx -> tx.tag(tag, version), CommitOptions.message("tag " + tag + " = version " + version));
    }

    public CommitResult untag(String tag) {
        return commit(tx -> tx.untag(tag), CommitOptions.message("untag " + tag));
    }

    public Map<String, Long> tags() {
        return snapshot().tags();
    }

    /** A new version whose entries are exactly those of {@code version} (its tree is shared, nothing is copied). */
    public CommitResult restore(long version) {
        requireWritable();
        Snapshot old = at(version);
        return new Committer(this).restore(old);
    }

    /**
     * Removes {@code key} from the head and, in an encrypted space, destroys the data keys of its contents back to its
     * latest creation: those bytes are unreadable in every version, even where copies of their blobs still exist.
     * In a plaintext space this is a delete (older versions keep the bytes until retention deletes them).
     */
    public CommitResult forget(String key) {
        requireWritable();
        return new Committer(this).forget(key);
    }

    /** New data in an encrypted space is sealed with a new space key from now on; old keys stay for old data. */
    public CommitResult rotateKey() {
        requireWritable();
        if (!encrypted) {
            throw new SpaceException("space " + name + " is not encrypted: it has no key to rotate");
        }
        return new Committer(this).rotateKey();
    }

    void requireWritable() {
        if (!writable()) {
            throw new NotOwnerException("space " + owner + "/" + name + " belongs to another account; "
                    + spaces.accountAddress() + " may only read it");
        }
    }

    // ------------------------------------------------------------------------------------------------ history

    /**
     * Versions newest first, from {@code fromVersion} (at most the head) down, at most {@code limit}; stops at
     * versions retention deleted.
     */
    public List<VersionInfo> history(long fromVersion, int limit) {
        Snapshot top = snapshot();
        List<VersionInfo> out = new ArrayList<>();
        if (top.version() == 0) {
            return out;
        }
        Snapshot start = fromVersion >= top.version() ? top : at(fromVersion);
        SpaceManifest m = start.manifest();
        BlobId id = start.manifestId();
        while (m != null && out.size() < limit) {
            out.add(info(id, m, top.sealer(), top.tags()));
            if (m.previous() == null || top.manifest().isPruned(m.version() - 1) || top.manifest().kept(m.version() - 1).isPresent()) {
                break;
            }
            id = m.previous();
            m = manifest(id, m.version() - 1);
        }
        for (SpaceManifest.Kept k : top.manifest().kept()) {
            if (out.size() < limit && k.version() <= fromVersion) {
                out.add(info(k.manifest(), manifest(k.manifest(), k.version()), top.sealer(), top.tags()));
            }
        }
        return out;
    }

    private VersionInfo info(BlobId id, SpaceManifest m, Sealer sealer, Map<String, Long> tags) {
        CommitDetails details;
        try {
            details = CommitDetails.parse(sealer.open("details", m.details()));
        } catch (SpaceKeyException e) {
            details = new CommitDetails("(encrypted)", 0, 0, List.of(), true);
        }
        return new VersionInfo(m.version(), id.toString(), Instant.ofEpochMilli(m.commitTimeMillis()), details.message(),
                details.puts(), details.deletes(), details.keys(), details.truncated(), m.entryCount(),
                VersionInfo.tagsOf(tags, m.version()));
    }

    /**
     * The blobs version {@code version}'s commit stored besides its manifest (its pack, key blobs, large entries and
     * their chunks), as blob IDs: what the commit paid for.
     */
    public List<String> blobsWrittenBy(long version) {
        Snapshot at = at(version);
        if (at.manifest() == null) {
            return List.of();
        }
        return at.manifest().writes().stream().map(w -> w.blobId().toString()).toList();
    }

    /** What changed from {@code fromVersion} to {@code toVersion}, in key order (shared subtrees are not read). */
    public List<Change> diff(long fromVersion, long toVersion) {
        Snapshot a = at(fromVersion);
        Snapshot b = at(toVersion);
        List<Change> out = new ArrayList<>();
        TreeDiff.diff(a.root(), a.nodes(), b.root(), b.nodes(), Object::equals, c -> {
            String key = Keys.decode(c.key());
            out.add(new Change(key, c.before() == null ? null : Snapshot.toEntry(key, (EntryRecord) c.before()),
                    c.after() == null ? null : Snapshot.toEntry(key, (EntryRecord) c.after())));
            return true;
        });
        return out;
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    /**
     * Prunes the versions {@code policy} does not keep: commits a version that records them as pruned (and the
     * writes of theirs that kept versions still need), then deletes their manifests and every blob they wrote that no
     * kept version needs, reclaiming its storage. Kept versions stay readable and verifiable.
     */
    public RetentionReport retain(RetentionPolicy policy) {
        requireWritable();
        return new Lifecycle(this).retain(policy);
    }

    /**
     * Extends every blob a kept version needs that expires within the policy's horizon, most urgent first, within its
     * budget; reports (and logs) each one it could not extend and any that already lapsed.
     */
    public RenewalReport renew(RenewalPolicy policy) {
        return new Lifecycle(this).renew(policy);
    }

    /** The first epoch in which some blob a kept version needs is no longer stored. */
    public int earliestExpiry() {
        return new Lifecycle(this).earliestExpiry();
    }

    /** The stream {@code name} of this space (its records are entries under {@code streams/NAME/}). */
    public SpaceStream stream(String name) {
        return new SpaceStream(this, name);
    }

    // ------------------------------------------------------------------------------------------------ verification

    /** Verifies the whole chain from the head, every tree and entry, reading through this client's source. */
    public VerifyReport verify() {
        return verify(VerifyOptions.defaults());
    }

    /**
     * Walks the chain from the head and reports the first break: every manifest's blob ID re-derived from the bytes
     * read, the chain and skip pointers, commit times, every node against its parent's hash, every entry against its
     * etag. Encrypted spaces without the owner key: chain and manifests only.
     */
    public VerifyReport verify(VerifyOptions options) {
        return new SpaceVerifier(this, options).verify(options.versions());
    }

    /** A proof of {@code key} at the head (of its entry, or of its absence) that {@link EntryProofs#check} checks. */
    public EntryProof prove(String key) {
        return EntryProofs.prove(snapshot(), key);
    }

    // ------------------------------------------------------------------------------------------------ contents

    void readContent(EntryRecord record, OutputStream out) throws IOException {
        byte[] dataKey = record.key() == null ? null : dataKey(record.key());
        switch (record.data()) {
            case DataRef.Empty empty -> checkEtag(record, new byte[0]);
            case DataRef.Packed packed -> {
                byte[] stored = spaces.slice(packed.location());
                checkEtag(record, stored);
                out.write(dataKey == null ? stored : EntryCipher.decrypt(dataKey, stored));
            }
            case DataRef.Blob blob -> {
                HashingStream hashing = new HashingStream(dataKey == null ? out
                        : EntryCipher.decrypting(dataKey, blob.storedLength(), out));
                spaces.source().stream(blob.blobId(), hashing);
                hashing.finish(record, blob.storedLength());
            }
            case DataRef.Pending pending -> throw new IllegalStateException("a stored entry cannot be pending");
        }
    }

    void readRange(EntryRecord record, long start, long length, OutputStream out) throws IOException {
        if (record.key() != null || !(record.data() instanceof DataRef.Blob blob)) {
            // Small or encrypted entries: read them whole (small ones are one patch slice anyway).
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            readContent(record, all);
            out.write(all.toByteArray(), (int) start, (int) length);
            return;
        }
        spaces.source().range(blob.blobId(), start, length, out);
    }

    private static void checkEtag(EntryRecord record, byte[] stored) {
        if (!Arrays.equals(Blake2b256.hash(stored), record.etag())) {
            throw new VerificationException("stored bytes of an entry do not hash to its etag " + record.etagHex());
        }
    }

    /** Hashes stored bytes on their way to the reader, then checks them against the entry's etag. */
    private static final class HashingStream extends FilterOutputStream {
        private final Blake2b256 hash = new Blake2b256();
        private long count;

        HashingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            hash.update(b, off, len);
            count += len;
            out.write(b, off, len);
        }

        void finish(EntryRecord record, long storedLength) throws IOException {
            out.close(); // a decrypting stream checks that it got every segment; others only flush
            if (count != storedLength || !Arrays.equals(hash.digest(), record.etag())) {
                throw new VerificationException("an entry's blob gave " + count + " bytes that do not hash to its etag "
                        + record.etagHex() + " (" + storedLength + " bytes expected)");
            }
        }
    }

    /** The data key of an encrypted entry, through the newest key index this object knows (refreshed once if stale). */
    byte[] dataKey(KeyRef ref) {
        try {
            return dataKey(ref, currentLatest());
        } catch (BlobNotFoundException | SpaceKeyException e) {
            Latest fresh = remember(head());
            try {
                return dataKey(ref, fresh);
            } catch (BlobNotFoundException missing) {
                throw new SpaceKeyException("the key blob of commit " + ref.commitVersion() + " is gone: " + missing.getMessage());
            }
        }
    }

    private Latest currentLatest() {
        Latest current = latest;
        return current != null ? current : remember(head());
    }

    private byte[] dataKey(KeyRef ref, Latest at) {
        if (at.manifest() == null || at.manifest().keysRoot() == null) {
            throw new SpaceKeyException("space " + name + " has no key index at version " + at.head().version());
        }
        Node root = KEY_NODES.decode(at.sealer().open("node", at.manifest().keysRoot()), at.manifest().pack());
        BlobId keyBlobId = (BlobId) TreeCursor.get(root, spaces.nodeLoader(KEY_NODES, at.sealer()),
                KeyIndexCodec.key(ref.commitVersion()));
        if (keyBlobId == null) {
            throw new SpaceKeyException("no key blob for commit " + ref.commitVersion() + " in the key index");
        }
        byte[] blob = spaces.keyBlob(keyBlobId);
        return KeyBlob.parse(blob, at.sealer(), owner, name, ref.commitVersion()).key(ref.index());
    }

    /** The head's stored key index root and sealer, for the committer. */
    Node keysRoot(Snapshot base) {
        SpaceManifest m = base.manifest();
        return m == null || m.keysRoot() == null ? null
                : KEY_NODES.decode(base.sealer().open("node", m.keysRoot()), m.pack());
    }

    @Override
    public String toString() {
        return "Space[" + owner + "/" + name + (encrypted ? ", encrypted" : "") + "]";
    }
}
