package io.tusk.spaces;

import io.tusk.client.TuskClient;
import io.tusk.control.api.BlobStatus;
import io.tusk.core.failpoint.FailPoints;
import io.tusk.core.metadata.BlobId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scenarios on a real in-process cluster (4 nodes, 16 shards). */
class SpaceScenariosTest extends SpacesOnClusterTest {

    @AfterEach
    void disarm() {
        FailPoints.disarmAll();
    }

    @Test
    void concurrentWritersGetOneWinnerPerVersionAndLoseNoUpdate() throws Exception {
        spaces.create("race", false).put("counter", utf8("0"));
        int writers = 4;
        int commitsEach = 6;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<List<CommitResult>>> futures = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            int writer = w;
            futures.add(pool.submit(() -> {
                // Each writer is its own client (its own connections and nonce handling), as separate processes are.
                try (TuskClient client = cluster.newClient()) {
                    Space space = new Spaces(client).open("race");
                    go.await();
                    List<CommitResult> mine = new ArrayList<>();
                    for (int i = 0; i < commitsEach; i++) {
                        int n = i;
                        mine.add(space.commit(tx -> {
                            long counter = Long.parseLong(new String(tx.base().read("counter"), StandardCharsets.UTF_8));
                            tx.put("counter", utf8(Long.toString(counter + 1)));
                            tx.put("writer-" + writer + "/" + n, utf8("x"));
                        }));
                    }
                    return mine;
                }
            }));
        }
        go.countDown();
        List<Long> versions = new ArrayList<>();
        int retried = 0;
        try {
            for (Future<List<CommitResult>> f : futures) {
                for (CommitResult r : f.get(5, TimeUnit.MINUTES)) {
                    versions.add(r.version());
                    retried += r.attempts() - 1;
                }
            }
        } finally {
            pool.shutdownNow();
            assertThat(pool.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
        }
        Space space = spaces.open("race");
        Snapshot head = space.snapshot();
        int total = writers * commitsEach;
        assertThat(new String(head.read("counter"), StandardCharsets.UTF_8)).isEqualTo(Integer.toString(total));
        assertThat(head.list(ListQuery.prefix("writer-").withLimit(1000)).entries()).hasSize(total);
        Collections.sort(versions);
        List<Long> expected = new ArrayList<>();
        for (long v = 2; v <= total + 1; v++) {
            expected.add(v);
        }
        assertThat(versions).as("every version has exactly one winner").isEqualTo(expected);
        System.out.println("[spaces] " + total + " commits by " + writers + " writers needed " + retried + " retries");
        assertThat(space.verify().ok()).isTrue();
    }

    @Test
    void aStreamIsFollowedWhileItGrows() throws Exception {
        Space space = spaces.create("logs", false);
        SpaceStream stream = space.stream("app");
        List<Record> seen = new CopyOnWriteArrayList<>();
        ConcurrentHashMap<Long, Long> delays = new ConcurrentHashMap<>();
        ConcurrentHashMap<Long, Long> appendedAt = new ConcurrentHashMap<>();
        int total = 200;
        Thread follower = Thread.ofVirtual().start(() -> stream.follow(0, r -> {
            seen.add(r);
            Long landed = appendedAt.get(r.offset());
            if (landed != null) {
                delays.put(r.offset(), System.nanoTime() - landed);
            }
            return seen.size() < total;
        }));
        try (StreamAppender appender = stream.appender(4096, Duration.ofMillis(100))) {
            for (int i = 0; i < total; i++) {
                appender.add(utf8("line " + i));
                if (i % 20 == 19) {
                    appender.flush();
                    long now = System.nanoTime();
                    for (long o = i - 19; o <= i; o++) {
                        appendedAt.put(o, now);
                    }
                    Thread.sleep(50);
                }
            }
        }
        follower.join(Duration.ofMinutes(2));
        assertThat(follower.isAlive()).isFalse();
        assertThat(seen).hasSize(total);
        for (int i = 0; i < total; i++) {
            assertThat(seen.get(i).offset()).isEqualTo(i);
            assertThat(new String(seen.get(i).data(), StandardCharsets.UTF_8)).isEqualTo("line " + i);
        }
        assertThat(stream.nextOffset()).isEqualTo(total);
        assertThat(stream.read(150, 10)).extracting(Record::offset).containsExactly(150L, 151L, 152L, 153L, 154L, 155L,
                156L, 157L, 158L, 159L);
        List<Long> sorted = new ArrayList<>(delays.values());
        Collections.sort(sorted);
        if (!sorted.isEmpty()) {
            System.out.printf("[spaces] follow delay after an append landed: p50 %.1f ms, max %.1f ms (%d records)%n",
                    sorted.get(sorted.size() / 2) / 1e6, sorted.getLast() / 1e6, sorted.size());
        }
    }

    @Test
    void aClientCrashBeforeTheHeadMovesLeavesTheSpaceAsItWas() {
        Space space = spaces.create("crash", false);
        space.put("a", utf8("1"));
        FailPoints.arm(Committer.BEFORE_HEAD, FailPoints.error(1));
        assertThatThrownBy(() -> space.put("b", utf8("2"))).isInstanceOf(SpaceException.class);
        assertThat(space.head().version()).isEqualTo(1);
        assertThat(space.snapshot().entry("b")).isEmpty();
        assertThat(space.put("c", utf8("3")).version()).isEqualTo(2);
        assertThat(space.verify().ok()).isTrue();
    }

    @Test
    void aStorageNodeCrashInTheMiddleOfCommitsLosesNothing() throws Exception {
        Space space = spaces.create("node-crash", false);
        space.put("before", utf8("x"));
        Thread writer = Thread.ofVirtual().start(() -> {
            for (int i = 0; i < 8; i++) {
                int n = i;
                space.commit(tx -> tx.put("k" + n, utf8("v" + n)));
            }
        });
        Thread.sleep(150);
        cluster.stopNode(3); // mid-stream: commits need only a quorum of shards
        writer.join(Duration.ofMinutes(2));
        assertThat(writer.isAlive()).isFalse();
        Snapshot head = space.snapshot();
        assertThat(head.version()).isEqualTo(9);
        for (int i = 0; i < 8; i++) {
            assertThat(head.read("k" + i)).isEqualTo(utf8("v" + i));
        }
        cluster.restartNode(3);
        assertThat(space.verify().ok()).isTrue();
    }

    @Test
    void anEncryptedSpaceStoresNoPlaintextAndForgottenBytesStayUnreadable() {
        Space space = spaces.create("vault", true);
        String secretKey = "patients/alice-smith";
        String secret = "diagnosis: very secret words";
        space.put(secretKey, utf8(secret));
        space.put("keep", utf8("keep this"));
        Snapshot head = space.snapshot();
        // Everything the space stored, read raw from the network: neither the key nor the content appears.
        for (BlobId blob : storedBlobs(space)) {
            String raw = new String(cluster.client().read(blob), StandardCharsets.ISO_8859_1);
            assertThat(raw).doesNotContain(secret).doesNotContain("alice-smith").doesNotContain("keep this");
        }
        assertThat(head.read(secretKey)).isEqualTo(utf8(secret));

        BlobId oldKeyBlob = keyBlobsOf(space).getFirst();
        space.forget(secretKey);
        // The old key blob is deleted on the network; the content's pack still exists, but its key is gone.
        assertThat(cluster.client().status(oldKeyBlob).status()).isInstanceOf(BlobStatus.Nonexistent.class);
        assertThatThrownBy(() -> space.at(1).read(secretKey)).isInstanceOf(SpaceKeyException.class);
        assertThat(space.at(2).read("keep")).isEqualTo(utf8("keep this"));
        assertThat(space.verify().ok()).isTrue();
    }

    private static List<BlobId> storedBlobs(Space space) {
        List<BlobId> out = new ArrayList<>();
        for (VersionInfo v : space.history(Long.MAX_VALUE, 100)) {
            BlobId manifest = BlobId.parse(v.manifestBlobId());
            out.add(manifest);
            space.spaces().manifest(manifest).writes().forEach(w -> out.add(w.blobId()));
        }
        return out;
    }

    private static List<BlobId> keyBlobsOf(Space space) {
        List<BlobId> out = new ArrayList<>();
        for (VersionInfo v : space.history(Long.MAX_VALUE, 100)) {
            var m = space.spaces().manifest(BlobId.parse(v.manifestBlobId()));
            m.writes().stream().filter(w -> !w.blobId().equals(m.pack())).forEach(w -> out.add(w.blobId()));
        }
        Collections.reverse(out);
        return out;
    }
}
