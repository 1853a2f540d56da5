package io.tusk.spaces.tree;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.hash.Blake2b256;
import io.tusk.core.metadata.BlobId;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * An internal node's reference to a child: a stored node (hash of its stored bytes, where they are, how many entries
 * its subtree holds) or a node built by the commit in progress. In BCS:
 * <pre>
 * struct ChildRef { hash: [u8; 32], location: Location, count: u64 }
 * </pre>
 */
public sealed interface ChildRef {
    /** Entries in the subtree. */
    long count();

    /** A child that is stored: its bytes hash to {@code hash}. */
    record Stored(byte[] hash, Location location, long count) implements ChildRef {
        public Stored {
            if (hash.length != Blake2b256.DIGEST_LENGTH) {
                throw new IllegalArgumentException("node hash must be 32 bytes, got " + hash.length);
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Stored s && Arrays.equals(hash, s.hash) && location.equals(s.location) && count == s.count;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(hash);
        }

        @Override
        public String toString() {
            return "Stored[" + HexFormat.of().formatHex(hash, 0, 8) + ".., " + count + " entries]";
        }
    }

    /** A child built by the commit in progress; stored (and given a hash and location) when the commit is packed. */
    record Fresh(Node node) implements ChildRef {
        @Override
        public long count() {
            return node.count();
        }
    }

    static void write(BcsWriter out, ChildRef ref, PackResolver resolver) {
        switch (ref) {
            case Stored s -> {
                out.fixedBytes(s.hash());
                s.location().write(out);
                out.u64(s.count());
            }
            case Fresh f -> {
                out.fixedBytes(resolver.hash(f.node()));
                resolver.location(f.node()).write(out);
                out.u64(f.count());
            }
        }
    }

    static Stored read(BcsReader in, BlobId contextPack) {
        byte[] hash = in.fixedBytes(Blake2b256.DIGEST_LENGTH);
        Location location = Location.read(in, contextPack);
        long count = in.u64();
        if (count < 1) {
            throw new IllegalArgumentException("a child node holds " + count + " entries; nodes are never empty");
        }
        return new Stored(hash, location, count);
    }
}
