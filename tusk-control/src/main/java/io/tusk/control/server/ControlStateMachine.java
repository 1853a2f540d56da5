package io.tusk.control.server;

import io.tusk.control.api.SignedCommand;
import io.tusk.control.state.CommandResult;
import io.tusk.control.state.ControlState;
import io.tusk.control.state.GenesisConfig;
import io.tusk.control.state.Precheck;
import io.tusk.control.state.StateOptions;
import io.tusk.core.failpoint.FailPoints;
import org.apache.ratis.proto.RaftProtos;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;
import org.apache.ratis.util.LifeCycle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * The Ratis state machine of one replica: applies committed command entries to the control state (RocksDB, in the
 * replica's {@code state} directory) in log order, takes snapshots as checkpoints of that state
 * ({@link CheckpointStorage}), and installs a checkpoint the leader sent. A new instance is made for every start of the
 * replica's Raft server; it opens the state and closes it when the server closes.
 *
 * <p>At start Ratis replays the log after the newest snapshot; the state answers entries it applied before (its own
 * last applied index is stored with every command) without changing anything, so a crash anywhere between a command's
 * log write and its state write loses nothing and applies nothing twice.
 *
 * <p>An apply that throws (the state could not be written) stops the Raft server (Ratis closes it) instead of being
 * skipped: a committed entry is never left out; the replica reopens the state and replays (see {@link RaftReplica}).
 */
final class ControlStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(ControlStateMachine.class);
    /** The fail point on the Raft log's flush, before the entries written since the last flush count as durable. */
    static final String LOG_APPEND_FAIL_POINT = "control.log-append";
    /** Entries whose prechecks start ahead of the apply during a replay: enough to keep every core busy. */
    private static final int READ_AHEAD = 4 * Math.max(1, Runtime.getRuntime().availableProcessors());
    /**
     * Threads that precheck entries a follower receives (CPU only: signatures). Shared by the replicas of a process and
     * never closed (daemons); a precheck running while its state closes is refused by the state's close guard.
     */
    private static final ExecutorService PRECHECKS = Executors.newFixedThreadPool(
            Math.max(1, Runtime.getRuntime().availableProcessors()),
            Thread.ofPlatform().name("tusk-control-precheck-", 0).daemon(true).factory());

    /** What the replica learns from its state machine. */
    interface Listener {
        /** The Raft log could not be written; the Raft server cannot go on. */
        void logFailed(Throwable cause);

        /** Applying a committed entry failed (the state could not be written); Ratis stops the server. */
        void applyFailed(long index, Throwable cause);

        /** The group has a new leader ({@code null}: none known). */
        void leaderChanged(String leaderId);

        /** The group's members changed. */
        void configurationChanged(List<String> members);
    }

    private final CheckpointStorage storage = new CheckpointStorage();
    private final AppliedState applied;
    private final Path stateDirectory;
    private final GenesisConfig genesis;
    private final StateOptions options;
    private final Function<RaftClientRequest, CommandBatcher.Entry> leaderEntries;
    private final Listener listener;
    private volatile ControlState state;
    /** Prechecks started ahead of their entry's transaction ({@link #readAhead}), by the entry's term and index. */
    private final java.util.Map<TermIndex, CompletableFuture<List<Precheck>>> ahead =
            new java.util.concurrent.ConcurrentHashMap<>();
    private volatile long readAheadUpTo = -1;

    /**
     * @param leaderEntries the entry this replica made of the commands it received, with their prechecks and where
     *                      their outcomes go (by its request), or null: an entry replayed or received from the leader
     *                      is prechecked as it arrives (see
     *                      {@link #startTransaction(LogEntryProto, RaftProtos.RaftPeerRole)})
     */
    ControlStateMachine(AppliedState applied, Path stateDirectory, GenesisConfig genesis, StateOptions options,
                        Function<RaftClientRequest, CommandBatcher.Entry> leaderEntries, Listener listener) {
        this.applied = applied;
        this.stateDirectory = stateDirectory;
        this.genesis = genesis;
        this.options = options;
        this.leaderEntries = leaderEntries;
        this.listener = listener;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        getLifeCycle().startAndTransition(() -> {
            super.initialize(server, groupId, raftStorage);
            storage.init(raftStorage);
            open();
        });
    }

    /**
     * Opens the live state. If it is behind the newest snapshot (its last writes were lost with the machine; RocksDB
     * writes are not forced, the Raft log is what is durable), the snapshot replaces it, because the log before the
     * snapshot may be purged.
     */
    private void open() throws IOException {
        FileListSnapshotInfo snapshot = storage.getLatestSnapshot();
        ControlState opened = ControlState.open(stateDirectory, genesis, options);
        if (snapshot != null && opened.lastAppliedIndex() < snapshot.getIndex()) {
            LOG.warn("the control state in {} is at index {}, behind the snapshot at {}: restoring the snapshot",
                    stateDirectory, opened.lastAppliedIndex(), snapshot.getTermIndex());
            opened.close();
            opened = replaceWith(storage.latestDirectory());
        }
        state = opened;
        applied.reset(opened);
        if (snapshot != null) {
            setLastAppliedTermIndex(snapshot.getTermIndex());
        }
        LOG.info("control state open at index {} ({} events), snapshot {}", opened.lastAppliedIndex(),
                opened.eventCount(), snapshot == null ? "none" : snapshot.getTermIndex());
    }

    /** Replaces the live state by a copy of {@code checkpoint} and opens it. */
    private ControlState replaceWith(Path checkpoint) throws IOException {
        Path aside = stateDirectory.resolveSibling(stateDirectory.getFileName() + ".replaced");
        CheckpointStorage.deleteTree(aside);
        if (Files.exists(stateDirectory)) {
            Files.move(stateDirectory, aside, StandardCopyOption.ATOMIC_MOVE);
        }
        ControlState.restoreCheckpoint(checkpoint, stateDirectory);
        ControlState opened = ControlState.open(stateDirectory, genesis, options);
        CheckpointStorage.deleteTree(aside);
        return opened;
    }

    /** Before the leader installs a snapshot on this follower (Ratis then calls {@link #reinitialize}). */
    @Override
    public void pause() {
        if (getLifeCycleState() == LifeCycle.State.RUNNING) {
            getLifeCycle().transition(LifeCycle.State.PAUSING);
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    /** After the leader installed a snapshot on this follower: its checkpoint becomes the live state. */
    @Override
    public void reinitialize() throws IOException {
        FileListSnapshotInfo snapshot = storage.reload();
        if (snapshot == null) {
            throw new IOException("no complete snapshot after an installation from the leader");
        }
        applied.reset(null);
        ahead.clear();
        readAheadUpTo = -1;
        ControlState old = state;
        state = null;
        if (old != null) {
            old.close();
        }
        ControlState opened = replaceWith(storage.latestDirectory());
        state = opened;
        applied.reset(opened);
        setLastAppliedTermIndex(snapshot.getTermIndex());
        LOG.info("installed the leader's snapshot at {}: {} events", snapshot.getTermIndex(), opened.eventCount());
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    @Override
    public CheckpointStorage getStateMachineStorage() {
        return storage;
    }

    /**
     * Checkpoints the state at the last applied index. Ratis calls it on the apply thread, between two applies, so
     * state and index agree; a checkpoint costs a memtable flush and hard links, whatever the history.
     */
    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        ControlState s = state;
        if (last == null || last.getIndex() < 0 || s == null) {
            return -1;
        }
        Path target = storage.pathOf(last);
        if (Files.exists(target)) {
            if (!Files.exists(target.resolve(CheckpointStorage.COMPLETE))) {
                CheckpointStorage.deleteTree(target); // left by a crash while it was written
            } else {
                return last.getIndex();
            }
        }
        long started = System.nanoTime();
        s.checkpoint(target);
        storage.completed(last);
        LOG.info("snapshot at {} in {} ms", last, (System.nanoTime() - started) / 1_000_000);
        return last.getIndex();
    }

    /**
     * On a follower (and for entries replayed at start): starts the entry's prechecks as it arrives, on the precheck
     * threads, so its signatures are verified in parallel with the log append instead of on the one apply thread (its
     * BLS signatures in one multi-pairing). A passed precheck holds at any later index (committees never change once
     * their epoch started); a refused one is made again when the entry is applied, because this replica may not have
     * applied the epoch the command names yet.
     */
    @Override
    public TransactionContext startTransaction(LogEntryProto entry, RaftProtos.RaftPeerRole role) {
        TransactionContext transaction = super.startTransaction(entry, role);
        ControlState s = state;
        if (s != null && entry.hasStateMachineLogEntry()) {
            CompletableFuture<List<Precheck>> started = ahead.remove(TermIndex.valueOf(entry));
            transaction.setStateMachineContext(started != null ? started : precheckLater(s, entry));
            readAhead(s, entry.getIndex());
        }
        return transaction;
    }

    private static CompletableFuture<List<Precheck>> precheckLater(ControlState s, LogEntryProto entry) {
        return CompletableFuture.supplyAsync(() -> s.precheckAll(commandsOf(entry)), PRECHECKS);
    }

    /**
     * Starts the prechecks of the entries after {@code index} that the log holds already. When Ratis replays the log
     * at start, it asks for an entry's transaction only when it applies it: without this, each entry's prechecks would
     * run alone while the apply thread waits, instead of on every core ahead of the apply. On a follower receiving
     * entries, the next one is not in the log yet: nothing to do.
     */
    private void readAhead(ControlState s, long index) {
        ahead.keySet().removeIf(t -> t.getIndex() <= index); // left by a truncated log
        RaftLog log = raftLog();
        if (log == null) {
            return;
        }
        long from = Math.max(index, readAheadUpTo) + 1;
        for (long i = from; i <= index + READ_AHEAD; i++) {
            LogEntryProto next;
            try {
                next = log.get(i);
            } catch (IOException | RuntimeException e) {
                return;
            }
            if (next == null) {
                return;
            }
            readAheadUpTo = i;
            if (next.hasStateMachineLogEntry()) {
                ahead.put(TermIndex.valueOf(next), precheckLater(s, next));
            }
        }
    }

    private RaftLog raftLog() {
        CompletableFuture<RaftServer> server = getServer();
        try {
            return server.isDone() ? server.join().getDivision(getGroupId()).getRaftLog() : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static List<SignedCommand> commandsOf(LogEntryProto entry) {
        return LogEntries.decode(entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
    }

    /** The prechecks of an entry a follower applies: its early ones where they passed, the others made now. */
    private static List<Precheck> prechecksOf(Object context, ControlState s, LogEntryProto entry) {
        List<SignedCommand> commands = commandsOf(entry);
        List<?> early = null;
        if (context instanceof CompletableFuture<?> started) {
            try {
                early = started.join() instanceof List<?> list && list.size() == commands.size() ? list : null;
            } catch (RuntimeException e) {
                // made on a state closed since (a restart): check again below
            }
        }
        if (early == null) {
            return s.precheckAll(commands);
        }
        List<Precheck> prechecks = new ArrayList<>(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            prechecks.add(early.get(i) instanceof Precheck p && p.passed() ? p : s.precheck(commands.get(i)));
        }
        return prechecks;
    }

    /** On the leader: keeps the entry made of the commands it received, with their prechecks and outcome futures. */
    @Override
    public TransactionContext startTransaction(RaftClientRequest request) throws IOException {
        TransactionContext transaction = super.startTransaction(request);
        CommandBatcher.Entry mine = leaderEntries.apply(request);
        if (mine != null) {
            transaction.setStateMachineContext(mine);
        }
        return transaction;
    }

    /**
     * Applies an entry's commands in their order and, on the leader that made the entry, answers each submitter with
     * its command's outcome (in this process: no reply bytes). Ratis's reply itself carries nothing.
     */
    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext transaction) {
        LogEntryProto entry = transaction.getLogEntry();
        ControlState s = state;
        if (s == null) {
            throw new IllegalStateException("no control state is open to apply index " + entry.getIndex());
        }
        Object context = transaction.getStateMachineContext();
        CommandBatcher.Entry mine = context instanceof CommandBatcher.Entry e ? e : null;
        List<CommandResult> results;
        try {
            results = s.apply(mine != null ? mine.prechecks() : prechecksOf(context, s, entry), entry.getIndex(),
                    entry.getTerm());
        } catch (RuntimeException e) {
            // Thrown, not returned as a failed future: Ratis would count a failed future as applied and go on.
            listener.applyFailed(entry.getIndex(), e);
            throw e;
        }
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        if (results.stream().anyMatch(r -> r instanceof CommandResult.Accepted a && !a.retried()
                && !a.events().isEmpty())) {
            applied.eventsAdded();
        }
        if (mine != null) {
            mine.answer(results);
        }
        return CompletableFuture.completedFuture(Message.EMPTY);
    }

    /** Read requests are barriers only: the caller reads the state itself once Ratis answers. */
    @Override
    public CompletableFuture<Message> query(Message request) {
        return CompletableFuture.completedFuture(Message.EMPTY);
    }

    /** Called by the log worker before it forces what it wrote: the fail point of a failing log write. */
    @Override
    public CompletableFuture<Void> flush(long logIndex) {
        try {
            FailPoints.hitIo(LOG_APPEND_FAIL_POINT);
            return CompletableFuture.completedFuture(null);
        } catch (IOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void notifyLogFailed(Throwable cause, LogEntryProto failedEntry) {
        listener.logFailed(cause);
    }

    @Override
    public void notifyLeaderChanged(RaftGroupMemberId groupMemberId, RaftPeerId newLeaderId) {
        listener.leaderChanged(newLeaderId == null ? null : newLeaderId.toString());
    }

    @Override
    public void notifyConfigurationChanged(long term, long index, RaftConfigurationProto newRaftConfiguration) {
        listener.configurationChanged(newRaftConfiguration.getPeersList().stream()
                .map(p -> p.getId().toStringUtf8()).toList());
    }

    /** Ratis closes the state machine with its server: the state closes with it (a restart reopens it). */
    @Override
    public void close() throws IOException {
        ControlState s = state;
        state = null;
        if (s != null) {
            if (applied.current() == s) {
                applied.reset(null);
            }
            s.close();
        }
        super.close();
    }

    /** The open state (for the replica's tests). */
    ControlState state() {
        return state;
    }
}
