package io.tusk.client;

import io.tusk.control.api.CommitteeMember;
import io.tusk.core.encoding.BlobDecoder;
import io.tusk.core.encoding.ConsistencyCheck;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadataWithId;
import io.tusk.core.quilt.MalformedQuiltException;
import io.tusk.core.quilt.QuiltIndex;
import io.tusk.core.quilt.QuiltPatch;
import io.tusk.core.quilt.QuiltPatchInfo;
import io.tusk.core.quilt.QuiltReader;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Reads parts of one quilt without the whole blob: column j of the quilt is secondary sliver j (pair n−1−j), so the
 * index needs columns 0..I−1 and a patch only its own columns. Every sliver comes from the node holding its pair
 * and is verified against the quilt's verified metadata ({@link Sliver#verify}). If a column cannot be had verified
 * from its node, the operation falls back to reading and decoding the whole quilt (once) and cuts the columns from
 * it, so a dead node costs speed, not availability.
 */
final class QuiltReadOperation {
    private final TuskClient client;
    private final Committee committee;
    private final EncodingConfig encoding;
    private final BlobId quiltId;
    private final BlobMetadataWithId metadata;
    private byte[] wholeQuilt;

    QuiltReadOperation(TuskClient client, Committee committee, EncodingConfig encoding, BlobId quiltId) {
        this.client = client;
        this.committee = committee;
        this.encoding = encoding;
        this.quiltId = quiltId;
        try (ReadOperation read = new ReadOperation(client, committee, encoding, quiltId)) {
            this.metadata = read.metadata();
        }
        long cells = encoding.sourceSymbolCount();
        long length = metadata.metadata().unencodedLength();
        if (length == 0 || length % cells != 0 || length / cells != metadata.metadata().symbolSize(encoding)) {
            throw new MalformedQuiltException("blob " + quiltId + " is not a quilt: its " + length
                    + " bytes are not a whole p·s message matrix for " + encoding.shardCount() + " shards");
        }
    }

    /** The quilt's index, from its first columns. */
    QuiltIndex index() {
        Sliver column0 = columns(0, 1).getFirst();
        int count = QuiltReader.indexColumnCount(encoding, column0);
        List<Sliver> columns = new ArrayList<>(count);
        columns.add(column0);
        if (count > 1) {
            columns.addAll(columns(1, count));
        }
        return QuiltReader.readIndex(encoding, columns);
    }

    /** The patch at columns {@code [start, end)}. */
    QuiltPatch patch(int start, int end) {
        if (end > encoding.secondarySourceSymbols()) {
            throw new MalformedQuiltException("column range [" + start + ", " + end + ") is outside quilt " + quiltId
                    + " (" + encoding.secondarySourceSymbols() + " columns)");
        }
        return QuiltReader.readPatch(encoding, columns(start, end));
    }

    /** The patch an index entry describes; its item must carry the same identifier. */
    QuiltPatch patch(QuiltPatchInfo info) {
        QuiltPatch patch = patch(info.startIndex(), info.endIndex());
        if (!patch.identifier().equals(info.identifier())) {
            throw new MalformedQuiltException("quilt " + quiltId + ": the index puts '" + info.identifier()
                    + "' at columns [" + info.startIndex() + ", " + info.endIndex() + ") but the item there is '"
                    + patch.identifier() + "'");
        }
        return patch;
    }

    /**
     * Verified secondary slivers {@code start .. end-1}: one batch request per holder, concurrently. Columns that do not
     * come verified from their holder are cut from the whole quilt instead.
     */
    private List<Sliver> columns(int start, int end) {
        int n = encoding.shardCount();
        List<Integer> pairs = new ArrayList<>(end - start);
        for (int column = start; column < end; column++) {
            pairs.add(SliverType.SECONDARY.pairIndex(column, n));
        }
        long sliverBytes = encoding.sliverSize(SliverType.SECONDARY, metadata.metadata().unencodedLength());
        Sliver[] columns = new Sliver[end - start];
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<SliverBatches.Outcome>> outcomes = new ArrayList<>();
            for (SliverBatches.Batch batch : SliverBatches.group(committee, quiltId, pairs, sliverBytes)) {
                CommitteeMember member = committee.members().get(batch.member());
                outcomes.add(executor.submit(() -> SliverBatches.fetch(client.node(member.networkAddress()), member,
                        quiltId, SliverType.SECONDARY, batch, encoding, metadata.metadata(), executor)));
            }
            for (Future<SliverBatches.Outcome> outcome : outcomes) {
                try {
                    for (Sliver sliver : outcome.get().verified()) {
                        columns[sliver.index() - start] = sliver;
                    }
                } catch (ExecutionException e) {
                    // its columns come from the whole quilt below
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading quilt " + quiltId);
        }
        List<Sliver> out = new ArrayList<>(columns.length);
        for (int j = start; j < end; j++) {
            out.add(columns[j - start] != null ? columns[j - start] : fromWholeQuilt(j));
        }
        return out;
    }

    /** Fallback: column j cut from the whole quilt, read and decoded once from primary slivers. */
    private synchronized Sliver fromWholeQuilt(int column) {
        if (wholeQuilt == null) {
            try (ReadOperation read = new ReadOperation(client, committee, encoding, quiltId)) {
                wholeQuilt = new BlobDecoder(encoding).decode(metadata, read.primarySlivers(metadata),
                        ConsistencyCheck.DEFAULT);
            }
        }
        return new Sliver(SliverType.SECONDARY, column, metadata.metadata().symbolSize(encoding),
                QuiltReader.column(encoding, wholeQuilt, column));
    }
}
