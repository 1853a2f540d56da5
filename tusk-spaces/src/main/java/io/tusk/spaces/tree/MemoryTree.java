package io.tusk.spaces.tree;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.hash.Blake2b256;
import io.tusk.core.metadata.BlobId;
import io.tusk.spaces.VerificationException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Trees kept in memory, for tests and benchmarks of the tree code: fresh nodes are "stored" into a map under a fake
 * location, with their real encoding and hashes, so the tree code runs exactly as against packs (hash checks,
 * locations, lazy loads), minus the network. Counts the nodes loaded and written, which is what a space pays on the
 * network (one patch read or write each). Thread-safe.
 */
public final class MemoryTree implements NodeSource {
    /** The pack every stored node claims to be in. */
    public static final BlobId PACK = BlobId.of(new byte[32]);

    /** Values that are plain byte arrays. */
    public static final ValueCodec BYTES = new ValueCodec() {
        @Override
        public void write(BcsWriter out, Object value, PackResolver resolver) {
            out.bytes((byte[]) value);
        }

        @Override
        public Object read(BcsReader in, BlobId contextPack) {
            return in.bytes(1 << 20);
        }
    };

    private final NodeCodec codec;
    private final Map<Integer, byte[]> stored = new ConcurrentHashMap<>();
    private final AtomicLong loads = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();
    private final AtomicLong bytesWritten = new AtomicLong();

    /** A tree of byte-array values. */
    public MemoryTree() {
        this(BYTES);
    }

    public MemoryTree(ValueCodec values) {
        this.codec = new NodeCodec(values);
    }

    public NodeCodec codec() {
        return codec;
    }

    /** Nodes loaded since the counters were last reset. */
    public long loads() {
        return loads.get();
    }

    /** Nodes written since the counters were last reset. */
    public long writes() {
        return writes.get();
    }

    /** Bytes of the nodes written since the counters were last reset. */
    public long bytesWritten() {
        return bytesWritten.get();
    }

    public void resetCounters() {
        loads.set(0);
        writes.set(0);
        bytesWritten.set(0);
    }

    @Override
    public Node load(ChildRef.Stored ref) {
        loads.incrementAndGet();
        byte[] bytes = stored.get(ref.location().offset());
        if (bytes == null || !Arrays.equals(Blake2b256.hash(bytes), ref.hash())) {
            throw new VerificationException("no node with that hash at " + ref.location());
        }
        return codec.decode(bytes, ref.location().pack());
    }

    /** Stores every fresh node under {@code root} (children first) and returns the root with stored references. */
    public synchronized Node persist(Node root) {
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
                throw new IllegalStateException("a tree in memory has no pending data");
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
            bytesWritten.addAndGet(bytes.length);
            done.put(node, new ChildRef.Stored(Blake2b256.hash(bytes), new Location(PACK, 0, 1, slot, bytes.length), node.count()));
        }
        return codec.decode(codec.encode(root, resolver), PACK);
    }

    private static void collectFresh(Node node, List<Node> out) {
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
