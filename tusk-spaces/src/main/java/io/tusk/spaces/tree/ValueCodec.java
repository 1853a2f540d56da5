package io.tusk.spaces.tree;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.metadata.BlobId;

/**
 * How a tree's leaf values are written and read. Values may hold locations: those in the pack being written are
 * resolved by the {@link PackResolver}, and a location read from a node stored in pack P that leaves its pack out is in P.
 */
public interface ValueCodec {
    void write(BcsWriter out, Object value, PackResolver resolver);

    Object read(BcsReader in, BlobId contextPack);
}
