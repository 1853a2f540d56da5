package io.tusk.client;

import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.core.Bft;
import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.core.metadata.BlobId;

import java.util.ArrayList;
import java.util.List;

/**
 * A committee as the SDK uses it: which member holds each shard, and so which sliver pairs of a blob each member
 * stores (pair {@code q} lives on shard {@code (q + rotation) mod n}).
 */
final class Committee {
    private final CommitteeInfo info;
    private final int[] memberOfShard;
    private final List<BlsPublicKey> keys;

    Committee(CommitteeInfo info) {
        this.info = info;
        this.memberOfShard = new int[info.shardCount()];
        java.util.Arrays.fill(memberOfShard, -1);
        List<BlsPublicKey> keys = new ArrayList<>();
        for (int m = 0; m < info.members().size(); m++) {
            CommitteeMember member = info.members().get(m);
            keys.add(BlsPublicKey.fromBytes(member.blsPublicKey()));
            for (int shard : member.shards()) {
                memberOfShard[shard] = m;
            }
        }
        for (int shard = 0; shard < memberOfShard.length; shard++) {
            if (memberOfShard[shard] < 0) {
                throw new IllegalStateException("shard " + shard + " has no member in the committee of epoch " + info.epoch());
            }
        }
        this.keys = List.copyOf(keys);
    }

    int epoch() {
        return info.epoch();
    }

    int shardCount() {
        return info.shardCount();
    }

    List<CommitteeMember> members() {
        return info.members();
    }

    List<BlsPublicKey> keys() {
        return keys;
    }

    /** Shards held by member {@code m}: its weight in quorums. */
    int weight(int member) {
        return info.members().get(member).shards().size();
    }

    boolean isQuorum(int weight) {
        return Bft.isQuorum(weight, info.shardCount());
    }

    /** The member storing sliver pair {@code pair} of {@code blobId}. */
    int memberOfPair(BlobId blobId, int pair) {
        return memberOfShard[blobId.shardForPair(pair, info.shardCount())];
    }

    /** The sliver pairs of {@code blobId} that member {@code m} stores, ascending. */
    List<Integer> pairsOf(BlobId blobId, int member) {
        List<Integer> pairs = new ArrayList<>();
        for (int shard : info.members().get(member).shards()) {
            pairs.add(blobId.pairForShard(shard, info.shardCount()));
        }
        pairs.sort(null);
        return pairs;
    }
}
