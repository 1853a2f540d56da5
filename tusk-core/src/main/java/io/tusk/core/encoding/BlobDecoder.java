package io.tusk.core.encoding;

import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadata;
import io.tusk.core.metadata.BlobMetadataWithId;
import io.tusk.core.rs.ReedSolomonCode;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Collection;
import java.util.stream.IntStream;

/**
 * Rebuilds a blob from any {@code p = n - 2f} primary slivers that the caller has verified against the blob's
 * metadata ({@link Sliver#verify}). Missing systematic rows are decoded with the primary code, batched over all
 * columns at once. Instances are immutable and thread-safe.
 */
public final class BlobDecoder {
    private final EncodingConfig config;
    private final ReedSolomonCode primaryCode;

    public BlobDecoder(int shardCount) {
        this(new EncodingConfig(shardCount));
    }

    public BlobDecoder(EncodingConfig config) {
        this.config = config;
        this.primaryCode = Codes.primary(config);
    }

    /** Decodes with the {@link ConsistencyCheck#DEFAULT default} consistency check. */
    public byte[] decode(BlobMetadataWithId metadata, Collection<Sliver> primarySlivers) {
        return decode(metadata, primarySlivers, ConsistencyCheck.DEFAULT);
    }

    /**
     * Decodes a blob from the {@code p} distinct slivers of the lowest indices among those given (the systematic ones
     * when they are all there: then nothing is decoded); duplicates count once, the rest are ignored.
     *
     * @throws NotEnoughSliversException if fewer than {@code p} distinct primary slivers are given
     * @throws InvalidSliverException if a sliver has the wrong type, size or symbol size for this blob
     * @throws InconsistentBlobException if the consistency check fails
     */
    public byte[] decode(BlobMetadataWithId metadataWithId, Collection<Sliver> primarySlivers, ConsistencyCheck check) {
        return decodeKept(metadataWithId, keep(metadataWithId, primarySlivers), check);
    }

    private byte[] decodeKept(BlobMetadataWithId metadataWithId, Sliver[] byIndex, ConsistencyCheck check) {
        long length = metadataWithId.metadata().unencodedLength();
        int p = config.primarySourceSymbols();
        int sym = config.symbolSize(length);
        int rowBytes = config.secondarySourceSymbols() * sym;
        if ((long) p * rowBytes > Integer.MAX_VALUE || length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("blob of " + length + " bytes is too large to decode into one array");
        }
        byte[] blob = new byte[(int) length];
        boolean[] received = new boolean[p];
        for (int r = 0; r < p; r++) {
            received[r] = byIndex[r] != null;
        }
        if (allSystematic(byIndex)) {
            for (int r = 0; r < p; r++) {
                copyRow(byIndex[r].rawData(), r, rowBytes, blob);
            }
        } else {
            decodeRows(byIndex, sym, rowBytes, blob);
        }
        checkConsistency(metadataWithId, blob, received, check, sym);
        return blob;
    }

    /** Whether every systematic sliver (rows 0..p-1 of the blob) is among those kept. */
    private boolean allSystematic(Sliver[] byIndex) {
        for (int r = 0; r < config.primarySourceSymbols(); r++) {
            if (byIndex[r] == null) {
                return false;
            }
        }
        return true;
    }

    /**
     * Writes the blob to {@code out}, as {@link #decode} rebuilds it. When the {@code p} slivers kept are the
     * systematic ones (a healthy read) and the check is not {@link ConsistencyCheck#STRICT strict}, their rows go to
     * {@code out} straight from the slivers: the blob is never assembled in memory, and nothing needs checking beyond
     * the slivers' own hashes (the default check only covers decoded rows). Otherwise the blob is decoded first.
     *
     * @return the blob's length
     * @throws IOException if {@code out} fails
     */
    public long decodeTo(BlobMetadataWithId metadataWithId, Collection<Sliver> primarySlivers, ConsistencyCheck check,
                         OutputStream out) throws IOException {
        Sliver[] byIndex = keep(metadataWithId, primarySlivers);
        int p = config.primarySourceSymbols();
        if (!allSystematic(byIndex) || check == ConsistencyCheck.STRICT) {
            byte[] blob = decodeKept(metadataWithId, byIndex, check);
            out.write(blob);
            return blob.length;
        }
        long length = metadataWithId.metadata().unencodedLength();
        long rowBytes = (long) config.secondarySourceSymbols() * config.symbolSize(length);
        for (int r = 0; r < p && r * rowBytes < length; r++) {
            out.write(byIndex[r].rawData(), 0, (int) Math.min(rowBytes, length - r * rowBytes));
        }
        return length;
    }

    /**
     * The slivers to decode from, by index: the {@code p} distinct ones of the lowest indices, so systematic slivers
     * (rows 0..p-1 of the blob) first, because each one kept is a row copied instead of decoded. A reader's slivers
     * arrive in the order their holders answer, so the first {@code p} to arrive often miss a systematic row that
     * arrived later, and taking them would decode the whole blob.
     */
    private Sliver[] keep(BlobMetadataWithId metadataWithId, Collection<Sliver> primarySlivers) {
        int n = config.shardCount();
        int p = config.primarySourceSymbols();
        int s = config.secondarySourceSymbols();
        int sym = config.symbolSize(metadataWithId.metadata().unencodedLength());
        Sliver[] byIndex = new Sliver[n];
        for (Sliver sliver : primarySlivers) {
            checkSliver(sliver, n, s, sym);
            if (byIndex[sliver.index()] == null) {
                byIndex[sliver.index()] = sliver;
            }
        }
        int distinct = 0;
        for (int i = 0; i < n; i++) {
            if (byIndex[i] != null && ++distinct > p) {
                byIndex[i] = null;
            }
        }
        if (distinct < p) {
            throw new NotEnoughSliversException("primary slivers to decode blob " + metadataWithId.blobId(), p, distinct);
        }
        return byIndex;
    }

    private void checkSliver(Sliver sliver, int n, int s, int sym) {
        if (sliver.type() != SliverType.PRIMARY) {
            throw new InvalidSliverException("decoding needs primary slivers, got " + sliver);
        }
        if (sliver.index() >= n) {
            throw new InvalidSliverException(sliver + " is out of range for " + n + " shards");
        }
        if (sliver.symbolSize() != sym || sliver.symbolCount() != s) {
            throw new InvalidSliverException(sliver + " does not have " + s + " symbols of " + sym + " bytes, as this blob's slivers do");
        }
    }

    /**
     * Decodes every missing systematic row. The {@code s} columns are split into parts decoded in parallel; in each
     * part, batch shard {@code i} holds the lanes of primary sliver {@code i}'s cells in those columns.
     */
    private void decodeRows(Sliver[] byIndex, int sym, int rowBytes, byte[] blob) {
        int n = byIndex.length;
        int p = primaryCode.originalCount();
        int s = rowBytes / sym;
        int parts = Math.max(1, Math.min(s, 4 * Runtime.getRuntime().availableProcessors()));
        byte[][] rows = new byte[p][];
        for (int r = 0; r < p; r++) {
            rows[r] = byIndex[r] != null ? byIndex[r].rawData() : new byte[rowBytes];
        }
        IntStream.range(0, parts).parallel().forEach(part -> {
            int c0 = (int) ((long) s * part / parts);
            int width = (int) ((long) s * (part + 1) / parts) - c0;
            if (width == 0) {
                return;
            }
            int shardBytes = LaneBatch.shardBytes((long) width * LaneBatch.slotLanes(sym));
            byte[][] originals = new byte[p][];
            byte[][] recovery = new byte[n - p][];
            for (int i = 0; i < n; i++) {
                if (byIndex[i] == null) {
                    continue;
                }
                byte[] shard = new byte[shardBytes];
                LaneBatch.pack(byIndex[i].rawData(), c0 * sym, sym, sym, width, shard, 0);
                if (i < p) {
                    originals[i] = shard;
                } else {
                    recovery[i - p] = shard;
                }
            }
            primaryCode.reconstruct(originals, recovery);
            for (int r = 0; r < p; r++) {
                if (byIndex[r] == null) {
                    LaneBatch.unpack(originals[r], 0, sym, width, rows[r], c0 * sym, sym);
                }
            }
        });
        for (int r = 0; r < p; r++) {
            copyRow(rows[r], r, rowBytes, blob);
        }
    }

    private static void copyRow(byte[] row, int r, int rowBytes, byte[] blob) {
        long start = (long) r * rowBytes;
        if (start >= blob.length) {
            return;
        }
        int count = (int) Math.min(rowBytes, blob.length - start);
        System.arraycopy(row, 0, blob, (int) start, count);
    }

    private void checkConsistency(BlobMetadataWithId metadataWithId, byte[] blob, boolean[] received,
                                  ConsistencyCheck check, int sym) {
        BlobId id = metadataWithId.blobId();
        switch (check) {
            case SKIP -> { }
            case STRICT -> {
                BlobId recomputed = new BlobEncoder(config).computeMetadata(blob).blobId();
                if (!recomputed.equals(id)) {
                    throw new InconsistentBlobException(id, "the decoded data re-encodes to blob ID " + recomputed);
                }
            }
            case DEFAULT -> {
                int s = config.secondarySourceSymbols();
                int rowBytes = s * sym;
                IntStream.range(0, received.length).parallel().filter(r -> !received[r]).forEach(r -> {
                    byte[] row = new byte[rowBytes];
                    long start = (long) r * rowBytes;
                    if (start < blob.length) {
                        System.arraycopy(blob, (int) start, row, 0, (int) Math.min(rowBytes, blob.length - start));
                    }
                    Sliver decoded = new Sliver(SliverType.PRIMARY, r, sym, row, false);
                    if (!decoded.computeHash(config).equals(metadataWithId.metadata().sliverHash(SliverType.PRIMARY, r))) {
                        throw new InconsistentBlobException(id, "decoded primary sliver " + r + " does not match its hash in the metadata");
                    }
                });
            }
        }
    }
}
