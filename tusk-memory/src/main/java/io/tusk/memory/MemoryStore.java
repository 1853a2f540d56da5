package io.tusk.memory;

import io.tusk.memory.embedding.Embedder;
import io.tusk.memory.embedding.EmbeddingSpec;
import io.tusk.memory.index.Hit;
import io.tusk.memory.index.IndexChange;
import io.tusk.memory.index.MemoryFilter;
import io.tusk.memory.index.MemoryIndex;
import io.tusk.memory.index.RecallQuery;
import io.tusk.memory.space.MemorySpace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Objects;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.store.MMapDirectory;

/**
 * A memory collection on a space: remember, recall, update, forget, history. Every write is one space commit whose
 * version is the commit sequence handed back; the recall index follows the space commit by commit (its own writes at
 * once, other writers' when a recall asks for a newer sequence or {@link #refresh()} runs).
 *
 * <p>Thread-safe.
 */
public final class MemoryStore implements AutoCloseable {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int CHANGES_PAGE = 256;

    private final MemorySpace space;
    private final Embedder embedder;
    private final MemoryOptions options;
    private final MemoryIndex index;
    /** The sequence of the published index snapshot this store started from, or -1. */
    private long restoredSequence = -1;
    /** The scratch directory of an index kept for this process only (deleted on close), or null. */
    private Path scratchDirectory;
    /** Serializes index catch-up so commits are applied once and in order. */
    private final Object follow = new Object();
    /** Writes waiting for the next group commit, oldest first. Guarded by itself. */
    private final java.util.ArrayDeque<GroupMember> waiting = new java.util.ArrayDeque<>();
    /** Most changes one group commit gathers (a batch larger than this still commits alone). */
    static final int MAX_GROUP_CHANGES = 4096;

    private MemoryStore(MemorySpace space, Embedder embedder, MemoryOptions options, MemoryIndex index) {
        this.space = space;
        this.embedder = embedder;
        this.options = options;
        this.index = index;
    }

    /**
     * Opens the collection held by {@code space}, fixing it to the embedder's model on first use.
     *
     * @throws IllegalArgumentException if the collection was created with another model or dimension
     */
    @SuppressWarnings("try") // the local index claim is held, not used, while the index opens
    public static MemoryStore open(MemorySpace space, Embedder embedder, MemoryOptions options) {
        Objects.requireNonNull(space, "space");
        Objects.requireNonNull(embedder, "embedder");
        Objects.requireNonNull(options, "options");
        EmbeddingSpec spec = embedder.spec();
        Optional<byte[]> config = space.read(CollectionConfig.KEY);
        if (config.isPresent()) {
            CollectionConfig.fromBytes(config.get()).spec().requireSame(spec);
        } else {
            space.commit(List.of(new MemorySpace.Put(CollectionConfig.KEY, new CollectionConfig(spec).toBytes())));
        }
        Path scratch = null;
        try (java.io.Closeable claim = options.indexDirectory() == null ? null
                : LocalIndex.claim(options.indexDirectory())) {
            Directory directory;
            if (options.indexDirectory() == null) {
                // Memory-mapped files in a scratch directory rather than a heap ByteBuffersDirectory: Lucene scores
                // vectors in place on mapped memory, where a heap directory copies every vector a search visits
                // (profiled: about a third of a recall's time at 20,000 memories). The pages stay in the page cache
                // and the directory is deleted on close.
                scratch = Files.createTempDirectory("tusk-memory-index-");
                directory = new MMapDirectory(scratch);
            } else {
                LocalIndex.prepare(options.indexDirectory(), space);
                directory = FSDirectory.open(options.indexDirectory());
            }
            long restored = -1;
            if (options.coldStart() && !MemoryIndex.exists(directory)) {
                // A fresh machine: start from the index segments stored in the space, then replay what follows.
                restored = IndexSnapshots.restore(space, spec, directory).orElse(-1L);
            }
            MemoryIndex index;
            try {
                index = MemoryIndex.open(directory, spec);
            } catch (org.apache.lucene.store.LockObtainFailedException e) {
                directory.close();
                throw new IndexInUseException("the recall index of " + space.name() + " at "
                        + options.indexDirectory() + " is in use by another process", e);
            }
            MemoryStore store = new MemoryStore(space, embedder, options, index);
            store.restoredSequence = restored;
            store.scratchDirectory = scratch;
            store.refresh();
            return store;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(scratch, e);
            if (e instanceof RuntimeException r) {
                throw r;
            }
            throw new UncheckedIOException("cannot open the recall index of " + space.name(), (IOException) e);
        }
    }

    public String name() {
        return space.name();
    }

    public EmbeddingSpec spec() {
        return embedder.spec();
    }

    public Embedder embedder() {
        return embedder;
    }

    /** The sequence of the published index snapshot this store cold-started from, or -1 if it replayed the space. */
    public long restoredSequence() {
        return restoredSequence;
    }

    /** The last commit sequence the index has applied. */
    public long sequence() {
        return index.sequence();
    }

    /** How many memories are current. */
    public int size() {
        return index.size();
    }

    /** Remembers one memory (or merges it into a duplicate). */
    public RememberResult remember(Remember memory) {
        return rememberAll(List.of(memory)).getFirst();
    }

    /**
     * Remembers a batch as one commit: texts are embedded in one model call, duplicates (of current memories or
     * within the batch) are merged, and the rest lands in one space version.
     *
     * @return one result per input, in order
     */
    public List<RememberResult> rememberAll(List<Remember> memories) {
        if (memories.isEmpty()) {
            return List.of();
        }
        List<float[]> vectors = vectorsOf(memories);
        DedupPolicy dedup = options.dedup();
        List<RememberResult> results = new ArrayList<>(memories.size());
        List<MemorySpace.Change> changes = new ArrayList<>();
        Map<String, String> batchHashes = new HashMap<>();
        List<Integer> fresh = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        long now = System.currentTimeMillis();
        for (int i = 0; i < memories.size(); i++) {
            Remember memory = memories.get(i);
            String hash = MemoryRecord.hash(memory.text(), memory.content());
            String duplicate = null;
            if (dedup.exact()) {
                duplicate = batchHashes.get(hash);
                if (duplicate == null) {
                    duplicate = index.findByHash(hash).stream().findFirst().orElse(null);
                }
            }
            if (duplicate == null && dedup.near()) {
                duplicate = nearDuplicate(vectors.get(i), memory.text(), dedup.nearSimilarity());
            }
            if (duplicate != null) {
                results.add(new RememberResult(duplicate, -1, true));
                ids.add(duplicate);
                continue;
            }
            String id = newId(now);
            batchHashes.put(hash, id);
            changes.addAll(changesFor(id, memory, vectors.get(i), hash, now));
            results.add(null);
            fresh.add(i);
            ids.add(id);
        }
        long sequence = changes.isEmpty() ? index.sequence() : commitAndIndex(changes);
        for (int i = 0; i < results.size(); i++) {
            RememberResult r = results.get(i);
            results.set(i, r == null ? new RememberResult(ids.get(i), sequence, false)
                    : new RememberResult(r.id(), sequence, true));
        }
        return results;
    }

    /**
     * Writes memories under ids the caller chose (LangChain4j and Spring AI name their own): a new id is created, an
     * existing one superseded. No deduplication: the caller decided these are distinct.
     *
     * @return the commit sequence
     */
    public long put(List<String> ids, List<Remember> memories) {
        if (ids.size() != memories.size()) {
            throw new IllegalArgumentException(ids.size() + " ids for " + memories.size() + " memories");
        }
        if (ids.isEmpty()) {
            return index.sequence();
        }
        List<float[]> vectors = vectorsOf(memories);
        long now = System.currentTimeMillis();
        List<MemorySpace.Change> changes = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            Remember memory = memories.get(i);
            changes.addAll(changesFor(checkId(ids.get(i)), memory, vectors.get(i),
                    MemoryRecord.hash(memory.text(), memory.content()), now));
        }
        return commitAndIndex(changes);
    }

    /**
     * Supersedes memory {@code id} with new content: the old revision stays in history, its valid time ending where
     * the new one's starts.
     *
     * @return the new revision's commit sequence
     * @throws MemoryNotFoundException if no current memory has this id
     */
    public long update(String id, Remember memory) {
        requireCurrent(id);
        float[] vector = vectorsOf(List.of(memory)).getFirst();
        String hash = MemoryRecord.hash(memory.text(), memory.content());
        return commitAndIndex(changesFor(id, memory, vector, hash, System.currentTimeMillis()));
    }

    /**
     * Forgets a memory: it leaves the head and the index with its whole history, and in an encrypted space its data
     * keys are destroyed so no stored copy can be read.
     *
     * @return the commit sequence of the forgetting
     * @throws MemoryNotFoundException if no current memory has this id
     */
    public long forget(String id) {
        requireCurrent(id);
        MemorySpace.Committed committed;
        synchronized (follow) {
            catchUpLocked();
            committed = space.forget(List.of(MemoryRecord.key(id), MemoryRecord.contentKey(id)));
            applyOwnLocked(committed, List.of(new IndexChange.Forget(id)));
        }
        return committed.version();
    }

    /**
     * Forgets every current memory among {@code ids} in one commit; ids that are not current are skipped.
     *
     * @return the commit sequence, or the index's sequence if nothing was current
     */
    public long forgetAll(List<String> ids) {
        synchronized (follow) {
            catchUpLocked();
            List<String> keys = new ArrayList<>();
            List<IndexChange> changes = new ArrayList<>();
            for (String id : ids) {
                if (index.contains(id)) {
                    keys.add(MemoryRecord.key(id));
                    keys.add(MemoryRecord.contentKey(id));
                    changes.add(new IndexChange.Forget(id));
                }
            }
            if (changes.isEmpty()) {
                return index.sequence();
            }
            MemorySpace.Committed committed = space.forget(keys);
            applyOwnLocked(committed, changes);
            return committed.version();
        }
    }

    /** Recalls the best memories for a request, after the index has reached its {@code minSequence}. */
    public List<Memory> recall(Recall request) {
        awaitSequence(request.minSequence());
        boolean hybrid = request.query() != null;
        RecallQuery query = new RecallQuery(request.query(), request.vector(), request.topK(), request.filter(),
                request.asOf() == null ? null : request.asOf().toEpochMilli(),
                request.validAt() == null ? null : request.validAt().toEpochMilli(),
                request.minScore(), hybrid ? RecallQuery.DEFAULT_TEXT_WEIGHT : 0);
        // A text without a vector is embedded on another core while the index searches its words.
        List<Hit> hits = hybrid && request.vector() == null
                ? index.search(query, embedder.embedAsync(request.query()))
                : index.search(query);
        return hits.stream().map(Memory::of).toList();
    }

    /** Low-level search for adapters that need vectors back (LangChain4j). */
    public List<Hit> search(RecallQuery query, boolean withVectors, long minSequence) {
        awaitSequence(minSequence);
        return index.search(query, withVectors);
    }

    /** The current revision of a memory. */
    public Optional<Memory> get(String id) {
        return index.get(checkId(id)).map(Memory::of);
    }

    /** Every revision of a memory, oldest first (empty once forgotten). */
    public List<Memory> history(String id) {
        return index.history(checkId(id)).stream().map(Memory::of).toList();
    }

    /** The latest revisions across the collection, newest first. */
    public List<Memory> recent(int limit) {
        return index.recent(limit).stream().map(Memory::of).toList();
    }

    /** The ids of current memories matching a filter (null: all). */
    public List<String> ids(MemoryFilter filter) {
        return index.currentIds(filter);
    }

    /** A memory's binary content. */
    public Optional<byte[]> content(String id) {
        return space.read(MemoryRecord.contentKey(id));
    }

    /** Applies every commit other writers made since the index's sequence. */
    public void refresh() {
        synchronized (follow) {
            catchUpLocked();
        }
    }

    /** Writes queued for the next group commit (for tests and measurements). */
    int waitingWrites() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    /** The index, for snapshots (cold start) and measurements. */
    public MemoryIndex index() {
        return index;
    }

    public MemorySpace space() {
        return space;
    }

    private void awaitSequence(long minSequence) {
        awaitSequence(minSequence, options.readYourWrites());
    }

    /**
     * Waits until the index has applied commit {@code minSequence}, reading other writers' commits from the space.
     *
     * @throws SequenceNotReachedException if {@code wait} passes first
     */
    public void awaitSequence(long minSequence, java.time.Duration wait) {
        if (index.sequence() >= minSequence) {
            return;
        }
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            refresh();
            if (index.sequence() >= minSequence) {
                return;
            }
            if (System.nanoTime() >= deadline) {
                throw new SequenceNotReachedException("memory collection " + space.name()
                        + " did not reach sequence " + minSequence + " within " + wait
                        + " (it is at " + index.sequence() + ", the space head at " + space.headVersion() + ")",
                        minSequence, index.sequence());
            }
            try {
                Thread.sleep(options.pollInterval());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for sequence " + minSequence, e);
            }
        }
    }

    private List<float[]> vectorsOf(List<Remember> memories) {
        List<String> toEmbed = new ArrayList<>();
        for (Remember memory : memories) {
            if (memory.embedding() == null) {
                toEmbed.add(memory.text());
            }
        }
        List<float[]> embedded = embedder.embedAll(toEmbed);
        List<float[]> vectors = new ArrayList<>(memories.size());
        int next = 0;
        for (Remember memory : memories) {
            vectors.add(memory.embedding() != null ? embedder.spec().check(memory.embedding()) : embedded.get(next++));
        }
        return vectors;
    }

    /**
     * A current memory saying the same thing: cosine at least {@code minCosine} and the same numbers. Sentence
     * embeddings barely move when only a number changes ("parcel code 41" / "parcel code 42" score above 0.95), and
     * such facts are different facts.
     */
    private String nearDuplicate(float[] vector, String text, double minCosine) {
        Optional<MemoryIndex.Nearest> nearest = index.nearest(vector);
        if (nearest.isEmpty()) {
            return null;
        }
        MemoryIndex.Nearest hit = nearest.get();
        return hit.cosine() >= minCosine && numbers(text).equals(numbers(hit.text())) ? hit.id() : null;
    }

    private static final java.util.regex.Pattern NUMBER = java.util.regex.Pattern.compile("\\d+");

    private static List<String> numbers(String text) {
        return text == null ? List.of() : NUMBER.matcher(text).results().map(m -> m.group()).toList();
    }

    private List<MemorySpace.Change> changesFor(String id, Remember memory, float[] vector, String hash, long now) {
        List<MemorySpace.Change> changes = new ArrayList<>(2);
        String contentKey = null;
        if (memory.content() != null) {
            contentKey = MemoryRecord.contentKey(id);
            changes.add(new MemorySpace.Put(contentKey, memory.content(), Map.of("content-type", memory.contentType())));
        }
        long validFrom = memory.validFrom() == null ? now : memory.validFrom().toEpochMilli();
        Long validTo = memory.validTo() == null ? null : memory.validTo().toEpochMilli();
        if (validTo != null && validTo <= validFrom) {
            throw new IllegalArgumentException("validTo " + memory.validTo() + " is not after validFrom "
                    + Instant.ofEpochMilli(validFrom));
        }
        MemoryRecord record = new MemoryRecord(id, memory.text(), memory.metadata(), vector, hash, validFrom, validTo,
                contentKey, memory.contentType(), memory.content() == null ? 0 : memory.content().length);
        changes.add(new MemorySpace.Put(MemoryRecord.key(id), record.toBytes()));
        return changes;
    }

    /**
     * Commits {@code changes} and indexes them, in a group commit: writers that arrive while a commit is in flight
     * queue their changes, and the next one to run commits the whole queue as one space version. A space commit
     * costs the same few round trips whatever it holds, so concurrent writers (agents sharing a gateway) share them
     * instead of waiting for one another's; each still gets back the sequence of a commit holding its changes.
     */
    private long commitAndIndex(List<MemorySpace.Change> changes) {
        GroupMember mine = new GroupMember(changes);
        synchronized (waiting) {
            waiting.add(mine);
        }
        synchronized (follow) {
            if (!mine.done.isDone()) {
                commitGroupLocked();
            }
        }
        try {
            return mine.done.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /** Commits what is waiting (bounded by {@link #MAX_GROUP_CHANGES}; the rest goes in the next group). */
    private void commitGroupLocked() {
        List<GroupMember> group = new ArrayList<>();
        List<MemorySpace.Change> changes = new ArrayList<>();
        synchronized (waiting) {
            while (!waiting.isEmpty() && (group.isEmpty()
                    || changes.size() + waiting.peekFirst().changes().size() <= MAX_GROUP_CHANGES)) {
                GroupMember next = waiting.pollFirst();
                group.add(next);
                changes.addAll(next.changes());
            }
        }
        try {
            MemorySpace.Committed committed = space.commit(changes);
            List<IndexChange> indexChanges = new ArrayList<>();
            for (MemorySpace.Change change : changes) {
                if (change instanceof MemorySpace.Put put && MemoryRecord.idOf(put.key()) != null) {
                    MemoryRecord record = MemoryRecord.fromBytes(put.key(), put.data());
                    indexChanges.add(new IndexChange.Put(record.toIndexed(committed.version(),
                            committed.commitTime())));
                }
            }
            applyOwnLocked(committed, indexChanges);
            group.forEach(member -> member.done.complete(committed.version()));
        } catch (RuntimeException e) {
            group.forEach(member -> member.done.completeExceptionally(e));
        }
    }

    /** Changes waiting for a group commit and the sequence of the commit that lands them. */
    private record GroupMember(List<MemorySpace.Change> changes, java.util.concurrent.CompletableFuture<Long> done) {
        GroupMember(List<MemorySpace.Change> changes) {
            this(changes, new java.util.concurrent.CompletableFuture<>());
        }
    }

    /** Our own commit: applied from memory when it directly follows the index, else read back in order. */
    private void applyOwnLocked(MemorySpace.Committed committed, List<IndexChange> changes) {
        if (committed.version() == index.sequence() + 1) {
            index.apply(committed.version(), changes);
        } else {
            catchUpLocked();
        }
    }

    private void catchUpLocked() {
        while (true) {
            List<MemorySpace.VersionChanges> page = space.changesSince(index.sequence(), CHANGES_PAGE);
            for (MemorySpace.VersionChanges version : page) {
                index.apply(version.version(), toIndexChanges(version));
            }
            if (page.size() < CHANGES_PAGE) {
                return;
            }
        }
    }

    private static List<IndexChange> toIndexChanges(MemorySpace.VersionChanges version) {
        List<IndexChange> changes = new ArrayList<>();
        for (Map.Entry<String, byte[]> put : version.puts().entrySet()) {
            if (MemoryRecord.idOf(put.getKey()) != null) {
                MemoryRecord record = MemoryRecord.fromBytes(put.getKey(), put.getValue());
                changes.add(new IndexChange.Put(record.toIndexed(version.version(), version.commitTime())));
            }
        }
        for (String key : version.deletes()) {
            String id = MemoryRecord.idOf(key);
            if (id != null) {
                changes.add(new IndexChange.Forget(id));
            }
        }
        return changes;
    }

    private void requireCurrent(String id) {
        checkId(id);
        refresh();
        if (!index.contains(id)) {
            throw new MemoryNotFoundException(space.name(), id);
        }
    }

    private static final java.util.regex.Pattern ID = java.util.regex.Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    /** Ids are space key suffixes: letters, digits and {@code . _ : -}, at most 128. */
    static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("memory id " + (id == null ? "null" : "'" + id + "'")
                    + " is invalid: use 1-128 of A-Z a-z 0-9 . _ : -");
        }
        return id;
    }

    /** Time-ordered ids (12 hex digits of milliseconds, then 12 random), so ids sort by creation. */
    private static String newId(long now) {
        byte[] random = new byte[6];
        RANDOM.nextBytes(random);
        return String.format("%012x", now) + HexFormat.of().formatHex(random);
    }

    @Override
    public void close() {
        try {
            index.close();
        } catch (IOException e) {
            UncheckedIOException failure = new UncheckedIOException("closing the recall index of " + space.name()
                    + " failed", e);
            deleteQuietly(scratchDirectory, failure);
            throw failure;
        }
        IllegalStateException failure = new IllegalStateException("cannot delete the scratch index "
                + scratchDirectory);
        deleteQuietly(scratchDirectory, failure);
        if (failure.getSuppressed().length > 0) {
            throw failure;
        }
    }

    /** Deletes a scratch index directory; a failure is added to {@code failure}. */
    private static void deleteQuietly(Path directory, Exception failure) {
        if (directory == null) {
            return;
        }
        try (java.util.stream.Stream<Path> walk = Files.walk(directory)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }
}
