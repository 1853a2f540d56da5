package io.tusk.testkit;

import io.tusk.client.StoreOptions;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.control.client.ControlClient;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;
import io.tusk.node.StorageNode;
import io.tusk.node.admin.AdminClient;
import io.tusk.node.admin.Checkpoints;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A node backed up while serving and restored from that checkpoint after the network moved on: blobs were stored and
 * the committee changed (a member left, the restored node gained shards) while it was down. Started on the
 * checkpoint, it follows the events since, rebuilds the newer blobs' slivers by recovery and pulls its gained shards
 * from their previous owner (shard sync), until it stores and serves every sliver of every shard it owns.
 * 4 nodes, 16 shards; seeds printed by {@link TestCluster}.
 */
class CheckpointRestoreTest {
    private static final int NODES = 4;
    private static final int SHARDS = 16;
    private static final int RESTORED = 0;
    private static final int LEAVER = 3;

    @Test
    void shouldCatchUpFromACheckpointByRecoveryAndShardSyncAndServeEverythingItOwns() throws Exception {
        TestCluster.runWithNewCluster(NODES, SHARDS, cluster -> {
            LocalCluster local = cluster.local();
            Map<BlobId, byte[]> before = storeSome(cluster, 3);

            // A checkpoint of a serving node, through its admin socket as `tusk node-admin checkpoint` takes it.
            StorageNode node = local.node(RESTORED);
            Path socket = node.adminSocketPath();
            String path = AdminClient.send(socket, "checkpoint").path("checkpoint").path("path").asText();
            Path checkpoint = Path.of(path);
            assertThat(Checkpoints.list(node.config().checkpoints().directory())).extracting(Checkpoints.Checkpoint::path)
                    .containsExactly(checkpoint);
            assertThat(cluster.client().read(before.keySet().iterator().next())).isNotNull(); // still serving

            Map<BlobId, byte[]> after = storeSome(cluster, 3);
            local.stopNode(RESTORED);
            CommitteeInfo oldCommittee;
            try (ControlClient control = new ControlClient(local.controlUrl())) {
                oldCommittee = control.committee();
                local.leave(LEAVER); // keeps running: it serves its shards to their new owners
                local.advanceEpoch();
                CommitteeInfo committee = control.committee();
                TreeSet<Integer> gained = new TreeSet<>(memberOf(committee, node).shards());
                gained.removeAll(memberOf(oldCommittee, node).shards());
                System.out.println("[checkpoint-restore] node-1 gains shards " + gained + " in epoch "
                        + committee.epoch());
                assertThat(gained).as("the restored node must gain a shard for shard sync to be exercised")
                        .isNotEmpty();
            }

            // Restore: the database written since the checkpoint is moved aside, not lost.
            Optional<Path> replaced = Checkpoints.restore(checkpoint, local.nodeDataDir(RESTORED), Clock.systemUTC());
            assertThat(replaced).isPresent();
            assertThat(Files.isDirectory(replaced.get())).isTrue();
            local.restartNode(RESTORED);
            StorageNode restored = local.node(RESTORED);

            Map<BlobId, byte[]> all = new LinkedHashMap<>(before);
            all.putAll(after);
            CommitteeInfo committee;
            try (ControlClient control = new ControlClient(local.controlUrl())) {
                committee = control.committee();
            }
            List<Integer> owned = memberOf(committee, restored).shards();
            long start = System.nanoTime();
            boolean complete = Blobs.eventually(Duration.ofSeconds(180), () -> missing(restored, all, owned) == 0);
            assertThat(complete).as("slivers still missing on the restored node: %d",
                    missing(restored, all, owned)).isTrue();
            System.out.printf("[checkpoint-restore] caught up in %d ms: %d blobs x %d shards%n",
                    Blobs.millisSince(start), all.size(), owned.size());

            // Both ways of catching up were used: gained shards from their previous owner, newer blobs by recovery.
            String metrics = restored.metrics().scrape();
            assertThat(metric(metrics, "tusk_node_shard_sync_shards_total{source=\"previous_owner\"}"))
                    .as("shards pulled from their previous owner").isGreaterThanOrEqualTo(1);
            assertThat(metric(metrics, "tusk_node_recovery_slivers_recovered_total"))
                    .as("slivers rebuilt by recovery").isGreaterThanOrEqualTo(1);

            // It serves every sliver it owns, over HTTP.
            HttpClient http = HttpClient.newHttpClient();
            int served = 0;
            for (BlobId blobId : all.keySet()) {
                for (int shard : owned) {
                    int pair = blobId.pairForShard(shard, SHARDS);
                    for (SliverType type : SliverType.values()) {
                        HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create(restored.url()
                                        + "/v1/blobs/" + blobId + "/slivers/" + pair + "/" + type.wireName())).build(),
                                HttpResponse.BodyHandlers.ofByteArray());
                        assertThat(response.statusCode()).as("shard %d %s of %s", shard, type, blobId).isEqualTo(200);
                        served++;
                    }
                }
            }
            System.out.println("[checkpoint-restore] slivers served by the restored node=" + served);
            for (Map.Entry<BlobId, byte[]> e : all.entrySet()) {
                Blobs.assertReads(cluster.client(), e.getKey(), e.getValue());
            }
        });
    }

    @Test
    void shouldKeepTheRetentionCountAndRefuseBadAdminRequests() throws Exception {
        TestCluster.runWithNewCluster(NODES, SHARDS, cluster -> {
            StorageNode node = cluster.node(RESTORED);
            List<Path> taken = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                taken.add(node.checkpoints().create().path());
            }
            // Retention 3 (the default): the two oldest are gone.
            assertThat(Checkpoints.list(node.config().checkpoints().directory())).extracting(Checkpoints.Checkpoint::path)
                    .containsExactlyElementsOf(taken.subList(2, 5));
            assertThatThrownBy(() -> AdminClient.send(node.adminSocketPath(), "checkpoint relative/path"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("absolute");
            assertThatThrownBy(() -> AdminClient.send(node.adminSocketPath(), "drop-database"))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("unknown admin request");
            Path outside = cluster.directory().resolve("exported");
            assertThat(AdminClient.send(node.adminSocketPath(), "checkpoint " + outside).path("checkpoint")
                    .path("path").asText()).isEqualTo(outside.toString());
            assertThat(outside.resolve("CURRENT")).isRegularFile();
            assertThat(Checkpoints.list(node.config().checkpoints().directory())).hasSize(3);
        });
    }

    private static Map<BlobId, byte[]> storeSome(TestCluster cluster, int count) {
        Map<BlobId, byte[]> stored = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            byte[] blob = cluster.randomBlob(1 + cluster.random().nextInt(80_000));
            stored.put(Blobs.id(cluster.client().store(blob, StoreOptions.defaults().withEpochs(5).permanent())), blob);
        }
        return stored;
    }

    /** Slivers of {@code blobs} on {@code shards} that the node does not store yet. */
    private static int missing(StorageNode node, Map<BlobId, byte[]> blobs, List<Integer> shards) {
        int missing = 0;
        for (BlobId blobId : blobs.keySet()) {
            for (int shard : shards) {
                for (SliverType type : SliverType.values()) {
                    if (!node.store().hasSliver(shard, type, blobId)) {
                        missing++;
                    }
                }
            }
        }
        return missing;
    }

    private static CommitteeMember memberOf(CommitteeInfo committee, StorageNode node) {
        return committee.members().stream().filter(m -> Arrays.equals(m.blsPublicKey(), node.publicKey().bytes()))
                .findFirst().orElseThrow(() -> new AssertionError("node not in the committee of epoch "
                        + committee.epoch()));
    }

    private static double metric(String text, String series) {
        for (String line : text.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        throw new AssertionError("no series " + series);
    }
}
