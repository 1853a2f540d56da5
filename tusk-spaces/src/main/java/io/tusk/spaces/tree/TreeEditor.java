package io.tusk.spaces.tree;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * Applies a batch of puts and deletes to a tree, copy-on-write: untouched nodes are shared with the old tree, and the
 * nodes that change are rebuilt as {@link ChildRef.Fresh} nodes for the commit to pack.
 *
 * <p>Level by level: a level is a sorted map (level 0: the entries; level L+1: each level-L node under its last key),
 * cut into nodes after keys of rank above L ({@link TreeShape}). The edits of a level go into the nodes that hold
 * their keys; those nodes are re-cut, and a node whose new items no longer end on a boundary takes in the next node
 * too, until the cut lines up with the old one again. The edits of the next level up are then "drop the old nodes'
 * keys, add the new nodes". A change of k keys thus reads and writes O(k log N) nodes. Because the cut depends only on
 * the keys, the result is the same tree a rebuild from scratch would give.
 */
public final class TreeEditor {
    /** The value of an edit that deletes its key. */
    public static final Object DELETE = new Object() {
        @Override
        public String toString() {
            return "DELETE";
        }
    };

    private final NodeSource source;
    private final TreeShape shape;

    /**
     * Each level's walk starts again from the root, so one edit would load its path once per level: the nodes loaded
     * during one {@link #apply} are remembered, which keeps that to once in all. (Sources usually cache as well; this
     * does not rely on it.)
     */
    private final java.util.Map<java.nio.ByteBuffer, Node> loaded = new java.util.HashMap<>();

    /** Not thread-safe: one {@link #apply} at a time. */
    public TreeEditor(NodeSource source, TreeShape shape) {
        NodeSource raw = source;
        this.source = ref -> loaded.computeIfAbsent(java.nio.ByteBuffer.wrap(ref.hash()), h -> raw.load(ref));
        this.shape = shape;
    }

    /**
     * The tree {@code root} with {@code edits} applied (key to new value, or {@link #DELETE}).
     *
     * @param root the old root, or null for an empty tree
     * @return the new root (null if the tree is now empty): a fresh node, or an old stored node when the change only
     * removed a level above it
     */
    public Node apply(Node root, NavigableMap<byte[], Object> edits) {
        if (edits.isEmpty()) {
            return root;
        }
        loaded.clear();
        int rootLevel = root == null ? -1 : root.level();
        NavigableMap<byte[], Object> levelEdits = edits;
        int level = 0;
        Node newRoot;
        while (true) {
            List<Node> created = new ArrayList<>();
            NavigableMap<byte[], Object> parentEdits = applyLevel(root, rootLevel, level, levelEdits, created);
            if (level >= rootLevel) {
                // The old tree has no other node at this level: the level is exactly what was created.
                if (created.isEmpty()) {
                    return null;
                }
                if (created.size() == 1) {
                    newRoot = created.getFirst();
                    break;
                }
                parentEdits.values().removeIf(v -> v == DELETE); // the old root's key is in no level above
            }
            levelEdits = parentEdits;
            level++;
        }
        // Deleting can leave a chain of single-child nodes on top; the tree of the remaining keys starts below them.
        while (!newRoot.isLeaf() && newRoot.size() == 1) {
            newRoot = source.load(newRoot.child(0), newRoot.key(0), newRoot.level());
        }
        return newRoot;
    }

    /**
     * Applies {@code edits} to level {@code level}, adding the new nodes to {@code created}.
     *
     * @return the edits for the level above
     */
    private NavigableMap<byte[], Object> applyLevel(Node root, int rootLevel, int level,
                                                    NavigableMap<byte[], Object> edits, List<Node> created) {
        NavigableMap<byte[], Object> parentEdits = new TreeMap<>(Keys.ORDER);
        Chunker chunker = new Chunker(level, created, parentEdits);
        List<Map.Entry<byte[], Object>> pending = new ArrayList<>(edits.entrySet());
        if (level > rootLevel) {
            // No old nodes at this level: its items are the puts.
            for (Map.Entry<byte[], Object> edit : pending) {
                if (edit.getValue() != DELETE) {
                    chunker.add(edit.getKey(), edit.getValue());
                }
            }
            chunker.finish();
            return parentEdits;
        }
        LevelCursor cursor = new LevelCursor(root, level);
        int e = 0;
        cursor.seek(pending.getFirst().getKey());
        while (true) {
            Node node = cursor.node;
            boolean last = cursor.isLast();
            byte[] high = node.lastKey();
            parentEdits.put(high, DELETE); // re-added below if a new node ends on the same key
            int i = 0;
            while (i < node.size() || (e < pending.size() && (last || Keys.ORDER.compare(pending.get(e).getKey(), high) <= 0))) {
                boolean takeEdit = e < pending.size() && (last || Keys.ORDER.compare(pending.get(e).getKey(), high) <= 0)
                        && (i == node.size() || Keys.ORDER.compare(pending.get(e).getKey(), node.key(i)) <= 0);
                if (takeEdit) {
                    Map.Entry<byte[], Object> edit = pending.get(e++);
                    if (i < node.size() && Keys.ORDER.compare(edit.getKey(), node.key(i)) == 0) {
                        i++; // the edit replaces or deletes this item
                    }
                    if (edit.getValue() != DELETE) {
                        chunker.add(edit.getKey(), edit.getValue());
                    }
                } else {
                    chunker.add(node.key(i), node.value(i));
                    i++;
                }
            }
            if (last) {
                chunker.finish();
                break;
            }
            if (chunker.hasCarry()) {
                cursor.next(); // the cut does not line up yet: the next node joins
                continue;
            }
            if (e == pending.size()) {
                break;
            }
            cursor.seek(pending.get(e).getKey());
        }
        return parentEdits;
    }

    /** Cuts a level's items into nodes after boundary keys. */
    private final class Chunker {
        private final int level;
        private final List<Node> created;
        private final NavigableMap<byte[], Object> parentEdits;
        private final List<byte[]> keys = new ArrayList<>();
        private final List<Object> values = new ArrayList<>();

        Chunker(int level, List<Node> created, NavigableMap<byte[], Object> parentEdits) {
            this.level = level;
            this.created = created;
            this.parentEdits = parentEdits;
        }

        void add(byte[] key, Object value) {
            keys.add(key);
            values.add(value);
            if (shape.endsNode(key, level)) {
                emit();
            }
        }

        boolean hasCarry() {
            return !keys.isEmpty();
        }

        /** The level ends here: what is left is its last node. */
        void finish() {
            if (!keys.isEmpty()) {
                emit();
            }
        }

        private void emit() {
            Node node = new Node(level, keys, values);
            created.add(node);
            parentEdits.put(node.lastKey(), new ChildRef.Fresh(node));
            keys.clear();
            values.clear();
        }
    }

    /** Walks the old tree's nodes at one level, left to right. */
    private final class LevelCursor {
        private final Node root;
        private final int level;
        private final List<Node> nodes = new ArrayList<>();
        private final List<Integer> indices = new ArrayList<>();
        Node node;

        LevelCursor(Node root, int level) {
            this.root = root;
            this.level = level;
        }

        /** Moves to the node at this level that holds {@code key} (the last node for a key beyond every key). */
        void seek(byte[] key) {
            nodes.clear();
            indices.clear();
            Node at = root;
            while (at.level() > level) {
                int i = Math.min(at.ceiling(key), at.size() - 1);
                nodes.add(at);
                indices.add(i);
                at = source.load(at.child(i), at.key(i), at.level());
            }
            node = at;
        }

        /** Whether this is the level's last node. */
        boolean isLast() {
            for (int d = 0; d < nodes.size(); d++) {
                if (indices.get(d) != nodes.get(d).size() - 1) {
                    return false;
                }
            }
            return true;
        }

        void next() {
            int d = nodes.size() - 1;
            while (indices.get(d) == nodes.get(d).size() - 1) {
                nodes.removeLast();
                indices.removeLast();
                d--;
            }
            indices.set(d, indices.get(d) + 1);
            Node at = nodes.get(d);
            int i = indices.get(d);
            at = source.load(at.child(i), at.key(i), at.level());
            while (at.level() > level) {
                nodes.add(at);
                indices.add(0);
                at = source.load(at.child(0), at.key(0), at.level());
            }
            node = at;
        }
    }
}
