package io.tusk.node.shards;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;

import java.util.ArrayList;
import java.util.List;

/**
 * Walrus's {@code SyncShardResponse} (walrus-node-api.md §1, §2.13): {@code enum 0 V1 vec<(BlobId, Sliver)>} with
 * {@code Sliver = enum 0 Primary SliverData | 1 Secondary SliverData}. Entries keep the stored BCS {@code SliverData}
 * bytes, so serving copies them and the receiver stores exactly what the sender had.
 */
public record SyncShardResponse(List<Entry> entries) {
    /** One sliver: its blob, its axis, and its BCS {@code SliverData}. */
    public record Entry(BlobId blobId, SliverType type, byte[] sliverBcs) {}

    public SyncShardResponse {
        entries = List.copyOf(entries);
    }

    public byte[] toBcs() {
        BcsWriter w = new BcsWriter();
        w.uleb128(0); // V1
        w.uleb128(entries.size());
        for (Entry e : entries) {
            w.fixedBytes(e.blobId().bytes());
            w.uleb128(e.type().tag());
            w.fixedBytes(e.sliverBcs());
        }
        return w.toByteArray();
    }

    /** Parses strictly; each sliver is parsed (not verified) to find where it ends. */
    public static SyncShardResponse fromBcs(byte[] bcs) {
        BcsReader r = new BcsReader(bcs);
        r.enumTag(1, "SyncShardResponse");
        int count = r.length(1 << 20, "synced slivers");
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            BlobId blobId = BlobId.of(r.fixedBytes(BlobId.LENGTH));
            SliverType type = SliverType.fromTag(r.enumTag(2, "Sliver"));
            int start = r.position();
            Sliver.readBcs(type, r);
            byte[] sliver = java.util.Arrays.copyOfRange(bcs, start, r.position());
            entries.add(new Entry(blobId, type, sliver));
        }
        r.expectEnd();
        return new SyncShardResponse(entries);
    }
}
