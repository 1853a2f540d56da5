package io.tusk.spaces;

import io.tusk.client.LargeStoreResult;
import io.tusk.client.ProgressListener;
import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.core.hash.Blake2b256;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.metadata.BlobId;
import io.tusk.spaces.crypto.EntryCipher;
import io.tusk.spaces.manifest.DataRef;
import io.tusk.spaces.manifest.SpaceManifest;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Stores one large content as its own blob (or chunked file) with bounded memory, hashing the stored bytes for the
 * entry's etag on the way: what a commit does for large entries and {@link Space#upload} does ahead of a commit.
 */
final class ContentUploader {
    private ContentUploader() {
    }

    /**
     * Streams {@code length} plaintext bytes from {@code plain} (encrypted with {@code dataKey} if it is not null).
     *
     * @throws SpaceException if the stream gives more or fewer bytes than {@code length}
     * @throws IOException    if reading fails
     */
    static StagedContent upload(Space space, InputStream plain, long length, byte[] dataKey, String what)
            throws IOException {
        Spaces spaces = space.spaces();
        long storedLength = dataKey == null ? length : EntryCipher.encryptedLength(length);
        HashingInput hashing = new HashingInput(dataKey == null ? plain : EntryCipher.encrypting(dataKey, plain, length));
        // force: this space gets its own objects, so its retention never deletes another space's (docs/spaces.md).
        LargeStoreResult result = spaces.client().storeStream(hashing, storedLength,
                new StoreOptions(spaces.options().epochs(), true, true), ProgressListener.NONE);
        if (hashing.count != storedLength || plain.read() != -1) {
            throw new SpaceException("the content of " + what + " is not " + length + " bytes long");
        }
        List<SpaceManifest.Write> writes = new ArrayList<>();
        writes.add(write(result.result()));
        for (StoreResult chunk : result.chunks()) {
            writes.add(write(chunk));
        }
        return new StagedContent(space, length, hashing.hash.digest(),
                new DataRef.Blob(BlobId.parse(result.blobId()), storedLength), dataKey, writes);
    }

    static SpaceManifest.Write write(StoreResult result) {
        ObjectId object = switch (result) {
            case StoreResult.NewlyCreated c -> ObjectId.parse(c.blobObject().id());
            case StoreResult.AlreadyCertified a -> ObjectId.parse(a.objectId());
        };
        return new SpaceManifest.Write(BlobId.parse(result.blobId()), object);
    }

    /** Counts and hashes the bytes read through it. */
    static final class HashingInput extends FilterInputStream {
        final Blake2b256 hash = new Blake2b256();
        long count;

        HashingInput(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                hash.update((byte) b);
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                hash.update(b, off, n);
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) {
            throw new UnsupportedOperationException("hashed content cannot be skipped");
        }
    }
}
