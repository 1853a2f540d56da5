package io.tusk.testkit;

import io.tusk.client.BlobNotFoundException;
import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.client.TuskClient;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.control.client.ControlClient;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodedBlob;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.messages.SyncShardMessage;
import io.tusk.core.metadata.BlobId;
import io.tusk.node.StorageNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Epoch changes, shard migration and garbage collection on a real in-process cluster (seeds printed). */
class EpochScenarioTest {
    private static final int SHARDS = 12;

    @TempDir
    Path dir;

    private static long seed() {
        long seed = Long.getLong("tusk.seed", new SecureRandom().nextLong());
        System.out.println("EpochScenarioTest seed=" + seed + " (rerun with -Dtusk.seed=" + seed + ")");
        return seed;
    }


    private static CommitteeMember memberOf(CommitteeInfo committee, StorageNode node) {
        return committee.members().stream().filter(m -> Arrays.equals(m.blsPublicKey(), node.publicKey().bytes()))
                .findFirst().orElse(null);
    }

    @Test
    void shouldChangeCommitteeWithAJoinAndALeaveUnderLoadWithoutLosingABlobOrFailingARead() throws Exception {
        long seed = seed();
        Random random = new Random(seed);
        try (LocalCluster cluster = LocalCluster.start(dir, 4, SHARDS, 0, 0); TuskClient client = cluster.client();
             ControlClient control = new ControlClient(cluster.controlUrl())) {
            Map<BlobId, byte[]> stored = new ConcurrentHashMap<>();
            Map<BlobId, Integer> certifiedIn = new ConcurrentHashMap<>();
            List<String> failures = new CopyOnWriteArrayList<>();
            AtomicBoolean running = new AtomicBoolean(true);
            long workloadSeed = random.nextLong();
            Thread workload = Thread.ofPlatform().name("workload").start(() -> {
                Random r = new Random(workloadSeed);
                List<BlobId> ids = new ArrayList<>();
                while (running.get()) {
                    byte[] blob = new byte[1 + r.nextInt(30_000)];
                    r.nextBytes(blob);
                    try {
                        StoreResult result = client.store(blob, StoreOptions.defaults().withEpochs(5).permanent());
                        BlobId id = BlobId.parse(result.blobId());
                        stored.put(id, blob);
                        ids.add(id);
                        if (result instanceof StoreResult.NewlyCreated created) {
                            certifiedIn.put(id, created.blobObject().certifiedEpoch());
                        }
                    } catch (RuntimeException e) {
                        failures.add("store: " + e);
                    }
                    if (!ids.isEmpty()) {
                        BlobId id = ids.get(r.nextInt(ids.size()));
                        try {
                            if (!Arrays.equals(client.read(id), stored.get(id))) {
                                failures.add("read of " + id + " returned other bytes");
                            }
                        } catch (RuntimeException e) {
                            failures.add("read of " + id + ": " + e);
                        }
                    }
                }
            });
            await("blobs stored in epoch 1").atMost(Duration.ofSeconds(60)).until(() -> stored.size() >= 5);

            int joiner = cluster.joinNode(1_000_000);
            int leaver = 1 + random.nextInt(3);
            System.out.println("joiner=node-" + (joiner + 1) + " leaver=node-" + (leaver + 1));
            CommitteeInfo before = control.committee();
            CommitteeMember leaving = memberOf(before, cluster.node(leaver));
            cluster.leave(leaver);
            await("more blobs before the change").atMost(Duration.ofSeconds(60)).until(() -> stored.size() >= 8);
            cluster.advanceEpoch();
            CommitteeInfo after = control.committee();
            CommitteeMember joined = memberOf(after, cluster.node(joiner));
            assertThat(joined).isNotNull();
            assertThat(memberOf(after, cluster.node(leaver))).isNull();
            assertThat(joined.shards()).containsExactlyInAnyOrderElementsOf(leaving.shards()); // minimal movement

            await("the joiner synced its shards").atMost(Duration.ofSeconds(120)).until(() -> control.epochChange().syncedNodes().contains(joined.nodeId()));
            await("the change is done").atMost(Duration.ofSeconds(60)).until(() -> control.epoch().changeDone());
            StorageNode old = cluster.node(leaver);
            await("the leaver dropped the shards it handed over").atMost(Duration.ofSeconds(60)).until(() -> leaving.shards().stream().allMatch(s -> old.store().scanSlivers(s, SliverType.PRIMARY,
                            BlobId.of(new byte[32]), 1).isEmpty()));
            await("more blobs in epoch 2").atMost(Duration.ofSeconds(60)).until(() -> certifiedIn.containsValue(2));
            cluster.stopNode(leaver); // gone for good: nothing may depend on it any more
            Thread.sleep(1_000);
            running.set(false);
            workload.join(120_000);

            assertThat(failures).as("workload failures (seed " + seed + ")").isEmpty();
            // No certified blob lost: every one reads back byte-identical.
            for (Map.Entry<BlobId, byte[]> e : stored.entrySet()) {
                assertThat(client.read(e.getKey())).isEqualTo(e.getValue());
            }
            // Slivers moved byte-identical: the joiner holds exactly the encoder's slivers of every blob of epoch 1.
            StorageNode joinerNode = cluster.node(joiner);
            BlobEncoder encoder = new BlobEncoder(SHARDS);
            int checked = 0;
            for (Map.Entry<BlobId, Integer> e : certifiedIn.entrySet()) {
                if (e.getValue() >= 2) {
                    continue;
                }
                EncodedBlob encoded = encoder.encode(stored.get(e.getKey()));
                for (int shard : joined.shards()) {
                    int pair = e.getKey().pairForShard(shard, SHARDS);
                    for (SliverType type : SliverType.values()) {
                        byte[] expected = encoded.pairs().get(pair).sliver(type).toBcs();
                        assertThat(joinerNode.store().sliver(shard, type, e.getKey())).as("shard %d %s of %s", shard, type,
                                e.getKey()).hasValueSatisfying(v -> assertThat(v).isEqualTo(expected));
                        checked++;
                    }
                }
            }
            assertThat(checked).isGreaterThan(0);
            System.out.println("blobs=" + stored.size() + " slivers checked on the joiner=" + checked);
        }
    }

    @Test
    void shouldCollectExpiredAndDeletedBlobsOnEveryNode() throws Exception {
        long seed = seed();
        Random random = new Random(seed);
        try (LocalCluster cluster = LocalCluster.start(dir, 4, SHARDS, 0, 0); TuskClient client = cluster.client()) {
            byte[] expiring = new byte[1_500_000];
            byte[] deleted = new byte[1_500_000];
            byte[] kept = new byte[1_000];
            random.nextBytes(expiring);
            random.nextBytes(deleted);
            random.nextBytes(kept);
            BlobId expiringId = BlobId.parse(client.store(expiring, StoreOptions.defaults().withEpochs(1).permanent()).blobId());
            StoreResult.NewlyCreated deletable = (StoreResult.NewlyCreated) client.store(deleted,
                    StoreOptions.defaults().withEpochs(5));
            BlobId deletedId = BlobId.parse(deletable.blobId());
            BlobId keptId = BlobId.parse(client.store(kept, StoreOptions.defaults().withEpochs(5).permanent()).blobId());
            long before = totalShardBytes(cluster);
            for (int i = 0; i < cluster.nodeCount(); i++) {
                assertThat(cluster.node(i).store().hasMetadata(expiringId)).isTrue();
            }

            client.delete(ObjectId.parse(deletable.blobObject().id()));
            cluster.advanceEpoch(); // epoch 2: the end epoch of the expiring blob
            await("garbage collection on every node").atMost(Duration.ofSeconds(30)).until(() -> {
                for (int i = 0; i < cluster.nodeCount(); i++) {
                    StorageNode node = cluster.node(i);
                    if (node.garbageCollector().lastCompletedEpoch() < 2 || node.store().hasMetadata(expiringId)
                            || node.store().hasMetadata(deletedId)) {
                        return false;
                    }
                }
                return true;
            });
            for (int i = 0; i < cluster.nodeCount(); i++) {
                StorageNode node = cluster.node(i);
                for (int shard : node.store().storedShards()) {
                    for (SliverType type : SliverType.values()) {
                        assertThat(node.store().sliver(shard, type, expiringId)).isEmpty();
                        assertThat(node.store().sliver(shard, type, deletedId)).isEmpty();
                    }
                }
                assertThat(node.store().blobInfo(expiringId)).isEmpty();
            }
            long after = totalShardBytes(cluster);
            System.out.println("shard bytes before=" + before + " after=" + after);
            // The big blobs' slivers are gone; what stays is the small blob and each SST file's fixed overhead.
            assertThat(after).isLessThan(before / 4);
            assertThatThrownBy(() -> client.read(expiringId)).isInstanceOf(BlobNotFoundException.class);
            assertThatThrownBy(() -> client.read(deletedId)).isInstanceOf(BlobNotFoundException.class);
            assertThat(client.read(keptId)).isEqualTo(kept);
        }
    }

    private static long totalShardBytes(LocalCluster cluster) {
        long total = 0;
        for (int i = 0; i < cluster.nodeCount(); i++) {
            StorageNode node = cluster.node(i);
            for (int shard : node.store().storedShards()) {
                total += node.store().shardDataBytes(shard);
            }
        }
        return total;
    }

    @Test
    void shouldRefuseUnauthenticatedOrUnauthorizedShardSync() throws Exception {
        try (LocalCluster cluster = LocalCluster.start(dir, 4, SHARDS, 0, 0);
             ControlClient control = new ControlClient(cluster.controlUrl())) {
            await("nodes know the committee").atMost(Duration.ofSeconds(30)).until(() -> cluster.node(0).service().state().view().isKnown());
            CommitteeInfo committee = control.committee();
            StorageNode target = cluster.node(0);
            int shard = memberOf(committee, target).shards().getFirst();
            BlsKeyPair other = StorageNode.loadOrCreateKey(dir.resolve("node-2").resolve("bls.key"));
            BlsKeyPair stranger = BlsKeyPair.generate(new SecureRandom());
            byte[] fromOther = new SyncShardMessage(committee.epoch(), shard, SliverType.PRIMARY, BlobId.of(new byte[32]), 10)
                    .sign(other).toBcs();
            HttpClient http = HttpClient.newHttpClient();
            URI uri = URI.create(target.url() + "/v1/migrate/sync_shard");
            // Unsigned: no Authorization header.
            assertThat(post(http, uri, null, fromOther).statusCode()).isEqualTo(401);
            // A header that is no key.
            assertThat(post(http, uri, "not-a-key", fromOther).statusCode()).isEqualTo(400);
            // Wrong signer: the header names a key that did not sign.
            HttpResponse<String> wrongSigner = post(http, uri, stranger.publicKey().toBase64(), fromOther);
            assertThat(wrongSigner.statusCode()).isEqualTo(400);
            assertThat(wrongSigner.body()).contains("MESSAGE_VERIFICATION_FAILED");
            // Properly signed, but the caller does not own the shard in the current epoch.
            HttpResponse<String> notOwner = post(http, uri, other.publicKey().toBase64(), fromOther);
            assertThat(notOwner.statusCode()).isEqualTo(403);
            assertThat(notOwner.body()).contains("REQUEST_UNAUTHORIZED");
            // A stranger signing for itself is not a committee member either.
            byte[] fromStranger = new SyncShardMessage(committee.epoch(), shard, SliverType.PRIMARY,
                    BlobId.of(new byte[32]), 10).sign(stranger).toBcs();
            assertThat(post(http, uri, stranger.publicKey().toBase64(), fromStranger).statusCode()).isEqualTo(403);
            // Wrong epoch.
            byte[] oldEpoch = new SyncShardMessage(committee.epoch() + 5, shard, SliverType.PRIMARY,
                    BlobId.of(new byte[32]), 10).sign(other).toBcs();
            HttpResponse<String> wrongEpoch = post(http, uri, other.publicKey().toBase64(), oldEpoch);
            assertThat(wrongEpoch.statusCode()).isEqualTo(400);
            assertThat(wrongEpoch.body()).contains("INVALID_EPOCH");
        }
    }

    private static HttpResponse<String> post(HttpClient http, URI uri, String auth, byte[] body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (auth != null) {
            request.header("Authorization", auth);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
