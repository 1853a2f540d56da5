package io.tusk.spaces.store;

import io.tusk.core.hash.Blake2b256;
import io.tusk.core.quilt.EncodedQuilt;
import io.tusk.core.quilt.QuiltEncoder;
import io.tusk.core.quilt.QuiltPatch;
import io.tusk.core.quilt.QuiltPatchInfo;
import io.tusk.spaces.crypto.Sealer;
import io.tusk.spaces.manifest.DataRef;
import io.tusk.spaces.tree.ChildRef;
import io.tusk.spaces.tree.Location;
import io.tusk.spaces.tree.Node;
import io.tusk.spaces.tree.NodeCodec;
import io.tusk.spaces.tree.PackResolver;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Packs what one commit writes into one Walrus quilt: the small entries' stored bytes and the new tree nodes (all but
 * the roots, which go into the manifest). Items are grouped into at most {@code maxPatches} patches (data and nodes in
 * separate patches, each group a run in key order), so a read fetches the columns of one patch, not the whole quilt.
 *
 * <p>A node names its children's locations, and locations depend on the layout; but every location a commit writes
 * into its own pack has a fixed wire size, so the layout is computed first from the sizes (a quilt of placeholder
 * bytes), then the nodes are written children first, each with its children's real locations and hashes, and the
 * final quilt has exactly the same layout (checked).
 */
public final class PackBuilder {
    /**
     * Patches smaller than this are not worth splitting further: a read fetches whole columns anyway. And every patch
     * starts a fresh column, so a patch wastes up to a column of padding: a pack is cut into at most an eighth as many
     * patches as the quilt has columns, which keeps that waste near 1/16 of the pack (measured: 1,000 entries of
     * 1 KiB in 62 one-column patches cost 10 storage units at 100 shards, in 8 patches 7).
     */
    static final int MIN_PATCH_BYTES = 64 * 1024;

    private final QuiltEncoder encoder;
    private final Sealer sealer;
    private final List<DataRef.Pending> data = new ArrayList<>();
    private final List<Tree> trees = new ArrayList<>();

    private record Tree(Node root, NodeCodec codec) {
    }

    /** What a commit's pack holds, and the stored roots for the manifest. */
    public record Pack(byte[] quilt, List<byte[]> storedRoots, int patches, int nodes, long nodeBytes, long dataBytes) {
    }

    /**
     * Every pack starts with this header (in its first patch): magic {@code "TUSKPACK"} and 24 random bytes. So no two
     * commits, not even two racing writers that put the same bytes, ever store the same pack blob: each commit's pack
     * is its own, and deleting one (retention, a lost race) can never take another commit's data with it.
     */
    public static final int HEADER_BYTES = 32;
    private static final byte[] MAGIC = "TUSKPACK".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    public PackBuilder(QuiltEncoder encoder, Sealer sealer) {
        this.encoder = encoder;
        this.sealer = sealer;
    }

    private static byte[] header() {
        byte[] header = new byte[HEADER_BYTES];
        System.arraycopy(MAGIC, 0, header, 0, MAGIC.length);
        byte[] salt = new byte[HEADER_BYTES - MAGIC.length];
        RANDOM.nextBytes(salt);
        System.arraycopy(salt, 0, header, MAGIC.length, salt.length);
        return header;
    }

    public void addData(DataRef.Pending pending) {
        data.add(pending);
    }

    /** A tree whose fresh nodes go into the pack; its root (null for empty) is returned stored, in the same order. */
    public void addTree(Node root, NodeCodec codec) {
        trees.add(new Tree(root, codec));
    }

    public Pack build() {
        // Every fresh node below a root, children before parents, with the codec of its tree.
        List<Node> fresh = new ArrayList<>();
        Map<Node, NodeCodec> codecOf = new IdentityHashMap<>();
        for (Tree tree : trees) {
            if (tree.root() != null && !tree.root().isLeaf()) {
                for (int i = 0; i < tree.root().size(); i++) {
                    if (tree.root().child(i) instanceof ChildRef.Fresh f) {
                        collect(f.node(), tree.codec(), fresh, codecOf);
                    }
                }
            }
        }
        Map<Object, Location> locations = new IdentityHashMap<>();
        Map<Node, byte[]> hashes = new IdentityHashMap<>();
        PackResolver resolver = new PackResolver() {
            @Override
            public Location location(Node node) {
                return required(locations.get(node), "node");
            }

            @Override
            public byte[] hash(Node node) {
                return required(hashes.get(node), "node hash");
            }

            @Override
            public Location location(Object pendingData) {
                return required(locations.get(pendingData), "pending data");
            }
        };

        byte[] quilt = null;
        int patchCount = 0;
        long nodeBytes = 0;
        long dataBytes = 0;
        if (!fresh.isEmpty() || !data.isEmpty()) {
            int[] nodeSizes = new int[fresh.size()];
            for (int i = 0; i < fresh.size(); i++) {
                Node node = fresh.get(i);
                nodeSizes[i] = sealer.sealedLength(codecOf.get(node).encode(node, PackResolver.SIZING).length);
                nodeBytes += nodeSizes[i];
            }
            int[] dataSizes = new int[data.size()];
            for (int i = 0; i < data.size(); i++) {
                dataSizes[i] = data.get(i).bytes().length;
                dataBytes += dataSizes[i];
            }
            int maxPatches = Math.max(2, encoder.maxPatches() / 8);
            long target = Math.max(MIN_PATCH_BYTES, (nodeBytes + dataBytes) / maxPatches);
            int dataGroups = data.isEmpty() ? 0 : (int) Math.max(1, Math.min(data.size(), ceil(dataBytes, target)));
            int nodeGroups = fresh.isEmpty() ? 0 : (int) Math.max(1, Math.min(fresh.size(), ceil(nodeBytes, target)));
            while (dataGroups + nodeGroups > maxPatches) {
                if (dataGroups >= nodeGroups && dataGroups > 1) {
                    dataGroups--;
                } else {
                    nodeGroups--;
                }
            }
            int[] dataGroupOf = split(dataSizes, dataGroups);
            int[] nodeGroupOf = split(nodeSizes, nodeGroups);

            // Pass 1: the layout from sizes. The first patch starts with the pack's header.
            long[] groupBytes = new long[dataGroups + nodeGroups];
            groupBytes[0] = HEADER_BYTES;
            int[] dataOffset = new int[data.size()];
            for (int i = 0; i < data.size(); i++) {
                dataOffset[i] = (int) groupBytes[dataGroupOf[i]];
                groupBytes[dataGroupOf[i]] += dataSizes[i];
            }
            int[] nodeOffset = new int[fresh.size()];
            for (int i = 0; i < fresh.size(); i++) {
                int g = dataGroups + nodeGroupOf[i];
                nodeOffset[i] = (int) groupBytes[g];
                groupBytes[g] += nodeSizes[i];
            }
            byte[][] groups = new byte[groupBytes.length][];
            for (int g = 0; g < groups.length; g++) {
                if (groupBytes[g] > Integer.MAX_VALUE - 64) {
                    throw new IllegalStateException("a pack patch of " + groupBytes[g] + " bytes is too large");
                }
                groups[g] = new byte[(int) groupBytes[g]];
            }
            System.arraycopy(header(), 0, groups[0], 0, HEADER_BYTES);
            for (int i = 0; i < data.size(); i++) {
                System.arraycopy(data.get(i).bytes(), 0, groups[dataGroupOf[i]], dataOffset[i], dataSizes[i]);
            }
            Map<String, int[]> columns = columns(encoder.encode(patches(groups, dataGroups)));
            patchCount = groups.length;

            // Pass 2: locations, then nodes children first with their children's locations and hashes.
            for (int i = 0; i < data.size(); i++) {
                int[] c = columns.get(identifier(dataGroupOf[i], dataGroups, true));
                locations.put(data.get(i), Location.inNewPack(c[0], c[1], dataOffset[i], dataSizes[i]));
            }
            for (int i = 0; i < fresh.size(); i++) {
                int[] c = columns.get(identifier(nodeGroupOf[i], dataGroups, false));
                locations.put(fresh.get(i), Location.inNewPack(c[0], c[1], nodeOffset[i], nodeSizes[i]));
            }
            for (int i = 0; i < fresh.size(); i++) {
                Node node = fresh.get(i);
                byte[] stored = sealer.seal("node", codecOf.get(node).encode(node, resolver));
                if (stored.length != nodeSizes[i]) {
                    throw new IllegalStateException("node size changed between layout and write: " + nodeSizes[i]
                            + " -> " + stored.length);
                }
                hashes.put(node, Blake2b256.hash(stored));
                System.arraycopy(stored, 0, groups[dataGroups + nodeGroupOf[i]], nodeOffset[i], stored.length);
            }
            EncodedQuilt encoded = encoder.encode(patches(groups, dataGroups));
            if (!sameLayout(columns(encoded), columns)) {
                throw new IllegalStateException("the pack's layout changed between the two passes");
            }
            quilt = encoded.blob();
        }
        List<byte[]> roots = new ArrayList<>();
        for (Tree tree : trees) {
            roots.add(tree.root() == null ? null : sealer.seal("node", tree.codec().encode(tree.root(), resolver)));
        }
        return new Pack(quilt, roots, patchCount, fresh.size(), nodeBytes, dataBytes);
    }

    private static void collect(Node node, NodeCodec codec, List<Node> out, Map<Node, NodeCodec> codecOf) {
        if (codecOf.containsKey(node)) {
            return;
        }
        if (!node.isLeaf()) {
            for (int i = 0; i < node.size(); i++) {
                if (node.child(i) instanceof ChildRef.Fresh f) {
                    collect(f.node(), codec, out, codecOf);
                }
            }
        }
        codecOf.put(node, codec);
        out.add(node);
    }

    /** Cuts a sequence of sizes into {@code groups} runs of about equal bytes: the group of each item. */
    static int[] split(int[] sizes, int groups) {
        int[] groupOf = new int[sizes.length];
        if (groups == 0) {
            return groupOf;
        }
        long total = 0;
        for (int size : sizes) {
            total += size;
        }
        long done = 0;
        for (int i = 0; i < sizes.length; i++) {
            // Item i goes to the group its first byte falls in, leaving at least one item for each later group.
            int g = (int) Math.min(groups - 1, total == 0 ? (long) i * groups / sizes.length : done * groups / total);
            g = Math.max(g, i == 0 ? 0 : groupOf[i - 1]);
            g = Math.max(g, groups - (sizes.length - i));
            groupOf[i] = g;
            done += sizes[i];
        }
        return groupOf;
    }

    private static List<QuiltPatch> patches(byte[][] groups, int dataGroups) {
        List<QuiltPatch> out = new ArrayList<>(groups.length);
        for (int g = 0; g < groups.length; g++) {
            out.add(QuiltPatch.of(identifier(g < dataGroups ? g : g - dataGroups, dataGroups, g < dataGroups), groups[g]));
        }
        return out;
    }

    /** Patch identifiers: d00000.. for data, n00000.. for nodes (the quilt sorts them; the layout does not care). */
    private static String identifier(int group, int dataGroups, boolean isData) {
        return String.format(isData ? "d%05d" : "n%05d", group);
    }

    private static Map<String, int[]> columns(EncodedQuilt quilt) {
        Map<String, int[]> out = new HashMap<>();
        for (QuiltPatchInfo info : quilt.index().patches()) {
            out.put(info.identifier(), new int[]{info.startIndex(), info.endIndex()});
        }
        return out;
    }

    private static boolean sameLayout(Map<String, int[]> a, Map<String, int[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (String k : a.keySet()) {
            if (!java.util.Arrays.equals(a.get(k), b.get(k))) {
                return false;
            }
        }
        return true;
    }

    private static long ceil(long a, long b) {
        return (a + b - 1) / b;
    }

    private static <T> T required(T value, String what) {
        if (value == null) {
            throw new IllegalStateException("no location for a " + what + " of this pack");
        }
        return value;
    }
}
