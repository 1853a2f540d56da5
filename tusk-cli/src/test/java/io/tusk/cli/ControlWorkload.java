package io.tusk.cli;

import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.client.TuskClient;
import io.tusk.control.api.Command;
import io.tusk.control.api.Event;
import io.tusk.control.api.EventPage;
import io.tusk.control.client.ControlClient;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.metadata.BlobId;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A continuous workload on a {@link ProcessCluster}, with the history a checker compares against the final state:
 * <ul>
 *   <li>a writer storing random blobs (1 B to 32 KiB, from the seed) through the SDK, one after the other, recording
 *   each acknowledged store (blob ID, object ID, bytes) and each failed one (outcome unknown);</li>
 *   <li>a reader reading acknowledged blobs back and comparing every byte; each failure is recorded;</li>
 *   <li>a probe submitting a faucet of 1 from its own account every 100 ms, recording acknowledged and failed ones and
 *   when each was acknowledged (the control plane's failover time).</li>
 * </ul>
 * The checker ({@link #check}) asks every replica for its whole event stream and compares: same events everywhere;
 * every acknowledged store registered and certified exactly once under the object ID the client was given; no blob
 * registered twice, no object ID twice; the wallet's nonce equal to the commands it sent that took effect, and the
 * probe's nonce and balance equal to its applied faucets, between the acknowledged and the acknowledged plus unknown.
 */
final class ControlWorkload implements AutoCloseable {
    /** One acknowledged store. */
    record Stored(BlobId blobId, String objectId, byte[] bytes, long acknowledgedNanos) {
    }

    private final ProcessCluster cluster;
    private final Random random;
    private final Ed25519KeyPair probeKey;
    private final TuskClient writerClient;
    private final TuskClient readerClient;
    private final ControlClient probeClient;
    final List<Stored> stored = new CopyOnWriteArrayList<>();
    final List<String> storeFailures = new CopyOnWriteArrayList<>();
    final List<String> readFailures = new CopyOnWriteArrayList<>();
    final List<Long> probeAcks = new CopyOnWriteArrayList<>();
    final AtomicLong probeUnknown = new AtomicLong();
    final AtomicLong reads = new AtomicLong();
    private volatile boolean running = true;
    private volatile boolean paused;
    private final Set<Thread> busy = ConcurrentHashMap.newKeySet();
    private final List<Thread> threads = new ArrayList<>();

    ControlWorkload(ProcessCluster cluster, long seed) {
        this.cluster = cluster;
        this.random = new Random(seed);
        byte[] secret = new byte[32];
        new Random(seed ^ 0x5EED).nextBytes(secret);
        this.probeKey = io.tusk.core.crypto.Ed25519KeyPair.fromSecret(secret);
        this.writerClient = cluster.client();
        this.readerClient = cluster.client();
        this.probeClient = new ControlClient(cluster.controlUrls());
    }

    ControlWorkload start() {
        threads.add(Thread.ofPlatform().name("workload-writer").daemon(true).start(this::write));
        threads.add(Thread.ofPlatform().name("workload-reader").daemon(true).start(this::read));
        threads.add(Thread.ofPlatform().name("workload-probe").daemon(true).start(this::probe));
        return this;
    }

    private void write() {
        while (running) {
            if (!enter()) {
                continue;
            }
            try {
                byte[] blob;
                synchronized (random) {
                    blob = new byte[1 + random.nextInt(32 * 1024)];
                    random.nextBytes(blob);
                }
                StoreResult result = writerClient.store(blob, StoreOptions.defaults());
                String objectId = result instanceof StoreResult.NewlyCreated n ? n.blobObject().id()
                        : ((StoreResult.AlreadyCertified) result).objectId();
                stored.add(new Stored(BlobId.parse(result.blobId()), objectId, blob, System.nanoTime()));
            } catch (RuntimeException e) {
                storeFailures.add(e.toString());
            } finally {
                leave();
            }
        }
    }

    private void read() {
        while (running) {
            if (stored.isEmpty() || !enter()) {
                sleep(50);
                continue;
            }
            try {
                Stored s;
                synchronized (random) {
                    s = stored.get(random.nextInt(stored.size()));
                }
                byte[] back = readerClient.read(s.blobId());
                reads.incrementAndGet();
                if (!java.util.Arrays.equals(back, s.bytes())) {
                    readFailures.add(s.blobId() + " read back different bytes");
                }
            } catch (RuntimeException e) {
                readFailures.add(e.toString());
            } finally {
                leave();
            }
        }
    }

    private void probe() {
        while (running) {
            if (!enter()) {
                continue;
            }
            try {
                probeClient.submit(new Command.Faucet(1), probeKey);
                probeAcks.add(System.nanoTime());
            } catch (RuntimeException e) {
                probeUnknown.incrementAndGet();
            } finally {
                leave();
            }
            sleep(100);
        }
    }

    private boolean enter() {
        if (paused) {
            sleep(50);
            return false;
        }
        busy.add(Thread.currentThread());
        if (paused) {
            busy.remove(Thread.currentThread());
            return false;
        }
        return true;
    }

    private void leave() {
        busy.remove(Thread.currentThread());
    }

    /** Stops new operations and waits for the ones in flight. */
    void pause() {
        paused = true;
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!busy.isEmpty() && System.nanoTime() < deadline) {
            sleep(50);
        }
        assertThat(busy).as("operations still in flight after 3 minutes").isEmpty();
    }

    void resume() {
        paused = false;
    }

    /** Waits until {@code count} more stores were acknowledged than now. */
    void awaitStores(int count, Duration timeout) {
        int target = stored.size() + count;
        long deadline = System.nanoTime() + timeout.toNanos();
        while (stored.size() < target) {
            assertThat(System.nanoTime()).as("%d stores acknowledged within %s (failures: %s)", count, timeout,
                    tail(storeFailures)).isLessThan(deadline);
            sleep(100);
        }
    }

    /** Milliseconds from {@code since} to the first store acknowledged after it, waiting up to {@code timeout}. */
    long millisToFirstStoreAfter(long since, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (Stored s : stored) {
                if (s.acknowledgedNanos() > since) {
                    return (s.acknowledgedNanos() - since) / 1_000_000;
                }
            }
            sleep(20);
        }
        throw new AssertionError("no store acknowledged within " + timeout + " (failures: " + tail(storeFailures) + ")");
    }

    /** Milliseconds from {@code since} to the first control-plane command (probe) acknowledged after it. */
    long millisToFirstCommandAfter(long since, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (long ack : probeAcks) {
                if (ack > since) {
                    return (ack - since) / 1_000_000;
                }
            }
            sleep(20);
        }
        throw new AssertionError("no command acknowledged within " + timeout);
    }

    /**
     * With the workload paused: waits until every running replica applied the same events, then checks the history
     * against them (see the class comment) and reads every acknowledged blob back.
     */
    void check(String phase) throws InterruptedException {
        pause();
        try {
            List<Event> events = awaitSameEvents(phase);
            String wallet = cluster.wallet().publicKey().address().toString();
            Map<String, Integer> registrations = new HashMap<>();
            Map<String, String> objectOfBlob = new HashMap<>();
            Set<String> objects = new HashSet<>();
            Map<String, Integer> certifications = new HashMap<>();
            for (Event e : events) {
                if (e instanceof Event.BlobRegistered r) {
                    assertThat(objects.add(r.objectId())).as("%s: object %s registered twice", phase, r.objectId()).isTrue();
                    if (r.owner().equals(wallet)) {
                        registrations.merge(r.blobId(), 1, Integer::sum);
                        objectOfBlob.put(r.blobId(), r.objectId());
                    }
                } else if (e instanceof Event.BlobCertified c && !c.isExtension()) {
                    certifications.merge(c.objectId(), 1, Integer::sum);
                }
            }
            registrations.forEach((blobId, n) -> assertThat(n).as("%s: blob %s registered %d times", phase, blobId, n)
                    .isEqualTo(1));
            certifications.forEach((objectId, n) -> assertThat(n).as("%s: object %s certified %d times", phase,
                    objectId, n).isEqualTo(1));
            for (Stored s : stored) {
                String blobId = s.blobId().toString();
                assertThat(registrations).as("%s: acknowledged blob %s is registered", phase, blobId).containsKey(blobId);
                assertThat(objectOfBlob.get(blobId)).as("%s: the object the client was given", phase)
                        .isEqualTo(s.objectId());
                assertThat(certifications).as("%s: acknowledged blob %s is certified", phase, blobId)
                        .containsKey(s.objectId());
            }
            // every nonce the wallet used is one of its commands that took effect: a registration or a certification
            long walletCommands = registrations.size() + objectOfBlob.values().stream()
                    .filter(certifications::containsKey).count();
            long walletNonce = probeClient.account(wallet).orElseThrow().nextNonce();
            assertThat(walletNonce).as("%s: the wallet's nonce counts its applied commands", phase)
                    .isEqualTo(walletCommands);
            var probe = probeClient.account(probeKey.publicKey().address().toString()).orElseThrow();
            assertThat(probe.balance()).as("%s: the probe's faucets applied once each", phase).isEqualTo(probe.nextNonce());
            assertThat(probe.nextNonce()).as("%s: acknowledged probes applied, unknown ones at most once", phase)
                    .isBetween((long) probeAcks.size(), probeAcks.size() + probeUnknown.get());
            for (Stored s : stored) {
                assertThat(readerClient.read(s.blobId())).as("%s: %s reads back", phase, s.blobId()).isEqualTo(s.bytes());
            }
            System.out.printf("[failover] %s: checked %d events, %d stores acknowledged (%d failed), %d probes "
                            + "acknowledged (%d unknown), %d reads (%d failed)%n", phase, events.size(), stored.size(),
                    storeFailures.size(), probeAcks.size(), probeUnknown.get(), reads.get(), readFailures.size());
        } finally {
            resume();
        }
    }

    /** The event stream, once every running replica holds the same one (each asked directly). */
    private List<Event> awaitSameEvents(String phase) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            List<List<Event>> all = new ArrayList<>();
            boolean complete = true;
            for (int k = 1; k <= cluster.replicaCount(); k++) {
                if (!cluster.isReplicaAlive(k)) {
                    continue;
                }
                try {
                    all.add(allEvents(cluster.controlUrl(k)));
                } catch (RuntimeException e) {
                    complete = false;
                    last = "control-" + k + ": " + e;
                }
            }
            if (complete && !all.isEmpty() && all.stream().allMatch(all.getFirst()::equals)) {
                return all.getFirst();
            }
            if (complete) {
                last = "event counts " + all.stream().map(List::size).toList();
            }
            Thread.sleep(200);
        }
        throw new AssertionError(phase + ": the replicas did not converge on one event stream within 90 s: " + last);
    }

    private static List<Event> allEvents(URI replica) {
        List<Event> events = new ArrayList<>();
        try (ControlClient one = new ControlClient(List.of(replica), Duration.ofSeconds(5), Duration.ofSeconds(1))) {
            long cursor = 0;
            while (true) {
                EventPage page = one.events(cursor, 1000, 0);
                events.addAll(page.events());
                if (page.events().isEmpty()) {
                    return events;
                }
                cursor = page.next();
            }
        }
    }

    private static String tail(List<String> list) {
        return list.subList(Math.max(0, list.size() - 3), list.size()).toString();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        paused = false;
        for (Thread t : threads) {
            try {
                t.join(60_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        writerClient.close();
        readerClient.close();
        probeClient.close();
    }
}
