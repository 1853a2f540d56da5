package io.tusk.node.service;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.core.encoding.EncodingConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the node knows of the current epoch: its number, the committee's shard count and the shards this node holds.
 * Derived from the control plane's committee and kept in {@code node_status} so a restarted node serves at once.
 *
 * @param epoch       the current epoch ({@code 0} before the node has learnt one)
 * @param shardCount  {@code n}, or {@code 0} before the node has learnt the committee
 * @param ownedShards this node's shards in {@code epoch}, ascending
 */
public record CommitteeView(long epoch, int shardCount, Set<Integer> ownedShards) {
    public static final CommitteeView UNKNOWN = new CommitteeView(0, 0, Set.of());

    public CommitteeView {
        ownedShards = java.util.Collections.unmodifiableSet(new TreeSet<>(ownedShards));
    }

    public boolean isKnown() {
        return shardCount > 0;
    }

    public boolean owns(int shard) {
        return ownedShards.contains(shard);
    }

    public EncodingConfig encodingConfig() {
        if (!isKnown()) {
            throw new IllegalStateException("the node has not learnt the committee yet");
        }
        return new EncodingConfig(shardCount);
    }

    public byte[] toBcs() {
        BcsWriter w = new BcsWriter();
        w.u64(epoch);
        w.u32(shardCount);
        w.uleb128(ownedShards.size());
        for (int s : ownedShards) {
            w.u16(s);
        }
        return w.toByteArray();
    }

    public static CommitteeView fromBcs(byte[] bcs) {
        BcsReader r = new BcsReader(bcs);
        long epoch = r.u64();
        int n = (int) r.u32();
        int count = r.length(EncodingConfig.MAX_SHARDS, "owned shards");
        List<Integer> shards = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            shards.add(r.u16());
        }
        r.expectEnd();
        return new CommitteeView(epoch, n, Set.copyOf(shards));
    }
}
