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
import java.util.Objects;
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
    /** The inline versions seen (docs/spaces.md, "Inline versions"). */
    private final InlineTail tail = new InlineTail(this);
    /** The newest inline version rebuilt, so the next one is one step on from it. */
    private volatile Snapshot replayed;
    private final java.util.concurrent.atomic.AtomicBoolean folding = new java.util.concurrent.atomic.AtomicBoolean();

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

    /**
     * The head, fresh from the control plane, with the inline versions this object has not seen yet (its
     * {@code inline} list holds only those).
     */
    public SpaceHead head() {
        SpaceHead head = fetchHead(tail.newest());
        if (head.inlineCount() > 0 && !tail.holdsAll(head)) {
            head = fetchHead(head.manifestVersion()); // some were dropped from the cache: all of them again
        }
        return head;
    }

    private SpaceHead fetchHead(long inlineAfter) {
        SpaceHead head = spaces.client().control().space(owner.toString(), name, inlineAfter).orElseThrow(() ->
                new SpaceNotFoundException(owner + " has no space named '" + name + "' (any more)"));
        tail.add(head);
        tail.folded(head.manifestVersion());
        return head;
    }

    /** Folds the inline versions on a thread of its own, unless a fold of this object's is under way. */
    void foldInBackground() {
        if (!folding.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("tusk-space-fold").start(() -> {
            try {
                new Committer(this).fold();
            } catch (RuntimeException e) {
                org.slf4j.LoggerFactory.getLogger(Space.class).warn("folding the inline versions of space {} failed "
                        + "(the next commit folds them): {}", name, e.getMessage());
            } finally {
                folding.set(false);
            }
        });
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
        Snapshot base = head.manifestVersion() == 0 ? new Snapshot(this, 0, null, null, seen.sealer())
                : new Snapshot(this, head.manifestVersion(), BlobId.parse(head.manifestBlobId()), seen.manifest(),
                seen.sealer());
        return head.inlineCount() == 0 ? base : replayTail(base, head.version());
    }

    /** The inline version {@code target} of the tail that builds on {@code base}, rebuilt (one step on from the last). */
    private Snapshot replayTail(Snapshot base, long target) {
        Snapshot from = base;
        Snapshot last = replayed;
        if (last != null && Objects.equals(last.manifestId(), base.manifestId()) && last.version() <= target
                && last.version() > base.version()) {
            from = last;
        }
        for (InlineTail.Held h : tail.range(from.version() + 1, target)) {
            from = InlineTail.apply(from, h, h.version().version(), 0);
        }
        if (from.isInline() && (last == null || from.version() >= last.version())) {
            replayed = from;
        }
        return from;
    }

    /**
     * The newest inline version this object rebuilt or committed, if it builds on the newest manifest this object
     * knows: a writer's likely base (the control plane's compare-and-swap catches a stale one).
     */
    Snapshot latestKnown() {
        Snapshot last = replayed;
        Latest known = latest;
        return last != null && known != null && last.manifest() != null
                && last.manifest().version() >= known.head().manifestVersion() ? last : null;
    }

    /** A fold of this object's landed: the next commit starts from the head, not from a version built on the old base. */
    void folded() {
        replayed = null;
    }

    /** The inline versions of {@code head} (which {@link #head()} fetched), oldest first. */
    List<InlineTail.Held> inlineVersions(SpaceHead head) {
        return tail.range(head.manifestVersion() + 1, head.version());
    }

    /** Keeps an inline version this client just committed, rebuilt already, so the next commit starts from it. */
    void committedInline(InlineTail.Held held, Snapshot rebuilt) {
        tail.add(held);
        Snapshot last = replayed;
        if (last == null || rebuilt.version() >= last.version()) {
            replayed = rebuilt;
        }
    }

    private Latest remember(SpaceHead head) {
        Latest current = latest;
        if (current != null && current.head().manifestVersion() >= head.manifestVersion()) {
            return current.head().manifestVersion() == head.manifestVersion() ? current
                    : new Latest(head, manifestOf(head), current.sealer());
        }
        SpaceManifest manifest = manifestOf(head);
        Latest fresh = new Latest(head, manifest, sealerFor(manifest));
        latest = fresh;
        return fresh;
    }

    private SpaceManifest manifestOf(SpaceHead head) {
        if (head.manifestVersion() == 0) {
            return null;
        }
        return manifest(BlobId.parse(head.manifestBlobId()), head.manifestVersion());
    }

    /**
     * The tree shape of the space, salted by the space (secretly for encrypted spaces, so node sizes tell nothing
     * about keys), with the fanout of {@code manifest} (the default for a first commit).
     */
    io.tusk.spaces.tree.TreeShape shape(SpaceManifest manifest) {
        byte[] salt = encrypted ? spaces.ownerKey().shapeSalt(owner, name)
                : new Blake2b256().update("tusk/space-shape".getBytes(java.nio.charset.StandardCharsets.US_ASCII))
                .update(owner.bytes()).update(name.getBytes(java.nio.charset.StandardCharsets.UTF_8)).digest();
        int fanout = manifest == null ? io.tusk.spaces.tree.TreeShape.DEFAULT_FANOUT_BITS : manifest.fanoutBits();
        return new io.tusk.spaces.tree.TreeShape(fanout, salt);
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
        Snapshot base = top.isInline() ? new Snapshot(this, head.manifestVersion(), top.manifestId(), top.manifest(),
                top.sealer()) : top;
        if (version > base.version()) {
            return replayTail(base, version);
        }
        if (version == base.version()) {
            return base;
        }
        if (base.manifest().isPruned(version)) {
            throw new SpaceException("version " + version + " of space " + name + " was deleted by retention");
        }
        java.util.Optional<SpaceManifest.Kept> kept = base.manifest().kept(version);
        if (kept.isPresent()) {
            return snapshotOf(kept.get().version(), kept.get().manifest(), top.sealer());
        }
        SpaceManifest m = base.manifest();
        BlobId id = base.manifestId();
        while (InlineTail.firstCovered(m) > version) {
            SpaceManifest.Skip hop = null;
            for (SpaceManifest.Skip s : m.skips()) {
                if (s.version() >= version && s.version() < m.version() && (hop == null || s.version() < hop.version())) {
                    hop = s;
                }
            }
            if (hop != null) {
                id = hop.manifest();
                m = manifest(id, hop.version());
            } else if (m.previous() != null) {
                id = m.previous();
                m = manifest(id, InlineTail.firstCovered(m) - 1);
            } else {
                throw new VerificationException("manifest of version " + m.version() + " has no way back to " + version);
            }
        }
        if (m.version() == version) {
            return new Snapshot(this, version, id, m, top.sealer());
        }
        return foldedVersion(id, m, version, top.sealer());
    }

    /** The inline version {@code version} that manifest {@code m} (stored as {@code id}) folded, rebuilt. */
    private Snapshot foldedVersion(BlobId id, SpaceManifest m, long version, Sealer sealer) {
        long before = InlineTail.firstCovered(m) - 1;
        Snapshot previous = new Snapshot(this, before, m.previous(), manifest(m.previous(), before), sealer);
        List<Snapshot> replayedVersions = InlineTail.replayFolded(previous, m, version);
        if (replayedVersions.isEmpty() || replayedVersions.getLast().version() != version) {
            throw new VerificationException("manifest " + id + " does not hold inline version " + version);
        }
        return replayedVersions.getLast();
    }

    /** The space as of {@code time}: the last version committed at or before it (version 0 if none). */
    public Snapshot at(Instant time) {
        long t = time.toEpochMilli();
        SpaceHead head = head();
        Snapshot top = snapshotAt(head);
        if (head.version() == 0 || head.commitTimeMillis() <= t) {
            return top;
        }
        for (long v = head.version() - 1; v > head.manifestVersion(); v--) { // the tail, newest first
            if (tail.get(v).version().commitTimeMillis() <= t) {
                return at(v);
            }
        }
        if (head.manifestVersion() == 0) {
            return new Snapshot(this, 0, null, null, top.sealer());
        }
        Snapshot base = top.isInline() ? new Snapshot(this, head.manifestVersion(), top.manifestId(), top.manifest(),
                top.sealer()) : top;
        if (base.commitTimeMillis() <= t) {
            return base;
        }
        SpaceManifest m = base.manifest();
        long floor = m.floor();
        if (floor > 1 && at(floor).commitTimeMillis() > t) {
            return keptAt(base, t, floor); // before the unbroken run of kept versions
        }
        while (true) {
            // m was committed after t: first the versions it folded, newest first, then the manifest before them.
            for (int i = m.inline().size() - 1; i >= 0; i--) {
                io.tusk.spaces.manifest.InlineVersion folded = io.tusk.spaces.manifest.InlineVersion.parse(m.inline().get(i));
                if (folded.version() < m.version() && folded.commitTimeMillis() <= t) {
                    return at(folded.version());
                }
            }
            long before = InlineTail.firstCovered(m) - 1;
            if (before == 0) {
                return new Snapshot(this, 0, null, null, top.sealer());
            }
            SpaceManifest.Skip hop = null;
            for (SpaceManifest.Skip s : m.skips()) {
                if (s.version() < before && s.commitTimeMillis() > t && (hop == null || s.version() < hop.version())) {
                    hop = s;
                }
            }
            if (hop != null) {
                m = manifest(hop.manifest(), hop.version());
                continue;
            }
            if (m.previous() == null) {
                throw new VerificationException("manifest of version " + m.version() + " has no previous version");
            }
            SpaceManifest previous = manifest(m.previous(), before);
            if (previous.commitTimeMillis() <= t) {
                return new Snapshot(this, before, m.previous(), previous, top.sealer());
            }
            m = previous;
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

    /**
     * Folds the space's inline versions into a manifest blob (docs/spaces.md, "Inline versions"), in place: the head
     * keeps its version. Does nothing if there are none; a fold another writer landed first is as good.
     */
    public void fold() {
        requireWritable();
        new Committer(this).fold();
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
        SpaceHead head = head();
        Snapshot top = snapshotAt(head);
        List<VersionInfo> out = new ArrayList<>();
        if (top.version() == 0) {
            return out;
        }
        long from = Math.min(fromVersion, top.version());
        for (long v = from; v > head.manifestVersion() && out.size() < limit; v--) { // the tail, newest first
            out.add(inlineInfo(at(v), top.tags()));
        }
        if (head.manifestVersion() == 0 || out.size() >= limit) {
            return out;
        }
        Snapshot start = from > head.manifestVersion() ? at(head.manifestVersion()) : at(from);
        if (start.isInline()) { // a folded inline version: start at the manifest that folded it
            start = coveringManifest(start.version(), top);
        }
        SpaceManifest base = top.manifest();
        SpaceManifest m = start.manifest();
        BlobId id = start.manifestId();
        while (m != null && out.size() < limit) {
            if (m.version() <= from) {
                out.add(info(id, m, top.sealer(), top.tags()));
            }
            long first = InlineTail.firstCovered(m);
            if (first < m.version() && out.size() < limit) {
                long before = first - 1;
                Snapshot previous = new Snapshot(this, before, m.previous(), manifest(m.previous(), before), top.sealer());
                List<Snapshot> folded = InlineTail.replayFolded(previous, m, m.version() - 1);
                for (int i = folded.size() - 1; i >= 0 && out.size() < limit; i--) {
                    if (folded.get(i).version() <= from && !base.isPruned(folded.get(i).version())) {
                        out.add(inlineInfo(folded.get(i), top.tags()));
                    }
                }
            }
            if (m.previous() == null || base.isPruned(first - 1) || base.kept(first - 1).isPresent()) {
                break;
            }
            id = m.previous();
            m = manifest(id, first - 1);
        }
        for (SpaceManifest.Kept k : base.kept()) {
            if (out.size() < limit && k.version() <= fromVersion) {
                out.add(info(k.manifest(), manifest(k.manifest(), k.version()), top.sealer(), top.tags()));
            }
        }
        return out;
    }

    /** The manifest snapshot that folded the inline version {@code version}. */
    private Snapshot coveringManifest(long version, Snapshot top) {
        SpaceManifest m = top.manifest();
        BlobId id = top.manifestId();
        while (InlineTail.firstCovered(m) > version) {
            id = m.previous();
            m = manifest(id, InlineTail.firstCovered(m) - 1);
        }
        return new Snapshot(this, m.version(), id, m, top.sealer());
    }

    private VersionInfo inlineInfo(Snapshot at, Map<String, Long> tags) {
        CommitDetails details;
        try {
            details = at.inlineVersions().getLast().version().open(at.sealer()).details();
        } catch (SpaceKeyException e) {
            details = new CommitDetails("(encrypted)", 0, 0, List.of(), true);
        }
        return new VersionInfo(at.version(), null, at.commitTime(), details.message(), details.puts(), details.deletes(),
                details.keys(), details.truncated(), at.entryCount(), VersionInfo.tagsOf(tags, at.version()));
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
        if (at.manifest() == null || at.isInline()) {
            return List.of(); // an inline version stores no blob: the manifest that folds it lists what it wrote
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
        Snapshot head = snapshot();
        if (head.isInline()) {
            if (!writable()) {
                throw new SpaceException("the head of space " + name + " is an inline version (docs/spaces.md, \"Inline "
                        + "versions\"): its owner must fold it into a manifest before an entry can be proved");
            }
            fold();
            head = snapshot();
        }
        return EntryProofs.prove(head, key);
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
            case DataRef.Pending held -> { // an inline version's entry: its bytes came with the version
                checkEtag(record, held.bytes());
                out.write(dataKey == null ? held.bytes() : EntryCipher.decrypt(dataKey, held.bytes()));
            }
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

    /**
     * The data key of an encrypted entry: from the control plane's inline versions for one written inline and not
     * folded yet, else through the newest key index this object knows (refreshed once if stale).
     */
    byte[] dataKey(KeyRef ref) {
        InlineTail.Held held = tail.get(ref.commitVersion());
        if (held != null && held.sealedKeys() != null) {
            Sealer sealer = currentLatest().sealer();
            return io.tusk.spaces.manifest.InlineVersion.openKeys(sealer, ref.commitVersion(), held.sealedKeys(),
                    held.version().keyCount()).get(ref.index());
        }
        try {
            return dataKey(ref, currentLatest());
        } catch (BlobNotFoundException | SpaceKeyException e) {
            SpaceHead head = head();
            Latest fresh = remember(head);
            try {
                return dataKey(ref, fresh);
            } catch (NotInKeyIndex notInIndex) {
                if (ref.commitVersion() > head.manifestVersion()) {
                    throw notInIndex;
                }
                // Written inline and folded since into a later version's manifest: its key is in that one's key blob.
                Snapshot folding = coveringManifest(ref.commitVersion(), snapshotAt(head));
                if (folding.version() == ref.commitVersion() || folding.manifest().inline().isEmpty()) {
                    throw notInIndex;
                }
                return dataKey(new KeyRef(folding.version(),
                        InlineTail.foldedKeyOffset(folding.manifest(), ref.commitVersion()) + ref.index()), fresh);
            } catch (BlobNotFoundException missing) {
                throw new SpaceKeyException("the key blob of commit " + ref.commitVersion() + " is gone: " + missing.getMessage());
            }
        }
    }

    /** The key index has no key blob of that commit (the commit wrote no keys, or was folded into a later one). */
    private static final class NotInKeyIndex extends SpaceKeyException {
        NotInKeyIndex(String message) {
            super(message);
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
            throw new NotInKeyIndex("no key blob for commit " + ref.commitVersion() + " in the key index");
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
