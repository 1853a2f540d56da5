package io.tusk.client;

import io.tusk.control.api.CommitteeMember;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadata;
import io.tusk.node.client.NodeRequestException;
import io.tusk.node.client.StorageNodeClient;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Reads many slivers of one blob with few requests: the pairs wanted are grouped by the member holding them, and each
 * member gets one batch request ({@code GET …/slivers/{type}?pair=…}) per few megabytes of slivers, instead of one
 * request per sliver. A small blob's read then costs a request per member, not one per sliver; a large blob's
 * slivers still travel one or two per request, so they stream in parallel.
 */
final class SliverBatches {
    /** Sliver bytes per batch request: well under a node's 16 MiB answer budget, so answers are never cut short. */
    static final long MAX_BATCH_BYTES = 4L << 20;
    /** Pairs per batch request: keeps the query string (about 9 bytes a pair) far under servers' 8 KiB header limit. */
    static final int MAX_BATCH_PAIRS = 256;
    /**
     * Sliver bytes checked together: a small blob's slivers from one member are one group (checking them together
     * costs little more than checking one), while large slivers are checked one per task, in parallel, each in the
     * pooled buffers of a single check.
     */
    static final int CHECK_GROUP_BYTES = 64 << 10;

    private SliverBatches() {
    }

    /**
     * Pairs of one blob that one member holds, asked in one request.
     *
     * @param maxBytes the answer's byte budget sent with the request, or {@code Long.MAX_VALUE} for a batch sized
     *                 from the slivers' known size (then the node's own budget applies and never cuts it short)
     */
    record Batch(int member, List<Integer> pairs, long maxBytes) {
        Batch(int member, List<Integer> pairs) {
            this(member, pairs, Long.MAX_VALUE);
        }

        /** Whether the batch was grouped before the slivers' size was known, so its answer may be cut short. */
        boolean unsized() {
            return maxBytes != Long.MAX_VALUE;
        }
    }

    /**
     * The slivers a batch brought that verified, what went wrong with others, and the pairs the member left out (not
     * served, or past the answer's byte budget).
     */
    record Outcome(List<Sliver> verified, List<String> failures, List<Integer> missing) {
    }

    /**
     * Groups {@code pairs} by holder, keeping their order within each holder, into batches of at most
     * {@link #MAX_BATCH_BYTES} of slivers of {@code sliverBytes} each (at least one pair) and {@link #MAX_BATCH_PAIRS}.
     * Batches come in the order of their first pair.
     */
    static List<Batch> group(Committee committee, BlobId blobId, List<Integer> pairs, long sliverBytes) {
        int perBatch = (int) Math.max(1, Math.min(MAX_BATCH_PAIRS, MAX_BATCH_BYTES / Math.max(1, sliverBytes)));
        Map<Integer, List<Integer>> byMember = new LinkedHashMap<>();
        for (int pair : pairs) {
            byMember.computeIfAbsent(committee.memberOfPair(blobId, pair), m -> new ArrayList<>()).add(pair);
        }
        List<Batch> batches = new ArrayList<>();
        for (Map.Entry<Integer, List<Integer>> member : byMember.entrySet()) {
            List<Integer> held = member.getValue();
            for (int from = 0; from < held.size(); from += perBatch) {
                batches.add(new Batch(member.getKey(), List.copyOf(held.subList(from, Math.min(held.size(),
                        from + perBatch)))));
            }
        }
        return batches;
    }

    /**
     * Groups {@code pairs} by holder into one batch per member, before the slivers' size is known (a read asks for its
     * first slivers while the metadata is on its way): each answer is bounded by {@link #MAX_BATCH_BYTES} instead, so
     * a large blob's first answers hold a sliver or so and the read asks again, sized, for what they left out.
     */
    static List<Batch> groupUnsized(Committee committee, BlobId blobId, List<Integer> pairs) {
        return group(committee, blobId, pairs, 0).stream()
                .map(batch -> new Batch(batch.member(), batch.pairs(), MAX_BATCH_BYTES)).toList();
    }

    /** {@link #request} then {@link #verify}. */
    static Outcome fetch(StorageNodeClient node, CommitteeMember member, BlobId blobId, SliverType type, Batch batch,
                         EncodingConfig encoding, BlobMetadata metadata, ExecutorService verifiers)
            throws InterruptedException {
        return verify(member, type, batch, request(node, blobId, type, batch), encoding, metadata, verifiers);
    }

    /**
     * Asks the batch's member for its slivers of {@code type}, unverified. A member that does not know the batch route
     * (a node older than the route answers an untyped 404) is asked sliver by sliver.
     *
     * @throws NodeRequestException if the member served none of them
     */
    static List<Sliver> request(StorageNodeClient node, BlobId blobId, SliverType type, Batch batch) {
        try {
            return node.slivers(blobId, type, batch.pairs(), batch.maxBytes());
        } catch (NodeRequestException e) {
            if (!e.isNotFound() || e.reason() != null) {
                throw e;
            }
            List<Sliver> answered = new ArrayList<>();
            for (int pair : batch.pairs()) {
                answered.add(node.sliver(blobId, pair, type));
            }
            return answered;
        }
    }

    /**
     * Keeps the answered slivers that verify against {@code metadata}: a sliver of another pair, a duplicate or one
     * whose hash does not match is a failure; pairs the member left out are {@link Outcome#missing}. Checking expands
     * each sliver and hashes every symbol, most of a small read's CPU, so the slivers are checked in groups of up to
     * {@link #CHECK_GROUP_BYTES} ({@link Sliver#verifyAll}: one encoding and one hashing pass per group), the groups in
     * parallel on {@code verifiers}.
     *
     * @throws InterruptedException if interrupted while the slivers are checked
     */
    static Outcome verify(CommitteeMember member, SliverType type, Batch batch, List<Sliver> answered,
                          EncodingConfig encoding, BlobMetadata metadata, ExecutorService verifiers)
            throws InterruptedException {
        int n = encoding.shardCount();
        Set<Integer> wanted = new HashSet<>(batch.pairs());
        List<String> failures = Collections.synchronizedList(new ArrayList<>());
        List<List<Sliver>> groups = new ArrayList<>();
        long groupBytes = CHECK_GROUP_BYTES;
        for (Sliver sliver : answered) {
            int pair = sliver.index() < n ? type.pairIndex(sliver.index(), n) : -1;
            if (sliver.type() != type || !wanted.remove(pair)) {
                failures.add(member.name() + " answered an unasked or repeated " + sliver);
                continue;
            }
            if (groupBytes + sliver.length() > CHECK_GROUP_BYTES) {
                groups.add(new ArrayList<>());
                groupBytes = 0;
            }
            groups.getLast().add(sliver);
            groupBytes += sliver.length();
        }
        List<Future<List<Sliver>>> checks = new ArrayList<>(groups.size());
        for (List<Sliver> group : groups) {
            checks.add(verifiers.submit(() -> Sliver.verifyAll(encoding, metadata, group,
                    invalid -> failures.add(member.name() + ": " + invalid.getMessage()))));
        }
        List<Sliver> verified = new ArrayList<>(answered.size());
        for (Future<List<Sliver>> check : checks) {
            try {
                verified.addAll(check.get());
            } catch (ExecutionException e) {
                throw new IllegalStateException("checking slivers failed", e.getCause());
            }
        }
        List<Integer> missing = batch.pairs().stream().filter(wanted::contains).toList();
        return new Outcome(verified, List.copyOf(failures), missing);
    }
}
