package io.tusk.spaces;

import java.util.List;

/**
 * A proof that a version of a space holds an entry under {@code key} (or none): the version's manifest bytes and the
 * stored bytes of the tree nodes on the key's path below the root (the root is in the manifest). Anyone who knows
 * the head (from the control plane, not from whoever serves the proof) checks it with {@link EntryProofs#check}: the
 * manifest's blob ID is re-derived from its bytes, and each node must hash to what its parent holds. For an
 * encrypted space the checker needs the owner key to read the nodes.
 */
public record EntryProof(String owner, String name, long version, String manifestBlobId, byte[] manifest,
                         List<byte[]> path, String key) {
    public EntryProof {
        path = List.copyOf(path);
    }
}
