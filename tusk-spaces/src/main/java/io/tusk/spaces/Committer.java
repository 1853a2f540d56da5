package io.tusk.spaces;

import io.tusk.control.api.BlobObject;
import io.tusk.control.api.Command;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.encoding.EncodedBlob;
import io.tusk.core.failpoint.FailPoints;
import io.tusk.core.hash.Blake2b256;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.metadata.BlobId;
import io.tusk.http.ApiException;
import io.tusk.spaces.crypto.Aead;
import io.tusk.spaces.crypto.EntryCipher;
import io.tusk.spaces.crypto.KeyBlob;
import io.tusk.spaces.crypto.Sealer;
import io.tusk.spaces.manifest.CommitDetails;
import io.tusk.spaces.manifest.DataRef;
import io.tusk.spaces.manifest.EntryRecord;
import io.tusk.spaces.manifest.KeyIndexCodec;
import io.tusk.spaces.manifest.KeyRef;
import io.tusk.spaces.manifest.SpaceManifest;
import io.tusk.spaces.store.PackBuilder;
import io.tusk.spaces.tree.Keys;
import io.tusk.spaces.tree.Node;
import io.tusk.spaces.tree.TreeCursor;
import io.tusk.spaces.tree.TreeDiff;
import io.tusk.spaces.tree.TreeEditor;
import io.tusk.spaces.tree.TreeShape;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;

/**
 * Lands commits on a space (docs/spaces.md, "Commit"): reads the head, applies the changes to its tree, packs the new
 * nodes and small entries into one quilt, stores the quilt, the encrypted space's key blobs and the new manifest (all
 * at once), then moves the head with {@code commitSpace}, a compare-and-swap on the version. A lost race deletes what
 * the attempt stored and re-applies the changes on the new head; large entries are uploaded once and reused.
 */
final class Committer {
    private static final Logger LOG = LoggerFactory.getLogger(Committer.class);
    /**
     * Most changes one commit may hold: its new nodes (about one leaf per change, 6 KB each at fanout 32) and small
     * entries go into one quilt, and a quilt holds at most p * s * 64 KiB (149 MB at 100 shards).
     */
    static final int MAX_CHANGES = 100_000;
    /** Fail point between storing a commit's blobs and moving the head: a client crash mid-commit. */
    static final String BEFORE_HEAD = "spaces.commit-before-head";
    /** Fail point at the start of a fold: a fold that cannot store its blobs. */
    static final String FOLD = "spaces.fold";

    private final Space space;
    private final Spaces spaces;
    /**
     * Whether the first attempt may build on the newest version this client knows instead of asking for the head: a
     * writer usually made that version itself, and a stale one only costs a refused compare-and-swap and a retry.
     */
    private boolean optimistic;
    /** Large contents uploaded by an earlier attempt: by Content identity, or by hash for byte arrays. */
    private final Map<Object, StagedContent> uploads = new IdentityHashMap<>();
    private final Map<ByteBuffer, StagedContent> uploadedBytes = new HashMap<>();

    /** What one attempt does: store blobs, commit inline, fold the inline versions first, or nothing at all. */
    sealed interface Attempt permits Plan, InlinePlan, FoldFirst, Unchanged {
    }

    /** Everything one attempt stores, ready to go. */
    record Plan(long version, long commitTime, EncodedBlob pack, List<EncodedBlob> keyBlobs, EncodedBlob manifest,
                List<BlobId> replacedKeyBlobs, int changed) implements Attempt {
    }

    /** A small commit the control plane holds inline: the version's bytes and the tree it makes, rebuilt already. */
    record InlinePlan(long version, long commitTime, InlineTail.Held held, Snapshot rebuilt, int changed)
            implements Attempt {
    }

    /** The head has inline versions and this commit stores blobs: fold them first, then plan again. */
    private record FoldFirst() implements Attempt {
    }

    /** The changes change nothing: no version. */
    record Unchanged() implements Attempt {
    }

    /** Inline versions after which a writer folds them in the background (the control plane holds at most 64). */
    static final int FOLD_AT_VERSIONS = 32;
    /** Inline bytes after which a writer folds them in the background (the control plane holds at most 512 KiB). */
    static final int FOLD_AT_BYTES = 256 * 1024;

    private record Landed(List<Spaces.Stored> stored) {
    }

    Committer(Space space) {
        this.space = space;
        this.spaces = space.spaces();
    }

    CommitResult commit(Consumer<Transaction> changes, CommitOptions options) {
        optimistic = options.inline();
        return run(base -> {
            Staging staging = new Staging(base);
            changes.accept(staging);
            if (options.inline()) {
                Attempt inline = new InlinePlanner(space).plan(base, staging, options.message());
                if (inline != null) {
                    return inline;
                }
            }
            return plan(base, staging, options.message(), null);
        }, options.expectedVersion());
    }

    CommitResult restore(Snapshot old) {
        if (old.isInline()) {
            throw new SpaceException("version " + old.version() + " of space " + space.name() + " is an inline version: "
                    + "fold the space first (Space.fold), then restore it");
        }
        return run(base -> {
            Staging staging = new Staging(base);
            return plan(base, staging, "restore version " + old.version(), old);
        }, -1);
    }

    /** Commits what retention decided, built on {@code expected} (a moved head means deciding again). */
    CommitResult retain(Staging.Retention retention, long expected, String message) {
        return run(base -> {
            Staging staging = new Staging(base);
            staging.retention = retention;
            return plan(base, staging, message, null);
        }, expected);
    }

    CommitResult rotateKey() {
        return run(base -> {
            Staging staging = new Staging(base);
            staging.rotateKey = true;
            return plan(base, staging, "rotate the space key", null);
        }, -1);
    }

    CommitResult forget(String key) {
        Keys.encode(key);
        return run(base -> {
            Staging staging = new Staging(base);
            staging.forget(key);
            return plan(base, staging, "forget " + key, null);
        }, -1);
    }

    private interface Planner {
        Attempt plan(Snapshot base);
    }

    private CommitResult run(Planner planner, long expectedVersion) {
        int attempts = spaces.options().maxCommitAttempts();
        int folds = 0;
        for (int attempt = 1; ; attempt++) {
            long attemptStarted = System.nanoTime();
            Snapshot base = optimistic ? space.latestKnown() : null;
            optimistic = false;
            boolean cached = base != null && (expectedVersion < 0 || base.version() == expectedVersion);
            if (!cached) {
                base = space.snapshot();
            }
            if (expectedVersion >= 0 && base.version() != expectedVersion) {
                throw new VersionConflictException("space " + space.name() + " is at version " + base.version()
                        + ", not " + expectedVersion, expectedVersion);
            }
            Attempt next = planner.plan(base);
            if (cached && next instanceof FoldFirst) {
                attempt--; // the version this client knew may be folded already: ask for the head
                continue;
            }
            if (next instanceof Unchanged) {
                return new CommitResult(base.version(), base.manifestBlobId(), base.commitTime(), 0, attempt);
            }
            if (next instanceof FoldFirst) {
                if (++folds > attempts) {
                    throw new SpaceException("space " + space.name() + ": could not fold its inline versions in "
                            + attempts + " attempts");
                }
                fold(base);
                attempt--; // a fold is not a lost race
                continue;
            }
            if (next instanceof InlinePlan inline) {
                try {
                    spaces.client().submit(Command.CommitSpace.inline(space.name(), base.version(), inline.commitTime(),
                            Base64.getEncoder().encodeToString(inline.held().bytes()),
                            inline.held().sealedKeys() == null ? null
                                    : Base64.getEncoder().encodeToString(inline.held().sealedKeys())));
                } catch (ApiException e) {
                    if (e.is(ErrorReason.INLINE_VERSIONS_FULL)) { // the tail filled up (other writers, or a guess)
                        if (++folds > attempts) {
                            throw new SpaceException("space " + space.name() + ": its inline versions stayed full "
                                    + "through " + attempts + " folds");
                        }
                        Snapshot head = space.snapshot();
                        if (head.isInline()) {
                            fold(head);
                        }
                        attempt--;
                        continue;
                    }
                    lostRace(e, inline.version(), expectedVersion >= 0 || attempt >= attempts, attempt, attemptStarted);
                    continue;
                }
                space.committedInline(inline.held(), inline.rebuilt());
                foldInBackgroundIfLong(inline.rebuilt());
                return new CommitResult(inline.version(), null, java.time.Instant.ofEpochMilli(inline.commitTime()),
                        inline.changed(), attempt);
            }
            Plan plan = (Plan) next;
            Landed landed = land(plan);
            try {
                FailPoints.hitIo(BEFORE_HEAD);
                spaces.client().submit(new Command.CommitSpace(space.name(), plan.version() - 1,
                        plan.manifest().blobId().toString(), plan.commitTime()));
            } catch (ApiException e) {
                if (e.is(ErrorReason.VERSION_CONFLICT)) {
                    discard(landed);
                }
                lostRace(e, plan.version(), expectedVersion >= 0 || attempt >= attempts, attempt, attemptStarted);
                continue;
            } catch (IOException e) {
                throw new SpaceException("commit of space " + space.name() + " failed before moving the head: "
                        + e.getMessage(), e);
            }
            for (BlobId replaced : plan.replacedKeyBlobs()) {
                deleteOwnObjects(replaced); // forgotten keys: the old key blobs go
            }
            return new CommitResult(plan.version(), plan.manifest().blobId().toString(),
                    java.time.Instant.ofEpochMilli(plan.commitTime()), plan.changed(), attempt);
        }
    }

    /**
     * A commit of {@code version} was refused: anything but a lost race is rethrown; a lost race is final
     * ({@link VersionConflictException}) when {@code giveUp}, else followed by a pause before the next attempt.
     */
    private void lostRace(ApiException refused, long version, boolean giveUp, int attempt, long attemptStarted) {
        if (!refused.is(ErrorReason.VERSION_CONFLICT)) {
            throw refused;
        }
        if (giveUp) {
            throw new VersionConflictException("space " + space.name() + ": version " + version
                    + " was taken by another commit" + (attempt > 1 ? " (" + attempt + " attempts)" : ""), version - 1);
        }
        pause(attempt, System.nanoTime() - attemptStarted);
    }

    /**
     * After a lost race: a random pause of up to one attempt's duration, doubling with each loss (at most 8 attempts'
     * worth, 5 s), so that writers who keep losing spread out instead of colliding again in lockstep.
     */
    private static void pause(int attempt, long attemptNanos) {
        long window = Math.min(5_000, Math.max(2, attemptNanos / 1_000_000) << Math.min(attempt - 1, 3));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(1, window + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SpaceException("interrupted while retrying a commit");
        }
    }

    // ------------------------------------------------------------------------------------------------ planning

    private Attempt plan(Snapshot base, Staging staging, String message, Snapshot restoreFrom) {
        if (base.isInline()) {
            return new FoldFirst(); // a manifest builds on a manifest: the inline versions go into one first
        }
        if (staging.ops.size() > MAX_CHANGES) {
            throw new IllegalArgumentException("a commit holds at most " + MAX_CHANGES + " changes (its new tree nodes go into one "
                    + "quilt); got " + staging.ops.size() + ": split the import into several commits");
        }
        long version = base.version() + 1;
        long time = Math.max(System.currentTimeMillis(), base.commitTime().toEpochMilli());
        SpacesOptions options = spaces.options();
        boolean encrypted = space.encrypted();
        SpaceManifest.Encryption encryption = base.manifest() == null ? null : base.manifest().encryption();
        Sealer sealer = base.sealer();
        if (encrypted) {
            if (encryption == null) {
                encryption = newKey(null, 1);
            } else if (!sealer.hasKeys()) {
                throw new SpaceKeyException("space " + space.name() + " is encrypted and this client does not hold its owner key");
            }
            if (staging.rotateKey) {
                encryption = newKey(encryption, encryption.keyVersion() + 1);
            }
            sealer = space.sealerFor(stub(encryption));
        }

        NavigableMap<byte[], Object> edits = new TreeMap<>(Keys.ORDER);
        List<DataRef.Pending> pending = new ArrayList<>();
        List<byte[]> dataKeys = new ArrayList<>();
        List<SpaceManifest.Write> writes = new ArrayList<>();
        Set<StagedContent> stagedWrites = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Long, Set<Integer>> destroy = new TreeMap<>();
        List<String> changedKeys = new ArrayList<>();
        long puts = 0;
        long deletes = 0;
        long packBudget = options.packMaxBytes();
        for (Map.Entry<byte[], Staging.Op> change : staging.ops.entrySet()) {
            byte[] key = change.getKey();
            String text = Keys.decode(key);
            EntryRecord old = base.record(key);
            switch (change.getValue()) {
                case Staging.Delete delete -> {
                    check(delete.condition(), old, text);
                    if (old == null) {
                        continue;
                    }
                    edits.put(key, TreeEditor.DELETE);
                    deletes++;
                    if (delete.forget() && encrypted) {
                        collectKeysToDestroy(base, key, old, destroy);
                    }
                }
                case Staging.Put put -> {
                    check(put.options().condition(), old, text);
                    long length = put.bytes() != null ? put.bytes().length : put.content().length();
                    byte[] dataKey = encrypted ? Aead.randomKey() : null;
                    long storedLength = encrypted ? EntryCipher.encryptedLength(length) : length;
                    DataRef data;
                    byte[] etag;
                    if (length <= options.smallEntryMaxBytes() && storedLength <= packBudget) {
                        byte[] plain = put.bytes() != null ? put.bytes() : readAll(put.content(), text);
                        byte[] stored = encrypted ? EntryCipher.encrypt(dataKey, plain) : plain;
                        etag = Blake2b256.hash(stored);
                        if (stored.length == 0) {
                            data = new DataRef.Empty();
                        } else {
                            DataRef.Pending p = new DataRef.Pending(stored);
                            pending.add(p);
                            data = p;
                        }
                        packBudget -= stored.length;
                    } else {
                        StagedContent uploaded = upload(put, dataKey, length, text);
                        data = uploaded.data();
                        etag = uploaded.etagBytes();
                        dataKey = uploaded.dataKey();
                        writes.addAll(uploaded.writes());
                    }
                    KeyRef keyRef = null;
                    if (dataKey != null) {
                        keyRef = new KeyRef(version, dataKeys.size());
                        dataKeys.add(dataKey);
                    }
                    edits.put(key, new EntryRecord(length, put.options().contentType(), put.options().metadata(), etag,
                            version, time, data, keyRef));
                    puts++;
                }
                case Staging.PutStaged put -> {
                    check(put.options().condition(), old, text);
                    StagedContent staged = put.content();
                    if ((staged.dataKey() != null) != encrypted) {
                        throw new SpaceException("staged content of " + Keys.printable(text) + " was "
                                + (encrypted ? "not " : "") + "encrypted for this " + (encrypted ? "encrypted" : "plaintext")
                                + " space");
                    }
                    if (stagedWrites.add(staged)) {
                        writes.addAll(staged.writes());
                    }
                    KeyRef keyRef = null;
                    if (staged.dataKey() != null) {
                        keyRef = new KeyRef(version, dataKeys.size());
                        dataKeys.add(staged.dataKey());
                    }
                    edits.put(key, new EntryRecord(staged.length(), put.options().contentType(), put.options().metadata(),
                            staged.etagBytes(), version, time, staged.data(), keyRef));
                    puts++;
                }
                case Staging.Copy copy -> {
                    EntryRecord source = copy.source().record(copy.sourceKey());
                    if (source == null) {
                        throw new EntryNotFoundException("version " + copy.source().version() + " of space "
                                + space.name() + " has no entry " + Keys.printable(Keys.decode(copy.sourceKey()))
                                + " to copy to " + Keys.printable(text));
                    }
                    PutOptions as = copy.options();
                    check(as == null ? null : as.condition(), old, text);
                    edits.put(key, as == null ? source : new EntryRecord(source.size(), as.contentType(), as.metadata(),
                            source.etag(), version, time, source.data(), source.key()));
                    puts++;
                }
            }
            if (changedKeys.size() < CommitDetails.MAX_KEYS) {
                changedKeys.add(text);
            }
        }

        Map<String, Long> tags = new TreeMap<>(Keys::compare);
        if (base.manifest() != null) {
            tags.putAll(base.manifest().tags());
        }
        boolean tagsChanged = false;
        for (Map.Entry<String, Long> t : staging.tags.entrySet()) {
            if (t.getValue() == null) {
                tagsChanged |= tags.remove(t.getKey()) != null;
            } else {
                if (t.getValue() > version) {
                    throw new SpaceException("tag " + t.getKey() + " names version " + t.getValue()
                            + ", after the version this commit makes (" + version + ")");
                }
                tagsChanged |= !t.getValue().equals(tags.put(t.getKey(), t.getValue()));
            }
        }
        List<SpaceManifest.VersionRange> pruned = base.manifest() == null ? List.of() : base.manifest().pruned();
        List<SpaceManifest.Kept> kept = base.manifest() == null ? List.of() : base.manifest().kept();
        if (staging.retention != null) {
            pruned = staging.retention.pruned();
            kept = staging.retention.kept();
            writes.addAll(staging.retention.adopted());
            staging.retention.droppedTags().forEach(tags::remove);
        }
        if (edits.isEmpty() && !tagsChanged && !staging.rotateKey && destroy.isEmpty() && restoreFrom == null
                && staging.retention == null) {
            return new Unchanged();
        }

        TreeShape shape = shape(base);
        Node root = restoreFrom != null ? restoreFrom.root() : new TreeEditor(base.nodes(), shape).apply(base.root(), edits);
        long changed = edits.size();
        if (restoreFrom != null) {
            long[] counts = new long[2];
            TreeDiff.diff(base.root(), base.nodes(), root, restoreFrom.nodes(), Object::equals, c -> {
                counts[c.after() == null ? 1 : 0]++;
                if (changedKeys.size() < CommitDetails.MAX_KEYS) {
                    changedKeys.add(Keys.decode(c.key()));
                }
                return true;
            });
            puts = counts[0];
            deletes = counts[1];
            changed = puts + deletes;
        }

        // Encrypted spaces: this commit's data keys, and rewritten key blobs of commits whose entries are forgotten.
        List<EncodedBlob> keyBlobs = new ArrayList<>();
        List<BlobId> replaced = new ArrayList<>();
        Node keysRoot = space.keysRoot(base);
        if (encrypted && (!dataKeys.isEmpty() || !destroy.isEmpty())) {
            NavigableMap<byte[], Object> keyEdits = new TreeMap<>(Keys.ORDER);
            if (!dataKeys.isEmpty()) {
                EncodedBlob blob = spaces.encode(new KeyBlob(space.ownerAddress(), space.name(), version, dataKeys).toBytes(sealer));
                keyBlobs.add(blob);
                keyEdits.put(KeyIndexCodec.key(version), blob.blobId());
            }
            for (Map.Entry<Long, Set<Integer>> d : destroy.entrySet()) {
                BlobId current = (BlobId) TreeCursor.get(keysRoot, spaces.nodeLoader(Space.KEY_NODES, base.sealer()),
                        KeyIndexCodec.key(d.getKey()));
                if (current == null) {
                    continue;
                }
                KeyBlob old = KeyBlob.parse(spaces.keyBlob(current), base.sealer(), space.ownerAddress(), space.name(), d.getKey());
                EncodedBlob blob = spaces.encode(old.destroying(d.getValue()).toBytes(sealer));
                keyBlobs.add(blob);
                keyEdits.put(KeyIndexCodec.key(d.getKey()), blob.blobId());
                replaced.add(current);
            }
            keysRoot = new TreeEditor(spaces.nodeLoader(Space.KEY_NODES, base.sealer()), shape).apply(keysRoot, keyEdits);
        }

        PackBuilder packer = new PackBuilder(spaces.quiltEncoder(), sealer);
        pending.forEach(packer::addData);
        packer.addTree(root, Snapshot.ENTRY_NODES);
        packer.addTree(keysRoot, Space.KEY_NODES);
        PackBuilder.Pack pack = packer.build();
        EncodedBlob encodedPack = pack.quilt() == null ? null : spaces.encode(pack.quilt());
        if (encodedPack != null) {
            writes.add(0, new SpaceManifest.Write(encodedPack.blobId(), null));
        }
        for (EncodedBlob k : keyBlobs) {
            writes.add(new SpaceManifest.Write(k.blobId(), null));
        }
        byte[] details = sealer.seal("details", new CommitDetails(truncate(message), puts, deletes, changedKeys,
                changed > changedKeys.size()).toBytes());
        SpaceManifest manifest = new SpaceManifest(space.ownerAddress(), space.name(), version, base.manifestId(), time,
                base.manifest() == null ? List.of() : base.manifest().nextSkips(base.manifestId()),
                encodedPack == null ? null : encodedPack.blobId(), shape.fanoutBits(), root == null ? 0 : root.count(),
                pack.storedRoots().get(0), pack.storedRoots().get(1), encryption, tags,
                pruned, kept, writes, details, List.of());
        int changedCount = (int) Math.min(Integer.MAX_VALUE, changed
                + (tagsChanged || staging.rotateKey || staging.retention != null ? 1 : 0));
        return new Plan(version, time, encodedPack, keyBlobs, spaces.encode(manifest.toBytes()), replaced,
                Math.max(changedCount, 1));
    }

    /** Folds the head's inline versions into a manifest blob, if it has any (a fold another writer landed does too). */
    void fold() {
        Snapshot base = space.snapshot();
        if (base.isInline()) {
            fold(base);
        }
    }

    /**
     * Stores a manifest of the inline version {@code base} that holds every inline version since the manifest before
     * it ({@link FoldPlanner}), and moves the head's manifest to it ({@code commitSpace} with {@code fold}): the head
     * keeps its version. A fold that another writer landed first (VERSION_CONFLICT) is discarded: that one is as good.
     */
    private void fold(Snapshot base) {
        FailPoints.hit(FOLD);
        Plan plan = new FoldPlanner(space).plan(base);
        Landed landed = land(plan);
        try {
            spaces.client().submit(Command.CommitSpace.fold(space.name(), plan.version(),
                    plan.manifest().blobId().toString(), plan.commitTime()));
            space.folded();
        } catch (ApiException e) {
            discard(landed);
            if (!e.is(ErrorReason.VERSION_CONFLICT)) {
                throw e;
            }
            LOG.debug("inline versions of space {} up to {} were folded by another writer", space.name(), plan.version());
        }
    }

    /** Starts a fold in the background when the inline versions grow long, so writers rarely meet a full tail. */
    private void foldInBackgroundIfLong(Snapshot head) {
        long bytes = 0;
        for (InlineTail.Held h : head.inlineVersions()) {
            bytes += h.bytes().length + (h.sealedKeys() == null ? 0 : h.sealedKeys().length);
        }
        if (head.inlineVersions().size() < FOLD_AT_VERSIONS && bytes < FOLD_AT_BYTES) {
            return;
        }
        space.foldInBackground();
    }

    static String truncate(String message) {
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= CommitDetails.MAX_MESSAGE_BYTES) {
            return message;
        }
        return new String(bytes, 0, CommitDetails.MAX_MESSAGE_BYTES - 4, StandardCharsets.UTF_8).replace("\uFFFD", "");
    }

    private TreeShape shape(Snapshot base) {
        return space.shape(base.manifest());
    }

    private SpaceManifest.Encryption newKey(SpaceManifest.Encryption current, int keyVersion) {
        List<SpaceManifest.WrappedKey> keys = new ArrayList<>(current == null ? List.of() : current.keys());
        keys.add(new SpaceManifest.WrappedKey(keyVersion, spaces.ownerKey().wrap(space.ownerAddress(), space.name(),
                keyVersion, Aead.randomKey())));
        return new SpaceManifest.Encryption(keyVersion, keys);
    }

    /** A manifest shell carrying only an encryption record, to build a sealer from it. */
    private SpaceManifest stub(SpaceManifest.Encryption encryption) {
        return new SpaceManifest(space.ownerAddress(), space.name(), 1, null, 0, List.of(), null, 0, 0, null, null,
                encryption, Map.of(), List.of(), List.of(), List.of(), new byte[0], List.of());
    }

    static void check(Condition condition, EntryRecord old, String key) {
        if (condition == null) {
            return;
        }
        boolean holds = switch (condition) {
            case Condition.IfAbsent a -> old == null;
            case Condition.IfMatch m -> old != null && old.etagHex().equalsIgnoreCase(stripQuotes(m.etag()));
            case Condition.IfVersion v -> old != null && old.version() == v.version();
        };
        if (!holds) {
            throw new PreconditionFailedException("condition " + condition + " does not hold for " + Keys.printable(key)
                    + (old == null ? " (no such entry)" : " (etag " + old.etagHex() + ", version " + old.version() + ")"));
        }
    }

    private static String stripQuotes(String etag) {
        return etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"") ? etag.substring(1, etag.length() - 1) : etag;
    }

    /**
     * The data keys of the key's contents from the head back to its latest creation: each earlier content is found at
     * the version before the one that replaced it.
     */
    private void collectKeysToDestroy(Snapshot base, byte[] key, EntryRecord head, Map<Long, Set<Integer>> out) {
        EntryRecord record = head;
        while (record != null) {
            if (record.key() != null) {
                out.computeIfAbsent(record.key().commitVersion(), v -> new TreeSet<>()).add(record.key().index());
            }
            long before = record.version() - 1;
            if (before < 1 || (base.manifest() != null && base.manifest().isPruned(before))) {
                return;
            }
            record = space.at(before).record(key);
        }
    }

    static byte[] readAll(Content content, String key) {
        try (InputStream in = content.open()) {
            byte[] bytes = in.readNBytes((int) content.length());
            if (bytes.length != content.length() || in.read() != -1) {
                throw new SpaceException("the content of " + Keys.printable(key) + " is not " + content.length() + " bytes long");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the content of " + Keys.printable(key), e);
        }
    }

    /** Uploads a large content as its own (chunked) blob, once per commit call however often it is retried. */
    private StagedContent upload(Staging.Put put, byte[] dataKey, long length, String key) {
        Object identity = put.content();
        ByteBuffer hash = put.bytes() == null ? null : ByteBuffer.wrap(Blake2b256.hash(put.bytes()));
        StagedContent done = identity != null ? uploads.get(identity) : uploadedBytes.get(hash);
        if (done != null) {
            return done;
        }
        try (InputStream plain = put.bytes() != null ? new ByteArrayInputStream(put.bytes()) : put.content().open()) {
            done = ContentUploader.upload(space, plain, length, dataKey, Keys.printable(key));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store the content of " + Keys.printable(key), e);
        }
        if (identity != null) {
            uploads.put(identity, done);
        } else {
            uploadedBytes.put(hash, done);
        }
        return done;
    }

    // ------------------------------------------------------------------------------------------------ landing

    /** Stores the pack, key blobs and manifest at once. */
    private Landed land(Plan plan) {
        List<EncodedBlob> blobs = new ArrayList<>();
        if (plan.pack() != null) {
            blobs.add(plan.pack());
        }
        blobs.addAll(plan.keyBlobs());
        blobs.add(plan.manifest());
        List<CompletableFuture<Spaces.Stored>> futures = new ArrayList<>();
        for (EncodedBlob blob : blobs) {
            futures.add(CompletableFuture.supplyAsync(() -> spaces.store(blob),
                    task -> Thread.ofVirtual().name("tusk-space-store").start(task)));
        }
        List<Spaces.Stored> stored = new ArrayList<>();
        RuntimeException failure = null;
        for (CompletableFuture<Spaces.Stored> f : futures) {
            try {
                stored.add(f.join());
            } catch (CompletionException e) {
                RuntimeException cause = e.getCause() instanceof RuntimeException r ? r : new SpaceException(e.getMessage(), e);
                if (failure == null) {
                    failure = cause;
                } else {
                    failure.addSuppressed(cause);
                }
            }
        }
        if (failure != null) {
            discard(new Landed(stored));
            throw failure;
        }
        return new Landed(stored);
    }

    /** Deletes what a failed attempt stored (best effort: what is left expires with its epochs). */
    private void discard(Landed landed) {
        for (Spaces.Stored s : landed.stored()) {
            if (s.createdObject() != null) {
                try {
                    spaces.client().delete(s.createdObject());
                } catch (RuntimeException e) {
                    LOG.warn("could not delete blob {} of an abandoned commit attempt: {}", s.blobId(), e.getMessage());
                }
            }
        }
    }

    /** Deletes this account's deletable objects of a blob only this space has (a replaced key blob). */
    private void deleteOwnObjects(BlobId blobId) {
        for (BlobObject object : spaces.client().status(blobId).objects()) {
            if (object.deletable()) {
                try {
                    spaces.client().delete(ObjectId.parse(object.id()));
                } catch (ApiException e) {
                    if (!e.is(ErrorReason.NOT_OWNER)) {
                        LOG.warn("could not delete replaced key blob {}: {}", blobId, e.getMessage());
                    }
                }
            }
        }
    }
}
