package io.tusk.spaces.manifest;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.metadata.BlobId;
import io.tusk.spaces.tree.PackResolver;
import io.tusk.spaces.tree.ValueCodec;

import java.nio.charset.StandardCharsets;

/**
 * Leaf values of an encrypted space's key index: commit version (as a 20-digit key, so key order is version order)
 * to the blob holding that commit's data keys. Forgetting an entry replaces its commit's key blob, so the index is
 * read at the head by every version.
 */
public final class KeyIndexCodec implements ValueCodec {
    public static final KeyIndexCodec INSTANCE = new KeyIndexCodec();

    private KeyIndexCodec() {
    }

    /** The index key of commit {@code version}. */
    public static byte[] key(long version) {
        return String.format("%020d", version).getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public void write(BcsWriter out, Object value, PackResolver resolver) {
        out.fixedBytes(((BlobId) value).bytes());
    }

    @Override
    public Object read(BcsReader in, BlobId contextPack) {
        return BlobId.of(in.fixedBytes(BlobId.LENGTH));
    }
}
