package io.tusk.memory.bench;

import io.github.jbellis.jvector.graph.GraphIndexBuilder;
import io.github.jbellis.jvector.graph.GraphSearcher;
import io.github.jbellis.jvector.graph.ImmutableGraphIndex;
import io.github.jbellis.jvector.graph.ListRandomAccessVectorValues;
import io.github.jbellis.jvector.graph.SearchResult;
import io.github.jbellis.jvector.vector.VectorizationProvider;
import io.github.jbellis.jvector.vector.types.VectorFloat;
import io.github.jbellis.jvector.vector.types.VectorTypeSupport;
import io.tusk.memory.embedding.Embedder;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;

/**
 * Chooses the vector index by measurement: exact Vector-API scan vs Lucene's HNSW vs JVector on real MiniLM
 * embeddings of {@link SyntheticFacts}: recall@10 against the exact top 10, queries per second (one thread), build
 * time and memory. Vectors are embedded once and cached in the work directory.
 *
 * <pre>
 * mvn -q -B -pl tusk-memory -am test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Xmx8g --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *   -cp tusk-memory/target/test-classes:tusk-memory/target/classes:$(cat tusk-memory/target/cp.txt) \
 *   io.tusk.memory.bench.VectorIndexBenchmark /tmp/memory/bench 100000 1000
 * </pre>
 */
public final class VectorIndexBenchmark {

    private static final int K = 10;
    private static final VectorSpecies<Float> SPECIES = FloatVector.SPECIES_PREFERRED;

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "/tmp/memory/bench");
        int count = args.length > 1 ? Integer.parseInt(args[1]) : 100_000;
        int queries = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        String only = args.length > 3 ? args[3] : "all";
        Files.createDirectories(dir);
        float[][] data = vectors(dir.resolve("facts-" + count + ".f32"), SyntheticFacts.generate(count, 42));
        float[][] query = vectors(dir.resolve("queries-" + queries + ".f32"), questions(queries));
        int dim = data[0].length;
        System.out.printf(Locale.ROOT, "%d vectors x %d dimensions, %d queries, k=%d, species %s%n",
                count, dim, queries, K, SPECIES);

        float[] flat = flatten(data);
        long t0 = System.nanoTime();
        int[][] truth = new int[queries][];
        for (int q = 0; q < queries; q++) {
            truth[q] = exactTopK(flat, dim, query[q], K);
        }
        double exactSeconds = (System.nanoTime() - t0) / 1e9;
        long[] exactLatency = new long[queries];
        for (int q = 0; q < queries; q++) {
            long s = System.nanoTime();
            exactTopK(flat, dim, query[q], K);
            exactLatency[q] = System.nanoTime() - s;
        }
        report("exact Vector-API scan", 0, (long) flat.length * 4, 1.0, exactLatency);
        System.out.printf(Locale.ROOT, "  (first pass with JIT warm-up: %.1f s)%n", exactSeconds);

        if (only.equals("all") || only.equals("lucene")) {
            lucene(dir.resolve("lucene-" + count), data, query, truth);
        }
        if (only.equals("all") || only.equals("jvector")) {
            jvector(data, query, truth);
        }
    }

    static void lucene(Path path, float[][] data, float[][] query, int[][] truth) throws IOException {
        deleteTree(path);
        long t0 = System.nanoTime();
        try (FSDirectory directory = FSDirectory.open(path)) {
            IndexWriterConfig config = new IndexWriterConfig().setRAMBufferSizeMB(256);
            try (IndexWriter writer = new IndexWriter(directory, config)) {
                for (float[] v : data) {
                    Document doc = new Document();
                    doc.add(new KnnFloatVectorField("vec", v, VectorSimilarityFunction.COSINE));
                    writer.addDocument(doc);
                }
                writer.commit();
                double built = (System.nanoTime() - t0) / 1e9;
                try (DirectoryReader reader = DirectoryReader.open(directory)) {
                    luceneQueries("Lucene HNSW as built (" + reader.leaves().size() + " segments)", built,
                            directorySize(path), reader, query, truth);
                }
                long m0 = System.nanoTime();
                writer.forceMerge(1);
                writer.commit();
                double merged = (System.nanoTime() - m0) / 1e9;
                try (DirectoryReader reader = DirectoryReader.open(directory)) {
                    luceneQueries("Lucene HNSW force-merged to 1 segment", built + merged, directorySize(path),
                            reader, query, truth);
                }
            }
        }
    }

    static void luceneQueries(String name, double buildSeconds, long bytes, DirectoryReader reader, float[][] query,
                              int[][] truth) throws IOException {
        IndexSearcher searcher = new IndexSearcher(reader);
        int hits = 0;
        for (int round = 0; round < 2; round++) { // first round warms up
            hits = 0;
            long[] latency = new long[query.length];
            for (int q = 0; q < query.length; q++) {
                long s = System.nanoTime();
                TopDocs top = searcher.search(new KnnFloatVectorQuery("vec", query[q], K), K);
                latency[q] = System.nanoTime() - s;
                hits += overlap(truth[q], Arrays.stream(top.scoreDocs).mapToInt(d -> d.doc).toArray());
            }
            if (round == 1) {
                report(name, buildSeconds, bytes, hits / (double) (query.length * K), latency);
            }
        }
    }

    @SuppressWarnings("deprecation") // jvector 4.0.2's builder with explicit graph parameters, as compared
    static void jvector(float[][] data, float[][] query, int[][] truth) throws IOException {
        VectorTypeSupport types = VectorizationProvider.getInstance().getVectorTypeSupport();
        List<VectorFloat<?>> vectors = new ArrayList<>(data.length);
        for (float[] v : data) {
            vectors.add(types.createFloatVector(v));
        }
        ListRandomAccessVectorValues values = new ListRandomAccessVectorValues(vectors, data[0].length);
        var similarity = io.github.jbellis.jvector.vector.VectorSimilarityFunction.COSINE;
        long t0 = System.nanoTime();
        try (GraphIndexBuilder builder = new GraphIndexBuilder(values, similarity, 16, 100, 1.2f, 1.2f, false)) {
            ImmutableGraphIndex graph = builder.build(values);
            double built = (System.nanoTime() - t0) / 1e9;
            long bytes = builder.ramBytesUsed() + (long) data.length * data[0].length * 4;
            for (int round = 0; round < 2; round++) {
                int hits = 0;
                long[] latency = new long[query.length];
                for (int q = 0; q < query.length; q++) {
                    VectorFloat<?> target = types.createFloatVector(query[q]);
                    long s = System.nanoTime();
                    SearchResult result = GraphSearcher.search(target, K, values, similarity, graph,
                            io.github.jbellis.jvector.util.Bits.ALL);
                    latency[q] = System.nanoTime() - s;
                    hits += overlap(truth[q], Arrays.stream(result.getNodes()).mapToInt(n -> n.node).toArray());
                }
                if (round == 1) {
                    report("JVector (M=16, beam 100)", built, bytes, hits / (double) (query.length * K), latency);
                }
            }
        }
    }

    static void report(String name, double buildSeconds, long bytes, double recall, long[] latencyNanos) {
        long[] sorted = latencyNanos.clone();
        Arrays.sort(sorted);
        double total = Arrays.stream(sorted).sum() / 1e9;
        System.out.printf(Locale.ROOT,
                "%-44s recall@10 %.4f  %8.0f q/s  p50 %.3f ms  p99 %.3f ms  build %.1f s  memory %.0f MB%n",
                name, recall, sorted.length / total, sorted[sorted.length / 2] / 1e6,
                sorted[(int) (sorted.length * 0.99)] / 1e6, buildSeconds, bytes / 1e6);
    }

    static int overlap(int[] truth, int[] found) {
        int n = 0;
        for (int t : truth) {
            for (int f : found) {
                if (t == f) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    /** Top k by cosine over normalized rows: dot products with the preferred SIMD width. */
    static int[] exactTopK(float[] flat, int dim, float[] query, int k) {
        PriorityQueue<float[]> heap = new PriorityQueue<>((a, b) -> Float.compare(a[0], b[0]));
        int rows = flat.length / dim;
        int upper = SPECIES.loopBound(dim);
        for (int r = 0; r < rows; r++) {
            int base = r * dim;
            FloatVector acc = FloatVector.zero(SPECIES);
            int i = 0;
            for (; i < upper; i += SPECIES.length()) {
                acc = FloatVector.fromArray(SPECIES, flat, base + i).fma(FloatVector.fromArray(SPECIES, query, i), acc);
            }
            float dot = acc.reduceLanes(VectorOperators.ADD);
            for (; i < dim; i++) {
                dot += flat[base + i] * query[i];
            }
            if (heap.size() < k) {
                heap.add(new float[] {dot, r});
            } else if (dot > heap.peek()[0]) {
                heap.poll();
                heap.add(new float[] {dot, r});
            }
        }
        int[] top = new int[heap.size()];
        for (int i = top.length - 1; i >= 0; i--) {
            top[i] = (int) heap.poll()[1];
        }
        return top;
    }

    /** Rows normalized to unit length, so a dot product is the cosine. */
    static float[] flatten(float[][] data) {
        int dim = data[0].length;
        float[] flat = new float[data.length * dim];
        for (int r = 0; r < data.length; r++) {
            double norm = 0;
            for (float x : data[r]) {
                norm += x * x;
            }
            float scale = (float) (1 / Math.sqrt(norm));
            for (int i = 0; i < dim; i++) {
                flat[r * dim + i] = data[r][i] * scale;
            }
        }
        return flat;
    }

    static List<String> questions(int count) {
        List<String> facts = SyntheticFacts.generate(count, 7);
        List<String> questions = new ArrayList<>(count);
        for (String fact : facts) {
            questions.add("What do I know about " + fact.substring(0, fact.indexOf(' ')).replace("'s", "")
                    + "? " + fact.substring(fact.indexOf(' ') + 1));
        }
        return questions;
    }

    /** Embeds once, then reads the cache (int count, int dim, floats). */
    static float[][] vectors(Path cache, List<String> texts) throws IOException {
        if (Files.exists(cache)) {
            try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(cache)))) {
                int n = in.readInt();
                int dim = in.readInt();
                float[][] data = new float[n][dim];
                for (float[] row : data) {
                    for (int i = 0; i < dim; i++) {
                        row[i] = in.readFloat();
                    }
                }
                return data;
            }
        }
        Embedder embedder = Embedder.local();
        long t0 = System.nanoTime();
        float[][] data = new float[texts.size()][];
        int batch = 256;
        for (int start = 0; start < texts.size(); start += batch) {
            List<float[]> embedded = embedder.embedAll(texts.subList(start, Math.min(texts.size(), start + batch)));
            for (int i = 0; i < embedded.size(); i++) {
                data[start + i] = embedded.get(i);
            }
            if (start % 10_240 == 0) {
                System.out.printf(Locale.ROOT, "embedded %d of %d (%.0f/s)%n", start, texts.size(),
                        start / ((System.nanoTime() - t0) / 1e9));
            }
        }
        System.out.printf(Locale.ROOT, "embedded %d texts in %.1f s%n", texts.size(), (System.nanoTime() - t0) / 1e9);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(cache)))) {
            out.writeInt(data.length);
            out.writeInt(data[0].length);
            for (float[] row : data) {
                for (float x : row) {
                    out.writeFloat(x);
                }
            }
        }
        return data;
    }

    static long directorySize(Path path) throws IOException {
        try (var files = Files.list(path)) {
            return files.mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static void deleteTree(Path path) throws IOException {
        if (Files.exists(path)) {
            try (var walk = Files.walk(path)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
