package io.tusk.spaces;

import io.tusk.control.api.SpaceHead;
import io.tusk.core.hash.Blake2b256;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.quilt.QuiltPatchId;
import io.tusk.spaces.crypto.KeyBlob;
import io.tusk.spaces.crypto.Sealer;
import io.tusk.spaces.manifest.DataRef;
import io.tusk.spaces.manifest.EntryRecord;
import io.tusk.spaces.manifest.InlineVersion;
import io.tusk.spaces.manifest.SpaceManifest;
import io.tusk.spaces.store.Lru;
import io.tusk.spaces.store.NodeLoader;
import io.tusk.spaces.store.VerifyingSource;
import io.tusk.spaces.tree.ChildRef;
import io.tusk.spaces.tree.Location;
import io.tusk.spaces.tree.Node;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import java.util.Set;

/**
 * Walks a space's chain from the head (docs/spaces.md, "Verify"): for every version, re-derives the manifest's blob
 * ID from the bytes served, checks that the manifest is this space's at that version, that the chain of previous
 * pointers and skip pointers agrees, that commit times do not go back, then checks every tree node against the hash
 * its parent holds (re-deriving each pack's blob ID) and every entry's stored bytes against its etag. Subtrees and
 * entries shared between versions are checked once. Stops at the first break.
 */
final class SpaceVerifier {
    private final Space space;
    private final Spaces spaces;
    private final VerifyingSource source;
    private final boolean checkEntries;
    private final Set<ByteBuffer> seenNodes = new HashSet<>();
    private final Set<BlobId> seenBlobs = new HashSet<>();
    private final Set<BlobId> seenKeyBlobs = new HashSet<>();
    private long nodes;
    private long entries;
    private Sealer sealer;
    private boolean keyBlobsToo;

    SpaceVerifier(Space space, VerifyOptions options) {
        this.space = space;
        this.spaces = space.spaces();
        this.source = new VerifyingSource(options.source() != null ? options.source() : spaces.source(), spaces.encoder());
        this.checkEntries = options.entries();
    }

    VerifyReport verify(long maxVersions) {
        long started = System.nanoTime();
        SpaceHead head = space.head();
        long checked = 0;
        long oldest = head.version() + 1;
        boolean trees = true;
        VerifyReport.Break broken = null;
        Map<Long, BlobId> expected = new HashMap<>();
        // The ID each manifest version must have for the inline version after it to link to it.
        Map<Long, byte[]> links = new HashMap<>();
        SpaceManifest headManifest = null;
        Sealer sealer = null;
        long newerTime = Long.MAX_VALUE;
        long v = head.version();
        if (head.inlineCount() > 0) { // the inline versions the control plane holds
            try {
                List<InlineTail.Held> tail = space.inlineVersions(head);
                checkTailLinks(head, tail);
                Sealer base = space.sealerFor(space.manifest(BlobId.parse(head.manifestBlobId()), head.manifestVersion()));
                if (!space.encrypted() || base.hasKeys()) { // rebuilt, each version's entries checked on the way
                    Snapshot top = space.snapshotAt(head); // the head read above: a fold landing meanwhile changes nothing
                    for (InlineTail.Held h : top.inlineVersions()) {
                        checkInlineEntries(h, top.sealer());
                    }
                }
                checked += Math.min(maxVersions, head.inlineCount());
                oldest = head.manifestVersion() + 1;
                newerTime = tail.getFirst().version().commitTimeMillis();
            } catch (RuntimeException e) {
                broken = new VerifyReport.Break(head.version(), e.getMessage());
            }
            v = head.manifestVersion();
        }
        if (v > 0) {
            expected.put(v, BlobId.parse(head.manifestBlobId()));
        }
        while (broken == null && v >= 1 && checked < maxVersions) {
            if (headManifest != null && headManifest.isPruned(v)) {
                break;
            }
            try {
                BlobId id = expected.get(v);
                if (id == null) {
                    throw new VerificationException("no newer manifest names the manifest of version " + v);
                }
                SpaceManifest m = SpaceManifest.parse(source.blob(id));
                checkManifest(m, v, head, newerTime);
                if (headManifest == null) {
                    headManifest = m;
                    sealer = space.sealerFor(m);
                    trees = !space.encrypted() || sealer.hasKeys();
                }
                byte[] link = links.get(v);
                if (link != null && !java.util.Arrays.equals(link, InlineTail.versionId(id, m))) {
                    throw new VerificationException("the inline version after it links to another version " + v);
                }
                long first = checkFolded(m, links);
                for (SpaceManifest.Skip skip : m.skips()) {
                    if (skip.version() >= first || skip.commitTimeMillis() > m.commitTimeMillis()) {
                        throw new VerificationException("a skip pointer to version " + skip.version() + " is not older");
                    }
                    BlobId known = expected.putIfAbsent(skip.version(), skip.manifest());
                    if (known != null && !known.equals(skip.manifest())) {
                        throw new VerificationException("its skip pointer names " + skip.manifest() + " as version "
                                + skip.version() + ", the chain says " + known);
                    }
                }
                if (first > 1) {
                    BlobId known = expected.putIfAbsent(first - 1, m.previous());
                    if (known != null && !known.equals(m.previous())) {
                        throw new VerificationException("its previous pointer names " + m.previous() + ", a newer skip names "
                                + known);
                    }
                }
                if (trees) {
                    checkTrees(m, sealer, v == head.manifestVersion());
                    if (first < m.version()) {
                        checkFoldedTrees(m, id, first, sealer);
                    }
                }
                newerTime = first < m.version() ? InlineVersion.parse(m.inline().getFirst()).commitTimeMillis()
                        : m.commitTimeMillis();
                checked += m.version() - first + 1;
                oldest = first;
                v = first - 1;
            } catch (RuntimeException e) {
                broken = new VerifyReport.Break(v, e.getMessage());
                break;
            }
        }
        // Versions retention kept below the pruned ones: each checked on its own (its chain was cut on purpose).
        if (broken == null && headManifest != null) {
            for (SpaceManifest.Kept kept : headManifest.kept()) {
                if (checked >= maxVersions) {
                    break;
                }
                try {
                    SpaceManifest m = SpaceManifest.parse(source.blob(kept.manifest()));
                    checkManifest(m, kept.version(), head, Long.MAX_VALUE);
                    if (m.commitTimeMillis() != kept.commitTimeMillis()) {
                        throw new VerificationException("its commit time differs from what the head's kept list says");
                    }
                    if (trees) {
                        checkTrees(m, sealer, false);
                    }
                    checked++;
                    oldest = Math.min(oldest, kept.version());
                } catch (RuntimeException e) {
                    broken = new VerifyReport.Break(kept.version(), e.getMessage());
                    break;
                }
            }
        }
        return new VerifyReport(space.name(), head.version(), checked, Math.min(oldest, head.version()),
                source.blobsChecked(), nodes, entries, source.bytesChecked(), trees, broken,
                Duration.ofNanos(System.nanoTime() - started));
    }

    /**
     * Checks the chain of the inline versions the control plane holds, without opening them (a reader without an
     * encrypted space's key can check this much): each is this space's next version, links to the one before (the
     * first to the head's manifest) and was committed in order, the last at the head's commit time.
     */
    private void checkTailLinks(SpaceHead head, List<InlineTail.Held> tail) {
        SpaceManifest base = space.manifest(BlobId.parse(head.manifestBlobId()), head.manifestVersion());
        byte[] previous = InlineTail.versionId(BlobId.parse(head.manifestBlobId()), base);
        long time = base.commitTimeMillis();
        long version = head.manifestVersion();
        for (InlineTail.Held h : tail) {
            InlineVersion iv = h.version();
            if (!iv.owner().equals(space.ownerAddress()) || !iv.name().equals(space.name()) || iv.version() != ++version
                    || !java.util.Arrays.equals(iv.previous(), previous) || iv.commitTimeMillis() < time) {
                throw new VerificationException("inline version " + iv.version() + " does not follow version "
                        + (version - 1) + " in the chain");
            }
            previous = h.id();
            time = iv.commitTimeMillis();
        }
        if (version != head.version() || time != head.commitTimeMillis()) {
            throw new VerificationException("the inline versions end at version " + version + ", not at the head");
        }
    }

    /**
     * Checks the inline versions a manifest folded: this space's, consecutive, each linking to the one before, ending
     * at the manifest's version or the one before it, committed in order. Records the link the first one names for the
     * manifest before it. Returns the first version the manifest covers.
     */
    private static long checkFolded(SpaceManifest m, Map<Long, byte[]> links) {
        if (m.inline().isEmpty()) {
            return m.version();
        }
        long first = InlineVersion.parse(m.inline().getFirst()).version();
        byte[] previousId = null;
        long previousTime = Long.MIN_VALUE;
        long expect = first;
        for (byte[] bytes : m.inline()) {
            InlineVersion iv = InlineVersion.parse(bytes);
            if (!iv.owner().equals(m.owner()) || !iv.name().equals(m.name()) || iv.version() != expect) {
                throw new VerificationException("folded inline version " + iv.version() + " is not version " + expect
                        + " of this space");
            }
            if (previousId != null && !java.util.Arrays.equals(iv.previous(), previousId)) {
                throw new VerificationException("folded inline version " + iv.version() + " does not link to the one before");
            }
            if (iv.commitTimeMillis() < previousTime || iv.commitTimeMillis() > m.commitTimeMillis()) {
                throw new VerificationException("folded inline version " + iv.version() + " was committed out of order");
            }
            previousId = InlineVersion.id(bytes);
            previousTime = iv.commitTimeMillis();
            expect++;
        }
        long last = expect - 1;
        if (last != m.version() && last != m.version() - 1) {
            throw new VerificationException("the inline versions it folds end at " + last + ", not at or before version "
                    + m.version());
        }
        if (last == m.version() && m.commitTimeMillis() != previousTime) {
            throw new VerificationException("it folds its own version, committed at another time");
        }
        links.put(first - 1, InlineVersion.parse(m.inline().getFirst()).previous());
        return first;
    }

    /**
     * Rebuilds the versions a manifest folded on the manifest before them: each opens, links and holds entries that
     * match their etags; a manifest that folded its own version must hold the tree the rebuild gives (entries equal
     * but for where their bytes are).
     */
    private void checkFoldedTrees(SpaceManifest m, BlobId id, long first, Sealer sealer) {
        SpaceManifest previous = space.manifest(m.previous(), first - 1);
        Snapshot before = new Snapshot(space, first - 1, m.previous(), previous, sealer);
        List<Snapshot> rebuilt = InlineTail.replayFolded(before, m, m.version());
        for (Snapshot at : rebuilt) {
            checkInlineEntries(at.inlineVersions().getLast(), sealer);
        }
        if (rebuilt.getLast().version() == m.version()) {
            Snapshot folded = new Snapshot(space, m.version(), id, m, sealer);
            Snapshot replay = rebuilt.getLast();
            io.tusk.spaces.tree.TreeDiff.diff(replay.root(), replay.nodes(), folded.root(), folded.nodes(),
                    (a, b) -> sameEntry((EntryRecord) a, (EntryRecord) b), c -> {
                        throw new VerificationException("its tree differs from its folded versions at "
                                + io.tusk.spaces.tree.Keys.printable(io.tusk.spaces.tree.Keys.decode(c.key())));
                    });
        }
    }

    private static boolean sameEntry(EntryRecord a, EntryRecord b) {
        return a.size() == b.size() && a.contentType().equals(b.contentType()) && a.metadata().equals(b.metadata())
                && java.util.Arrays.equals(a.etag(), b.etag()) && a.version() == b.version()
                && a.modifiedMillis() == b.modifiedMillis() && java.util.Objects.equals(a.key(), b.key())
                && a.data().storedLength() == b.data().storedLength();
    }

    /** The bytes an inline version holds hash to their entries' etags. */
    private void checkInlineEntries(InlineTail.Held held, Sealer sealer) {
        if (space.encrypted() && !sealer.hasKeys()) {
            return;
        }
        for (InlineVersion.Change c : held.version().open(sealer).changes()) {
            if (c.record() != null && c.record().data() instanceof io.tusk.spaces.manifest.DataRef.Pending p) {
                if (!java.util.Arrays.equals(io.tusk.core.hash.Blake2b256.hash(p.bytes()), c.record().etag())) {
                    throw new VerificationException("inline version " + held.version().version() + " holds bytes of "
                            + io.tusk.spaces.tree.Keys.printable(io.tusk.spaces.tree.Keys.decode(c.key()))
                            + " that do not hash to its etag");
                }
                entries++;
            }
        }
    }

    private void checkManifest(SpaceManifest m, long version, SpaceHead head, long newerTime) {
        if (!m.owner().equals(space.ownerAddress()) || !m.name().equals(space.name()) || m.version() != version) {
            throw new VerificationException("the manifest is " + m.owner() + "/" + m.name() + " version " + m.version());
        }
        if (version == head.version() && head.inlineCount() == 0 && m.commitTimeMillis() != head.commitTimeMillis()) {
            throw new VerificationException("the head's commit time " + head.commitTimeMillis()
                    + " differs from its manifest's " + m.commitTimeMillis());
        }
        if (m.commitTimeMillis() > newerTime) {
            throw new VerificationException("committed at " + m.commitTimeMillis() + ", after the next version ("
                    + newerTime + ")");
        }
        if ((m.encryption() != null) != space.encrypted()) {
            throw new VerificationException("the manifest's encryption does not match the space's");
        }
    }

    /**
     * @param atHead whether this is the head: key blobs are checked through the head's key index only, since
     *               forgetting an entry replaces (and deletes) the key blob older versions' indices still name
     */
    private void checkTrees(SpaceManifest m, Sealer sealer, boolean atHead) {
        this.sealer = sealer;
        this.keyBlobsToo = atHead;
        NodeLoader loader = new NodeLoader(source, Snapshot.ENTRY_NODES, sealer, new Lru<>(0, n -> 1),
                new Lru<>(16L << 20, b -> b.length));
        if (m.root() != null) {
            Node root = Snapshot.ENTRY_NODES.decode(sealer.open("node", m.root()), m.pack());
            if (root.count() != m.entryCount()) {
                throw new VerificationException("the tree holds " + root.count() + " entries, the manifest says "
                        + m.entryCount());
            }
            walk(root, loader, true);
        } else if (m.entryCount() != 0) {
            throw new VerificationException("an empty tree but " + m.entryCount() + " entries");
        }
        if (m.keysRoot() != null) {
            NodeLoader keys = new NodeLoader(source, Space.KEY_NODES, sealer, new Lru<>(0, n -> 1),
                    new Lru<>(16L << 20, b -> b.length));
            Node root = Space.KEY_NODES.decode(sealer.open("node", m.keysRoot()), m.pack());
            walk(root, keys, false);
        }
    }

    /**
     * Walks a tree pack by pack: all pending nodes stored in one pack are loaded together, and their children in the
     * same pack right after, while its quilt is in the verifying source's cache; children in other packs wait for
     * their pack's turn. Small entries are checked with the pack their leaf came from when they are in it (a bulk
     * commit puts entries and their leaves in one pack), the others at the end grouped by pack. So every pack is
     * fetched and its blob ID re-derived about once, however large the tree: walking level by level instead fetched
     * each pack once per level once the packs outgrew the cache (a 1M-entry head: 475 re-derivations for ~190
     * packs). Entries waiting for their pack take 44 bytes each.
     */
    private void walk(Node root, NodeLoader loader, boolean entryTree) {
        TreeMap<BlobId, ArrayDeque<Object[]>> pending = new TreeMap<>();
        Map<BlobId, ByteArrayOutputStream> packedEntries = new TreeMap<>();
        visit(root, null, pending, packedEntries, entryTree);
        while (!pending.isEmpty()) {
            Map.Entry<BlobId, ArrayDeque<Object[]>> inPack = pending.pollFirstEntry();
            ArrayDeque<Object[]> queue = inPack.getValue();
            pending.put(inPack.getKey(), queue); // children in this pack join the queue being drained
            while (!queue.isEmpty()) {
                Object[] next = queue.poll();
                Node node = loader.load((ChildRef) next[0], (byte[]) next[1], (Integer) next[2]);
                nodes++;
                visit(node, inPack.getKey(), pending, packedEntries, entryTree);
            }
            pending.remove(inPack.getKey());
        }
        for (Map.Entry<BlobId, ByteArrayOutputStream> pack : packedEntries.entrySet()) {
            checkPackedEntries(pack.getKey(), pack.getValue().toByteArray());
        }
    }

    /** @param pack the pack the node was read from (its quilt is at hand: entries in it are checked at once) */
    private void visit(Node node, BlobId pack, Map<BlobId, ArrayDeque<Object[]>> next,
                       Map<BlobId, ByteArrayOutputStream> packedEntries, boolean entryTree) {
        if (node.isLeaf()) {
            for (int i = 0; i < node.size(); i++) {
                if (entryTree) {
                    if (checkEntries) {
                        checkEntry((EntryRecord) node.value(i), pack, packedEntries);
                    }
                } else if (keyBlobsToo) {
                    checkKeyBlob((BlobId) node.value(i), node.key(i));
                }
            }
            return;
        }
        for (int i = 0; i < node.size(); i++) {
            ChildRef child = node.child(i);
            if (child instanceof ChildRef.Stored stored && seenNodes.add(ByteBuffer.wrap(stored.hash()))) {
                next.computeIfAbsent(stored.location().pack(), p -> new ArrayDeque<>())
                        .add(new Object[]{child, node.key(i), node.level()});
            }
        }
    }

    private void checkEntry(EntryRecord record, BlobId currentPack, Map<BlobId, ByteArrayOutputStream> packedEntries) {
        switch (record.data()) {
            case DataRef.Empty e -> {
                entries++;
                expectEtag(record, Blake2b256.hash(new byte[0]), 0, 0);
            }
            case DataRef.Packed p -> {
                // In the pack at hand: now. Else once its pack's turn comes: start u16, end u16, offset u32,
                // length u32, etag [32].
                Location l = p.location();
                byte[] item = new BcsWriter(44).u16(l.startColumn()).u16(l.endColumn()).u32(l.offset()).u32(l.length())
                        .fixedBytes(record.etag()).toByteArray();
                if (l.pack().equals(currentPack)) {
                    checkPackedEntries(l.pack(), item);
                } else {
                    packedEntries.computeIfAbsent(l.pack(), x -> new ByteArrayOutputStream()).writeBytes(item);
                }
            }
            case DataRef.Blob b -> {
                if (!seenBlobs.add(b.blobId())) {
                    return;
                }
                entries++;
                Blake2b256 hash = new Blake2b256();
                long[] count = new long[1];
                try {
                    source.stream(b.blobId(), new OutputStream() {
                        @Override
                        public void write(int x) {
                            write(new byte[]{(byte) x}, 0, 1);
                        }

                        @Override
                        public void write(byte[] x, int off, int len) {
                            hash.update(x, off, len);
                            count[0] += len;
                        }
                    });
                } catch (IOException e) {
                    throw new VerificationException("entry blob " + b.blobId() + " could not be read: " + e.getMessage(), e);
                }
                expectEtag(record, hash.digest(), count[0], b.storedLength());
            }
            case DataRef.Pending p -> throw new IllegalStateException("pending data in a stored tree");
        }
    }

    private void checkPackedEntries(BlobId pack, byte[] items) {
        BcsReader in = new BcsReader(items);
        while (in.remaining() > 0) {
            int start = in.u16();
            int end = in.u16();
            int offset = (int) in.u32();
            int length = (int) in.u32();
            byte[] etag = in.fixedBytes(32);
            QuiltPatchId patch = new QuiltPatchId(pack, start, end);
            byte[] data = source.patch(patch);
            if ((long) offset + length > data.length) {
                throw new VerificationException("an entry's location runs past its patch " + patch);
            }
            entries++;
            if (!Arrays.equals(Blake2b256.hash(data, offset, length), etag)) {
                throw new VerificationException("an entry's " + length + " stored bytes in patch " + patch
                        + " do not hash to its etag " + java.util.HexFormat.of().formatHex(etag));
            }
        }
    }

    private static void expectEtag(EntryRecord record, byte[] hash, long count, long expectedCount) {
        if (count != expectedCount || !Arrays.equals(hash, record.etag())) {
            throw new VerificationException("an entry's " + count + " stored bytes do not hash to its etag "
                    + record.etagHex());
        }
    }

    private void checkKeyBlob(BlobId blobId, byte[] indexKey) {
        if (!seenKeyBlobs.add(blobId)) {
            return;
        }
        long commit = Long.parseLong(new String(indexKey, java.nio.charset.StandardCharsets.US_ASCII));
        KeyBlob.parse(source.blob(blobId), sealer, space.ownerAddress(), space.name(), commit);
    }
}
