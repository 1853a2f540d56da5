package io.tusk.control.server;

import io.tusk.control.api.ControlJson;
import io.tusk.control.api.SignedCommand;
import io.tusk.control.state.CommandResult;
import io.tusk.control.state.ControlState;
import io.tusk.control.state.GenesisConfig;
import io.tusk.core.failpoint.FailPoints;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.proto.RaftProtos.RaftConfigurationProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftGroupMemberId;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.LifeCycle;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The Ratis state machine of one replica: applies committed command entries to the {@link AppliedState} in log order,
 * snapshots the state into Ratis's state-machine storage, and loads the newest snapshot at start and when the leader
 * installs one. A new instance is made for every start of the replica's Raft server.
 *
 * <p>A snapshot file ({@code sm/snapshot.TERM_INDEX}, with its {@code .md5}) holds {@link ControlState#snapshot()}:
 * the whole state at that log index. It is written to a temporary file, forced and renamed, so a crash leaves either
 * the old snapshots or the new one too.
 *
 * <p>An apply that throws stops the Raft server (Ratis closes it) instead of being skipped: a committed entry is never
 * left out, the replica restarts from its snapshot and log (see {@link RaftReplica}).
 */
final class ControlStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(ControlStateMachine.class);
    /** The fail point on the Raft log's flush, before the entries written since the last flush count as durable. */
    static final String LOG_APPEND_FAIL_POINT = "control.log-append";

    /** What the replica learns from its state machine. */
    interface Listener {
        /** The Raft log could not be written; the Raft server cannot go on. */
        void logFailed(Throwable cause);

        /** The group has a new leader ({@code null}: none known). */
        void leaderChanged(String leaderId);

        /** The group's members changed. */
        void configurationChanged(List<String> members);
    }

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final AppliedState applied;
    private final GenesisConfig genesis;
    private final byte[] genesisBytes;
    private final Listener listener;

    ControlStateMachine(AppliedState applied, GenesisConfig genesis, Listener listener) throws IOException {
        this.applied = applied;
        this.genesis = genesis;
        this.genesisBytes = ControlJson.mapper().writeValueAsBytes(genesis);
        this.listener = listener;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        getLifeCycle().startAndTransition(() -> {
            super.initialize(server, groupId, raftStorage);
            storage.init(raftStorage);
            load();
        });
    }

    /** Before the leader installs a snapshot on this follower (Ratis then calls {@link #reinitialize}). */
    @Override
    public void pause() {
        if (getLifeCycleState() == LifeCycle.State.RUNNING) {
            getLifeCycle().transition(LifeCycle.State.PAUSING);
            getLifeCycle().transition(LifeCycle.State.PAUSED);
        }
    }

    /** After the leader installed a snapshot on this follower: load it. */
    @Override
    public void reinitialize() throws IOException {
        load();
        if (getLifeCycleState() == LifeCycle.State.PAUSED) {
            getLifeCycle().transition(LifeCycle.State.STARTING);
            getLifeCycle().transition(LifeCycle.State.RUNNING);
        }
    }

    private void load() throws IOException {
        SingleFileSnapshotInfo snapshot = storage.loadLatestSnapshot();
        if (snapshot == null) {
            applied.reset(ControlState.genesis(genesis));
            LOG.info("no snapshot: starting from genesis");
            return;
        }
        Path file = snapshot.getFile().getPath();
        if (snapshot.getFile().getFileDigest() != null) {
            MD5FileUtil.verifySavedMD5(file.toFile(), snapshot.getFile().getFileDigest());
        }
        ControlState state;
        try {
            state = ControlState.restore(Files.readAllBytes(file));
        } catch (IllegalArgumentException e) {
            throw new IOException("snapshot " + file + " cannot be read: " + e.getMessage(), e);
        }
        if (!Arrays.equals(ControlJson.mapper().writeValueAsBytes(state.genesisConfig()), genesisBytes)) {
            throw new IOException("snapshot " + file + " belongs to a network with another genesis");
        }
        applied.reset(state);
        setLastAppliedTermIndex(snapshot.getTermIndex());
        LOG.info("loaded snapshot {} at {}: {}", file.getFileName(), snapshot.getTermIndex(), state);
    }

    @Override
    public SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
    }

    /**
     * Writes the state at the last applied index. Ratis calls it on the apply thread, between two applies, so state
     * and index agree.
     */
    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0) {
            return -1;
        }
        byte[] bytes = applied.read(ControlState::snapshot);
        Path target = storage.getSnapshotFile(last.getTerm(), last.getIndex()).toPath();
        Path temp = target.resolveSibling("writing-" + target.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                out.write(buffer);
            }
            out.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        var md5 = MD5FileUtil.computeAndSaveMd5ForFile(target.toFile());
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(target, md5), last));
        LOG.debug("snapshot at {}: {} bytes", last, bytes.length);
        return last.getIndex();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext transaction) {
        LogEntryProto entry = transaction.getLogEntry();
        SignedCommand command = LogEntries.decodeCommand(
                entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer());
        // Thrown, not returned as a failed future: Ratis would count a failed future as applied and go on.
        CommandResult result = applied.apply(command, entry.getIndex(),
                () -> updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex()));
        return CompletableFuture.completedFuture(Message.valueOf(ByteString.copyFrom(LogEntries.encodeResult(result))));
    }

    /** Read requests are barriers only: the caller reads the applied state itself once Ratis answers. */
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
}
