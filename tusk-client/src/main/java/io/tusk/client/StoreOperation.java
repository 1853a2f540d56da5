package io.tusk.client;

import io.tusk.control.api.CommitteeMember;
import io.tusk.core.encoding.BlobEncoding;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.ConfirmationCertificate;
import io.tusk.core.messages.SignedMessage;
import io.tusk.core.messages.StorageConfirmation;
import io.tusk.core.metadata.BlobId;
import io.tusk.node.client.NodeRequestException;
import io.tusk.node.client.StorageNodeClient;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Spreads one encoded blob over the committee and gathers a certificate, as Walrus's client does: every member gets
 * the metadata and the slivers of its shards, concurrently (bounded), then is asked for a signed confirmation. Once
 * members holding a quorum of shards have confirmed, the operation waits a little longer ({@code 0.5 x elapsed +
 * 500 ms}) for more, so that more nodes hold the blob at once, then aggregates. A slow or dead node never blocks a
 * write that a quorum can finish: its tasks are cancelled.
 */
final class StoreOperation {
    /** First wait before retrying a node that has not seen the registration yet; doubles up to the maximum. */
    private static final long NOT_REGISTERED_FIRST_RETRY_MILLIS = 2;
    private static final long NOT_REGISTERED_MAX_RETRY_MILLIS = 100;
    /**
     * How often a member whose attempt failed for a passing reason (no answer, a 5xx, 408 or 429) is tried again, and
     * the first pause between attempts (doubling). A store that needs every live member (one node down of four) must
     * not fail on one member's momentary hiccup; a dead member's retries are cancelled once a quorum is in. Retries
     * start only within one request timeout of the store's start, so a store that cannot reach a quorum (nodes that
     * hang) still fails after about one request timeout.
     */
    private static final int MEMBER_ATTEMPTS = 4;
    private static final long MEMBER_FIRST_RETRY_MILLIS = 200;
    /**
     * The most sliver bytes of one batch write (Tusk's batch route): a member gets its slivers of a type in requests
     * of up to this much instead of one per sliver, since a small blob's store is otherwise a few hundred requests.
     * Slivers larger than this go one by one, so the requests in flight bound the memory.
     */
    private static final long BATCH_BYTES = 1L << 20;

    private final TuskClient client;
    private final Committee committee;
    private final BlobEncoding encoded;
    private final BlobId blobId;
    private final BlobPersistence persistence;
    private final byte[] expectedMessage;
    private final ProgressListener progress;
    private final AtomicLong sentBytes = new AtomicLong();
    private final long totalBytes;
    private final Semaphore requests;
    /** When the operation began (it runs once, right after construction). */
    private final long startNanos = System.nanoTime();

    StoreOperation(TuskClient client, Committee committee, BlobEncoding encoded, BlobPersistence persistence,
                   ProgressListener progress) {
        this.client = client;
        this.committee = committee;
        this.encoded = encoded;
        this.blobId = encoded.blobId();
        this.persistence = persistence;
        this.expectedMessage = new StorageConfirmation(committee.epoch(), blobId, persistence).toBcs();
        this.progress = progress;
        this.totalBytes = (long) encoded.shardCount()
                * (encoded.sliverBytes(SliverType.PRIMARY) + encoded.sliverBytes(SliverType.SECONDARY));
        this.requests = new Semaphore(client.config().maxConcurrentRequests());
    }

    ConfirmationCertificate run() {
        int members = committee.members().size();
        long start = startNanos;
        Map<Integer, SignedMessage> confirmations = new TreeMap<>();
        Map<Integer, String> failures = new TreeMap<>();
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            ExecutorCompletionService<Map.Entry<Integer, SignedMessage>> done = new ExecutorCompletionService<>(executor);
            List<Future<?>> tasks = new ArrayList<>();
            Map<Future<?>, Integer> memberOf = new java.util.HashMap<>();
            for (int m = 0; m < members; m++) {
                int member = m;
                Future<Map.Entry<Integer, SignedMessage>> task = done.submit(
                        () -> Map.entry(member, storeAtWithRetries(member)));
                tasks.add(task);
                memberOf.put(task, member);
            }
            int weight = 0;
            long deadline = Long.MAX_VALUE;
            for (int finished = 0; finished < members; finished++) {
                Future<Map.Entry<Integer, SignedMessage>> next = deadline == Long.MAX_VALUE ? done.take()
                        : done.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (next == null) {
                    break; // the extra time is over
                }
                try {
                    Map.Entry<Integer, SignedMessage> confirmed = next.get();
                    confirmations.put(confirmed.getKey(), confirmed.getValue());
                    weight += committee.weight(confirmed.getKey());
                    if (deadline == Long.MAX_VALUE && committee.isQuorum(weight)) {
                        long elapsed = System.nanoTime() - start;
                        deadline = System.nanoTime() + elapsed / 2 + TimeUnit.MILLISECONDS.toNanos(500);
                    }
                } catch (ExecutionException e) {
                    failures.put(memberOf.get(next), String.valueOf(e.getCause().getMessage()));
                }
            }
            tasks.forEach(task -> task.cancel(true));
            if (!committee.isQuorum(weight)) {
                throw new StoreException(noQuorumMessage(weight, confirmations.keySet(), failures));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while storing blob " + blobId);
        } finally {
            executor.shutdownNow();
        }
        return ConfirmationCertificate.aggregate(List.copyOf(confirmations.keySet()), List.copyOf(confirmations.values()));
    }

    /**
     * Why no certificate: the confirmed weight against the quorum, the shards without a confirmation, and for each
     * member that did not confirm, its shards and its error (or that it did not answer in time).
     */
    private String noQuorumMessage(int weight, java.util.Set<Integer> confirmed, Map<Integer, String> failures) {
        List<Integer> missingShards = new ArrayList<>();
        List<String> members = new ArrayList<>();
        for (int m = 0; m < committee.members().size(); m++) {
            if (confirmed.contains(m)) {
                continue;
            }
            CommitteeMember member = committee.members().get(m);
            missingShards.addAll(member.shards());
            members.add(member.name() + " (shards " + member.shards() + "): "
                    + failures.getOrDefault(m, "no confirmation before the store gave up waiting"));
        }
        missingShards.sort(null);
        return "blob " + blobId + ": confirmations from " + weight + " of " + committee.shardCount()
                + " shards, a quorum needs more than " + 2 * io.tusk.core.Bft.maxFaulty(committee.shardCount())
                + "; no confirmation for shards " + missingShards + "; " + String.join("; ", members);
    }

    /**
     * {@link #storeAt} again after a passing failure, with a doubling pause; resending what the member already holds
     * is harmless (a node accepts the same metadata and slivers again). A refusal (4xx) or a bad confirmation is final.
     */
    private SignedMessage storeAtWithRetries(int member) throws InterruptedException {
        long pause = MEMBER_FIRST_RETRY_MILLIS;
        for (int attempt = 1; ; attempt++) {
            try {
                return storeAt(member);
            } catch (NodeRequestException e) {
                boolean late = System.nanoTime() - startNanos >= client.config().requestTimeout().toNanos();
                if (attempt >= MEMBER_ATTEMPTS || late || !isPassing(e) || Thread.currentThread().isInterrupted()) {
                    throw attempt == 1 ? e : new StoreException(e.getMessage() + " (after " + attempt + " attempts)");
                }
            }
            Thread.sleep(pause);
            pause *= 2;
        }
    }

    /** No answer, a timeout, a server error, or an explicit "try later": the member may well succeed on a retry. */
    private static boolean isPassing(NodeRequestException e) {
        int status = e.status();
        return status == 0 || status >= 500 || status == 408 || status == 429 || e.isNotRegistered();
    }

    /** Sends member {@code m} the metadata and its slivers, then gets and checks its confirmation. */
    private SignedMessage storeAt(int member) throws InterruptedException {
        CommitteeMember info = committee.members().get(member);
        StorageNodeClient node = client.node(info.networkAddress());
        putMetadata(node);
        List<Integer> pairs = committee.pairsOf(blobId, member);
        try (ExecutorService slivers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> puts = new ArrayList<>();
            for (SliverType type : SliverType.values()) {
                for (List<Integer> batch : batches(pairs, type)) {
                    puts.add(slivers.submit(() -> {
                        if (batch.size() == 1) {
                            send(node, batch.get(0), type);
                        } else {
                            sendBatch(node, batch, type);
                        }
                        return null;
                    }));
                }
            }
            for (Future<?> put : puts) {
                try {
                    put.get();
                } catch (ExecutionException e) {
                    puts.forEach(p -> p.cancel(true));
                    throw e.getCause() instanceof RuntimeException r ? r : new StoreException(e.getCause().getMessage());
                }
            }
        }
        SignedMessage confirmation;
        requests.acquire();
        try {
            confirmation = node.confirmation(blobId, persistence, client.config().registrationWait());
        } finally {
            requests.release();
        }
        if (!Arrays.equals(confirmation.serializedMessage(), expectedMessage)) {
            throw new StoreException(info.name() + " confirmed a different message than blob " + blobId + " in epoch " + committee.epoch());
        }
        if (!confirmation.verify(committee.keys().get(member))) {
            throw new StoreException(info.name() + " sent a confirmation whose signature does not verify");
        }
        return confirmation;
    }

    /** The node may not have seen the registration yet: it follows the control plane's events. Retry briefly. */
    private void putMetadata(StorageNodeClient node) throws InterruptedException {
        long giveUp = System.nanoTime() + client.config().registrationWait().toNanos();
        long backoff = NOT_REGISTERED_FIRST_RETRY_MILLIS;
        while (true) {
            requests.acquire();
            try {
                node.storeMetadata(blobId, encoded.metadata().metadata());
                return;
            } catch (NodeRequestException e) {
                if (!e.isNotRegistered() || System.nanoTime() > giveUp) {
                    throw e;
                }
            } finally {
                requests.release();
            }
            Thread.sleep(backoff); // the node follows events by long poll, so it usually catches up within milliseconds
            backoff = Math.min(backoff * 2, NOT_REGISTERED_MAX_RETRY_MILLIS);
        }
    }

    /**
     * A member's pairs cut into requests of one sliver type: as many slivers as fit in {@link #BATCH_BYTES} per
     * request (Tusk's batch route), or one per request when the slivers are larger or read from a file (so the
     * client's bytes in flight bound what is read at once).
     */
    private List<List<Integer>> batches(List<Integer> pairs, SliverType type) {
        long sliverBytes = Math.max(1, encoded.sliverBytes(type));
        int perBatch = encoded.inMemory() ? (int) Math.max(1, Math.min(pairs.size(), BATCH_BYTES / sliverBytes)) : 1;
        List<List<Integer>> batches = new ArrayList<>();
        for (int from = 0; from < pairs.size(); from += perBatch) {
            batches.add(pairs.subList(from, Math.min(pairs.size(), from + perBatch)));
        }
        return batches;
    }

    /** Sends slivers of one type that a member holds in one request (Tusk's batch route). */
    private void sendBatch(StorageNodeClient node, List<Integer> pairs, SliverType type) throws InterruptedException {
        List<io.tusk.core.encoding.Sliver> slivers = new ArrayList<>(pairs.size());
        for (int pair : pairs) {
            slivers.add(encoded.sliver(pair, type));
        }
        requests.acquire();
        try {
            node.storeSlivers(blobId, type, slivers, encoded.shardCount());
        } finally {
            requests.release();
        }
        progress.onProgress(sentBytes.addAndGet((long) encoded.sliverBytes(type) * pairs.size()), totalBytes);
    }

    /**
     * Sends one sliver. A file-backed encoding's sliver is read only once a request slot and room among the client's
     * bytes in flight are held, so a blob larger than the heap is sent with a bounded heap.
     */
    private void send(StorageNodeClient node, int pair, SliverType type) throws InterruptedException {
        int bytes = encoded.sliverBytes(type);
        requests.acquire();
        try {
            if (encoded.inMemory()) {
                node.storeSliver(blobId, pair, encoded.sliver(pair, type));
            } else {
                BytesInFlight inFlight = client.sliverBytesInFlight();
                int held = inFlight.acquire(bytes);
                try {
                    node.storeSliver(blobId, pair, encoded.sliver(pair, type));
                } finally {
                    inFlight.release(held);
                }
            }
        } finally {
            requests.release();
        }
        progress.onProgress(sentBytes.addAndGet(bytes), totalBytes);
    }
}
