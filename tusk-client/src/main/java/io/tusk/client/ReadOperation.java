package io.tusk.client;

import io.tusk.control.api.CommitteeMember;
import io.tusk.core.ColdStart;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.NotEnoughSliversException;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadataWithId;
import io.tusk.core.metadata.MetadataVerificationException;
import io.tusk.node.client.NodeRequestException;
import io.tusk.node.client.StorageNodeClient;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Reads one blob from the committee, trusting no node: metadata is accepted only if it hashes to the blob ID, and
 * each primary sliver only if it matches its hash in that metadata. Slivers are asked for in batches, one request per
 * holder (bounded), systematic slivers first since they need no decoding; the first {@code p} good slivers win, and
 * a lying or dead node only costs the slivers it should have served. The first slivers may be asked for before the
 * metadata arrives ({@link #requestFirstSlivers}), so that a small read is one round of requests; they are checked
 * once it has. Close the operation to cancel what it still has in flight.
 */
final class ReadOperation implements AutoCloseable {
    /**
     * How long a read waits for an answer before it asks more members (a hung node never fails by itself, it only
     * stops answering until the request timeout).
     *
     * @param metadata before one more member is asked for metadata alongside
     * @param slivers  before more holders are asked for slivers
     */
    record Hedge(Duration metadata, Duration slivers) {
        static final Hedge DEFAULT = new Hedge(Duration.ofMillis(100), Duration.ofMillis(250));
    }

    private final TuskClient client;
    private final Committee committee;
    private final EncodingConfig encoding;
    private final BlobId blobId;
    private final Hedge hedge;
    /** Requests in flight for this read, to all nodes together; fair, so systematic slivers go first. */
    private final Semaphore requests;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    /** Batches asked by {@link #requestFirstSlivers} before the metadata was known, with their unchecked answers. */
    private final Map<SliverBatches.Batch, Future<List<Sliver>>> firstAnswers = new LinkedHashMap<>();

    ReadOperation(TuskClient client, Committee committee, EncodingConfig encoding, BlobId blobId) {
        this(client, committee, encoding, blobId, Hedge.DEFAULT);
    }

    ReadOperation(TuskClient client, Committee committee, EncodingConfig encoding, BlobId blobId, Hedge hedge) {
        this.client = client;
        this.committee = committee;
        this.encoding = encoding;
        this.blobId = blobId;
        this.hedge = hedge;
        this.requests = new Semaphore(client.config().maxConcurrentRequests(), true);
    }

    /** How many pairs a read asks for at first: {@code p} and a small margin for a slow or failing holder. */
    private int firstPairs() {
        int needed = encoding.primarySourceSymbols();
        return Math.min(encoding.shardCount(), needed + Math.max(2, needed / 16));
    }

    /**
     * Asks now, before the metadata is known, for the primary slivers of the first pairs a read wants (the systematic
     * ones and the margin), one request per holder. The metadata fetch and the control plane's status query run at the
     * same time, so a small blob's read costs one round of requests instead of two. Without the metadata the slivers'
     * size is unknown: each answer is capped at {@link SliverBatches#MAX_BATCH_BYTES}, and what a cap left out is asked
     * for again, sized, by {@link #primarySlivers}, which also checks every answer. Call at most once.
     */
    void requestFirstSlivers() {
        if (!firstAnswers.isEmpty()) {
            throw new IllegalStateException("the first slivers of blob " + blobId + " were already asked for");
        }
        List<Integer> pairs = new ArrayList<>();
        for (int pair = 0; pair < firstPairs(); pair++) {
            pairs.add(pair);
        }
        for (SliverBatches.Batch batch : SliverBatches.groupUnsized(committee, blobId, pairs)) {
            firstAnswers.put(batch, executor.submit(() -> request(batch)));
        }
    }

    /**
     * Verified metadata from the first member that has it. Members are asked in random order, one at a time: the next
     * one as soon as one fails, and one more alongside whenever the metadata hedge passes without an answer, so
     * that a healthy committee serves metadata with one request and a node that hangs (until the request timeout) or
     * lies costs a fraction of a second; the first answer that verifies wins and the rest are cancelled.
     */
    BlobMetadataWithId metadata() {
        List<Integer> order = new ArrayList<>();
        for (int m = 0; m < committee.members().size(); m++) {
            order.add(m);
        }
        Collections.shuffle(order);
        List<String> failures = new ArrayList<>();
        int notFoundWeight = 0;
        ExecutorService asks = Executors.newVirtualThreadPerTaskExecutor();
        try {
            ExecutorCompletionService<BlobMetadataWithId> done = new ExecutorCompletionService<>(asks);
            Map<Future<BlobMetadataWithId>, Integer> memberOf = new HashMap<>();
            int next = 0;
            while (next < order.size() || !memberOf.isEmpty()) {
                if (memberOf.isEmpty()) {
                    int m = order.get(next++);
                    memberOf.put(done.submit(() -> verifiedMetadata(m)), m);
                }
                Future<BlobMetadataWithId> answer = done.poll(hedge.metadata().toNanos(), TimeUnit.NANOSECONDS);
                if (answer == null) {
                    if (next < order.size()) {
                        int m = order.get(next++); // no answer yet: ask one more member alongside
                        memberOf.put(done.submit(() -> verifiedMetadata(m)), m);
                    }
                    continue;
                }
                int member = memberOf.remove(answer);
                try {
                    return answer.get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof NodeRequestException request && request.isNotFound()) {
                        notFoundWeight += committee.weight(member);
                    }
                    failures.add(cause instanceof NodeRequestException ? cause.getMessage()
                            : committee.members().get(member).name() + ": " + cause.getMessage());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the metadata of blob " + blobId);
        } finally {
            asks.shutdownNow();
        }
        if (committee.isQuorum(notFoundWeight)) {
            throw new BlobNotFoundException("blob " + blobId + ": nodes holding " + notFoundWeight + " shards have no metadata for it");
        }
        throw new BlobNotFoundException("blob " + blobId + ": no node served verifiable metadata: " + failures);
    }

    /** Member {@code m}'s metadata, verified against the blob ID; a lying node's answer fails here. */
    private BlobMetadataWithId verifiedMetadata(int m) {
        CommitteeMember member = committee.members().get(m);
        BlobMetadataWithId metadata = client.node(member.networkAddress()).metadata(blobId);
        if (!metadata.blobId().equals(blobId)) {
            throw new MetadataVerificationException(blobId, "was answered with the metadata of " + metadata.blobId());
        }
        return metadata.verify(encoding);
    }

    /**
     * At least {@code p} distinct verified primary slivers. Pairs are asked for in order, systematic ones first (they
     * need no decoding), grouped into one batch request per holder ({@link SliverBatches}); only {@code p} plus a small
     * margin of pairs are in flight at first (those of {@link #requestFirstSlivers}, if it ran). Pairs that fail (a
     * dead or lying node, a sliver left out) launch the next pairs, and so does a quiet spell of the sliver hedge (a
     * hung node), so a healthy committee serves a small read with a request per holder and a hung one costs a fraction
     * of a second, not a timeout. Once {@code p} have verified, systematic slivers still in flight are waited for (at
     * most a sliver hedge), so that a healthy committee's read decodes nothing.
     */
    List<Sliver> primarySlivers(BlobMetadataWithId metadata) {
        ColdStart.blobWork(metadata.metadata().unencodedLength()); // a read's checks and decoding start here
        int n = encoding.shardCount();
        int needed = encoding.primarySourceSymbols();
        int margin = firstPairs() - needed;
        long sliverBytes = encoding.sliverSize(SliverType.PRIMARY, metadata.metadata().unencodedLength());
        List<Sliver> verified = new ArrayList<>(needed);
        List<String> failures = new ArrayList<>();
        Deque<Integer> untried = new ArrayDeque<>();
        for (int pair = 0; pair < n; pair++) {
            untried.add(pair);
        }
        try {
            ExecutorCompletionService<SliverBatches.Outcome> done = new ExecutorCompletionService<>(executor);
            Map<Future<SliverBatches.Outcome>, SliverBatches.Batch> inFlight = new HashMap<>();
            int pairsInFlight = 0;
            for (Map.Entry<SliverBatches.Batch, Future<List<Sliver>>> first : firstAnswers.entrySet()) {
                SliverBatches.Batch batch = first.getKey();
                Future<List<Sliver>> answer = first.getValue();
                inFlight.put(done.submit(() -> verify(batch, answerOf(answer), metadata)), batch);
                pairsInFlight += batch.pairs().size();
                untried.removeAll(batch.pairs());
            }
            firstAnswers.clear();
            boolean preferSystematic = metadata.metadata().unencodedLength() >= SYSTEMATIC_WAIT_MIN_BYTES;
            while (verified.size() < needed || preferSystematic && systematicInFlight(inFlight.values(), needed)) {
                // With p verified, a systematic sliver still on its way is waited for (a sliver hedge at most): it is a
                // row copied instead of the whole blob decoded (BlobDecoder keeps the systematic slivers).
                boolean enough = verified.size() >= needed;
                int wanted = needed - verified.size() + margin - pairsInFlight;
                if (!enough && wanted > 0 && !untried.isEmpty()) {
                    List<Integer> pairs = new ArrayList<>();
                    while (pairs.size() < wanted && !untried.isEmpty()) {
                        pairs.add(untried.poll());
                    }
                    for (SliverBatches.Batch batch : SliverBatches.group(committee, blobId, pairs, sliverBytes)) {
                        inFlight.put(done.submit(() -> verify(batch, request(batch), metadata)), batch);
                        pairsInFlight += batch.pairs().size();
                    }
                }
                if (pairsInFlight == 0) {
                    break; // every pair was tried
                }
                Future<SliverBatches.Outcome> next = done.poll(hedge.slivers().toNanos(), TimeUnit.NANOSECONDS);
                if (next == null) {
                    if (enough) {
                        break; // the systematic sliver is late: decoding costs less than waiting on
                    }
                    // Nothing answered for a while: a node may be hung, not failing. Ask a few more holders now rather
                    // than after the request timeout.
                    margin += Math.max(2, needed / 16);
                    continue;
                }
                SliverBatches.Batch batch = inFlight.remove(next);
                pairsInFlight -= batch.pairs().size();
                try {
                    SliverBatches.Outcome outcome = next.get();
                    verified.addAll(outcome.verified());
                    failures.addAll(outcome.failures());
                    if (batch.unsized()) {
                        // Asked before the slivers' size was known: the answer may have stopped at its byte budget, so
                        // what it left out is asked for again, sized, before any further pair.
                        outcome.missing().reversed().forEach(untried::addFirst);
                    } else if (!outcome.missing().isEmpty()) {
                        failures.add(committee.members().get(batch.member()).name() + " did not serve the primary"
                                + " slivers of pairs " + outcome.missing());
                    }
                } catch (ExecutionException e) {
                    failures.add(e.getCause().getMessage());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading blob " + blobId);
        } finally {
            executor.shutdownNow();
        }
        if (verified.size() < needed) {
            throw new NotEnoughSliversException("verified primary slivers of blob " + blobId + " (failures: "
                    + failures.subList(0, Math.min(5, failures.size())) + ")", needed, verified.size());
        }
        return verified;
    }

    /**
     * Blobs from this size on wait for their systematic slivers rather than decode: decoding a small blob takes well
     * under a millisecond, less than the slowest systematic holder may take to answer (a cold 1 KiB read is a few
     * milliseconds in all), while a 128 MiB decode took about 40 % of a read's CPU.
     */
    static final long SYSTEMATIC_WAIT_MIN_BYTES = 1L << 20;

    /** Whether a batch in flight asks for a systematic sliver (a pair below {@code p}). */
    private static boolean systematicInFlight(java.util.Collection<SliverBatches.Batch> inFlight, int p) {
        return inFlight.stream().anyMatch(batch -> batch.pairs().stream().anyMatch(pair -> pair < p));
    }

    /** The batch's slivers from its holder, unchecked; one of this read's request permits is held meanwhile. */
    private List<Sliver> request(SliverBatches.Batch batch) throws InterruptedException {
        StorageNodeClient node = client.node(committee.members().get(batch.member()).networkAddress());
        requests.acquire();
        try {
            return SliverBatches.request(node, blobId, SliverType.PRIMARY, batch);
        } finally {
            requests.release(); // the request is over: checking the answer takes no connection
        }
    }

    /** The answer of a request made earlier; its failure is the request's own, as if it had been made now. */
    private static List<Sliver> answerOf(Future<List<Sliver>> answer) throws Exception {
        try {
            return answer.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    private SliverBatches.Outcome verify(SliverBatches.Batch batch, List<Sliver> answered, BlobMetadataWithId metadata)
            throws InterruptedException {
        return SliverBatches.verify(committee.members().get(batch.member()), SliverType.PRIMARY, batch, answered,
                encoding, metadata.metadata(), executor);
    }

    /** Cancels the requests still in flight (a read that ended early, or first slivers never checked). */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
