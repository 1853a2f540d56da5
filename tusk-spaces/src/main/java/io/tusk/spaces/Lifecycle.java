package io.tusk.spaces;

import io.tusk.client.Manifest;
import io.tusk.client.TuskClient;
import io.tusk.control.api.BlobObject;
import io.tusk.control.api.EpochInfo;
import io.tusk.control.api.PriceInfo;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.metadata.BlobId;
import io.tusk.http.ApiException;
import io.tusk.spaces.crypto.Sealer;
import io.tusk.spaces.manifest.DataRef;
import io.tusk.spaces.manifest.EntryRecord;
import io.tusk.spaces.manifest.SpaceManifest;
import io.tusk.spaces.store.NodeLoader;
import io.tusk.spaces.tree.ChildRef;
import io.tusk.spaces.tree.Node;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Retention and renewal of a space (docs/spaces.md): both start from the blobs the kept versions need, found by
 * walking their trees (each shared subtree once): their manifests, the packs their nodes and small entries are in,
 * their large entries' blobs and chunks, and the key blobs the head's key index names. Retention deletes the rest of
 * what the pruned versions wrote; renewal extends what is needed before it expires.
 */
final class Lifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private final Space space;
    private final Spaces spaces;
    private final TuskClient client;

    Lifecycle(Space space) {
        this.space = space;
        this.spaces = space.spaces();
        this.client = spaces.client();
    }

    /** A version that is not pruned: its manifest and where it is stored. */
    record Version(long version, BlobId manifestId, SpaceManifest manifest) {
    }

    /**
     * The versions retention has not pruned, newest first: the unbroken run down from the head, then kept ones. A
     * manifest that folded inline versions stands for them too: they are kept or pruned with it.
     */
    List<Version> versions(Snapshot head) {
        List<Version> out = new ArrayList<>();
        if (head.manifest() == null) {
            return out;
        }
        SpaceManifest top = head.manifest();
        SpaceManifest m = top;
        BlobId id = head.manifestId();
        while (true) {
            out.add(new Version(m.version(), id, m));
            long before = InlineTail.firstCovered(m) - 1;
            if (m.previous() == null || top.isPruned(before)) {
                break;
            }
            id = m.previous();
            m = space.manifest(id, before);
        }
        for (SpaceManifest.Kept k : top.kept()) {
            out.add(new Version(k.version(), k.manifest(), space.manifest(k.manifest(), k.version())));
        }
        return out;
    }

    /** Blobs needed, each with the newest version found needing it. */
    final class Live {
        final Map<BlobId, Long> needs = new LinkedHashMap<>();
        private final Set<ByteBuffer> seenNodes = new HashSet<>();
        private final Set<BlobId> seenLarge = new HashSet<>();

        void need(BlobId blob, long version) {
            needs.putIfAbsent(blob, version);
        }

        boolean contains(BlobId blob) {
            return needs.containsKey(blob);
        }

        void version(Version v, Sealer sealer) {
            need(v.manifestId(), v.version());
            SpaceManifest m = v.manifest();
            if (m.root() != null) {
                Node root = Snapshot.ENTRY_NODES.decode(sealer.open("node", m.root()), m.pack());
                walk(root, spaces.nodeLoader(Snapshot.ENTRY_NODES, sealer), v.version(), true);
            }
        }

        void keyIndex(Version head, Sealer sealer) {
            SpaceManifest m = head.manifest();
            if (m.keysRoot() != null) {
                Node root = Space.KEY_NODES.decode(sealer.open("node", m.keysRoot()), m.pack());
                walk(root, spaces.nodeLoader(Space.KEY_NODES, sealer), head.version(), false);
            }
        }

        private void walk(Node node, NodeLoader loader, long version, boolean entries) {
            if (node.isLeaf()) {
                for (int i = 0; i < node.size(); i++) {
                    if (entries) {
                        entry((EntryRecord) node.value(i), version);
                    } else {
                        need((BlobId) node.value(i), version); // a key blob
                    }
                }
                return;
            }
            for (int i = 0; i < node.size(); i++) {
                ChildRef.Stored child = (ChildRef.Stored) node.child(i);
                if (seenNodes.add(ByteBuffer.wrap(child.hash()))) {
                    need(child.location().pack(), version);
                    walk(loader.load(child, node.key(i), node.level()), loader, version, entries);
                }
            }
        }

        private void entry(EntryRecord record, long version) {
            switch (record.data()) {
                case DataRef.Packed p -> need(p.location().pack(), version);
                case DataRef.Blob b -> {
                    need(b.blobId(), version);
                    if (seenLarge.add(b.blobId())) {
                        // A chunked file: its chunks are blobs of their own.
                        Optional<Manifest> chunks = client.manifest(b.blobId());
                        chunks.ifPresent(file -> file.chunks().forEach(c -> need(c, version)));
                    }
                }
                default -> {
                }
            }
        }
    }

    /**
     * @param lost where to report versions whose blobs are already gone (null: such a version is an error, as
     *             retention must not delete anything it could not walk)
     */
    Live mark(List<Version> kept, Snapshot head, List<String> lost) {
        Live live = new Live();
        Sealer sealer = head.sealer();
        if (space.encrypted() && !sealer.hasKeys()) {
            throw new SpaceKeyException("space " + space.name() + " is encrypted: only its owner key can walk it");
        }
        for (Version v : kept) {
            try {
                live.version(v, sealer);
            } catch (io.tusk.client.BlobNotFoundException e) {
                if (lost == null) {
                    throw e;
                }
                lost.add("version " + v.version() + " cannot be read whole any more: " + e.getMessage());
            }
        }
        if (!kept.isEmpty()) {
            live.keyIndex(kept.getFirst(), sealer);
        }
        return live;
    }

    // ------------------------------------------------------------------------------------------------ retention

    RetentionReport retain(RetentionPolicy policy) {
        for (int attempt = 1; ; attempt++) {
            try {
                return retainOnce(policy);
            } catch (VersionConflictException e) {
                if (attempt >= 3) {
                    throw e; // the space keeps moving: retention is best run when writers are quiet
                }
            }
        }
    }

    private RetentionReport retainOnce(RetentionPolicy policy) {
        if (space.snapshot().isInline()) {
            new Committer(space).fold(); // retention decides on manifests
        }
        Snapshot head = space.snapshot();
        List<Version> versions = versions(head);
        if (versions.isEmpty()) {
            return new RetentionReport(List.of(), head.version(), 0, 0, List.of());
        }
        Set<Long> keep = new TreeSet<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < versions.size(); i++) {
            Version v = versions.get(i);
            boolean recent = i < policy.keepLast();
            boolean young = policy.keepYoungerThan() != null
                    && now - v.manifest().commitTimeMillis() < policy.keepYoungerThan().toMillis();
            long first = InlineTail.firstCovered(v.manifest());
            boolean tagged = policy.keepTagged() && head.tags().values().stream()
                    .anyMatch(t -> t >= first && t <= v.version());
            if (recent || young || tagged) {
                keep.add(v.version());
            }
        }
        List<Version> kept = versions.stream().filter(v -> keep.contains(v.version())).toList();
        List<Version> pruned = versions.stream().filter(v -> !keep.contains(v.version())).toList();
        if (pruned.isEmpty()) {
            return new RetentionReport(List.of(), head.version(), 0, 0, List.of());
        }
        Live live = mark(kept, head, null);

        List<SpaceManifest.Write> deletions = new ArrayList<>();
        List<SpaceManifest.Write> adopted = new ArrayList<>();
        Set<BlobId> keptBlobs = new HashSet<>();
        for (Version v : pruned) {
            if (!live.contains(v.manifestId())) {
                deletions.add(new SpaceManifest.Write(v.manifestId(), null));
            }
            for (SpaceManifest.Write w : v.manifest().writes()) {
                if (live.contains(w.blobId())) {
                    adopted.add(w); // a kept version still needs it: the retention commit takes it over
                    keptBlobs.add(w.blobId());
                } else {
                    deletions.add(w);
                }
            }
        }

        TreeSet<Long> prunedVersions = new TreeSet<>();
        for (SpaceManifest.VersionRange r : head.manifest().pruned()) {
            for (long x = r.first(); x <= r.last(); x++) {
                prunedVersions.add(x);
            }
        }
        for (Version v : pruned) {
            for (long x = InlineTail.firstCovered(v.manifest()); x <= v.version(); x++) {
                prunedVersions.add(x); // with the inline versions it folded
            }
        }
        List<SpaceManifest.VersionRange> ranges = ranges(prunedVersions);
        long floor = prunedVersions.last() + 1;
        Map<Long, Long> times = new HashMap<>();
        for (Version v : versions) {
            times.put(v.version(), v.manifest().commitTimeMillis());
            for (byte[] folded : v.manifest().inline()) {
                io.tusk.spaces.manifest.InlineVersion iv = io.tusk.spaces.manifest.InlineVersion.parse(folded);
                times.putIfAbsent(iv.version(), iv.commitTimeMillis());
            }
        }
        List<SpaceManifest.Kept> keptBelow = kept.stream().filter(v -> v.version() < floor)
                .map(v -> new SpaceManifest.Kept(v.version(), v.manifestId(), v.manifest().commitTimeMillis(),
                        successorTime(v.version(), times, head.manifest())))
                .sorted((a, b) -> Long.compare(b.version(), a.version())).toList();
        Set<String> droppedTags = new HashSet<>();
        head.tags().forEach((tag, v) -> {
            if (prunedVersions.contains(v)) {
                droppedTags.add(tag);
            }
        });
        String message = "retention: pruned versions " + describe(ranges(new TreeSet<>(pruned.stream()
                .map(Version::version).toList())));
        CommitResult committed = new Committer(space).retain(new Staging.Retention(ranges, keptBelow, adopted,
                droppedTags), head.version(), message);

        // Deleted only once the head no longer names these versions: a crash before this leaves garbage that expires.
        List<String> warnings = new ArrayList<>();
        int deleted = 0;
        for (SpaceManifest.Write w : deletions) {
            deleted += delete(w, warnings);
        }
        return new RetentionReport(pruned.stream().map(Version::version).sorted().toList(), committed.version(), deleted,
                keptBlobs.size(), warnings);
    }

    /** When the version after {@code version} was committed: known now, or recorded when it was pruned before. */
    private static long successorTime(long version, Map<Long, Long> times, SpaceManifest head) {
        Long known = times.get(version + 1);
        if (known != null) {
            return known;
        }
        return head.kept(version).map(SpaceManifest.Kept::successorTimeMillis).orElseThrow(() ->
                new IllegalStateException("the commit time of version " + (version + 1) + " is unknown"));
    }

    private int delete(SpaceManifest.Write write, List<String> warnings) {
        if (write.objectId() != null) {
            return deleteObject(write.objectId(), write.blobId(), warnings) ? 1 : 0;
        }
        boolean any = false;
        for (BlobObject object : client.status(write.blobId()).objects()) {
            if (object.deletable() && deleteObject(ObjectId.parse(object.id()), write.blobId(), null)) {
                any = true;
            }
        }
        return any ? 1 : 0;
    }

    /** @param warnings null to ignore objects this account does not own (found by blob ID, not recorded) */
    private boolean deleteObject(ObjectId object, BlobId blob, List<String> warnings) {
        try {
            client.delete(object);
            return true;
        } catch (ApiException e) {
            if (warnings != null && !e.is(ErrorReason.TARGET_NOT_FOUND)) {
                warnings.add("could not delete blob " + blob + " (object " + object + "): " + e.getMessage());
            }
            return false;
        }
    }

    static List<SpaceManifest.VersionRange> ranges(TreeSet<Long> versions) {
        List<SpaceManifest.VersionRange> out = new ArrayList<>();
        Long start = null;
        long previous = -2;
        for (long v : versions) {
            if (start != null && v != previous + 1) {
                out.add(new SpaceManifest.VersionRange(start, previous));
                start = null;
            }
            if (start == null) {
                start = v;
            }
            previous = v;
        }
        if (start != null) {
            out.add(new SpaceManifest.VersionRange(start, previous));
        }
        return out;
    }

    private static String describe(List<SpaceManifest.VersionRange> ranges) {
        List<String> parts = new ArrayList<>();
        for (SpaceManifest.VersionRange r : ranges) {
            parts.add(r.first() == r.last() ? Long.toString(r.first()) : r.first() + "-" + r.last());
        }
        return String.join(", ", parts);
    }

    // ------------------------------------------------------------------------------------------------ renewal

    RenewalReport renew(RenewalPolicy policy) {
        EpochInfo epoch = client.control().epoch();
        PriceInfo prices = client.control().prices();
        int now = epoch.epoch();
        List<RenewalReport.Extension> extended = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        Snapshot head;
        List<Version> versions;
        try {
            head = space.snapshot();
            versions = versions(head);
        } catch (io.tusk.client.BlobNotFoundException e) {
            lost.add("the head's manifest (or a kept version's) expired or was deleted: " + e.getMessage());
            LOG.error("space {}/{}: {}", space.owner(), space.name(), lost.getLast());
            return new RenewalReport(now, 0, extended, 0, warnings, lost);
        }
        Live live = mark(versions, head, lost);
        long spent = 0;
        // Most urgent first, so a short budget goes where it is needed soonest.
        record Need(BlobId blob, long version, BlobObject best) {
        }
        List<Need> needs = new ArrayList<>();
        for (Map.Entry<BlobId, Long> e : live.needs.entrySet()) {
            BlobObject best = null;
            for (BlobObject object : client.status(e.getKey()).objects()) {
                if (object.certifiedEpoch() != null && object.storage().endEpoch() > now
                        && (best == null || object.storage().endEpoch() > best.storage().endEpoch())) {
                    best = object;
                }
            }
            if (best == null) {
                lost.add("blob " + e.getKey() + " (needed by version " + e.getValue() + ") expired or was deleted");
                continue;
            }
            needs.add(new Need(e.getKey(), e.getValue(), best));
        }
        needs.sort((a, b) -> Integer.compare(a.best().storage().endEpoch(), b.best().storage().endEpoch()));
        for (Need need : needs) {
            int end = need.best().storage().endEpoch();
            if (end - now > policy.horizonEpochs()) {
                continue;
            }
            int epochs = Math.min(policy.extendEpochs(), now + epoch.maxEpochsAhead() - end);
            if (epochs < 1) {
                warnings.add("blob " + need.blob() + " (needed by version " + need.version() + ") ends at epoch " + end
                        + " and cannot be extended further yet (the network stores at most " + epoch.maxEpochsAhead()
                        + " epochs ahead)");
                continue;
            }
            long units = (need.best().storage().storageSize() + prices.unitSize() - 1) / prices.unitSize();
            long cost = units * prices.storagePricePerUnitPerEpoch() * epochs;
            if (spent + cost > policy.budget()) {
                warnings.add("blob " + need.blob() + " (needed by version " + need.version() + ") ends at epoch " + end
                        + ", in " + (end - now) + " epochs; extending it costs " + cost + " and the budget has "
                        + (policy.budget() - spent) + " left");
                continue;
            }
            client.extend(ObjectId.parse(need.best().id()), epochs);
            spent += cost;
            extended.add(new RenewalReport.Extension(need.blob().toString(), need.best().id(), end, end + epochs, cost));
        }
        for (String w : warnings) {
            LOG.warn("space {}/{}: {}", space.owner(), space.name(), w);
        }
        for (String l : lost) {
            LOG.error("space {}/{}: {}", space.owner(), space.name(), l);
        }
        return new RenewalReport(now, live.needs.size(), extended, spent, warnings, lost);
    }

    /** The earliest epoch at which a blob some kept version needs stops being stored (for dashboards and warnings). */
    int earliestExpiry() {
        Snapshot head = space.snapshot();
        Live live = mark(versions(head), head, new ArrayList<>());
        int earliest = Integer.MAX_VALUE;
        for (BlobId blob : live.needs.keySet()) {
            int best = 0;
            for (BlobObject object : client.status(blob).objects()) {
                if (object.certifiedEpoch() != null) {
                    best = Math.max(best, object.storage().endEpoch());
                }
            }
            earliest = Math.min(earliest, best);
        }
        return earliest;
    }
}
