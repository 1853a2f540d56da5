package io.tusk.spaces.tree;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.metadata.BlobId;
import io.tusk.spaces.VerificationException;

import java.util.ArrayList;
import java.util.List;

/**
 * The BCS of a node (docs/spaces.md):
 * <pre>
 * struct Node { level: u8, items: vector&lt;Item&gt; }
 * struct Item { key: vector&lt;u8&gt;,   // UTF-8; strictly increasing
 *               value: V }          // a leaf: the tree's value; an internal node: ChildRef
 * </pre>
 */
public final class NodeCodec {
    /** Most levels a tree may have (2^(5*12) entries at the default fanout is far beyond any space). */
    public static final int MAX_LEVEL = 32;
    /** Most items a node may hold when read; key boundaries make a node of more than a few hundred items unlikely. */
    public static final int MAX_ITEMS = 1 << 20;

    private final ValueCodec values;

    public NodeCodec(ValueCodec values) {
        this.values = values;
    }

    public byte[] encode(Node node, PackResolver resolver) {
        BcsWriter out = new BcsWriter(64 + node.size() * 96);
        out.u8(node.level()).uleb128(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.bytes(node.key(i));
            if (node.isLeaf()) {
                values.write(out, node.value(i), resolver);
            } else {
                ChildRef.write(out, node.child(i), resolver);
            }
        }
        return out.toByteArray();
    }

    /**
     * Parses a node stored in {@code pack}.
     *
     * @throws VerificationException if the bytes are not a well-formed node (bad BCS, keys out of order or not UTF-8)
     */
    public Node decode(byte[] bytes, BlobId pack) {
        try {
            BcsReader in = new BcsReader(bytes);
            int level = in.u8();
            if (level > MAX_LEVEL) {
                throw new VerificationException("node level " + level + " exceeds " + MAX_LEVEL);
            }
            int size = in.length(MAX_ITEMS, "node items");
            if (size == 0) {
                throw new VerificationException("a stored node has no items");
            }
            List<byte[]> keys = new ArrayList<>(size);
            List<Object> items = new ArrayList<>(size);
            byte[] previous = null;
            for (int i = 0; i < size; i++) {
                byte[] key = in.bytes(Keys.MAX_KEY_BYTES);
                if (key.length == 0 || (previous != null && Keys.ORDER.compare(previous, key) >= 0)) {
                    throw new VerificationException("node keys are not strictly increasing at item " + i);
                }
                Keys.decode(key); // must be valid UTF-8
                keys.add(key);
                items.add(level == 0 ? values.read(in, pack) : ChildRef.read(in, pack));
                previous = key;
            }
            in.expectEnd();
            return new Node(level, keys, items);
        } catch (IllegalArgumentException | io.tusk.spaces.InvalidKeyException e) {
            throw new VerificationException("malformed tree node: " + e.getMessage(), e);
        }
    }
}
