package io.tusk.spaces.store;

import io.tusk.client.Manifest;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.quilt.QuiltPatchId;
import io.tusk.core.quilt.QuiltReader;
import io.tusk.spaces.VerificationException;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A source that trusts nothing it reads: every blob's ID is re-derived from its bytes (RS2 metadata, as the network
 * computes it) and compared with the ID asked for, and patches are cut from their whole, re-derived quilt. A chunked
 * file is checked chunk by chunk. What {@code verify} and proofs read goes through it.
 */
public final class VerifyingSource implements BlobSource {
    private final BlobSource source;
    private final BlobEncoder encoder;
    private final Lru<BlobId, byte[]> quilts = new Lru<>(64L << 20, b -> b.length);
    private final AtomicLong blobs = new AtomicLong();
    private final AtomicLong bytes = new AtomicLong();

    public VerifyingSource(BlobSource source, BlobEncoder encoder) {
        this.source = source;
        this.encoder = encoder;
    }

    /** Blobs whose ID was re-derived, and their bytes. */
    public long blobsChecked() {
        return blobs.get();
    }

    public long bytesChecked() {
        return bytes.get();
    }

    @Override
    public byte[] blob(BlobId blobId) {
        byte[] data = source.blob(blobId);
        BlobId derived = encoder.computeMetadata(data).blobId();
        if (!derived.equals(blobId)) {
            throw new VerificationException("blob " + blobId + ": the " + data.length + " bytes served have blob ID "
                    + derived);
        }
        blobs.incrementAndGet();
        bytes.addAndGet(data.length);
        return data;
    }

    @Override
    public byte[] patch(QuiltPatchId patchId) {
        byte[] quilt = quilts.computeIfAbsent(patchId.quiltId(), this::blob);
        return QuiltReader.readPatch(encoder.config(), quilt, patchId.startIndex(), patchId.endIndex()).data();
    }

    @Override
    public void stream(BlobId blobId, OutputStream out) throws IOException {
        byte[] first = blob(blobId);
        Optional<Manifest> manifest = Manifest.parse(first);
        if (manifest.isEmpty()) {
            out.write(first);
            return;
        }
        Manifest m = manifest.get();
        for (int k = 0; k < m.chunks().size(); k++) {
            byte[] chunk = blob(m.chunks().get(k));
            if (chunk.length != m.chunkLength(k)) {
                throw new VerificationException("chunk " + k + " of file " + blobId + " has " + chunk.length
                        + " bytes, its manifest says " + m.chunkLength(k));
            }
            out.write(chunk);
        }
    }

    @Override
    public void range(BlobId blobId, long start, long length, OutputStream out) throws IOException {
        OutputStream window = new OutputStream() {
            private long at;

            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                long from = Math.max(start, at);
                long to = Math.min(start + length, at + len);
                if (from < to) {
                    out.write(b, off + (int) (from - at), (int) (to - from));
                }
                at += len;
            }
        };
        stream(blobId, window);
    }

    @Override
    public boolean verifies() {
        return true;
    }
}
