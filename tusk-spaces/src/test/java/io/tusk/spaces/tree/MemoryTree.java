package io.tusk.spaces.tree;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.hash.Blake2b256;
import io.tusk.core.metadata.BlobId;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Trees of byte[] values kept in memory: fresh nodes are "stored" into a map by a fake location, with their real
 * hashes, so the tree code runs exactly as against packs (hash checks, locations, lazy loads), minus the network.
 */
final class MemoryTree implements NodeSource {
    static final BlobId PACK = BlobId.of(new byte[32]);

    static final ValueCodec BYTES = new ValueCodec() {
        @Override
        public void write(BcsWriter out, Object value, PackResolver resolver) {
            out.bytes((byte[]) value);
        }

        @Override
        public Object read(BcsReader in, BlobId contextPack) {
            return in.bytes(1 << 20);
        }
    };

    final NodeCodec codec = new NodeCodec(BYTES);
    final Map<Integer, byte[]> stored = new HashMap<>();
    final AtomicInteger loads = new AtomicInteger();
    final AtomicInteger writes = new AtomicInteger();

    @Override
    public Node load(ChildRef.Stored ref) {
        loads.incrementAndGet();
        byte[] bytes = stored.get(ref.location().offset());
        if (bytes == null || !Arrays.equals(Blake2b256.hash(bytes), ref.hash())) {
            throw new io.tusk.spaces.VerificationException("no node with that hash at " + ref.location());
        }
        return codec.decode(bytes, ref.location().pack());
    }

    /** Stores every fresh node under {@code root} (children first) and returns the root with stored references. */
    Node persist(Node root) {
        if (root == null) {
            return null;
        }
        Map<Node, ChildRef.Stored> done = new IdentityHashMap<>();
        List<Node> order = new ArrayList<>();
        collectFresh(root, order);
        PackResolver resolver = new PackResolver() {
            @Override
            public Location location(Node fresh) {
                return done.get(fresh).location();
            }

            @Override
            public byte[] hash(Node fresh) {
                return done.get(fresh).hash();
            }

            @Override
            public Location location(Object pendingData) {
                throw new IllegalStateException();
            }
        };
        for (Node node : order) {
            if (node == root) {
                continue;
            }
            byte[] bytes = codec.encode(node, resolver);
            int slot = stored.size() + 1;
            stored.put(slot, bytes);
            writes.incrementAndGet();
            done.put(node, new ChildRef.Stored(Blake2b256.hash(bytes), new Location(PACK, 0, 1, slot, bytes.length), node.count()));
        }
        return codec.decode(codec.encode(root, resolver), PACK);
    }

    static void collectFresh(Node node, List<Node> out) {
        if (!node.isLeaf()) {
            for (int i = 0; i < node.size(); i++) {
                if (node.child(i) instanceof ChildRef.Fresh fresh) {
                    collectFresh(fresh.node(), out);
                }
            }
        }
        out.add(node);
    }
}
