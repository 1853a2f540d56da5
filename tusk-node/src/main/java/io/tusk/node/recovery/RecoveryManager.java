package io.tusk.node.recovery;

import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadata;
import io.tusk.node.events.ControlSource;
import io.tusk.node.service.CommitteeView;
import io.tusk.node.service.NodeState;
import io.tusk.node.service.StorageService;
import io.tusk.node.store.BlobInfo;
import io.tusk.node.store.CorruptionListener;
import io.tusk.node.store.NodeStore;
import io.tusk.node.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Runs recovery: a queue of blobs whose slivers this node lacks, worked by a bounded number of workers under a byte
 * budget. Blobs enter the queue when their certification is applied ({@link #onCertified}) and the node lacks
 * slivers, from the {@code pending_recovery} column family at start (interrupted work), and from a start-up scan of
 * every certified blob (a wiped or corrupted store). Every queued blob is recorded in {@code pending_recovery} (one
 * synced batch per event page or scan page) and removed once its slivers are all stored, so a restart resumes.
 *
 * <p>As the store's {@link CorruptionListener} it also queues blobs whose sliver or metadata the store found corrupt
 * and dropped, and scans again after the store recreated a corrupt column family.
 */
public final class RecoveryManager implements AutoCloseable, CorruptionListener {
    private static final Logger LOG = LoggerFactory.getLogger(RecoveryManager.class);
    private static final byte[] MARK = new byte[] {1};
    private static final int SCAN_PAGE = 512;

    private final StorageService service;
    private final NodeStore store;
    private final NodeState state;
    private final ControlSource control;
    private final BlsPublicKey self;
    private final RecoveryConfig config;
    private final RecoveryMetrics metrics;
    private final Peers peers;
    private final ExecutorService io = Executors.newVirtualThreadPerTaskExecutor();
    private final BlobRecovery recovery;
    private final DelayQueue<Task> queue = new DelayQueue<>();
    private final Map<BlobId, Task> queued = new ConcurrentHashMap<>();
    private final Semaphore bytes;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running = true;

    private static final class Task implements Delayed {
        final BlobId blobId;
        final boolean verify;
        volatile long notBeforeNanos;
        int attempts;
        /** Set when data of the blob was dropped while it was queued: check it once more after this run. */
        volatile boolean again;

        Task(BlobId blobId, boolean verify, long notBeforeNanos) {
            this.blobId = blobId;
            this.verify = verify;
            this.notBeforeNanos = notBeforeNanos;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(notBeforeNanos - System.nanoTime(), TimeUnit.NANOSECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(notBeforeNanos, ((Task) o).notBeforeNanos);
        }
    }

    public RecoveryManager(StorageService service, ControlSource control, BlsPublicKey self, RecoveryConfig config,
                           io.micrometer.core.instrument.MeterRegistry registry) {
        this.service = service;
        this.store = service.store();
        this.state = service.state();
        this.control = control;
        this.self = self;
        this.config = config;
        this.metrics = new RecoveryMetrics(registry, queued::size);
        this.peers = new Peers(config.requestTimeout(), metrics);
        this.bytes = new Semaphore((int) Math.min(Integer.MAX_VALUE, Math.max(1, config.maxInflightBytes() >> 10)));
        InvalidBlobReporter reporter = new InvalidBlobReporter(service, control,
                Ed25519KeyPair.generate(new SecureRandom()), io, peers::current);
        this.recovery = new BlobRecovery(store, metrics, io, reporter);
    }

    public RecoveryMetrics metrics() {
        return metrics;
    }

    /** Blobs queued or being worked on. */
    public int pending() {
        return queued.size();
    }

    /** Starts the workers, requeues interrupted work and scans the store in the background. */
    public void start() {
        // Platform threads, not virtual ones: rebuilding and verifying slivers is long CPU work (hashing, decoding,
        // RocksDB reads that pin their carrier), and virtual threads are not preempted, so on a small machine a few
        // of them kept every carrier busy and starved the requests of the whole process (a devnet's control plane
        // stopped answering while four nodes verified their slivers at start).
        synchronized (workers) {
            for (int i = 0; i < config.concurrency(); i++) {
                Thread worker = Thread.ofPlatform().daemon().name("tusk-node-recovery-" + i).unstarted(this::work);
                workers.add(worker);
                worker.start();
            }
            // Joined on close like the workers: a scan still running after the store closed would touch freed RocksDB
            // handles.
            workers.add(Thread.ofPlatform().daemon().name("tusk-node-recovery-scan").start(this::startupScan));
        }
    }

    /** Called after a page of events is applied, with the blobs certified (or extended) in it. */
    public void onCertified(Collection<BlobId> blobIds) {
        CommitteeView view = state.view();
        if (!view.isKnown() || blobIds.isEmpty()) {
            return;
        }
        List<BlobId> lacking = new ArrayList<>();
        for (BlobId blobId : blobIds) {
            if (!queued.containsKey(blobId) && BlobRecovery.needsData(store.blobInfo(blobId), view.epoch())
                    && !service.storesAllSlivers(blobId, view)) {
                lacking.add(blobId);
            }
        }
        enqueue(lacking, false, config.delay().toNanos());
    }

    private void enqueue(List<BlobId> blobIds, boolean verify, long delayNanos) {
        if (blobIds.isEmpty()) {
            return;
        }
        try (NodeStore.Batch batch = store.batch()) {
            for (BlobId blobId : blobIds) {
                batch.putPendingRecovery(blobId, MARK);
            }
            batch.commit();
        } catch (StoreException e) {
            // Rebuilt all the same; only a restart before the work is done would not resume it from the marks (its
            // start-up scan finds every certified blob lacking slivers anyway).
            LOG.warn("cannot record {} blobs queued for recovery: {}", blobIds.size(), e.getMessage());
        }
        long at = System.nanoTime() + delayNanos;
        for (BlobId blobId : blobIds) {
            Task task = new Task(blobId, verify, at);
            if (queued.putIfAbsent(blobId, task) == null) {
                queue.add(task);
            }
        }
        LOG.info("queued blobs for recovery count={} verify={}", blobIds.size(), verify);
    }

    /**
     * Rebuilds this node's slivers of {@code shards} (which it owns, or is about to own once its view of the committee
     * catches up) for every certified blob, from recovery symbols of the other nodes: every certified blob lacking one
     * of them is queued (and recorded in {@code pending_recovery}), and the call returns once all of those are done.
     * The shard manager's fallback when a gained shard's previous owner is gone.
     */
    public void recoverShards(java.util.Set<Integer> shards) throws InterruptedException {
        CommitteeView view = state.view();
        while (running && !view.ownedShards().containsAll(shards)) {
            Thread.sleep(100);
            view = state.view();
        }
        if (!running) {
            throw new InterruptedException("recovery closed");
        }
        long epoch = view.epoch();
        List<BlobId> all = new ArrayList<>();
        BlobId from = BlobId.of(new byte[BlobId.LENGTH]);
        while (running && from != null) {
            List<Map.Entry<BlobId, BlobInfo>> page = store.scanBlobInfo(from, SCAN_PAGE);
            List<BlobId> lacking = new ArrayList<>();
            for (Map.Entry<BlobId, BlobInfo> e : page) {
                if (BlobRecovery.needsData(Optional.of(e.getValue()), epoch) && lacksAny(e.getKey(), shards)) {
                    lacking.add(e.getKey());
                }
            }
            enqueue(lacking, false, 0);
            all.addAll(lacking);
            from = page.size() < SCAN_PAGE ? null : next(page.getLast().getKey());
        }
        LOG.info("recovering shards {}: {} certified blobs lack slivers of them", shards, all.size());
        long lastLog = System.nanoTime();
        int left = all.size();
        while (running && left > 0) {
            Thread.sleep(100);
            left = 0;
            for (BlobId blobId : all) {
                if (queued.containsKey(blobId)) {
                    left++;
                }
            }
            if (System.nanoTime() - lastLog > TimeUnit.SECONDS.toNanos(10)) {
                LOG.info("recovering shards {}: {} of {} blobs left", shards, left, all.size());
                lastLog = System.nanoTime();
            }
        }
        if (left > 0) {
            throw new InterruptedException("recovery closed with " + left + " blobs of shards " + shards + " left");
        }
    }

    private boolean lacksAny(BlobId blobId, java.util.Set<Integer> shards) {
        for (int shard : shards) {
            for (SliverType type : SliverType.values()) {
                if (!store.hasSliver(shard, type, blobId)) {
                    return true;
                }
            }
        }
        return false;
    }

    private void startupScan() {
        try {
            while (running && !state.view().isKnown()) {
                Thread.sleep(100);
            }
            if (!running) {
                return;
            }
            List<BlobId> interrupted = new ArrayList<>();
            for (Map.Entry<BlobId, byte[]> e : store.pendingRecoveries()) {
                interrupted.add(e.getKey());
            }
            enqueue(interrupted, true, 0);
            scan("start-up", config.verifyOnStartup());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            if (running) {
                LOG.error("recovery start-up scan failed", e);
            }
        }
    }

    /**
     * Queues every certified blob that lacks metadata or a sliver of an owned shard, or (with {@code verify}) has one
     * that does not match its metadata. A blob whose check fails (a read error) is logged and the scan goes on.
     */
    private void scan(String name, boolean verify) {
        CommitteeView view = state.view();
        BlobId from = BlobId.of(new byte[BlobId.LENGTH]);
        long scanned = 0;
        long corrupt = 0;
        long failed = 0;
        while (running) {
            List<Map.Entry<BlobId, BlobInfo>> page = store.scanBlobInfo(from, SCAN_PAGE);
            List<BlobId> lacking = new ArrayList<>();
            for (Map.Entry<BlobId, BlobInfo> e : page) {
                BlobId blobId = e.getKey();
                scanned++;
                if (queued.containsKey(blobId) || !BlobRecovery.needsData(Optional.of(e.getValue()), view.epoch())) {
                    continue;
                }
                try {
                    if (!service.storesAllSlivers(blobId, view)) {
                        lacking.add(blobId);
                    } else if (verify && !storedSliversGood(blobId, view)) {
                        corrupt++;
                        lacking.add(blobId);
                    }
                } catch (RuntimeException readFailed) {
                    failed++;
                    LOG.warn("recovery {} scan cannot check blob {}: {}", name, blobId, readFailed.toString());
                }
            }
            enqueue(lacking, true, 0);
            if (page.size() < SCAN_PAGE) {
                break;
            }
            from = next(page.getLast().getKey());
            if (from == null) {
                break;
            }
        }
        LOG.info("recovery {} scan done blobs={} corrupt={} unreadable={} queued={}", name, scanned, corrupt, failed,
                queued.size());
    }

    // ---- corruption found by the store ----

    @Override
    public void blobDataDropped(BlobId blobId) {
        Task task = queued.get(blobId);
        if (task != null) {
            task.again = true;
            return;
        }
        // Off the caller's thread (often a request): queueing writes a synced mark.
        submitQuietly(() -> {
            CommitteeView view = state.view();
            if (view.isKnown() && BlobRecovery.needsData(store.blobInfo(blobId), view.epoch())) {
                enqueue(List.of(blobId), false, 0);
            }
        });
    }

    @Override
    public void familyRecreated(String family) {
        if (!running) {
            return;
        }
        // A scan reads every blob's entries: long work for a platform thread (see start()), joined on close like the
        // workers, since it reads the store.
        synchronized (workers) {
            if (!running) {
                return;
            }
            workers.add(Thread.ofPlatform().daemon().name("tusk-node-recovery-rescan").start(() -> {
                try {
                    if (running && state.view().isKnown()) { // else the start-up scan, which waits for the view, covers it
                        scan("after recreating " + family, false);
                    }
                } catch (RuntimeException e) {
                    if (running) {
                        LOG.warn("recovery scan after recreating {} failed: {}", family, e.toString(), e);
                    }
                }
            }));
        }
    }

    private void submitQuietly(Runnable work) {
        if (!running) {
            return;
        }
        try {
            io.execute(() -> {
                try {
                    work.run();
                } catch (RuntimeException e) {
                    if (running) {
                        LOG.warn("queueing corrupt data for recovery failed: {}", e.toString(), e);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            // closing
        }
    }

    private boolean storedSliversGood(BlobId blobId, CommitteeView view) {
        try {
            Optional<BlobMetadata> metadata = store.metadata(blobId);
            if (metadata.isEmpty()) {
                return false;
            }
            new io.tusk.core.metadata.BlobMetadataWithId(blobId, metadata.get()).verify(view.encodingConfig());
            return recovery.missing(blobId, view, metadata.get(), true).isEmpty();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static BlobId next(BlobId id) {
        byte[] b = id.bytes().clone();
        for (int i = b.length - 1; i >= 0; i--) {
            if (++b[i] != 0) {
                return BlobId.of(b);
            }
        }
        return null;
    }

    private void work() {
        while (running) {
            Task task;
            try {
                task = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                runTask(task);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("recovery of blob {} failed: {}", task.blobId, e.toString(), e);
                metrics.failure();
                retry(task);
            }
        }
    }

    private void runTask(Task task) throws InterruptedException {
        BlobId blobId = task.blobId;
        CommitteeView view = state.view();
        if (!view.isKnown()) {
            retry(task);
            return;
        }
        if (!BlobRecovery.needsData(store.blobInfo(blobId), view.epoch())) {
            finish(task, "not certified, expired or invalid");
            return;
        }
        Peers.Snapshot committee = committee(view);
        EncodingConfig encoding = view.encodingConfig();
        Optional<BlobMetadata> metadata = recovery.metadata(blobId, encoding, committee);
        if (metadata.isEmpty()) {
            LOG.info("no node served verified metadata yet blobId={}", blobId);
            metrics.failure();
            retry(task);
            return;
        }
        List<int[]> missing = recovery.missing(blobId, view, metadata.get(), task.verify);
        if (missing.isEmpty()) {
            finish(task, "nothing missing");
            return;
        }
        long estimate = 0;
        for (int[] m : missing) {
            SliverType type = m[1] == SliverType.PRIMARY.tag() ? SliverType.PRIMARY : SliverType.SECONDARY;
            estimate += encoding.sliverSize(type, metadata.get().unencodedLength());
        }
        int permits = (int) Math.min(Math.max(1, estimate >> 10), Math.max(1, config.maxInflightBytes() >> 10));
        bytes.acquire(permits);
        BlobRecovery.Outcome outcome;
        try {
            outcome = recovery.recover(blobId, view, committee, metadata.get(), missing,
                    () -> running && BlobRecovery.needsData(store.blobInfo(blobId), state.view().epoch()));
        } finally {
            bytes.release(permits);
        }
        switch (outcome) {
            case DONE -> {
                metrics.blobRecovered();
                finish(task, "recovered slivers=" + missing.size());
            }
            case RETRY -> {
                metrics.failure();
                LOG.info("recovery of blob {} left slivers missing (attempt {}), retrying", blobId, task.attempts + 1);
                retry(task);
            }
            case INCONSISTENT -> retry(task); // dropped once the invalidBlobId event arrives
        }
    }

    private Peers.Snapshot committee(CommitteeView view) {
        Peers.Snapshot current = peers.current();
        if (current != null && current.epoch() == view.epoch()) {
            return current;
        }
        try {
            return peers.update(control.committee(), self);
        } catch (Exception e) {
            if (current != null) {
                return current;
            }
            throw new IllegalStateException("cannot fetch the committee: " + e.getMessage(), e);
        }
    }

    private void finish(Task task, String why) {
        BlobId blobId = task.blobId;
        if (task.again) { // data dropped as corrupt while this run went on: look once more
            task.again = false;
            task.notBeforeNanos = System.nanoTime();
            queue.add(task);
            return;
        }
        try (NodeStore.Batch batch = store.batch()) {
            batch.deletePendingRecovery(blobId);
            batch.commit();
        } catch (StoreException e) {
            LOG.warn("cannot clear the recovery mark of blob {} (a restart checks it again): {}", blobId, e.getMessage());
        }
        queued.remove(blobId);
        LOG.debug("recovery finished blobId={}: {}", blobId, why);
        if (task.again) { // dropped just as this run finished
            blobDataDropped(blobId);
        }
    }

    private void retry(Task task) {
        if (!running) {
            return;
        }
        task.attempts++;
        long backoff = Math.min(config.maxBackoff().toNanos(),
                TimeUnit.MILLISECONDS.toNanos(250L << Math.min(task.attempts, 10)));
        task.notBeforeNanos = System.nanoTime() + backoff;
        queue.add(task);
    }

    @Override
    public void close() {
        List<Thread> threads;
        synchronized (workers) {
            running = false;
            threads = List.copyOf(workers);
        }
        threads.forEach(Thread::interrupt);
        io.shutdownNow();
        // Every thread that reads or writes the store has ended before this returns: the node closes its store next.
        boolean interrupted = false;
        for (Thread thread : threads) {
            while (thread.isAlive()) {
                try {
                    if (!thread.join(java.time.Duration.ofSeconds(10))) {
                        LOG.warn("{} has not stopped 10 s after close: waiting for it", thread.getName());
                        thread.interrupt();
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        io.close(); // awaits the fetches still running (interrupted above)
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        peers.close();
    }
}
