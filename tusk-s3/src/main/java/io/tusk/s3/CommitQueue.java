package io.tusk.s3;

import io.tusk.spaces.CommitOptions;
import io.tusk.spaces.CommitResult;
import io.tusk.spaces.Space;
import io.tusk.spaces.SpaceException;
import io.tusk.spaces.Transaction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Group commit for one bucket: requests that arrive while a commit is in flight go into the next one together, so
 * concurrent writers (rclone's transfers, a multipart upload's parts) cost one space version per round instead of
 * racing each other for the head and re-storing their packs on every lost race. A lone request commits at once.
 * Changes in one commit touch disjoint keys; one that fails its own checks fails alone. Thread-safe.
 */
final class CommitQueue {
    private static final Logger LOG = LoggerFactory.getLogger(CommitQueue.class);
    /** A key a change names to be committed alone (it reads or writes the whole bucket). */
    static final String EVERYTHING = InternalKeys.PREFIX + "all";

    /** A committed change: its own result and the commit it landed in. */
    record Outcome<T>(T value, CommitResult commit) {
    }

    private record Pending(Change<?> change, CompletableFuture<Outcome<?>> done) {
    }

    private final Space space;
    private final int maxChanges;
    private final long maxBytes;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private boolean running;

    /**
     * @param maxChanges most changes per commit
     * @param maxBytes   most in-memory body bytes per commit (they all go into its pack)
     */
    CommitQueue(Space space, int maxChanges, long maxBytes) {
        this.space = space;
        this.maxChanges = maxChanges;
        this.maxBytes = maxBytes;
    }

    /**
     * Commits {@code change} (with whatever else is waiting) and returns its outcome.
     *
     * @throws S3Exception its own failure, or {@code InternalError}/{@code ServiceUnavailable} if the commit failed
     */
    <T> Outcome<T> commit(Change<T> change) {
        Result<T> result = commitAll(java.util.List.of(change)).getFirst();
        if (result.failure() != null) {
            throw result.failure();
        }
        return result.outcome();
    }

    /** A change's outcome or failure, for requests that commit many changes (DeleteObjects). */
    record Result<T>(Outcome<T> outcome, S3Exception failure) {
    }

    /** Commits many changes at once (in as few commits as their keys allow) and answers each one's result. */
    <T> java.util.List<Result<T>> commitAll(java.util.List<? extends Change<T>> changes) {
        java.util.List<CompletableFuture<Outcome<?>>> futures = new ArrayList<>();
        synchronized (this) {
            for (Change<T> change : changes) {
                CompletableFuture<Outcome<?>> done = new CompletableFuture<>();
                futures.add(done);
                queue.add(new Pending(change, done));
            }
            if (!running && !changes.isEmpty()) {
                running = true;
                // A drainer started on demand that ends once the queue is empty, not a BackgroundLoop: it is a queue
                // consumer, not a periodic pass. A resident loop would keep one thread per bucket for the server's
                // life and need a close on bucket deletion and server stop, to guard nothing: the drainer holds no
                // store (its commits go over HTTP to the control plane and the nodes), every change it takes is
                // answered by run() (which catches what a commit throws), and it never outlives its last change.
                Thread.ofVirtual().name("s3-commit-" + space.name()).start(this::drain);
            }
        }
        java.util.List<Result<T>> results = new ArrayList<>();
        for (CompletableFuture<Outcome<?>> f : futures) {
            results.add(await(f));
        }
        return results;
    }

    @SuppressWarnings("unchecked")
    private static <T> Result<T> await(CompletableFuture<Outcome<?>> done) {
        try {
            return new Result<>((Outcome<T>) done.get(), null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result<>(null, new S3Exception(S3Error.SERVICE_UNAVAILABLE, "interrupted while committing"));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof S3Exception s3) {
                return new Result<>(null, s3);
            }
            return new Result<>(null, new S3Exception(S3Error.INTERNAL_ERROR, "the commit failed: "
                    + e.getCause().getMessage(), e.getCause()));
        }
    }

    private void drain() {
        while (true) {
            List<Pending> batch = new ArrayList<>();
            synchronized (this) {
                Set<String> keys = new HashSet<>();
                long bytes = 0;
                for (Iterator<Pending> it = queue.iterator(); it.hasNext() && batch.size() < maxChanges; ) {
                    Pending p = it.next();
                    boolean alone = p.change().keys().contains(EVERYTHING);
                    if ((alone || keys.contains(EVERYTHING)) && !batch.isEmpty()) {
                        break; // a whole-bucket change goes alone, in its turn
                    }
                    if (p.change().keys().stream().anyMatch(keys::contains)) {
                        continue; // the same key again: the next commit, after this one
                    }
                    if (!batch.isEmpty() && bytes + p.change().bytes() > maxBytes) {
                        continue;
                    }
                    keys.addAll(p.change().keys());
                    bytes += p.change().bytes();
                    batch.add(p);
                    it.remove();
                }
                if (batch.isEmpty()) {
                    running = false;
                    return;
                }
            }
            run(batch);
        }
    }

    private void run(List<Pending> batch) {
        Object[] values = new Object[batch.size()];
        RuntimeException[] failures = new RuntimeException[batch.size()];
        CommitResult result;
        try {
            String message = batch.size() == 1 ? "s3: " + batch.getFirst().change().describe()
                    : "s3: " + batch.size() + " changes, " + batch.getFirst().change().describe() + ", ...";
            result = space.commit((Transaction tx) -> {
                long version = tx.base().version() + 1;
                for (int i = 0; i < batch.size(); i++) {
                    values[i] = null;
                    failures[i] = null;
                    try {
                        values[i] = batch.get(i).change().apply(tx.base(), tx, version);
                    } catch (S3Exception e) {
                        failures[i] = e;
                    }
                }
            }, CommitOptions.message(message));
        } catch (SpaceException | io.tusk.http.ApiException | java.io.UncheckedIOException e) {
            LOG.warn("commit of {} changes to space {} failed: {}", batch.size(), space.name(), e.toString());
            S3Exception failure = new S3Exception(S3Error.SERVICE_UNAVAILABLE, "the commit to the bucket failed: "
                    + e.getMessage(), e);
            batch.forEach(p -> p.done().completeExceptionally(failure));
            return;
        } catch (RuntimeException e) {
            LOG.error("commit of {} changes to space {} failed", batch.size(), space.name(), e);
            batch.forEach(p -> p.done().completeExceptionally(e));
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            if (failures[i] != null) {
                batch.get(i).done().completeExceptionally(failures[i]);
            } else {
                batch.get(i).done().complete(new Outcome<>(values[i], result));
            }
        }
    }
}
