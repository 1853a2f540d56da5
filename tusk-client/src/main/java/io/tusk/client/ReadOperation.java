package io.tusk.client;

import io.tusk.control.api.CommitteeMember;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.NotEnoughSliversException;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadataWithId;
import io.tusk.core.metadata.MetadataVerificationException;
import io.tusk.node.client.NodeRequestException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
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
 * a lying or dead node only costs the slivers it should have served.
 */
final class ReadOperation {
    /** How long reads wait for any sliver answer before asking more nodes (a hung node never fails by itself). */
    static final Duration HEDGE = Duration.ofMillis(250);

    /** Members asked for metadata at once (Walrus's client also reads metadata from a few nodes concurrently). */
    static final int METADATA_CONCURRENCY = 3;

    private final TuskClient client;
    private final Committee committee;
    private final EncodingConfig encoding;
    private final BlobId blobId;
    private final long hedgeNanos;

    ReadOperation(TuskClient client, Committee committee, EncodingConfig encoding, BlobId blobId) {
        this(client, committee, encoding, blobId, HEDGE);
    }

    /** @param hedge how long a read waits for any sliver answer before it asks more holders */
    ReadOperation(TuskClient client, Committee committee, EncodingConfig encoding, BlobId blobId, Duration hedge) {
        this.client = client;
        this.committee = committee;
        this.encoding = encoding;
        this.blobId = blobId;
        this.hedgeNanos = hedge.toNanos();
    }

    /**
     * Verified metadata from the first member that has it. Members are asked in random order, {@value
     * #METADATA_CONCURRENCY} at a time, so that a node that hangs (until the request timeout) or lies only costs its
     * own slot; the first answer that verifies wins and the rest are cancelled.
     */
    BlobMetadataWithId metadata() {
        List<Integer> order = new ArrayList<>();
        for (int m = 0; m < committee.members().size(); m++) {
            order.add(m);
        }
        Collections.shuffle(order);
        List<String> failures = new ArrayList<>();
        int notFoundWeight = 0;
        Semaphore slots = new Semaphore(METADATA_CONCURRENCY, true); // fair: members asked in the shuffled order
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            ExecutorCompletionService<BlobMetadataWithId> done = new ExecutorCompletionService<>(executor);
            Map<Future<BlobMetadataWithId>, Integer> memberOf = new HashMap<>();
            for (int m : order) {
                memberOf.put(done.submit(() -> {
                    slots.acquire();
                    try {
                        return verifiedMetadata(m);
                    } finally {
                        slots.release();
                    }
                }), m);
            }
            for (int finished = 0; finished < order.size(); finished++) {
                Future<BlobMetadataWithId> next = done.take();
                try {
                    return next.get();
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof NodeRequestException request && request.isNotFound()) {
                        notFoundWeight += committee.weight(memberOf.get(next));
                    }
                    failures.add(cause instanceof NodeRequestException ? cause.getMessage()
                            : committee.members().get(memberOf.get(next)).name() + ": " + cause.getMessage());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the metadata of blob " + blobId);
        } finally {
            executor.shutdownNow();
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
     * margin of pairs are in flight at first. Pairs that fail (a dead or lying node, a sliver left out) launch the next
     * pairs, and so does a quiet spell of {@link #HEDGE} (a hung node), so a healthy committee serves a small
     * read with a request per holder and a hung one costs a fraction of a second, not a timeout.
     */
    List<Sliver> primarySlivers(BlobMetadataWithId metadata) {
        int n = encoding.shardCount();
        int needed = encoding.primarySourceSymbols();
        int margin = Math.max(2, needed / 16);
        long sliverBytes = encoding.sliverSize(SliverType.PRIMARY, metadata.metadata().unencodedLength());
        List<Sliver> verified = new ArrayList<>(needed);
        List<String> failures = new ArrayList<>();
        Semaphore requests = new Semaphore(client.config().maxConcurrentRequests(), true); // fair: systematic first
        ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
        try {
            ExecutorCompletionService<SliverBatches.Outcome> done = new ExecutorCompletionService<>(executor);
            Map<Future<SliverBatches.Outcome>, SliverBatches.Batch> inFlight = new HashMap<>();
            int nextPair = 0;
            int pairsInFlight = 0;
            while (verified.size() < needed) {
                int wanted = needed - verified.size() + margin - pairsInFlight;
                if (wanted > 0 && nextPair < n) {
                    List<Integer> pairs = new ArrayList<>();
                    while (pairs.size() < wanted && nextPair < n) {
                        pairs.add(nextPair++);
                    }
                    for (SliverBatches.Batch batch : SliverBatches.group(committee, blobId, pairs, sliverBytes)) {
                        inFlight.put(done.submit(() -> fetchVerified(batch, metadata, requests)), batch);
                        pairsInFlight += batch.pairs().size();
                    }
                }
                if (pairsInFlight == 0) {
                    break; // every pair was tried
                }
                Future<SliverBatches.Outcome> next = done.poll(hedgeNanos, TimeUnit.NANOSECONDS);
                if (next == null) {
                    // Nothing answered for a while: a node may be hung, not failing. Ask a few more holders now rather
                    // than after the request timeout.
                    margin += Math.max(2, needed / 16);
                    continue;
                }
                pairsInFlight -= inFlight.remove(next).pairs().size();
                try {
                    SliverBatches.Outcome outcome = next.get();
                    verified.addAll(outcome.verified());
                    failures.addAll(outcome.failures());
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

    private SliverBatches.Outcome fetchVerified(SliverBatches.Batch batch, BlobMetadataWithId metadata,
                                                Semaphore requests) throws InterruptedException {
        requests.acquire();
        try {
            CommitteeMember member = committee.members().get(batch.member());
            return SliverBatches.fetch(client.node(member.networkAddress()), member, blobId, SliverType.PRIMARY, batch,
                    encoding, metadata.metadata());
        } finally {
            requests.release();
        }
    }
}
