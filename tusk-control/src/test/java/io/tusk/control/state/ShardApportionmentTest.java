package io.tusk.control.state;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ShardApportionmentTest {

    @Property(tries = 300)
    void shouldAssignEveryShardWithinOneOfTheQuota(
            @ForAll @Size(min = 1, max = 60) List<@LongRange(min = 0, max = 1_000_000_000_000L) Long> stakeList,
            @ForAll @IntRange(min = 4, max = 2000) int shardCount) {
        long[] stakes = stakeList.stream().mapToLong(Long::longValue).toArray();
        int[] counts = ShardApportionment.counts(stakes, shardCount);
        assertThat(sum(counts)).isEqualTo(shardCount);
        BigInteger total = BigInteger.ZERO;
        for (long s : stakes) {
            total = total.add(BigInteger.valueOf(s));
        }
        for (int i = 0; i < stakes.length; i++) {
            BigInteger weight = total.signum() == 0 ? BigInteger.ONE : BigInteger.valueOf(stakes[i]);
            BigInteger denominator = total.signum() == 0 ? BigInteger.valueOf(stakes.length) : total;
            BigInteger floor = weight.multiply(BigInteger.valueOf(shardCount)).divide(denominator);
            assertThat((long) counts[i]).isBetween(floor.longValue(), floor.longValue() + 1);
        }
        assertThat(ShardApportionment.counts(stakes.clone(), shardCount)).isEqualTo(counts);
    }

    @Property(tries = 200)
    void shouldReassignMovingOnlySurplusShards(
            @ForAll @Size(min = 1, max = 30) List<@LongRange(min = 1, max = 1000) Long> before,
            @ForAll @Size(min = 0, max = 5) List<@LongRange(min = 1, max = 1000) Long> joining,
            @ForAll @IntRange(min = 4, max = 1000) int shardCount) {
        long[] oldStakes = before.stream().mapToLong(Long::longValue).toArray();
        List<List<Integer>> current = new ArrayList<>(
                ShardApportionment.contiguous(ShardApportionment.counts(oldStakes, shardCount)));
        List<Long> all = new ArrayList<>(before);
        all.addAll(joining);
        for (int i = 0; i < joining.size(); i++) {
            current.add(List.of());
        }
        int[] counts = ShardApportionment.counts(all.stream().mapToLong(Long::longValue).toArray(), shardCount);
        List<List<Integer>> next = ShardApportionment.reassign(current, counts, shardCount);
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < counts.length; i++) {
            assertThat(next.get(i)).hasSize(counts[i]).isSorted();
            seen.addAll(next.get(i));
            // a node keeps min(old, new) of its shards
            long kept = next.get(i).stream().filter(current.get(i)::contains).count();
            assertThat(kept).isEqualTo(Math.min(current.get(i).size(), counts[i]));
        }
        assertThat(seen).hasSize(shardCount);
        assertThat(ShardApportionment.reassign(current, counts, shardCount)).isEqualTo(next);
    }

    @Test
    void shouldSplitEqualStakesEvenlyAndContiguously() {
        int[] counts = ShardApportionment.counts(new long[] {5, 5, 5, 5}, 100);
        assertThat(counts).containsExactly(25, 25, 25, 25);
        List<List<Integer>> shards = ShardApportionment.contiguous(counts);
        assertThat(shards.get(1).getFirst()).isEqualTo(25);
        assertThat(shards.get(3).getLast()).isEqualTo(99);
    }

    @Test
    void shouldGiveLeftoverShardsToLargestRemaindersThenEarlierNodes() {
        // quotas 33.33 each: one shard left over, goes to node 0
        assertThat(ShardApportionment.counts(new long[] {1, 1, 1}, 100)).containsExactly(34, 33, 33);
        // quotas 10*7/10=7 (r 0), 10*2/10=2, 1: exact
        assertThat(ShardApportionment.counts(new long[] {7, 2, 1}, 10)).containsExactly(7, 2, 1);
        // quotas 4.5, 4.5, 1.0 → remainders tie, earlier node first
        assertThat(ShardApportionment.counts(new long[] {9, 9, 2}, 10)).containsExactly(5, 4, 1);
        assertThat(ShardApportionment.counts(new long[] {0, 0}, 5)).containsExactly(3, 2);
    }

    private static int sum(int[] counts) {
        int s = 0;
        for (int c : counts) {
            s += c;
        }
        return s;
    }
}
