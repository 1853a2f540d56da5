package io.tusk.spaces.store;

import io.tusk.core.hash.Blake2b256;
import io.tusk.core.quilt.QuiltPatchId;
import io.tusk.spaces.VerificationException;
import io.tusk.spaces.crypto.Sealer;
import io.tusk.spaces.tree.ChildRef;
import io.tusk.spaces.tree.Location;
import io.tusk.spaces.tree.Node;
import io.tusk.spaces.tree.NodeCodec;
import io.tusk.spaces.tree.NodeSource;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Loads a space's stored tree nodes: the node's slice of its pack patch, checked against the hash its parent holds,
 * opened (encrypted spaces) and parsed. Decoded nodes are cached by hash (they never change) and patches by ID (the
 * nodes of one commit share them).
 */
public final class NodeLoader implements NodeSource {
    private final BlobSource source;
    private final NodeCodec codec;
    private final Sealer sealer;
    private final Lru<ByteBuffer, Node> nodes;
    private final Lru<QuiltPatchId, byte[]> patches;

    public NodeLoader(BlobSource source, NodeCodec codec, Sealer sealer, Lru<ByteBuffer, Node> nodes,
                      Lru<QuiltPatchId, byte[]> patches) {
        this.source = source;
        this.codec = codec;
        this.sealer = sealer;
        this.nodes = nodes;
        this.patches = patches;
    }

    @Override
    public Node load(ChildRef.Stored ref) {
        ByteBuffer key = ByteBuffer.wrap(ref.hash());
        Node cached = nodes.get(key);
        if (cached != null) {
            return cached;
        }
        byte[] stored = slice(ref.location());
        if (!Arrays.equals(Blake2b256.hash(stored), ref.hash())) {
            throw new VerificationException("the node at " + ref.location().patchId() + " [" + ref.location().offset()
                    + ", +" + ref.location().length() + ") does not hash to what its parent says");
        }
        Node node = codec.decode(sealer.open("node", stored), ref.location().pack());
        nodes.put(key, node);
        return node;
    }

    /** The stored bytes at a location (not checked: the caller checks them against what refers to them). */
    public byte[] slice(Location location) {
        byte[] patch = patches.computeIfAbsent(location.patchId(), source::patch);
        if ((long) location.offset() + location.length() > patch.length) {
            throw new VerificationException("location [" + location.offset() + ", +" + location.length()
                    + ") is outside patch " + location.patchId() + " of " + patch.length + " bytes");
        }
        return Arrays.copyOfRange(patch, location.offset(), location.offset() + location.length());
    }
}
