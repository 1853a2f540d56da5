package io.tusk.testkit;

import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.control.client.ControlClient;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodedBlob;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;
import io.tusk.node.StorageNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shard migration when the previous owner is gone: the node leaving the committee is stopped before the epoch change,
 * so the joiner that gains its shards cannot pull them with {@code sync_shard} and rebuilds them from recovery symbols
 * of the remaining nodes, then reports them synced. 4 nodes, 12 shards (f = 3): the leaver's 3 shards are all the
 * joiner gains (minimal movement). Seeds printed by {@link TestCluster}.
 */
class ShardSyncFallbackTest {
    private static final int NODES = 4;
    private static final int SHARDS = 12;


    private static CommitteeMember memberOf(CommitteeInfo committee, StorageNode node) {
        return committee.members().stream().filter(m -> Arrays.equals(m.blsPublicKey(), node.publicKey().bytes()))
                .findFirst().orElse(null);
    }

    @Test
    void shouldRebuildAGainedShardFromRecoveryWhenItsPreviousOwnerIsGone() throws Exception {
        TestCluster.runWithNewCluster(NODES, SHARDS, cluster -> {
            LocalCluster local = cluster.local();
            Map<BlobId, byte[]> stored = new LinkedHashMap<>();
            List<Integer> sizes = new ArrayList<>(List.of(1, 700, 20_000, 600_000));
            for (int i = 0; i < 4; i++) {
                sizes.add(1 + cluster.random().nextInt(60_000));
            }
            for (int size : sizes) {
                byte[] blob = cluster.randomBlob(size);
                StoreResult result = cluster.client().store(blob, StoreOptions.defaults().withEpochs(5).permanent());
                stored.put(BlobId.parse(result.blobId()), blob);
            }

            try (ControlClient control = new ControlClient(local.controlUrl())) {
                int joiner = local.joinNode(1_000_000);
                int leaver = cluster.random().nextInt(NODES);
                System.out.println("[shard-fallback] joiner=node-" + (joiner + 1) + " leaver=node-" + (leaver + 1));
                // Give up on the previous owner quickly (the default is 8 attempts with back-off, about 18 s).
                local.node(joiner).shards().setSyncRetries(2, Duration.ofMillis(100));
                CommitteeMember leaving = memberOf(control.committee(), local.node(leaver));
                local.leave(leaver);
                local.stopNode(leaver); // gone before the change: it will never serve sync_shard
                long start = System.nanoTime();
                local.advanceEpoch();

                CommitteeInfo after = control.committee();
                CommitteeMember joined = memberOf(after, local.node(joiner));
                assertThat(joined).isNotNull();
                assertThat(joined.shards()).containsExactlyInAnyOrderElementsOf(leaving.shards());
                await("the joiner reported its shards synced").atMost(Duration.ofSeconds(60)).until(() -> control.epochChange().syncedNodes().contains(joined.nodeId()));
                System.out.printf("[shard-fallback] joiner synced %s by recovery in %d ms%n", joined.shards(),
                        Duration.ofNanos(System.nanoTime() - start).toMillis());
                await("the change is done").atMost(Duration.ofSeconds(30)).until(() -> control.epoch().changeDone());

                // The rebuilt slivers are byte-identical to the encoder's.
                StorageNode joinerNode = local.node(joiner);
                BlobEncoder encoder = new BlobEncoder(SHARDS);
                int checked = 0;
                for (Map.Entry<BlobId, byte[]> e : stored.entrySet()) {
                    EncodedBlob encoded = encoder.encode(e.getValue());
                    for (int shard : joined.shards()) {
                        int pair = e.getKey().pairForShard(shard, SHARDS);
                        for (SliverType type : SliverType.values()) {
                            byte[] expected = encoded.pairs().get(pair).sliver(type).toBcs();
                            assertThat(joinerNode.store().sliver(shard, type, e.getKey()))
                                    .as("shard %d %s of %s", shard, type, e.getKey())
                                    .hasValueSatisfying(v -> assertThat(v).isEqualTo(expected));
                            checked++;
                        }
                    }
                }
                System.out.println("[shard-fallback] slivers checked on the joiner=" + checked);

                for (Map.Entry<BlobId, byte[]> e : stored.entrySet()) {
                    assertThat(cluster.client().read(e.getKey())).isEqualTo(e.getValue());
                }
                // Stop two of the other members: 6 of 12 shards are left (n - 2f, what a read needs), 3 of them the
                // joiner's rebuilt ones, so every read now depends on them.
                List<Integer> others = new ArrayList<>();
                for (int i = 0; i < NODES; i++) {
                    if (i != leaver) {
                        others.add(i);
                    }
                }
                java.util.Collections.shuffle(others, cluster.random());
                local.stopNode(others.get(0));
                local.stopNode(others.get(1));
                try (var fresh = cluster.newClient()) {
                    for (Map.Entry<BlobId, byte[]> e : stored.entrySet()) {
                        assertThat(fresh.read(e.getKey())).as("blob %s with two members down", e.getKey())
                                .isEqualTo(e.getValue());
                    }
                }
            }
        });
    }
}
