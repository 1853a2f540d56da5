package io.tusk.control.server;

import io.tusk.control.api.SignedCommand;
import io.tusk.control.state.CommandResult;
import io.tusk.control.state.Precheck;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Groups the commands submitted to a replica concurrently into Raft log entries of several commands each, so the
 * per-entry costs of Raft (the append, its replication, the log force, the apply's RocksDB write) are paid once for
 * many commands: group commit.
 *
 * <p>One thread sends entries. At most {@code maxInFlight} entries are on their way through Raft at once; while they
 * are, new commands wait in a queue, and the next entry takes all of them (up to {@code maxCommands} and
 * {@code maxBytes}). So a lone command goes out at once (no timer, no added latency), and under load entries grow with
 * the load by themselves.
 *
 * <p>The order of commands in an entry is the order they reached the queue; every replica applies them in that order,
 * so outcomes stay a deterministic function of the log. An entry ends after a command that starts an epoch
 * ({@link Precheck#startsEpoch}), so a command gets the outcome it would get in an entry of its own. Each command gets its own outcome
 * ({@link Entry#answer}) once the entry is committed and applied.
 */
final class CommandBatcher implements AutoCloseable {
    /** A submitted command, its precheck (made by the submitter), and where its outcome goes. */
    record Submission(SignedCommand command, Precheck precheck, CompletableFuture<CommandResult> outcome) {
    }

    /** The commands of one entry this replica sends, for the state machine to apply with their prechecks. */
    static final class Entry {
        private final List<Submission> submissions;

        private Entry(List<Submission> submissions) {
            this.submissions = List.copyOf(submissions);
        }

        List<SignedCommand> commands() {
            return submissions.stream().map(Submission::command).toList();
        }

        List<Precheck> prechecks() {
            return submissions.stream().map(Submission::precheck).toList();
        }

        int size() {
            return submissions.size();
        }

        /** The entry was applied: each command's outcome, in order. */
        void answer(List<CommandResult> results) {
            if (results.size() != submissions.size()) {
                throw new IllegalArgumentException(results.size() + " outcomes for " + submissions.size() + " commands");
            }
            for (int i = 0; i < results.size(); i++) {
                submissions.get(i).outcome().complete(results.get(i));
            }
        }

        /** Raft is done with the entry: commands still without an outcome get {@code failure}. */
        void settle(Throwable failure) {
            for (Submission s : submissions) {
                s.outcome().completeExceptionally(failure);
            }
        }
    }

    /** Hands an entry to Raft; the future completes when Raft answered it (committed and applied, or failed). */
    @FunctionalInterface
    interface Sender {
        CompletableFuture<?> send(Entry entry);
    }

    private final Sender sender;
    private final int maxCommands;
    private final long maxBytes;
    private final int maxInFlight;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition ready = lock.newCondition();
    private final ArrayDeque<Submission> queue = new ArrayDeque<>();
    private final Thread thread;
    private int inFlight;
    private boolean closed;

    /**
     * @param maxCommands at most this many commands per entry
     * @param maxBytes    at most this many bytes of commands per entry (an entry holds at least one command); below
     *                    what Raft appends to a follower in one request
     * @param maxInFlight at most this many entries sent and not answered yet
     */
    CommandBatcher(String name, int maxCommands, long maxBytes, int maxInFlight, Sender sender) {
        if (maxCommands < 1 || maxBytes < 1 || maxInFlight < 1) {
            throw new IllegalArgumentException("need maxCommands, maxBytes and maxInFlight >= 1, got " + maxCommands
                    + ", " + maxBytes + ", " + maxInFlight);
        }
        this.sender = sender;
        this.maxCommands = maxCommands;
        this.maxBytes = maxBytes;
        this.maxInFlight = maxInFlight;
        this.thread = Thread.ofPlatform().name("tusk-command-batcher-" + name).daemon(true).start(this::run);
    }

    /** Queues a prechecked command for the next entry; the future gets its outcome, or why it has none. */
    CompletableFuture<CommandResult> submit(SignedCommand command, Precheck precheck) {
        CompletableFuture<CommandResult> outcome = new CompletableFuture<>();
        lock.lock();
        try {
            if (closed) {
                outcome.completeExceptionally(new ReplicaUnavailableException("the replica is closing"));
                return outcome;
            }
            queue.add(new Submission(command, precheck, outcome));
            ready.signal();
        } finally {
            lock.unlock();
        }
        return outcome;
    }

    private void run() {
        while (true) {
            Entry entry;
            lock.lock();
            try {
                while (!closed && (queue.isEmpty() || inFlight >= maxInFlight)) {
                    ready.awaitUninterruptibly();
                }
                if (closed) {
                    return;
                }
                entry = new Entry(take());
                inFlight++;
            } finally {
                lock.unlock();
            }
            CompletableFuture<?> answered;
            try {
                answered = sender.send(entry);
            } catch (RuntimeException e) {
                answered = CompletableFuture.failedFuture(e);
            }
            answered.whenComplete((reply, failure) -> {
                // An entry Raft answered was applied, and every command in it answered by the apply; these are the
                // commands of an entry that failed (not the leader any more, a failed log, a closed server).
                entry.settle(failure != null ? failure : new ReplicaUnavailableException(
                        "the command's entry was answered without its outcome; submit the same signed command again"));
                lock.lock();
                try {
                    inFlight--;
                    ready.signal();
                } finally {
                    lock.unlock();
                }
            });
        }
    }

    /** The commands of the next entry, from the head of the queue (caller holds the lock). */
    private List<Submission> take() {
        List<Submission> taken = new ArrayList<>(Math.min(queue.size(), maxCommands));
        long bytes = 0;
        while (!queue.isEmpty() && taken.size() < maxCommands) {
            long size = 4L + LogEntries.encodedSize(queue.peek().command());
            if (!taken.isEmpty() && bytes + size > maxBytes) {
                break;
            }
            bytes += size;
            Submission next = queue.poll();
            taken.add(next);
            if (next.precheck() != null && next.precheck().startsEpoch()) {
                break; // the commands after it are prechecked against its committee: see Precheck.startsEpoch
            }
        }
        return taken;
    }

    /** Stops sending; queued commands get no outcome (the replica is closing). */
    @Override
    public void close() {
        List<Submission> dropped;
        lock.lock();
        try {
            closed = true;
            dropped = new ArrayList<>(queue);
            queue.clear();
            ready.signalAll();
        } finally {
            lock.unlock();
        }
        for (Submission s : dropped) {
            s.outcome().completeExceptionally(new ReplicaUnavailableException("the replica is closing"));
        }
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
