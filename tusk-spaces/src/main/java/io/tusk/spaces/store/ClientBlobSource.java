package io.tusk.spaces.store;

import io.tusk.client.TuskClient;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.quilt.QuiltPatchId;

import java.io.IOException;
import java.io.OutputStream;

/** Reads through the SDK: from the storage nodes, every sliver verified against the blob's metadata and ID. */
public final class ClientBlobSource implements BlobSource {
    private final TuskClient client;

    public ClientBlobSource(TuskClient client) {
        this.client = client;
    }

    @Override
    public byte[] blob(BlobId blobId) {
        return client.read(blobId);
    }

    @Override
    public byte[] patch(QuiltPatchId patchId) {
        return client.readPatch(patchId).data();
    }

    @Override
    public void stream(BlobId blobId, OutputStream out) throws IOException {
        client.readStream(blobId, out);
    }

    @Override
    public void range(BlobId blobId, long start, long length, OutputStream out) throws IOException {
        client.readRange(blobId, start, length, out);
    }

    @Override
    public boolean verifies() {
        return true;
    }
}
