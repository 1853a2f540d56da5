package io.tusk.memory.index;

import io.tusk.memory.embedding.EmbeddingSpec;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexCommit;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.KeepOnlyLastCommitDeletionPolicy;
import org.apache.lucene.index.KnnVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SnapshotDeletionPolicy;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.QueryBuilder;

/**
 * The recall index of one memory collection: every revision of every memory not forgotten, searchable by BM25 over
 * its text, by vector (Lucene's HNSW graphs, chosen by measurement: {@code docs/memory.md}), by metadata and by
 * recorded and valid time. It is derived state: {@link #apply} feeds it commit by commit in sequence order, and it
 * remembers the last sequence applied, so it can be rebuilt from the space alone or resumed from a stored commit.
 *
 * <p>Thread-safe: one writer at a time ({@link #apply} is serialized), any number of concurrent searches, each over
 * the state after some whole commit (never half of one).
 */
public final class MemoryIndex implements Closeable {

    /** Commit user data key: the sequence the committed index state includes. */
    static final String SEQUENCE_KEY = "tusk.memory.sequence";
    static final String MODEL_KEY = "tusk.memory.model";
    static final String DIMENSION_KEY = "tusk.memory.dimension";

    /**
     * BM25 candidates of a hybrid query, so that exact words can lift a memory from beyond the first k by meaning.
     * The vector side draws only k: every BM25 candidate gets its exact similarity anyway, and a memory in neither
     * list counts by its meaning alone, at most (1 - w) times the k-th similarity, which each of the k nearest
     * reaches already; so more nearest neighbours cannot change the top k, and they cost a recall at 100,000
     * memories 2.5-3.5 ms (k = 64 took 3.6-5.1 ms against 1.2-1.7 ms for k = 10: docs/memory.md).
     */
    private static final int MIN_CANDIDATES = 64;
    private static final int CANDIDATE_FACTOR = 4;
    /**
     * Fewer, larger segments than Lucene's default of 10 per tier: every recall searches each segment's HNSW graph,
     * so a search's cost grows with their number; merging costs the writer more, in the background.
     */
    private static final int SEGMENTS_PER_TIER = 2;
    /**
     * Searches a recall's index segments concurrently (each segment has its own HNSW graph and postings, and a
     * growing collection has a dozen or more): one pool of daemon threads, a thread per core, shared by every open
     * index; the calling thread works too. Measured at 100,000 memories in 15 segments: docs/memory.md ("Latency").
     */
    private static final java.util.concurrent.Executor SEGMENT_SEARCHES = java.util.concurrent.Executors
            .newFixedThreadPool(Runtime.getRuntime().availableProcessors(),
                    Thread.ofPlatform().name("tusk-recall-segments-", 0).daemon(true).factory());

    private final Directory directory;
    private final EmbeddingSpec spec;
    private final Analyzer analyzer = new EnglishAnalyzer();
    private final SnapshotDeletionPolicy snapshots;
    private final IndexWriter writer;
    private final SearcherManager searchers;
    /** The current revision of each memory: document uid and valid time. Guarded by {@link #lock}. */
    private final Map<String, Current> current = new HashMap<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition advanced = lock.newCondition();
    private volatile long sequence;
    /** The sequence the current searcher shows; searches refresh first when it is behind {@link #sequence}. */
    private volatile long visible;
    /**
     * Memories put since the searcher was last refreshed (their current revisions), and memories whose revision in
     * that searcher is no longer current (superseded or forgotten): so that deduplication, which runs on every
     * remember, can answer exactly without a refresh. Guarded by {@link #lock}; a refresh clears both.
     */
    private final Map<String, IndexedMemory> unrefreshed = new java.util.LinkedHashMap<>();
    private final java.util.Set<String> staleInSearcher = new java.util.HashSet<>();
    /** Commits' worth of memories kept unrefreshed at most (a refresh after that bounds the two sets above). */
    private static final int MAX_UNREFRESHED = 256;

    private record Current(String uid, long validFrom, long validTo) {
    }

    private MemoryIndex(Directory directory, EmbeddingSpec spec) throws IOException {
        this.directory = directory;
        this.spec = spec;
        this.snapshots = new SnapshotDeletionPolicy(new KeepOnlyLastCommitDeletionPolicy());
        IndexWriterConfig config = new IndexWriterConfig(analyzer)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setIndexDeletionPolicy(snapshots)
                .setMergePolicy(new RewriteDeletes(new org.apache.lucene.index.TieredMergePolicy().setSegmentsPerTier(SEGMENTS_PER_TIER)))
                .setCommitOnClose(false)
                .setMaxFullFlushMergeWaitMillis(0); // a refresh never waits for merges of the segments it flushed
        this.writer = new IndexWriter(directory, config);
        try {
            Map<String, String> committed = new HashMap<>();
            Iterable<Map.Entry<String, String>> data = writer.getLiveCommitData();
            if (data != null) {
                data.forEach(e -> committed.put(e.getKey(), e.getValue()));
            }
            checkSpec(committed);
            this.sequence = Long.parseLong(committed.getOrDefault(SEQUENCE_KEY, "0"));
            this.visible = sequence;
            this.searchers = new SearcherManager(writer, new org.apache.lucene.search.SearcherFactory() {
                @Override
                public IndexSearcher newSearcher(org.apache.lucene.index.IndexReader reader,
                                                 org.apache.lucene.index.IndexReader previous) {
                    return new IndexSearcher(reader, SEGMENT_SEARCHES);
                }
            });
            loadCurrent();
        } catch (IOException | RuntimeException e) {
            // Release the directory's write lock: the caller may open it again with the right model.
            try (directory) {
                writer.rollback();
            } catch (IOException | RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /**
     * Opens the index in {@code directory}, empty or as last committed.
     *
     * @throws IllegalArgumentException if it was built for another embedding model or dimension
     */
    public static MemoryIndex open(Directory directory, EmbeddingSpec spec) throws IOException {
        // Small segments a refresh flushes stay in memory until a merge or a commit writes them out: a refresh of a
        // few memories then costs the flush, not file I/O (measured: 34 ms down to 21 ms a refresh here).
        return new MemoryIndex(new org.apache.lucene.store.NRTCachingDirectory(directory, 16, 64), spec);
    }

    private void checkSpec(Map<String, String> committed) {
        String model = committed.get(MODEL_KEY);
        if (model != null) {
            new EmbeddingSpec(model, Integer.parseInt(committed.get(DIMENSION_KEY))).requireSame(spec);
        }
    }

    private void loadCurrent() throws IOException {
        IndexSearcher searcher = searchers.acquire();
        try {
            Query head = NumericDocValuesField.newSlowExactQuery(MemoryDocuments.RECORDED_TO, IndexedMemory.OPEN);
            int total = Math.max(1, searcher.count(head));
            TopDocs docs = searcher.search(head, total);
            StoredFields stored = searcher.storedFields();
            for (ScoreDoc hit : docs.scoreDocs) {
                Document doc = stored.document(hit.doc);
                String id = doc.get(MemoryDocuments.ID);
                long revision = doc.getField(MemoryDocuments.REVISION).numericValue().longValue();
                long validFrom = doc.getField(MemoryDocuments.VALID_FROM).numericValue().longValue();
                long validTo = docValue(searcher, hit.doc, MemoryDocuments.VALID_TO);
                current.put(id, new Current(MemoryDocuments.uid(id, revision), validFrom, validTo));
            }
        } finally {
            searchers.release(searcher);
        }
    }

    public EmbeddingSpec spec() {
        return spec;
    }

    /** The last commit sequence applied; searches see every commit up to it. */
    public long sequence() {
        return sequence;
    }

    /** Segments in the searched index (each has its own HNSW graph, so a vector search visits every one). */
    public int segmentCount() {
        try {
            IndexSearcher searcher = acquireFresh();
            try {
                return searcher.getIndexReader().leaves().size();
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How many memories are current (not superseded, not forgotten). */
    public int size() {
        lock.lock();
        try {
            return current.size();
        } finally {
            lock.unlock();
        }
    }

    public boolean contains(String id) {
        lock.lock();
        try {
            return current.containsKey(id);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Applies the changes of commit {@code commitSequence}. Sequences at or below {@link #sequence()} were applied
     * already and are ignored (replays after a restart are harmless); the changes become visible to searches
     * together.
     *
     * @return false if the commit was applied before
     */
    public boolean apply(long commitSequence, List<IndexChange> changes) {
        lock.lock();
        try {
            if (commitSequence <= sequence) {
                return false;
            }
            for (IndexChange change : changes) {
                switch (change) {
                    case IndexChange.Put put -> put(put.memory());
                    case IndexChange.Forget forget -> {
                        writer.deleteDocuments(new Term(MemoryDocuments.ID, forget.id()));
                        current.remove(forget.id());
                        unrefreshed.remove(forget.id());
                        staleInSearcher.add(forget.id());
                    }
                }
            }
            writer.setLiveCommitData(Map.of(
                    SEQUENCE_KEY, Long.toString(commitSequence),
                    MODEL_KEY, spec.model(),
                    DIMENSION_KEY, Integer.toString(spec.dimension())).entrySet());
            sequence = commitSequence;
            if (unrefreshed.size() + staleInSearcher.size() >= MAX_UNREFRESHED) {
                refreshLocked();
            }
            advanced.signalAll();
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("index update at sequence " + commitSequence + " failed", e);
        } finally {
            lock.unlock();
        }
    }

    private void put(IndexedMemory memory) throws IOException {
        spec.check(memory.vector());
        String uid = MemoryDocuments.uid(memory.id(), memory.revision());
        Current previous = current.get(memory.id());
        if (previous != null && previous.uid().equals(uid)) {
            // A second write of one memory in the same commit: the last one is the revision.
            writer.updateDocument(new Term(MemoryDocuments.UID, uid), MemoryDocuments.toDocument(memory));
        } else {
            if (previous != null) {
                Term old = new Term(MemoryDocuments.UID, previous.uid());
                writer.updateNumericDocValue(old, MemoryDocuments.RECORDED_TO, memory.recordedAt());
                long validTo = Math.max(previous.validFrom(), Math.min(previous.validTo(), memory.validFrom()));
                writer.updateNumericDocValue(old, MemoryDocuments.VALID_TO, validTo);
            }
            writer.addDocument(MemoryDocuments.toDocument(memory));
        }
        current.put(memory.id(), new Current(uid, memory.validFrom(), memory.validTo()));
        unrefreshed.put(memory.id(), memory);
        if (previous != null) {
            staleInSearcher.add(memory.id());
        }
    }

    /**
     * Makes everything applied searchable: a Lucene refresh flushes the writer's buffered documents into a segment
     * and opens a reader on it, about 20 ms on this machine. Searches do it when they need it (see
     * {@link #acquireFresh}), not every commit: back-to-back remembers would pay it each time for nothing.
     */
    private void refreshLocked() throws IOException {
        long applied = sequence;
        searchers.maybeRefreshBlocking();
        visible = applied;
        unrefreshed.clear();
        staleInSearcher.clear();
    }

    /** A searcher that shows every commit applied so far: read-your-writes for recall, history and listings. */
    private IndexSearcher acquireFresh() throws IOException {
        if (visible < sequence) {
            lock.lock();
            try {
                if (visible < sequence) {
                    refreshLocked();
                }
            } finally {
                lock.unlock();
            }
        }
        return searchers.acquire();
    }

    /**
     * Waits until commit {@code minSequence} is searchable.
     *
     * @return false if the timeout passed first
     */
    public boolean awaitSequence(long minSequence, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        lock.lock();
        try {
            while (sequence < minSequence) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                advanced.awaitNanos(left);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The hits of a query, best first. */
    public List<Hit> search(RecallQuery query) {
        return search(query, false);
    }

    /**
     * The hits of a query, best first.
     *
     * @param withVectors whether each hit carries its stored vector (LangChain4j returns it)
     */
    public List<Hit> search(RecallQuery query, boolean withVectors) {
        return search(query, withVectors, null);
    }

    /**
     * A hybrid search whose query vector is still being computed (its text's embedding): the BM25 part runs
     * meanwhile, the vector part once the vector is there. {@code query} has its text and no vector.
     */
    public List<Hit> search(RecallQuery query, CompletableFuture<float[]> pendingVector) {
        if (query.text() == null || query.vector() != null) {
            throw new IllegalArgumentException("a search with a pending vector has a text and no vector yet");
        }
        return search(query, false, Objects.requireNonNull(pendingVector, "pendingVector"));
    }

    private List<Hit> search(RecallQuery query, boolean withVectors, CompletableFuture<float[]> pendingVector) {
        if (query.vector() != null) {
            spec.check(query.vector());
        }
        try {
            IndexSearcher searcher = acquireFresh();
            try {
                return new Search(searcher, query).run(withVectors, pendingVector);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("search failed", e);
        }
    }

    /** Every revision of one memory, oldest first; empty if unknown or forgotten. */
    public List<Hit> history(String id) {
        return listRevisions(new TermQuery(new Term(MemoryDocuments.ID, id)), false);
    }

    /** The latest revisions across the collection (by recorded time, newest first), superseded ones included. */
    public List<Hit> recent(int limit) {
        try {
            IndexSearcher searcher = acquireFresh();
            try {
                org.apache.lucene.search.Sort newest = new org.apache.lucene.search.Sort(
                        new org.apache.lucene.search.SortField(MemoryDocuments.RECORDED_FROM,
                                org.apache.lucene.search.SortField.Type.LONG, true));
                TopDocs docs = searcher.search(MatchAllDocsQuery.INSTANCE, Math.max(1, limit), newest);
                List<Hit> hits = new ArrayList<>(docs.scoreDocs.length);
                for (ScoreDoc doc : docs.scoreDocs) {
                    hits.add(readHit(searcher, doc.doc, 1.0, false));
                }
                return hits;
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("index read failed", e);
        }
    }

    /** The current revision of one memory. */
    public Optional<Hit> get(String id) {
        Query query = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(MemoryDocuments.ID, id)), Occur.FILTER)
                .add(headQuery(), Occur.FILTER)
                .build();
        return listRevisions(query, true).stream().findFirst();
    }

    /**
     * The ids of current memories whose content hash is {@code hash} (exact duplicates). Exact without a refresh: the
     * searcher as last refreshed, less what changed since, plus what was put since.
     */
    public List<String> findByHash(String hash) {
        Query query = new BooleanQuery.Builder()
                .add(new TermQuery(new Term(MemoryDocuments.HASH, hash)), Occur.FILTER)
                .add(headQuery(), Occur.FILTER)
                .build();
        lock.lock();
        try {
            List<String> ids = new ArrayList<>();
            IndexSearcher searcher = searchers.acquire();
            try {
                for (Hit hit : listRevisions(searcher, query, false)) {
                    if (!staleInSearcher.contains(hit.id()) && !unrefreshed.containsKey(hit.id())) {
                        ids.add(hit.id());
                    }
                }
            } finally {
                searchers.release(searcher);
            }
            for (IndexedMemory m : unrefreshed.values()) {
                if (hash.equals(m.contentHash())) {
                    ids.add(m.id());
                }
            }
            return ids;
        } catch (IOException e) {
            throw new UncheckedIOException("index read failed", e);
        } finally {
            lock.unlock();
        }
    }

    /** The current memory nearest {@code vector} by cosine, if any, without a refresh (as {@link #findByHash}). */
    public Optional<Nearest> nearest(float[] vector) {
        spec.check(vector);
        lock.lock();
        try {
            Nearest best = null;
            IndexSearcher searcher = searchers.acquire();
            try {
                int k = 1 + Math.min(staleInSearcher.size() + unrefreshed.size(), 64);
                TopDocs knn = searcher.search(new org.apache.lucene.search.KnnFloatVectorQuery(MemoryDocuments.VECTOR,
                        vector, k, headQuery()), k);
                for (ScoreDoc doc : knn.scoreDocs) {
                    Hit hit = readHit(searcher, doc.doc, doc.score, false);
                    if (!staleInSearcher.contains(hit.id()) && !unrefreshed.containsKey(hit.id())) {
                        best = new Nearest(hit.id(), hit.text(), 2.0 * doc.score - 1); // Lucene's cosine score is (1 + cos) / 2
                        break;
                    }
                }
            } finally {
                searchers.release(searcher);
            }
            for (IndexedMemory m : unrefreshed.values()) {
                double cosine = MemoryDocuments.SIMILARITY.compare(vector, m.vector()) * 2.0 - 1;
                if (best == null || cosine > best.cosine()) {
                    best = new Nearest(m.id(), m.text(), cosine);
                }
            }
            return Optional.ofNullable(best);
        } catch (IOException e) {
            throw new UncheckedIOException("index read failed", e);
        } finally {
            lock.unlock();
        }
    }

    /** A current memory and its cosine similarity to a query vector. */
    public record Nearest(String id, String text, double cosine) {
    }

    /** The ids of current memories matching {@code filter} (null for all). */
    public List<String> currentIds(MemoryFilter filter) {
        BooleanQuery.Builder query = new BooleanQuery.Builder().add(headQuery(), Occur.FILTER);
        if (filter != null) {
            query.add(LuceneFilters.toQuery(filter), Occur.FILTER);
        }
        return listRevisions(query.build(), false).stream().map(Hit::id).toList();
    }

    private List<Hit> listRevisions(Query query, boolean withVectors) {
        try {
            IndexSearcher searcher = acquireFresh();
            try {
                return listRevisions(searcher, query, withVectors);
            } finally {
                searchers.release(searcher);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("index read failed", e);
        }
    }

    private List<Hit> listRevisions(IndexSearcher searcher, Query query, boolean withVectors) throws IOException {
        int count = searcher.count(query);
        if (count == 0) {
            return List.of();
        }
        TopDocs docs = searcher.search(query, count);
        List<Hit> hits = new ArrayList<>(count);
        for (ScoreDoc doc : docs.scoreDocs) {
            hits.add(readHit(searcher, doc.doc, 1.0, withVectors));
        }
        hits.sort(Comparator.comparingLong(Hit::revision));
        return hits;
    }

    static Query headQuery() {
        return NumericDocValuesField.newSlowExactQuery(MemoryDocuments.RECORDED_TO, IndexedMemory.OPEN);
    }

    /** Filters by metadata and time; null when nothing restricts (then every document qualifies). */
    static Query restriction(RecallQuery query) {
        BooleanQuery.Builder builder = new BooleanQuery.Builder();
        if (query.asOf() == null) {
            builder.add(headQuery(), Occur.FILTER);
        } else {
            long t = query.asOf();
            builder.add(NumericDocValuesField.newSlowRangeQuery(MemoryDocuments.RECORDED_FROM, Long.MIN_VALUE, t),
                    Occur.FILTER);
            builder.add(recordedAfter(t), Occur.FILTER);
        }
        if (query.validAt() != null) {
            long t = query.validAt();
            builder.add(NumericDocValuesField.newSlowRangeQuery(MemoryDocuments.VALID_FROM, Long.MIN_VALUE, t),
                    Occur.FILTER);
            builder.add(t == Long.MAX_VALUE ? MatchAllDocsQuery.INSTANCE
                    : NumericDocValuesField.newSlowRangeQuery(MemoryDocuments.VALID_TO, t + 1, Long.MAX_VALUE),
                    Occur.FILTER);
        }
        if (query.filter() != null) {
            builder.add(LuceneFilters.toQuery(query.filter()), Occur.FILTER);
        }
        return builder.build();
    }

    private static Query recordedAfter(long t) {
        return t == Long.MAX_VALUE
                ? headQuery()
                : NumericDocValuesField.newSlowRangeQuery(MemoryDocuments.RECORDED_TO, t + 1, Long.MAX_VALUE);
    }

    /** One hybrid search over one searcher. */
    private final class Search {
        private final IndexSearcher searcher;
        private final RecallQuery query;
        private final Query restriction;
        private final int candidates;
        private float[] vector;

        Search(IndexSearcher searcher, RecallQuery query) {
            this.searcher = searcher;
            this.query = query;
            this.restriction = restriction(query);
            this.candidates = Math.max(MIN_CANDIDATES, query.topK() * CANDIDATE_FACTOR);
        }

        List<Hit> run(boolean withVectors, CompletableFuture<float[]> pendingVector) throws IOException {
            boolean vectorGiven = query.vector() != null || pendingVector != null;
            Map<Integer, Double> bm25 = new HashMap<>();
            double bestBm25 = 0;
            Query words = query.text() == null ? null
                    : new QueryBuilder(analyzer).createBooleanQuery(MemoryDocuments.TEXT, query.text(), Occur.SHOULD);
            boolean textCounts = words != null && (!vectorGiven || query.textWeight() > 0);
            // The words first: they need no vector, so they overlap the query's embedding while it is computed.
            if (textCounts) {
                Query scored = new BooleanQuery.Builder().add(words, Occur.MUST).add(restriction, Occur.FILTER).build();
                for (ScoreDoc doc : searcher.search(scored, candidates).scoreDocs) {
                    bm25.put(doc.doc, (double) doc.score);
                    bestBm25 = Math.max(bestBm25, doc.score);
                }
            }
            vector = query.vector() != null ? query.vector() : pendingVector == null ? null : spec.check(join(pendingVector));
            Map<Integer, Double> relevance = new LinkedHashMap<>();
            if (vector != null) {
                int k = query.topK();
                TopDocs knn = searcher.search(new KnnFloatVectorQuery(MemoryDocuments.VECTOR, vector, k,
                        restriction), k);
                for (ScoreDoc doc : knn.scoreDocs) {
                    relevance.put(doc.doc, (double) doc.score);
                }
            }
            List<Scored> scored = new ArrayList<>();
            if (vector == null) {
                for (Map.Entry<Integer, Double> e : bm25.entrySet()) {
                    scored.add(new Scored(e.getKey(), e.getValue() / bestBm25));
                }
            } else {
                double w = textCounts ? query.textWeight() : 0;
                for (Integer doc : bm25.keySet()) {
                    relevance.computeIfAbsent(doc, this::exactRelevance);
                }
                for (Map.Entry<Integer, Double> e : relevance.entrySet()) {
                    double text = bestBm25 > 0 ? bm25.getOrDefault(e.getKey(), 0.0) / bestBm25 : 0;
                    scored.add(new Scored(e.getKey(), (1 - w) * e.getValue() + w * text));
                }
            }
            scored.sort(Comparator.comparingDouble(Scored::score).reversed().thenComparingInt(Scored::doc));
            List<Hit> hits = new ArrayList<>(Math.min(query.topK(), scored.size()));
            for (Scored s : scored) {
                if (hits.size() == query.topK() || s.score() < query.minScore()) {
                    break;
                }
                hits.add(readHit(searcher, s.doc(), s.score(), withVectors));
            }
            return hits;
        }

        private double exactRelevance(int doc) {
            try {
                float[] stored = vectorOf(searcher, doc);
                return stored == null ? 0 : MemoryDocuments.SIMILARITY.compare(vector, stored);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private record Scored(int doc, double score) {
    }

    private static float[] join(CompletableFuture<float[]> pending) {
        try {
            return pending.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw e;
        }
    }

    private static float[] vectorOf(IndexSearcher searcher, int doc) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        FloatVectorValues values = leaf.reader().getFloatVectorValues(MemoryDocuments.VECTOR);
        if (values == null) {
            return null;
        }
        KnnVectorValues.DocIndexIterator iterator = values.iterator();
        int local = doc - leaf.docBase;
        if (iterator.advance(local) != local) {
            return null;
        }
        return values.vectorValue(iterator.index()).clone();
    }

    private static long docValue(IndexSearcher searcher, int doc, String field) throws IOException {
        List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        NumericDocValues values = leaf.reader().getNumericDocValues(field);
        if (values == null || !values.advanceExact(doc - leaf.docBase)) {
            throw new IllegalStateException("index document " + doc + " has no " + field);
        }
        return values.longValue();
    }

    private static Hit readHit(IndexSearcher searcher, int doc, double score, boolean withVector) throws IOException {
        Document stored = searcher.storedFields().document(doc);
        String metadata = stored.get(MemoryDocuments.METADATA);
        return new Hit(
                stored.get(MemoryDocuments.ID),
                stored.getField(MemoryDocuments.REVISION).numericValue().longValue(),
                stored.get(MemoryDocuments.TEXT),
                score,
                metadata == null ? Map.of() : TypedMetadataJson.fromJson(metadata),
                withVector ? vectorOf(searcher, doc) : null,
                stored.getField(MemoryDocuments.VALID_FROM).numericValue().longValue(),
                docValue(searcher, doc, MemoryDocuments.VALID_TO),
                stored.getField(MemoryDocuments.RECORDED_FROM).numericValue().longValue(),
                docValue(searcher, doc, MemoryDocuments.RECORDED_TO));
    }

    /**
     * Commits the index to its directory and holds that commit until the returned snapshot is closed, so its
     * files can be copied (to blobs) while writes go on.
     */
    public Snapshot snapshot() throws IOException {
        lock.lock();
        try {
            writer.commit();
            IndexCommit commit = snapshots.snapshot();
            return new Snapshot(commit, Long.parseLong(commit.getUserData().getOrDefault(SEQUENCE_KEY, "0")));
        } finally {
            lock.unlock();
        }
    }

    /** A held commit: its files stay in the directory until {@link #close()}. */
    public final class Snapshot implements Closeable {
        private final IndexCommit commit;
        private final long snapshotSequence;

        private Snapshot(IndexCommit commit, long snapshotSequence) {
            this.commit = commit;
            this.snapshotSequence = snapshotSequence;
        }

        /** The last commit sequence the snapshot includes. */
        public long sequence() {
            return snapshotSequence;
        }

        /** The names of its files (segments_N last is how Lucene reads them, but any order restores). */
        public List<String> files() throws IOException {
            return List.copyOf(commit.getFileNames());
        }

        public Directory directory() {
            return directory;
        }

        @Override
        public void close() throws IOException {
            snapshots.release(commit);
            writer.deleteUnusedFiles();
        }
    }

    /**
     * Forced-deletes merges rewrite every segment that holds a deleted document, whatever its share of deletes:
     * forget must leave no stored segment with a forgotten memory's text. (A segment of two memories with one
     * forgotten kept it: this never showed while every commit flushed a segment of its own, which a forgotten memory
     * then emptied and Lucene dropped whole.)
     */
    private static final class RewriteDeletes extends org.apache.lucene.index.FilterMergePolicy {
        RewriteDeletes(org.apache.lucene.index.MergePolicy in) {
            super(in);
        }

        @Override
        public MergeSpecification findForcedDeletesMerges(org.apache.lucene.index.SegmentInfos infos,
                                                          MergeContext context) throws IOException {
            MergeSpecification merges = null;
            for (org.apache.lucene.index.SegmentCommitInfo info : infos) {
                if (context.numDeletesToMerge(info) > 0 && !context.getMergingSegments().contains(info)) {
                    if (merges == null) {
                        merges = new MergeSpecification();
                    }
                    merges.add(new OneMerge(List.of(info)));
                }
            }
            return merges;
        }
    }

    /**
     * Waits until no merge runs or waits to run, then shows the merged segments to searches. A bulk load leaves a
     * dozen segments that background merges fold into a few over the next minutes, and every vector search visits
     * each segment: benchmarks of a warm collection measure after this.
     */
    public void awaitMerges() throws IOException {
        long deadline = System.nanoTime() + FORCE_MERGE_TIMEOUT.toNanos();
        writer.maybeMerge();
        try {
            while (writer.hasPendingMerges() || !writer.getMergingSegments().isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("merges still running after " + FORCE_MERGE_TIMEOUT);
                }
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for merges");
        }
        searchers.maybeRefreshBlocking();
    }

    /**
     * Rewrites segments that hold deleted (forgotten) documents, so no stored segment keeps their text. A segment a
     * background merge holds already is not merged again by {@code forceMergeDeletes}, which then returns at once:
     * so this waits for merges in progress and asks again until no segment holds a deleted document.
     */
    public void forceMergeDeletes() throws IOException {
        lock.lock();
        try {
            long deadline = System.nanoTime() + FORCE_MERGE_TIMEOUT.toNanos();
            writer.forceMergeDeletes(true);
            while (writer.hasDeletions() || !writer.getMergingSegments().isEmpty()) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("segments still hold deleted documents after " + FORCE_MERGE_TIMEOUT);
                }
                if (writer.getMergingSegments().isEmpty()) {
                    writer.forceMergeDeletes(true);
                } else {
                    Thread.sleep(10);
                }
            }
            searchers.maybeRefreshBlocking();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while merging away deleted documents");
        } finally {
            lock.unlock();
        }
    }

    private static final Duration FORCE_MERGE_TIMEOUT = Duration.ofMinutes(10);

    /** Whether the directory holds a committed index. */
    public static boolean exists(Directory directory) throws IOException {
        return DirectoryReader.indexExists(directory);
    }

    @Override
    public void close() throws IOException {
        try (directory; writer; searchers) {
            lock.lock();
            try {
                if (sequence > 0) {
                    writer.commit();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    /** Waits at most this long by default for read-your-writes. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

    static long toMillis(Duration d) {
        return TimeUnit.NANOSECONDS.toMillis(d.toNanos());
    }
}
