package io.tusk.spaces.tree;

import java.util.List;

/**
 * A tree node: its level (0 for a leaf) and its items in key order. A leaf's items are the entries (key and value);
 * an internal node's items are its children, each under the last key of its subtree. Immutable.
 */
public final class Node {
    private final int level;
    private final byte[][] keys;
    private final Object[] values;
    private final long count;

    /** @param values leaf: values of the tree's {@link ValueCodec}; internal: {@link ChildRef}s */
    public Node(int level, List<byte[]> keys, List<?> values) {
        if (keys.isEmpty() || keys.size() != values.size()) {
            throw new IllegalArgumentException("a node needs as many values as keys, at least one; got " + keys.size()
                    + " keys and " + values.size() + " values");
        }
        this.level = level;
        this.keys = keys.toArray(new byte[0][]);
        this.values = values.toArray();
        long total = 0;
        if (level == 0) {
            total = this.keys.length;
        } else {
            for (Object value : this.values) {
                total += ((ChildRef) value).count();
            }
        }
        this.count = total;
    }

    public int level() {
        return level;
    }

    public boolean isLeaf() {
        return level == 0;
    }

    public int size() {
        return keys.length;
    }

    public byte[] key(int i) {
        return keys[i];
    }

    public Object value(int i) {
        return values[i];
    }

    public ChildRef child(int i) {
        return (ChildRef) values[i];
    }

    public byte[] lastKey() {
        return keys[keys.length - 1];
    }

    /** Entries in this node's subtree. */
    public long count() {
        return count;
    }

    /** The index of {@code key}, or {@code -(insertion point) - 1} as {@link java.util.Arrays#binarySearch}. */
    public int search(byte[] key) {
        int low = 0;
        int high = keys.length - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int c = Keys.ORDER.compare(keys[mid], key);
            if (c < 0) {
                low = mid + 1;
            } else if (c > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -(low + 1);
    }

    /** The index of the first item whose key is at least {@code key}, or {@link #size()} if none. */
    public int ceiling(byte[] key) {
        int i = search(key);
        return i >= 0 ? i : -i - 1;
    }
}
