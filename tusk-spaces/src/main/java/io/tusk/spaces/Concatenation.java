package io.tusk.spaces;

import io.tusk.client.Manifest;
import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.core.hash.Blake2b256;
import io.tusk.core.metadata.BlobId;
import io.tusk.spaces.manifest.DataRef;
import io.tusk.spaces.manifest.EntryRecord;
import io.tusk.spaces.manifest.SpaceManifest;
import io.tusk.spaces.tree.Keys;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The content of several entries one after the other, as one new content ({@link Space#concatenate}): an S3 multipart
 * upload's parts becoming its object. When the parts' blobs line up as the chunks of a chunked file (every piece but
 * the last of one length, the last no longer: what S3 clients send, parts of one size), only a new chunked-file
 * manifest naming them is stored, and no byte is copied; otherwise the bytes are streamed into new chunks. Either way
 * the result is read back once for its etag (Blake2b does not compose).
 */
final class Concatenation {
    /** Bytes the copying path reads per range request. */
    private static final int WINDOW = 16 << 20; // a plain blob (at most one chunk) is then read once

    private record Piece(BlobId blobId, long length) {
    }

    private final Space space;
    private final Spaces spaces;

    Concatenation(Space space) {
        this.space = space;
        this.spaces = space.spaces();
    }

    StagedContent concatenate(Snapshot source, List<String> keys) throws IOException {
        if (space.encrypted()) {
            throw new SpaceException("space " + space.name() + " is encrypted: concatenating its entries is not supported");
        }
        List<EntryRecord> records = new ArrayList<>();
        long total = 0;
        for (String key : keys) {
            EntryRecord record = source.record(Keys.encode(key));
            if (record == null) {
                throw new EntryNotFoundException("version " + source.version() + " of space " + space.name()
                        + " has no entry " + Keys.printable(key) + " to concatenate");
            }
            records.add(record);
            total += record.size();
        }
        List<SpaceManifest.Write> writes = new ArrayList<>();
        List<Piece> pieces = new ArrayList<>();
        for (EntryRecord record : records) {
            switch (record.data()) {
                case DataRef.Empty empty -> {
                }
                case DataRef.Packed packed -> {
                    // A small entry is a slice of a commit's pack: it becomes a blob of its own to be a chunk.
                    byte[] bytes = spaces.slice(packed.location());
                    StoreResult stored = spaces.client().store(bytes, new StoreOptions(spaces.options().epochs(), true, true));
                    writes.add(ContentUploader.write(stored));
                    pieces.add(new Piece(BlobId.parse(stored.blobId()), bytes.length));
                }
                case DataRef.Blob blob -> {
                    java.util.Optional<Manifest> chunked = spaces.client().manifest(blob.blobId());
                    if (chunked.isEmpty()) {
                        pieces.add(new Piece(blob.blobId(), blob.storedLength()));
                    } else {
                        Manifest m = chunked.get();
                        for (int k = 0; k < m.chunks().size(); k++) {
                            pieces.add(new Piece(m.chunks().get(k), m.chunkLength(k)));
                        }
                    }
                }
                case DataRef.Pending pending -> throw new IllegalStateException("a stored entry cannot be pending");
            }
        }
        if (pieces.isEmpty()) {
            return new StagedContent(space, 0, Blake2b256.hash(new byte[0]), new DataRef.Empty(), null, writes);
        }
        BlobId content;
        if (pieces.size() == 1) {
            content = pieces.getFirst().blobId();
        } else if (lineUp(pieces)) {
            Manifest manifest = new Manifest(total, pieces.getFirst().length(),
                    pieces.stream().map(Piece::blobId).toList());
            StoreResult stored = spaces.client().store(manifest.toBytes(),
                    new StoreOptions(spaces.options().epochs(), true, true));
            writes.add(ContentUploader.write(stored));
            content = BlobId.parse(stored.blobId());
        } else {
            StagedContent copied = ContentUploader.upload(space, new RecordsInput(records), total, null,
                    "a concatenation in space " + space.name());
            writes.addAll(copied.writes());
            return new StagedContent(space, total, copied.etagBytes(), copied.data(), null, writes);
        }
        HashingSink hashing = new HashingSink();
        spaces.source().stream(content, hashing);
        if (hashing.count != total) {
            throw new VerificationException("the concatenation of " + keys.size() + " entries read back as " + hashing.count
                    + " bytes, not " + total);
        }
        return new StagedContent(space, total, hashing.hash.digest(), new DataRef.Blob(content, total), null, writes);
    }

    /** Whether the pieces are the chunks of one chunked file: all but the last of one length, the last no longer. */
    private static boolean lineUp(List<Piece> pieces) {
        long chunk = pieces.getFirst().length();
        if (chunk == 0 || pieces.size() > Manifest.MAX_CHUNKS) {
            return false;
        }
        for (int i = 1; i < pieces.size() - 1; i++) {
            if (pieces.get(i).length() != chunk) {
                return false;
            }
        }
        long last = pieces.getLast().length();
        return last >= 1 && last <= chunk;
    }

    /** The records' contents one after the other, read in windows of {@link #WINDOW} bytes. */
    private final class RecordsInput extends InputStream {
        private final List<EntryRecord> records;
        private int record;
        private long offset;
        private byte[] window = new byte[0];
        private int position;

        RecordsInput(List<EntryRecord> records) {
            this.records = records;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            while (position == window.length) {
                if (!fill()) {
                    return -1;
                }
            }
            int n = Math.min(len, window.length - position);
            System.arraycopy(window, position, b, off, n);
            position += n;
            return n;
        }

        private boolean fill() throws IOException {
            while (record < records.size() && offset == records.get(record).size()) {
                record++;
                offset = 0;
            }
            if (record == records.size()) {
                return false;
            }
            EntryRecord r = records.get(record);
            long length = Math.min(WINDOW, r.size() - offset);
            ByteArrayOutputStream out = new ByteArrayOutputStream((int) length);
            space.readRange(r, offset, length, out);
            window = out.toByteArray();
            position = 0;
            offset += length;
            return true;
        }
    }

    private static final class HashingSink extends OutputStream {
        final Blake2b256 hash = new Blake2b256();
        long count;

        @Override
        public void write(int b) {
            hash.update((byte) b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            hash.update(b, off, len);
            count += len;
        }
    }
}
