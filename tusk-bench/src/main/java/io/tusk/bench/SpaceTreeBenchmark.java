package io.tusk.bench;

import io.tusk.core.metadata.BlobId;
import io.tusk.spaces.manifest.DataRef;
import io.tusk.spaces.manifest.EntryCodec;
import io.tusk.spaces.manifest.EntryRecord;
import io.tusk.spaces.tree.Keys;
import io.tusk.spaces.tree.Location;
import io.tusk.spaces.tree.MemoryTree;
import io.tusk.spaces.tree.Node;
import io.tusk.spaces.tree.PackResolver;
import io.tusk.spaces.tree.TreeCursor;
import io.tusk.spaces.tree.TreeEditor;
import io.tusk.spaces.tree.TreeShape;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

/**
 * The manifest tree alone, in memory ({@link MemoryTree}: real node encoding, real hashes, no network), for choosing its fanout: for
 * fanout bits 4, 5 and 6 it builds a space of N entries with realistic entry records, then measures the tree's depth
 * and node sizes, the nodes (and bytes) a commit of k random changes writes, the nodes a lookup reads, and the nodes
 * a page of one prefix reads. Node reads and writes are what a space pays on the network (one patch read or write
 * each), so they decide; CPU time is printed for completeness.
 *
 * <p>Usage: {@code java -Xmx4g -cp "tusk-bench/target/tusk-bench.jar:tusk-bench/target/lib/*"
 * io.tusk.bench.SpaceTreeBenchmark [--entries 1000000] [--fanouts 4,5,6]}
 */
public final class SpaceTreeBenchmark {
    private SpaceTreeBenchmark() {
    }

    public static void main(String[] args) {
        int entries = 1_000_000;
        int[] fanouts = {4, 5, 6};
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--entries" -> entries = Integer.parseInt(args[++i]);
                case "--fanouts" -> fanouts = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        System.out.printf("%d entries; keys 'p%%03d/item-%%07d' (1000 prefixes), values = entry records of small packed entries%n", entries);
        System.out.println("fanout | depth | nodes | avg node B | build s | commit k=1: nodes / KB | k=100 | k=10000 | get: nodes read | page of 1000 in a prefix: nodes read");
        for (int bits : fanouts) {
            run(bits, entries);
        }
    }

    private static void measure(Node node, MemoryTree nodes, long[] out) {
        out[0]++;
        out[1] += nodes.codec().encode(node, PackResolver.NONE).length;
        if (!node.isLeaf()) {
            for (int i = 0; i < node.size(); i++) {
                measure(nodes.load(node.child(i), node.key(i), node.level()), nodes, out);
            }
        }
    }

    private static byte[] key(int i, int prefixes) {
        return String.format("p%03d/item-%07d", i % prefixes, i).getBytes(StandardCharsets.UTF_8);
    }

    private static EntryRecord record(Random random, long version) {
        byte[] etag = new byte[32];
        random.nextBytes(etag);
        byte[] pack = new byte[32];
        random.nextBytes(pack);
        return new EntryRecord(100 + random.nextInt(900), "application/json", Map.of("source", "bench"), etag, version,
                1_700_000_000_000L + version, new DataRef.Packed(new Location(BlobId.of(pack), 3, 4,
                random.nextInt(1 << 20), 1024)), null);
    }

    private static void run(int bits, int entries) {
        Random random = new Random(42);
        MemoryTree nodes = new MemoryTree(EntryCodec.INSTANCE);
        TreeShape shape = new TreeShape(bits, "bench".getBytes(StandardCharsets.US_ASCII));
        TreeEditor editor = new TreeEditor(nodes, shape);
        int prefixes = 1000;
        long start = System.nanoTime();
        Node root = null;
        int batch = 50_000;
        for (int from = 0; from < entries; from += batch) {
            NavigableMap<byte[], Object> edits = new TreeMap<>(Keys.ORDER);
            for (int i = from; i < Math.min(entries, from + batch); i++) {
                edits.put(key(i, prefixes), record(random, 1 + from / batch));
            }
            root = nodes.persist(editor.apply(root, edits));
        }
        double buildSeconds = (System.nanoTime() - start) / 1e9;
        long[] shape0 = {0, 0}; // nodes and bytes of the tree as it stands (not counting replaced nodes)
        measure(root, nodes, shape0);
        long nodeCount = shape0[0];
        long avgBytes = shape0[1] / Math.max(1, nodeCount);

        StringBuilder commits = new StringBuilder();
        for (int k : new int[]{1, 100, 10_000}) {
            long writesBefore = nodes.writes();
            long bytesBefore = nodes.bytesWritten();
            int rounds = k == 10_000 ? 3 : 20;
            for (int r = 0; r < rounds; r++) {
                NavigableMap<byte[], Object> edits = new TreeMap<>(Keys.ORDER);
                for (int c = 0; c < k; c++) {
                    edits.put(key(random.nextInt(entries), prefixes), record(random, 1000 + r));
                }
                root = nodes.persist(editor.apply(root, edits));
            }
            commits.append(String.format(" %.1f / %.1f |", (nodes.writes() - writesBefore) / (double) rounds,
                    (nodes.bytesWritten() - bytesBefore) / 1024.0 / rounds));
        }

        int gets = 2000;
        long loadsBefore = nodes.loads();
        for (int g = 0; g < gets; g++) {
            if (TreeCursor.get(root, nodes, key(random.nextInt(entries), prefixes)) == null) {
                throw new AssertionError("a key went missing");
            }
        }
        double nodesPerGet = (nodes.loads() - loadsBefore) / (double) gets;

        loadsBefore = nodes.loads();
        TreeCursor cursor = new TreeCursor(root, nodes);
        byte[] prefix = "p123/".getBytes(StandardCharsets.UTF_8);
        cursor.seek(prefix);
        int listed = 0;
        while (!cursor.atEnd() && Keys.startsWith(cursor.key(), prefix) && listed < 1000) {
            listed++;
            cursor.next();
        }
        long pageLoads = nodes.loads() - loadsBefore;
        System.out.printf("%6d | %5d | %5d | %10d | %7.1f |%s %15.1f | %d (%d entries)%n", 1 << bits, root.level() + 1,
                nodeCount, avgBytes, buildSeconds, commits, nodesPerGet, pageLoads, listed);
    }
}
