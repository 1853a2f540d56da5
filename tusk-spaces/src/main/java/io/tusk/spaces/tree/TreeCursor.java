package io.tusk.spaces.tree;

import java.util.ArrayList;
import java.util.List;

/**
 * A position in a tree, moving forward. The cursor descends lazily: at a level above 0 it points at a child
 * reference that is not loaded yet, so a walker can compare or skip whole subtrees ({@link TreeDiff}) before paying
 * for their nodes. {@link #next()} and {@link #seek} always end at a leaf entry (or at the end).
 *
 * <p>Not thread-safe. Loads through a {@link NodeSource}, which authenticates every node against its parent.
 */
public final class TreeCursor {
    private final NodeSource source;
    private final Node root;
    /** The path from the root; the last frame is the current level. Empty when at the end. */
    private final List<Frame> path = new ArrayList<>();

    private static final class Frame {
        final Node node;
        int index;

        Frame(Node node, int index) {
            this.node = node;
            this.index = index;
        }
    }

    /** A cursor on {@code root} (null for an empty tree), at the first entry. */
    public TreeCursor(Node root, NodeSource source) {
        this(root, source, true);
    }

    private TreeCursor(Node root, NodeSource source, boolean toLeaf) {
        this.root = root;
        this.source = source;
        if (root != null) {
            path.add(new Frame(root, 0));
            if (toLeaf) {
                toLeaf();
            }
        }
    }

    /** A cursor at the root's first item, not descended into it: for walkers that may skip whole subtrees. */
    public static TreeCursor unDescended(Node root, NodeSource source) {
        return new TreeCursor(root, source, false);
    }

    public boolean atEnd() {
        return path.isEmpty();
    }

    /** The level of the current position: 0 at an entry, above 0 at a child reference not yet descended into. */
    public int level() {
        return top().node.level();
    }

    /** At a level above 0: the child reference the cursor points at. */
    public ChildRef child() {
        Frame top = top();
        return top.node.child(top.index);
    }

    /** The key at the current position (an entry's key, or the last key of the child pointed at). */
    public byte[] key() {
        Frame top = top();
        return top.node.key(top.index);
    }

    /** At level 0: the entry's value. */
    public Object value() {
        Frame top = top();
        if (!top.node.isLeaf()) {
            throw new IllegalStateException("the cursor is at a child reference, not an entry");
        }
        return top.node.value(top.index);
    }

    /** At a level above 0: loads the child pointed at and moves to its first item. */
    public void descend() {
        Frame top = top();
        Node child = source.load(top.node.child(top.index), top.node.key(top.index), top.node.level());
        path.add(new Frame(child, 0));
    }

    /** Descends until the cursor is at an entry. */
    public void toLeaf() {
        while (!atEnd() && level() > 0) {
            descend();
        }
    }

    /** Moves past the current item (an entry, or a whole subtree at a level above 0), staying at that level or above. */
    public void advance() {
        while (!path.isEmpty()) {
            Frame top = path.getLast();
            top.index++;
            if (top.index < top.node.size()) {
                return;
            }
            path.removeLast();
        }
    }

    /** Moves to the next entry. @return false at the end */
    public boolean next() {
        advance();
        toLeaf();
        return !atEnd();
    }

    /** Moves to the first entry whose key is at least {@code key} (or to the end). */
    public void seek(byte[] key) {
        path.clear();
        if (root == null) {
            return;
        }
        Node node = root;
        while (true) {
            int i = node.ceiling(key);
            if (i == node.size()) {
                path.clear(); // every key in the tree is smaller
                return;
            }
            path.add(new Frame(node, i));
            if (node.isLeaf()) {
                return;
            }
            node = source.load(node.child(i), node.key(i), node.level());
        }
    }

    private Frame top() {
        if (path.isEmpty()) {
            throw new IllegalStateException("the cursor is at the end");
        }
        return path.getLast();
    }

    /** The last entry whose key is less than {@code key}, as {key, value}, or null if there is none. */
    public static Object[] lastBefore(Node root, NodeSource source, byte[] key) {
        return root == null ? null : lastBefore(root, source, key, false);
    }

    private static Object[] lastBefore(Node node, NodeSource source, byte[] key, boolean any) {
        if (node.isLeaf()) {
            int i = any ? node.size() - 1 : node.ceiling(key) - 1;
            return i < 0 ? null : new Object[]{node.key(i), node.value(i)};
        }
        int i = any ? node.size() - 1 : Math.min(node.ceiling(key), node.size() - 1);
        Object[] found = lastBefore(source.load(node.child(i), node.key(i), node.level()), source, key, any);
        if (found == null && i > 0) {
            // Every key of child i is at least key: the answer is the last key of the child before it.
            found = lastBefore(source.load(node.child(i - 1), node.key(i - 1), node.level()), source, key, true);
        }
        return found;
    }

    /** The value stored under {@code key}, or null: one node per level is read. */
    public static Object get(Node root, NodeSource source, byte[] key) {
        Node node = root;
        while (node != null) {
            int i = node.search(key);
            if (node.isLeaf()) {
                return i >= 0 ? node.value(i) : null;
            }
            int c = i >= 0 ? i : -i - 1;
            if (c == node.size()) {
                return null;
            }
            node = source.load(node.child(c), node.key(c), node.level());
        }
        return null;
    }
}
