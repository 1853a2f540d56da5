package io.tusk.spaces;

import io.tusk.control.api.SpaceHead;
import io.tusk.core.metadata.BlobId;
import io.tusk.spaces.manifest.EntryRecord;
import io.tusk.spaces.manifest.InlineVersion;
import io.tusk.spaces.manifest.KeyRef;
import io.tusk.spaces.manifest.SpaceManifest;
import io.tusk.spaces.tree.Node;
import io.tusk.spaces.tree.TreeEditor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The inline versions of one space this client has seen (docs/spaces.md, "Inline versions"), and how a version is
 * rebuilt from them: the changes of each are applied, in order, to the tree of the version before, each checked to
 * link to it. A version is committed once and never changes, so what was fetched stays good; the control plane only
 * ever sends the versions after the newest one held here.
 */
final class InlineTail {
    /** Inline versions kept: the control plane holds at most 64 per space, so this is a few folds' worth. */
    private static final int MAX_HELD = 256;

    /** An inline version: its bytes, its ID in the chain, and its sealed data keys (null if none or folded). */
    record Held(InlineVersion version, byte[] bytes, byte[] id, byte[] sealedKeys) {
        static Held of(byte[] bytes, byte[] sealedKeys) {
            return new Held(InlineVersion.parse(bytes), bytes, InlineVersion.id(bytes), sealedKeys);
        }
    }

    private final Space space;
    private final ConcurrentSkipListMap<Long, Held> held = new ConcurrentSkipListMap<>();

    InlineTail(Space space) {
        this.space = space;
    }

    /** The newest version held (0 if none): the control plane sends the ones after it. */
    long newest() {
        return held.isEmpty() ? 0 : held.lastKey();
    }

    Held get(long version) {
        return held.get(version);
    }

    /** Keeps the inline versions a head query returned, checked to be this space's. */
    void add(SpaceHead head) {
        for (SpaceHead.InlineVersion v : head.inline()) {
            Held h;
            try {
                h = Held.of(Base64.getDecoder().decode(v.inline()),
                        v.inlineKeys() == null ? null : Base64.getDecoder().decode(v.inlineKeys()));
            } catch (IllegalArgumentException e) {
                throw new VerificationException("the control plane sent inline version " + v.version() + " of space "
                        + space.name() + " that is not base64: " + e.getMessage());
            }
            InlineVersion parsed = h.version();
            if (!parsed.owner().equals(space.ownerAddress()) || !parsed.name().equals(space.name())
                    || parsed.version() != v.version() || parsed.commitTimeMillis() != v.commitTimeMillis()) {
                throw new VerificationException("inline version " + v.version() + " from the control plane is "
                        + parsed.owner() + "/" + parsed.name() + " version " + parsed.version() + ", not this space's");
            }
            held.put(v.version(), h);
        }
        while (held.size() > MAX_HELD) {
            held.pollFirstEntry();
        }
    }

    /**
     * Forgets the data keys of the versions up to {@code manifestVersion}, now folded: from here on they are read from
     * the folding manifest's key blob, which forgetting an entry rewrites; a copy kept here would outlive that.
     */
    void folded(long manifestVersion) {
        for (Held h : held.headMap(manifestVersion, true).values()) {
            if (h.sealedKeys() != null) {
                held.put(h.version().version(), new Held(h.version(), h.bytes(), h.id(), null));
            }
        }
    }

    /** Keeps an inline version this client committed itself. */
    void add(Held committed) {
        held.put(committed.version().version(), committed);
    }

    /** Whether every inline version of {@code head} is held. */
    boolean holdsAll(SpaceHead head) {
        for (long v = head.manifestVersion() + 1; v <= head.version(); v++) {
            if (!held.containsKey(v)) {
                return false;
            }
        }
        return true;
    }

    /** The held inline versions {@code from .. to}, oldest first. */
    List<Held> range(long from, long to) {
        List<Held> out = new ArrayList<>();
        for (long v = from; v <= to; v++) {
            Held h = held.get(v);
            if (h == null) {
                throw new SpaceException("inline version " + v + " of space " + space.name() + " is not at hand");
            }
            out.add(h);
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ replay

    /**
     * The ID a version's successor names as its previous: the manifest blob ID, or, for a manifest that folded its
     * own version in place (its last inline version has its version), that inline version's ID, since the version
     * was committed inline and its successor linked to it then.
     */
    static byte[] versionId(BlobId manifestBlobId, SpaceManifest manifest) {
        if (!manifest.inline().isEmpty()) {
            byte[] last = manifest.inline().getLast();
            if (InlineVersion.parse(last).version() == manifest.version()) {
                return InlineVersion.id(last);
            }
        }
        return manifestBlobId.bytes();
    }

    /**
     * {@code base} with the inline version {@code next} applied. Data keys of its entries are named
     * {@code KeyRef(keysAt, keyOffset + i)}: the inline version itself for one the control plane holds, the folding
     * manifest's key blob for one folded into a manifest.
     *
     * @throws VerificationException if {@code next} does not follow {@code base} in the chain
     */
    static Snapshot apply(Snapshot base, Held next, long keysAt, int keyOffset) {
        InlineVersion v = next.version();
        Space space = base.space();
        if (v.version() != base.version() + 1 || !Arrays.equals(v.previous(), base.versionId())
                || !v.owner().equals(space.ownerAddress()) || !v.name().equals(space.name())) {
            throw new VerificationException("inline version " + v.version() + " of space " + space.name()
                    + " does not follow version " + base.version() + " in the chain");
        }
        if (v.commitTimeMillis() < base.commitTimeMillis()) {
            throw new VerificationException("inline version " + v.version() + " was committed before version "
                    + base.version());
        }
        InlineVersion.Body body = v.open(base.sealer());
        NavigableMap<byte[], Object> edits = new TreeMap<>(io.tusk.spaces.tree.Keys.ORDER);
        for (InlineVersion.Change change : body.changes()) {
            EntryRecord record = change.record();
            if (record == null) {
                edits.put(change.key(), TreeEditor.DELETE);
                continue;
            }
            if (record.version() != v.version()) {
                throw new VerificationException("an entry of inline version " + v.version() + " says it was written by "
                        + "version " + record.version());
            }
            if (record.data() instanceof io.tusk.spaces.manifest.DataRef.Pending held
                    && !Arrays.equals(io.tusk.core.hash.Blake2b256.hash(held.bytes()), record.etag())) {
                throw new VerificationException("inline version " + v.version() + " holds bytes that do not hash to "
                        + "their entry's etag");
            }
            if (record.key() != null && record.key().commitVersion() == v.version()) {
                if (record.key().index() >= v.keyCount()) {
                    throw new VerificationException("an entry of inline version " + v.version() + " names data key "
                            + record.key().index() + " of " + v.keyCount());
                }
                record = record.withData(record.data(), new KeyRef(keysAt, keyOffset + record.key().index()));
            }
            edits.put(change.key(), record);
        }
        Node root = new TreeEditor(base.nodes(), space.shape(base.manifest())).apply(base.root(), edits);
        List<Held> chain = new ArrayList<>(base.inlineVersions());
        chain.add(next);
        return new Snapshot(base, root, chain);
    }

    /**
     * The versions a manifest folded, rebuilt on the manifest before them ({@code previous}), oldest first: their
     * data keys are in the manifest's key blob (see {@link #keyOffsets}).
     */
    static List<Snapshot> replayFolded(Snapshot previous, SpaceManifest folding, long upTo) {
        List<InlineVersion> versions = folding.inline().stream().map(InlineVersion::parse).toList();
        java.util.Map<Long, Integer> offsets = keyOffsets(versions, folding.version());
        List<Snapshot> out = new ArrayList<>();
        Snapshot at = previous;
        for (byte[] bytes : folding.inline()) {
            Held h = Held.of(bytes, null);
            long v = h.version().version();
            if (v > upTo) {
                break;
            }
            at = apply(at, h, folding.version(), offsets.get(v));
            out.add(at);
        }
        return out;
    }

    /**
     * Where the data keys of each folded inline version are in the folding manifest's key blob (of the manifest's
     * version): the keys of the manifest's own version first, at their own indices, so that an entry read from that
     * version before the fold ({@code KeyRef(version, i)}) names the same key after it; then the others', oldest
     * first. Versions before the manifest's own have no key index entry of their own: a reference to one of them is
     * found here ({@link Space#dataKey}).
     */
    static java.util.Map<Long, Integer> keyOffsets(List<InlineVersion> folded, long manifestVersion) {
        java.util.Map<Long, Integer> offsets = new java.util.HashMap<>();
        int next = 0;
        for (InlineVersion v : folded) {
            if (v.version() == manifestVersion) {
                offsets.put(v.version(), 0);
                next = v.keyCount();
            }
        }
        for (InlineVersion v : folded) {
            if (v.version() != manifestVersion) {
                offsets.put(v.version(), next);
                next += v.keyCount();
            }
        }
        return offsets;
    }

    /** Where the data keys of the folded inline version {@code version} went: its offset in the folding key blob. */
    static int foldedKeyOffset(SpaceManifest folding, long version) {
        Integer offset = keyOffsets(folding.inline().stream().map(InlineVersion::parse).toList(), folding.version())
                .get(version);
        if (offset == null) {
            throw new SpaceException("manifest of version " + folding.version() + " did not fold version " + version);
        }
        return offset;
    }

    /** The first version a manifest covers: its first folded inline version, or itself. */
    static long firstCovered(SpaceManifest manifest) {
        return manifest.inline().isEmpty() ? manifest.version() : InlineVersion.parse(manifest.inline().getFirst()).version();
    }
}
