package io.tusk.spaces.tree;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The tree against a TreeMap model: random batches of puts and deletes, lookups, scans, seeks, shape and diffs. */
class TreeEditorTest {
    private static final TreeShape SHAPE = new TreeShape(3, new byte[]{1, 2, 3}); // 8 per node: deep trees from few keys

    private static byte[] key(int i) {
        return String.format("k%06d", i).getBytes(StandardCharsets.UTF_8);
    }

    @Property(tries = 60)
    void randomBatchesMatchTheModel(@ForAll long seed, @ForAll @IntRange(min = 1, max = 12) int batches) {
        Random random = new Random(seed);
        MemoryTree store = new MemoryTree();
        TreeEditor editor = new TreeEditor(store, SHAPE);
        NavigableMap<byte[], byte[]> model = new TreeMap<>(Keys.ORDER);
        Node root = null;
        for (int b = 0; b < batches; b++) {
            NavigableMap<byte[], Object> edits = new TreeMap<>(Keys.ORDER);
            int size = 1 + random.nextInt(random.nextBoolean() ? 5 : 400);
            for (int e = 0; e < size; e++) {
                byte[] k = key(random.nextInt(2000));
                if (random.nextInt(3) == 0) {
                    edits.put(k, TreeEditor.DELETE);
                } else {
                    edits.put(k, ("v" + b + "-" + e).getBytes(StandardCharsets.UTF_8));
                }
            }
            for (Map.Entry<byte[], Object> edit : edits.entrySet()) {
                if (edit.getValue() == TreeEditor.DELETE) {
                    model.remove(edit.getKey());
                } else {
                    model.put(edit.getKey(), (byte[]) edit.getValue());
                }
            }
            root = store.persist(editor.apply(root, edits));
            assertMatches(root, store, model);
        }
        // The shape depends on the key set only: a tree built in one batch from the final contents is identical.
        MemoryTree fresh = new MemoryTree();
        NavigableMap<byte[], Object> all = new TreeMap<>(Keys.ORDER);
        model.forEach(all::put);
        Node rebuilt = fresh.persist(new TreeEditor(fresh, SHAPE).apply(null, all));
        assertThat(shape(rebuilt, fresh)).isEqualTo(shape(root, store));
    }

    @Test
    void deletingEverythingEmptiesTheTree() {
        MemoryTree store = new MemoryTree();
        TreeEditor editor = new TreeEditor(store, SHAPE);
        NavigableMap<byte[], Object> puts = new TreeMap<>(Keys.ORDER);
        NavigableMap<byte[], Object> deletes = new TreeMap<>(Keys.ORDER);
        for (int i = 0; i < 500; i++) {
            puts.put(key(i), new byte[]{(byte) i});
            deletes.put(key(i), TreeEditor.DELETE);
        }
        Node root = store.persist(editor.apply(null, puts));
        assertThat(root.count()).isEqualTo(500);
        assertThat(root.level()).isGreaterThan(1);
        assertThat(editor.apply(root, deletes)).isNull();
    }

    @Test
    void aSmallChangeRewritesOnePathAndReadsOnePath() {
        MemoryTree store = new MemoryTree();
        TreeEditor editor = new TreeEditor(store, SHAPE);
        NavigableMap<byte[], Object> puts = new TreeMap<>(Keys.ORDER);
        for (int i = 0; i < 20_000; i++) {
            puts.put(key(i), new byte[]{(byte) i});
        }
        Node root = store.persist(editor.apply(null, puts));
        int height = root.level() + 1;
        store.resetCounters();
        NavigableMap<byte[], Object> one = new TreeMap<>(Keys.ORDER);
        one.put(key(12_345), new byte[]{42});
        root = store.persist(editor.apply(root, one));
        // One node per level below the root, give or take a neighbour when a cut moves.
        assertThat(store.writes()).isBetween(height - 1L, 2L * height);
        assertThat(store.loads()).isBetween(height - 1L, 2L * height);
        store.resetCounters();
        assertThat((byte[]) TreeCursor.get(root, store, key(12_345))).containsExactly(42);
        assertThat(store.loads()).isEqualTo(height - 1);
    }

    @Test
    void diffReportsExactlyTheChangedKeysAndSkipsSharedSubtrees() {
        MemoryTree store = new MemoryTree();
        TreeEditor editor = new TreeEditor(store, SHAPE);
        NavigableMap<byte[], Object> puts = new TreeMap<>(Keys.ORDER);
        for (int i = 0; i < 20_000; i++) {
            puts.put(key(i), new byte[]{(byte) i});
        }
        Node before = store.persist(editor.apply(null, puts));
        NavigableMap<byte[], Object> edits = new TreeMap<>(Keys.ORDER);
        edits.put(key(5), TreeEditor.DELETE);
        edits.put(key(19_000), new byte[]{1, 2});
        edits.put(key(30_000), new byte[]{3});
        Node after = store.persist(editor.apply(before, edits));
        store.resetCounters();
        List<String> changes = new ArrayList<>();
        TreeDiff.diff(before, store, after, store, (x, y) -> Arrays.equals((byte[]) x, (byte[]) y), c -> {
            changes.add(new String(c.key(), StandardCharsets.UTF_8) + ":" + (c.before() == null ? "+" : c.after() == null ? "-" : "~"));
            return true;
        });
        assertThat(changes).containsExactly("k000005:-", "k019000:~", "k030000:+");
        assertThat(store.loads()).isLessThan(60); // of ~2,900 nodes
    }

    private static void assertMatches(Node root, NodeSource source, NavigableMap<byte[], byte[]> model) {
        assertThat(root == null ? 0 : root.count()).isEqualTo(model.size());
        List<byte[]> keys = new ArrayList<>();
        TreeCursor cursor = new TreeCursor(root, source);
        for (; !cursor.atEnd(); cursor.next()) {
            keys.add(cursor.key());
            assertThat((byte[]) cursor.value()).isEqualTo(model.get(cursor.key()));
        }
        assertThat(keys).containsExactlyElementsOf(new ArrayList<>(model.keySet()));
        for (byte[] k : List.of(key(0), key(777), key(1999), key(5000))) {
            assertThat((byte[]) TreeCursor.get(root, source, k)).isEqualTo(model.get(k));
            cursor.seek(k);
            Map.Entry<byte[], byte[]> ceiling = model.ceilingEntry(k);
            if (ceiling == null) {
                assertThat(cursor.atEnd()).isTrue();
            } else {
                assertThat(cursor.key()).isEqualTo(ceiling.getKey());
            }
        }
    }

    /** Every node's level and keys, in order: what the tree looks like, without hashes or locations. */
    private static List<String> shape(Node root, NodeSource source) {
        List<String> out = new ArrayList<>();
        if (root != null) {
            walk(root, source, out);
        }
        return out;
    }

    private static void walk(Node node, NodeSource source, List<String> out) {
        StringBuilder line = new StringBuilder().append(node.level()).append(':');
        for (int i = 0; i < node.size(); i++) {
            line.append(new String(node.key(i), StandardCharsets.UTF_8)).append(',');
        }
        out.add(line.toString());
        if (!node.isLeaf()) {
            for (int i = 0; i < node.size(); i++) {
                walk(source.load(node.child(i), node.key(i), node.level()), source, out);
            }
        }
    }
}
