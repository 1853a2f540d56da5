package io.tusk.control.state;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Shards per node by stake, and which shards each node holds.
 *
 * <p>Counts use the largest-remainder (Hamilton) method: node {@code i} has quota {@code q_i = n * stake_i / total}; it
 * gets {@code floor(q_i)} shards, and the shards left over go one each to the nodes with the largest remainders, ties
 * to the earlier node. Every node therefore gets {@code floor(q_i)} or {@code ceil(q_i)} shards, every shard is
 * assigned, and the result depends only on the inputs. (Walrus uses D'Hondt with a per-node cap; largest remainder is
 * chosen here because it never leaves a node more than one shard from its quota.) If every stake is zero the nodes
 * count as equal.
 *
 * <p>Pure functions, no state; thread-safe.
 */
public final class ShardApportionment {
    private ShardApportionment() {}

    /** Shards per node for the given stakes, summing to {@code shardCount}. */
    public static int[] counts(long[] stakes, int shardCount) {
        if (stakes.length == 0) {
            throw new IllegalArgumentException("cannot apportion " + shardCount + " shards to no nodes");
        }
        if (shardCount < 0) {
            throw new IllegalArgumentException("shard count must not be negative, got " + shardCount);
        }
        BigInteger total = BigInteger.ZERO;
        for (int i = 0; i < stakes.length; i++) {
            if (stakes[i] < 0) {
                throw new IllegalArgumentException("stake of node " + i + " is negative: " + stakes[i]);
            }
            total = total.add(BigInteger.valueOf(stakes[i]));
        }
        long[] weights = stakes;
        if (total.signum() == 0) {
            weights = new long[stakes.length];
            Arrays.fill(weights, 1);
            total = BigInteger.valueOf(stakes.length);
        }
        BigInteger n = BigInteger.valueOf(shardCount);
        int[] counts = new int[weights.length];
        BigInteger[] remainders = new BigInteger[weights.length];
        int assigned = 0;
        for (int i = 0; i < weights.length; i++) {
            BigInteger[] qr = BigInteger.valueOf(weights[i]).multiply(n).divideAndRemainder(total);
            counts[i] = qr[0].intValueExact();
            remainders[i] = qr[1];
            assigned += counts[i];
        }
        int left = shardCount - assigned; // < number of nodes, since each remainder is < 1 shard
        Integer[] order = new Integer[weights.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int byRemainder = remainders[b].compareTo(remainders[a]);
            return byRemainder != 0 ? byRemainder : Integer.compare(a, b);
        });
        for (int k = 0; k < left; k++) {
            counts[order[k]]++;
        }
        return counts;
    }

    /** The first committee's shards: node {@code i} holds a contiguous range, ranges in node order from shard 0. */
    public static List<List<Integer>> contiguous(int[] counts) {
        List<List<Integer>> shards = new ArrayList<>(counts.length);
        int next = 0;
        for (int count : counts) {
            List<Integer> mine = new ArrayList<>(count);
            for (int k = 0; k < count; k++) {
                mine.add(next++);
            }
            shards.add(List.copyOf(mine));
        }
        return List.copyOf(shards);
    }

    /**
     * A later committee's shards, moving as few shards as possible: each node keeps its lowest-numbered current shards
     * up to its new count; the shards freed (and any never held) are handed out in ascending order to the nodes that
     * need more, in node order. {@code current.get(i)} is what node {@code i} holds now (empty for a new node).
     */
    public static List<List<Integer>> reassign(List<List<Integer>> current, int[] counts, int shardCount) {
        if (current.size() != counts.length) {
            throw new IllegalArgumentException("have shards of " + current.size() + " nodes but counts of " + counts.length);
        }
        TreeSet<Integer> free = new TreeSet<>();
        for (int s = 0; s < shardCount; s++) {
            free.add(s);
        }
        List<List<Integer>> kept = new ArrayList<>(counts.length);
        for (int i = 0; i < counts.length; i++) {
            List<Integer> mine = new ArrayList<>(current.get(i).stream().sorted().toList());
            if (mine.size() > counts[i]) {
                mine = new ArrayList<>(mine.subList(0, counts[i]));
            }
            for (Integer s : mine) {
                if (!free.remove(s)) {
                    throw new IllegalArgumentException("shard " + s + " is held twice or is outside [0, " + shardCount + ")");
                }
            }
            kept.add(mine);
        }
        List<List<Integer>> result = new ArrayList<>(counts.length);
        for (int i = 0; i < counts.length; i++) {
            List<Integer> mine = kept.get(i);
            while (mine.size() < counts[i]) {
                mine.add(free.pollFirst());
            }
            result.add(List.copyOf(mine.stream().sorted().toList()));
        }
        return List.copyOf(result);
    }
}
