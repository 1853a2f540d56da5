package io.tusk.control.server;

import io.tusk.control.api.EventPage;
import io.tusk.control.api.Health;
import io.tusk.control.api.ReplicaPeer;
import io.tusk.control.api.ReplicaStatus;
import io.tusk.control.api.SignedCommand;
import io.tusk.control.state.CommandResult;
import io.tusk.control.state.ControlState;
import io.tusk.control.state.GenesisConfig;
import io.tusk.control.state.Precheck;
import io.tusk.http.BackgroundLoop;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.RaftPeerRole;
import org.apache.ratis.proto.RaftProtos.RoleInfoProto;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftClientRequest;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.protocol.SetConfigurationRequest;
import org.apache.ratis.protocol.TransferLeadershipRequest;
import org.apache.ratis.protocol.exceptions.NotLeaderException;
import org.apache.ratis.protocol.exceptions.RaftException;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A control-plane replica on Apache Ratis: a Raft server of the network's group (derived from the genesis), whose
 * {@link ControlStateMachine} applies committed commands to the replica's {@link AppliedState}. One code path for every
 * deployment: a devnet is a group of one in the same process, a cluster is 3 or 5 replicas on separate hosts.
 *
 * <p><b>Visibility.</b> Commands are answered, and their events shown, only after Raft committed them (on a majority's
 * disk) and this replica applied them: nothing a client or node sees can be undone by a crash or a failed write.
 *
 * <p><b>Failures.</b> When the Raft log cannot be written (a full disk, an I/O error) or applying fails, the replica
 * stops serving (its health says why, and it logs it), closes its Raft server and a supervisor thread starts it again
 * from its snapshot and log every {@link RaftSettings#restartInterval()} until that works; with space below
 * {@link RaftSettings#minFreeBytes()} it refuses commands before they reach the log. So after a full disk it serves
 * again by itself within seconds of the space coming back, and a write that failed was never visible.
 */
public final class RaftReplica implements ControlReplica {
    private static final Logger LOG = LoggerFactory.getLogger(RaftReplica.class);
    /** Ratis's shaded gRPC logs through java.util.logging (an INFO line at start); keep it to warnings. */
    private static final java.util.logging.Logger GRPC_LOG = java.util.logging.Logger.getLogger(
            "org.apache.ratis.thirdparty.io.grpc");

    static {
        GRPC_LOG.setLevel(java.util.logging.Level.WARNING);
    }
    public static final String RAFT_DIRECTORY = "raft";
    /** The live control state (RocksDB); snapshots are checkpoints of it in the Raft directory. */
    public static final String STATE_DIRECTORY = "state";
    /** How long a membership change may take: a new replica first catches up with the log. */
    private static final Duration MEMBERSHIP_TIMEOUT = Duration.ofSeconds(60);
    /**
     * Entries sent to Raft and not answered yet. While they are on their way, new commands queue and go into the next
     * entry together. Two: one entry can be written, forced and replicated while the one before it is applied, and
     * whatever arrives meanwhile waits for the next one instead of making entries of one command each.
     */
    static final int ENTRIES_IN_FLIGHT = 2;
    /** Commands per entry: an entry of 256 registrations applies in about 15 ms of CPU (docs/control-plane.md). */
    static final int COMMANDS_PER_ENTRY = 256;
    /** Bytes of commands per entry: well below what Ratis appends to a follower in one request (4 MiB). */
    static final long BYTES_PER_ENTRY = 1L << 20;

    private final ReplicaConfig config;
    private final GenesisConfig genesis;
    private final NetworkId network;
    private final RaftGroupId groupId;
    private final RaftPeerId selfId;
    private final ClientId clientId = ClientId.randomId();
    private final AtomicLong callIds = new AtomicLong();
    private final AppliedState applied = new AppliedState();
    /** Entries this replica sent and Ratis has not taken yet, by call ID. */
    private final java.util.Map<Long, CommandBatcher.Entry> sent = new java.util.concurrent.ConcurrentHashMap<>();
    /** Groups concurrent submissions into entries (group commit); see {@link #ENTRIES_IN_FLIGHT}. */
    private final CommandBatcher batcher;
    private final DiskSpace disk;
    /** Guards the restart fields below, which the state machine's threads set and the supervisor reads. */
    private final Object supervision = new Object();
    private final BackgroundLoop supervisor;
    private volatile RaftServer server;
    /** Why the replica does not serve while its Raft server is down or restarting; null while it runs. */
    private volatile String failure;
    /** Set by the state machine when the log failed; the supervisor restarts. */
    private volatile String restartReason;
    /**
     * Set by the state machine when an entry could not be applied. The supervisor does not act on it at once: Ratis
     * closes the server itself once the exception reaches its apply thread, and the supervisor restarts when it sees
     * the server down. Closing it from here first races with Ratis: a close that catches the apply thread before it
     * marked its failure waits for that thread forever (Ratis 3.3 {@code StateMachineUpdater.stopAndJoin}).
     */
    private volatile String applyFailure;
    private volatile long applyFailureNanos;
    private static final long APPLY_FAILURE_GRACE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
    private volatile boolean closed;
    private volatile long lastDiskWarning;
    /** When this replica last asked a follower to take over its leadership because its disk ran low. */
    private volatile long lastHandOffNanos = Long.MIN_VALUE;
    /** To whom, while the disk is still low (for health); null otherwise. */
    private volatile String handOff;
    private final AtomicLong handOffs = new AtomicLong();

    private RaftReplica(ReplicaConfig config, GenesisConfig genesis) {
        this.config = config;
        this.genesis = genesis;
        this.network = NetworkId.of(genesis);
        this.groupId = network.raftGroupId();
        this.selfId = RaftPeerId.valueOf(config.id());
        this.disk = new DiskSpace(config.dataDir(), config.settings().minFreeBytes());
        // Checks at least every second (sooner with a short restart interval), at once when the log fails; a check
        // that throws is logged and the next one runs after the same interval.
        Duration check = Duration.ofMillis(Math.min(1000, config.settings().restartInterval().toMillis()));
        this.supervisor = BackgroundLoop.named("tusk-replica-supervisor-" + config.id(), this::supervise)
                .every(check).firstPassAfter(check).retryAfter(check, check).build();
        this.batcher = new CommandBatcher(config.id(), COMMANDS_PER_ENTRY, BYTES_PER_ENTRY, ENTRIES_IN_FLIGHT,
                this::send);
    }

    /**
     * Opens the replica in {@code config.dataDir()} and starts its Raft server. A directory that exists keeps its own
     * genesis: {@code genesis} may be null to use it, and must otherwise equal it.
     *
     * @throws IOException if the directory cannot be used, holds another genesis or an older Tusk's journal, or the
     *                     Raft server cannot start (a port taken)
     */
    public static RaftReplica start(ReplicaConfig config, GenesisConfig genesis) throws IOException {
        Files.createDirectories(config.dataDir());
        if (Files.exists(config.dataDir().resolve("journal.log"))
                && !Files.exists(config.dataDir().resolve(RAFT_DIRECTORY))) {
            throw new IOException(config.dataDir() + " holds the journal of an older Tusk (journal.log), which this"
                    + " version replaced by a Raft log; its history cannot be carried over: start the network in a new"
                    + " directory");
        }
        // Opening the state once checks the genesis (a new one, or the same as the stored one) before Raft starts.
        GenesisConfig effective;
        try (ControlState state = ControlState.open(config.dataDir().resolve(STATE_DIRECTORY), genesis, config.state())) {
            effective = state.genesisConfig();
        }
        RaftReplica replica = new RaftReplica(config, effective);
        try {
            replica.server = replica.startServer();
        } catch (IOException | RuntimeException e) {
            replica.batcher.close();
            throw e;
        }
        replica.supervisor.start();
        LOG.info("control replica {} of network {} started: Raft on {}:{}, group {}, {}", config.id(),
                replica.network, config.bindHost(), config.raftPort(), replica.groupId,
                config.join() ? "waiting to be added to the group" : "members " + config.peers().stream()
                        .map(ReplicaPeer::id).toList());
        return replica;
    }

    // ------------------------------------------------------------------------------------------------ Raft server

    private RaftServer startServer() throws IOException {
        ControlStateMachine stateMachine = new ControlStateMachine(applied, config.dataDir().resolve(STATE_DIRECTORY),
                genesis, config.state(), this::takeEntry, new ControlStateMachine.Listener() {
            @Override
            public void logFailed(Throwable cause) {
                requestRestart("the Raft log could not be written: " + cause);
            }

            @Override
            public void applyFailed(long index, Throwable cause) {
                applyFailureNanos = System.nanoTime();
                applyFailure = "applying log index " + index + " to the control state failed: " + cause;
                LOG.error("control replica {}: {}; Ratis stops its server, which then restarts", config.id(),
                        applyFailure);
            }

            @Override
            public void leaderChanged(String leaderId) {
                LOG.info("control replica {}: the leader is now {}", config.id(), leaderId == null ? "unknown"
                        : leaderId.equals(config.id()) ? "this replica" : leaderId);
            }

            @Override
            public void configurationChanged(List<String> members) {
                LOG.info("control replica {}: the group's members are now {}", config.id(), members);
            }
        });
        RaftGroup group = config.join() ? RaftGroup.valueOf(groupId)
                : RaftGroup.valueOf(groupId, config.peers().stream().map(RaftReplica::toRaftPeer).toList());
        RaftServer started = RaftServer.newBuilder()
                .setServerId(selfId)
                .setGroup(group)
                .setStateMachine(stateMachine)
                .setProperties(properties())
                .setOption(RaftStorage.StartupOption.RECOVER)
                .build();
        try {
            started.start();
        } catch (IOException | RuntimeException e) {
            closeQuietly(started);
            // Ratis does not close a state machine whose server failed to start (an interrupt from close, a port
            // taken): the control state it opened would keep its RocksDB lock, and the next start here would fail.
            try {
                stateMachine.close();
            } catch (IOException | RuntimeException closing) {
                e.addSuppressed(closing);
            }
            throw e;
        }
        return started;
    }

    private RaftProperties properties() {
        RaftSettings s = config.settings();
        RaftProperties p = new RaftProperties();
        RaftConfigKeys.Rpc.setType(p, SupportedRpcType.GRPC);
        GrpcConfigKeys.Server.setHost(p, config.bindHost());
        GrpcConfigKeys.Server.setPort(p, config.raftPort());
        RaftServerConfigKeys.setStorageDir(p, List.of(config.dataDir().resolve(RAFT_DIRECTORY).toFile()));
        RaftServerConfigKeys.Rpc.setTimeoutMin(p, millis(s.electionTimeoutMin()));
        RaftServerConfigKeys.Rpc.setTimeoutMax(p, millis(s.electionTimeoutMax()));
        if (!config.join() && config.peers().size() == 1) {
            // A group of one (a devnet) elects itself: no need to wait a whole election timeout at every start.
            RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMin(p, TimeDuration.valueOf(10, TimeUnit.MILLISECONDS));
            RaftServerConfigKeys.Rpc.setFirstElectionTimeoutMax(p, TimeDuration.valueOf(50, TimeUnit.MILLISECONDS));
        }
        // A leader that cannot reach a majority for this long steps down, so clients find the real one.
        RaftServerConfigKeys.LeaderElection.setLeaderStepDownWaitTime(p, millis(s.electionTimeoutMax().multipliedBy(2)));
        // Reads use the Raft read index; the leader answers from its lease without a round trip while it holds one.
        RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(p, true);
        RaftServerConfigKeys.Read.setTimeout(p, millis(s.commitTimeout()));
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
        RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, s.snapshotEvery());
        RaftServerConfigKeys.Snapshot.setCreationGap(p, Math.max(1, Math.min(1024, s.snapshotEvery())));
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
        RaftServerConfigKeys.Log.setPurgePreservationLogNum(p, s.logKeptAfterSnapshot());
        RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.max(1, Math.min(1024, s.snapshotEvery())));
        RaftServerConfigKeys.Log.setSegmentSizeMax(p, SizeInBytes.valueOf(s.segmentBytes()));
        RaftServerConfigKeys.Log.setPreallocatedSize(p, SizeInBytes.valueOf(Math.min(4L << 20, s.segmentBytes())));
        RaftServerConfigKeys.setCloseThreshold(p, TimeDuration.valueOf(10, TimeUnit.SECONDS));
        return p;
    }

    private static TimeDuration millis(Duration d) {
        return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    static RaftPeer toRaftPeer(ReplicaPeer peer) {
        // The client address of a peer is the URL of its HTTP API: that is how Tusk's clients reach it. Ratis's own
        // client RPC is not used.
        return RaftPeer.newBuilder().setId(peer.id()).setAddress(peer.raftAddress())
                .setClientAddress(peer.url().toString()).build();
    }

    static ReplicaPeer toReplicaPeer(RaftPeer peer) {
        String url = peer.getClientAddress();
        return new ReplicaPeer(peer.getId().toString(), peer.getAddress(),
                URI.create(url == null || url.isEmpty() ? "http://" + peer.getAddress() : url));
    }

    private RaftServer.Division division() throws IOException {
        RaftServer current = server;
        if (current == null) {
            throw new IOException("the Raft server is not running");
        }
        return current.getDivision(groupId);
    }

    // ------------------------------------------------------------------------------------------------ supervision

    private void requestRestart(String reason) {
        synchronized (supervision) {
            if (restartReason == null) {
                restartReason = reason;
            }
        }
        supervisor.wake();
    }

    /**
     * One check of the supervisor ({@link #supervisor}): when the Raft server's log failed or it stopped by itself (an
     * apply that threw), closes it and starts a new one from the snapshot and log, every {@code restartInterval},
     * until that works; otherwise hands the leadership off if the disk runs low.
     */
    private void supervise() throws InterruptedException {
        String reason;
        synchronized (supervision) {
            if (closed) {
                return;
            }
            if (restartReason != null) {
                reason = restartReason;
            } else if (!serverAlive()) {
                reason = applyFailure != null ? applyFailure : "the Raft server stopped (see the log above for why)";
            } else if (applyFailure != null && System.nanoTime() - applyFailureNanos > APPLY_FAILURE_GRACE_NANOS) {
                // Ratis did not stop the server by itself after a failed apply: by now its apply thread has
                // long marked the failure, so closing it from here no longer races.
                reason = applyFailure;
            } else {
                reason = null;
            }
        }
        if (reason != null) {
            restart(reason);
        } else {
            handOffIfDiskLow();
        }
    }

    /**
     * A leader whose disk runs low hands its leadership to the follower it heard from last (Ratis transfers it once
     * that follower has the whole log), instead of refusing every command while the others could take them: a group
     * then goes on with its healthy replicas. Tried at most every {@code restartInterval} while the disk stays low;
     * a group of one has no one to hand to and refuses commands (see {@link #submit}).
     */
    private void handOffIfDiskLow() {
        RaftServer current = server;
        if (current == null || !disk.low()) {
            handOff = null;
            return;
        }
        long now = System.nanoTime();
        if (lastHandOffNanos != Long.MIN_VALUE
                && now - lastHandOffNanos < config.settings().restartInterval().toNanos()) {
            return;
        }
        RaftServer.Division division;
        try {
            division = current.getDivision(groupId);
        } catch (IOException e) {
            return;
        }
        if (!division.getInfo().isLeader() || division.getRaftConf().getCurrentPeers().size() < 2) {
            return;
        }
        var followers = division.getInfo().getRoleInfoProto().getLeaderInfo().getFollowerInfoList();
        var target = followers.stream().min(Comparator.comparingLong(
                org.apache.ratis.proto.RaftProtos.ServerRpcProto::getLastRpcElapsedTimeMs));
        if (target.isEmpty()) {
            return;
        }
        lastHandOffNanos = now;
        RaftPeerId to = RaftPeerId.valueOf(target.get().getId().getId());
        handOff = "handing its leadership to " + to;
        handOffs.incrementAndGet();
        LOG.warn("control replica {} hands its leadership to {}: {}", config.id(), to, disk.describe());
        transferLeadership(to.toString()).whenComplete((reply, failed) -> {
            if (failed != null) {
                LOG.warn("control replica {}: handing its leadership to {} failed (tried again in {} s): {}",
                        config.id(), to, config.settings().restartInterval().toSeconds(), failed.toString());
            } else {
                LOG.info("control replica {} handed its leadership to {} (its disk is low)", config.id(), to);
            }
        });
    }

    /**
     * Asks Ratis to make replica {@code id} the leader (once it has the whole log); completes when it is, or fails.
     * This replica must lead.
     */
    CompletableFuture<Void> transferLeadership(String id) {
        RaftServer current = server;
        if (current == null) {
            return CompletableFuture.failedFuture(new ReplicaUnavailableException("the Raft server is not running"));
        }
        try {
            return current.transferLeadershipAsync(new TransferLeadershipRequest(clientId, current.getId(), groupId,
                    callIds.incrementAndGet(), RaftPeerId.valueOf(id), config.settings().commitTimeout().toMillis()))
                    .thenAccept(reply -> {
                        if (!reply.isSuccess()) {
                            throw new java.util.concurrent.CompletionException(reply.getException());
                        }
                    });
        } catch (IOException | RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public long diskLowHandOffs() {
        return handOffs.get();
    }

    private boolean serverAlive() {
        try {
            return division().getInfo().isAlive();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void restart(String reason) throws InterruptedException {
        failure = "not serving: " + reason + "; restarting its Raft server";
        LOG.error("control replica {} stopped serving: {}. It refuses commands and will start its Raft server again"
                + " from its snapshot and log every {} s until that works.", config.id(), reason,
                config.settings().restartInterval().toSeconds());
        RaftServer old = server;
        server = null;
        closeQuietly(old);
        long started = System.nanoTime();
        while (!closed) {
            Thread.sleep(config.settings().restartInterval().toMillis());
            if (closed) {
                return;
            }
            if (disk.low()) {
                failure = "not serving: " + disk.describe() + "; waiting for space before restarting (" + reason + ")";
                LOG.warn("control replica {}: {}", config.id(), failure);
                continue;
            }
            try {
                RaftServer fresh = startServer();
                synchronized (supervision) {
                    server = fresh;
                    restartReason = null;
                    applyFailure = null;
                    failure = null;
                }
                LOG.info("control replica {} serves again: its Raft server restarted {} s after it stopped ({})",
                        config.id(), (System.nanoTime() - started) / 1_000_000_000, reason);
                return;
            } catch (IOException | RuntimeException e) {
                failure = "not serving: " + reason + "; restarting failed: " + e;
                LOG.warn("control replica {}: restarting its Raft server failed, trying again in {} s: {}", config.id(),
                        config.settings().restartInterval().toSeconds(), e.toString());
            }
        }
    }

    /**
     * Closes a Raft server and its state machine. Ratis closes the state machine from its apply thread, which after a
     * failed log write has died or is still ending when the server's close returns: the control state would keep its
     * RocksDB lock for a while (or for good), and a restart or a new replica in the same directory would fail to
     * open it. Closing the state machine here too makes it closed when this returns (closing twice does nothing).
     */
    private void closeQuietly(RaftServer raftServer) {
        if (raftServer == null) {
            return;
        }
        org.apache.ratis.statemachine.StateMachine machine = null;
        try {
            machine = raftServer.getDivision(groupId).getStateMachine();
        } catch (IOException | RuntimeException e) {
            // never started: nothing of it is open
        }
        try {
            raftServer.close();
        } catch (IOException | RuntimeException e) {
            LOG.warn("closing a Raft server failed: {}", e.toString());
        }
        if (machine != null) {
            try {
                machine.close();
            } catch (IOException | RuntimeException e) {
                LOG.warn("closing the control state failed: {}", e.toString());
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ commands

    /**
     * Prechecks the command here, on the caller's thread and in parallel with other callers (signature, envelope,
     * chain, BLS certificates): what fails never takes a place in the log. What passes is ordered by Raft; the leader
     * applies it with this precheck, the followers precheck it as it reaches them.
     */
    @Override
    public CommandResult submit(SignedCommand command) {
        RaftServer current = requireRunning();
        Precheck precheck = applied.read(s -> s.precheck(command));
        if (precheck.refusal().isPresent()) {
            return precheck.refusal().get();
        }
        if (disk.low()) {
            warnDiskLow();
            throw new ReplicaUnavailableException("refusing commands: " + disk.describe());
        }
        CompletableFuture<CommandResult> outcome = batcher.submit(command, precheck);
        Duration timeout = config.settings().commitTimeout();
        try {
            return outcome.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ReplicaUnavailableException("the command was not committed within " + timeout + "; its outcome"
                    + " is unknown: submit the same signed command again");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplicaUnavailableException("interrupted while waiting for the Raft group", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof ReplicaUnavailableException
                    || e.getCause() instanceof io.tusk.control.server.NotLeaderException
                    ? (RuntimeException) e.getCause() : failure(e.getCause());
        }
    }

    /** Sends an entry of commands to the Raft server; completes when it is applied, or failed. */
    private CompletableFuture<RaftClientReply> send(CommandBatcher.Entry entry) {
        RaftServer current = requireRunning();
        RaftClientRequest request = request(current, Message.valueOf(ByteString.copyFrom(
                LogEntries.encode(entry.commands()))), RaftClientRequest.writeRequestType());
        sent.put(request.getCallId(), entry);
        CompletableFuture<RaftClientReply> reply;
        try {
            reply = current.submitClientRequestAsync(request);
        } catch (IOException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        return reply.handle((r, e) -> {
            sent.remove(request.getCallId());
            Throwable failed = e instanceof java.util.concurrent.CompletionException c && c.getCause() != null
                    ? c.getCause() : e;
            if (failed == null && !r.isSuccess()) {
                failed = r.getException();
            }
            if (failed != null) {
                throw new java.util.concurrent.CompletionException(failure(failed));
            }
            return r;
        });
    }

    /** The entry of a request this replica sent (the state machine's {@code startTransaction} asks). */
    private CommandBatcher.Entry takeEntry(RaftClientRequest request) {
        return request.getClientId().equals(clientId) ? sent.remove(request.getCallId()) : null;
    }

    private void warnDiskLow() {
        long now = System.nanoTime();
        if (now - lastDiskWarning > TimeUnit.SECONDS.toNanos(10)) {
            lastDiskWarning = now;
            LOG.warn("control replica {} refuses commands: {}", config.id(), disk.describe());
        }
    }

    private RaftClientRequest request(RaftServer current, Message message, RaftClientRequest.Type type) {
        return RaftClientRequest.newBuilder()
                .setClientId(clientId)
                .setServerId(current.getId())
                .setGroupId(groupId)
                .setCallId(callIds.incrementAndGet())
                .setMessage(message)
                .setType(type)
                .build();
    }

    /** A request to the Raft server. */
    @FunctionalInterface
    private interface RaftCall {
        CompletableFuture<RaftClientReply> send() throws IOException;
    }

    /**
     * Sends a request to the Raft server, waits for its reply and turns its failures into this replica's exceptions.
     *
     * @param timeoutMessage the message when it does not come in time ({@code %s}: the timeout)
     */
    private RaftClientReply await(RaftCall call, Duration timeout, String timeoutMessage) {
        RaftClientReply reply;
        try {
            reply = call.send().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new ReplicaUnavailableException(String.format(timeoutMessage, timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplicaUnavailableException("interrupted while waiting for the Raft group", e);
        } catch (ExecutionException e) {
            throw failure(e.getCause());
        } catch (IOException e) {
            throw failure(e);
        }
        if (!reply.isSuccess()) {
            throw failure(reply.getException());
        }
        return reply;
    }

    private RuntimeException failure(Throwable cause) {
        String broken = restartReason != null ? restartReason : applyFailure != null ? applyFailure : failure;
        if (broken != null) {
            // The request failed because this replica's Raft server did (it may step down as it fails): say so.
            return new ReplicaUnavailableException("replica " + config.id() + " is not serving: " + broken, cause);
        }
        if (cause instanceof NotLeaderException notLeader) {
            ReplicaPeer leader = notLeader.getSuggestedLeader() == null ? null : toReplicaPeer(notLeader.getSuggestedLeader());
            return new io.tusk.control.server.NotLeaderException("replica " + config.id() + " is not the leader"
                    + (leader == null ? " and knows no leader now" : "; the leader is " + leader.id() + " at "
                    + leader.url()), leader == null ? null : leader.id(), leader == null ? null : leader.url());
        }
        String what = cause instanceof RaftException raft ? raft.getClass().getSimpleName() + ": " + raft.getMessage()
                : String.valueOf(cause);
        return new ReplicaUnavailableException("replica " + config.id() + " cannot serve the request now (" + what + ")",
                cause);
    }

    private RaftServer requireRunning() {
        String reason = failure;
        RaftServer current = server;
        if (reason != null || current == null) {
            throw new ReplicaUnavailableException("replica " + config.id() + " is " + (reason != null ? reason
                    : "starting"));
        }
        return current;
    }

    // ------------------------------------------------------------------------------------------------ queries

    @Override
    public <T> T query(Read consistency, Function<ControlState, T> query) {
        if (consistency == Read.LINEARIZABLE) {
            RaftServer current = requireRunning();
            RaftClientRequest request = request(current, Message.EMPTY, RaftClientRequest.readRequestType());
            await(() -> current.submitClientRequestAsync(request), config.settings().commitTimeout(),
                    "no read index within %s");
        } else {
            requireServing();
        }
        return applied.read(query);
    }

    @Override
    public EventPage events(long from, int limit, long waitMillis) throws InterruptedException {
        requireServing();
        return applied.events(from, limit, waitMillis);
    }

    /** Refuses local reads while the replica does not serve (no leader heard of: its data may be stale). */
    private void requireServing() {
        requireRunning();
        String reason = notServingReason();
        if (reason != null) {
            throw new ReplicaUnavailableException("replica " + config.id() + " is not serving: " + reason);
        }
    }

    /** Null when the replica serves; otherwise why not. */
    private String notServingReason() {
        String reason = failure;
        if (reason != null) {
            return reason;
        }
        if (applyFailure != null) {
            return "not serving: " + applyFailure + "; restarting its Raft server";
        }
        if (!applied.loaded()) {
            return "loading its state";
        }
        RaftServer.Division division;
        try {
            division = division();
        } catch (IOException | RuntimeException e) {
            return "its Raft server is not running";
        }
        RoleInfoProto role = division.getInfo().getRoleInfoProto();
        return switch (division.getInfo().getCurrentRole()) {
            case LEADER -> division.getInfo().isLeaderReady() ? (disk.low() ? diskLowReason() : null)
                    : "newly elected leader, not ready yet";
            case FOLLOWER -> {
                if (division.getInfo().getLeaderId() == null) {
                    yield "no leader known";
                }
                long silent = role.hasFollowerInfo() ? role.getFollowerInfo().getLeaderInfo().getLastRpcElapsedTimeMs() : 0;
                long limit = 2 * config.settings().electionTimeoutMax().toMillis();
                yield silent > limit ? "no word from leader " + division.getInfo().getLeaderId() + " for " + silent
                        + " ms" : null;
            }
            case CANDIDATE -> "no leader: an election is in progress";
            case LISTENER -> null;
            default -> "role " + division.getInfo().getCurrentRole();
        };
    }

    private String diskLowReason() {
        String to = handOff;
        return disk.describe() + (to == null ? "" : "; " + to);
    }

    @Override
    public Health health() {
        String reason = notServingReason();
        int epoch = -1;
        long events = -1;
        if (applied.loaded()) {
            try {
                epoch = applied.read(ControlState::epoch);
                events = applied.read(ControlState::eventCount);
            } catch (RuntimeException e) {
                // reloading: report what is known
            }
        }
        long appliedIndex = -1;
        try {
            appliedIndex = division().getInfo().getLastAppliedIndex();
        } catch (IOException | RuntimeException e) {
            // not running
        }
        return new Health(reason == null ? Health.SERVING : Health.NOT_SERVING, reason, role(), epoch, appliedIndex,
                events, reason == null && disk.low() ? List.of(disk.describe() + "; it follows and serves reads, and "
                        + "would hand its leadership away at once if elected") : List.of());
    }

    private String role() {
        try {
            return roleName(division().getInfo().getCurrentRole());
        } catch (IOException | RuntimeException e) {
            return closed ? "stopped" : "starting";
        }
    }

    private static String roleName(RaftPeerRole role) {
        return switch (role) {
            case LEADER -> ReplicaStatus.LEADER;
            case FOLLOWER -> ReplicaStatus.FOLLOWER;
            case CANDIDATE -> "candidate";
            case LISTENER -> "listener";
            default -> role.name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    @Override
    public ReplicaStatus status() {
        String reason = notServingReason();
        ReplicaPeer self = config.self();
        try {
            RaftServer.Division division = division();
            RaftPeerId leaderId = division.getInfo().getLeaderId();
            List<ReplicaPeer> members = members(division);
            ReplicaPeer leader = leaderId == null ? null
                    : members.stream().filter(p -> p.id().equals(leaderId.toString())).findFirst().orElse(null);
            return new ReplicaStatus(network.chainId(), self.id(), self.url().toString(),
                    roleName(division.getInfo().getCurrentRole()), reason == null, reason,
                    division.getInfo().getCurrentTerm(), leaderId == null ? null : leaderId.toString(),
                    leader == null ? null : leader.url().toString(), division.getInfo().getLastAppliedIndex(),
                    division.getRaftLog().getLastCommittedIndex(), members);
        } catch (IOException | RuntimeException e) {
            return new ReplicaStatus(network.chainId(), self.id(), self.url().toString(), role(), false,
                    reason != null ? reason : e.toString(), -1, null, null, -1, -1, List.of());
        }
    }

    private static List<ReplicaPeer> members(RaftServer.Division division) {
        List<ReplicaPeer> members = new ArrayList<>();
        for (RaftPeer peer : division.getRaftConf().getCurrentPeers()) {
            members.add(toReplicaPeer(peer));
        }
        members.sort(Comparator.comparing(ReplicaPeer::id));
        return members;
    }

    // ------------------------------------------------------------------------------------------------ membership

    @Override
    public ReplicaStatus addReplica(ReplicaPeer replica) {
        List<RaftPeer> peers = currentPeers();
        for (RaftPeer peer : peers) {
            if (peer.getId().toString().equals(replica.id())) {
                if (toReplicaPeer(peer).equals(replica)) {
                    return status();
                }
                throw new IllegalArgumentException("replica " + replica.id() + " is already a member with other"
                        + " addresses (" + toReplicaPeer(peer) + "); remove it first");
            }
        }
        List<RaftPeer> next = new ArrayList<>(peers);
        next.add(toRaftPeer(replica));
        setConfiguration(next, "adding " + replica.id());
        return status();
    }

    @Override
    public ReplicaStatus removeReplica(String id) {
        List<RaftPeer> peers = currentPeers();
        List<RaftPeer> next = peers.stream().filter(p -> !p.getId().toString().equals(id)).toList();
        if (next.size() == peers.size()) {
            return status();
        }
        if (next.isEmpty()) {
            throw new IllegalArgumentException("replica " + id + " is the last member of the group; it cannot be removed");
        }
        setConfiguration(next, "removing " + id);
        return status();
    }

    private List<RaftPeer> currentPeers() {
        RaftServer current = requireRunning();
        try {
            RaftServer.Division division = current.getDivision(groupId);
            if (!division.getInfo().isLeader()) {
                RaftPeerId leaderId = division.getInfo().getLeaderId();
                RaftPeer leader = leaderId == null ? null : division.getRaftConf().getPeer(leaderId);
                throw failure(new NotLeaderException(division.getMemberId(), leader,
                        division.getRaftConf().getCurrentPeers()));
            }
            return new ArrayList<>(division.getRaftConf().getCurrentPeers());
        } catch (IOException e) {
            throw new ReplicaUnavailableException("replica " + config.id() + " has no Raft group: " + e, e);
        }
    }

    private void setConfiguration(List<RaftPeer> peers, String what) {
        RaftServer current = requireRunning();
        SetConfigurationRequest request = new SetConfigurationRequest(clientId, current.getId(), groupId,
                callIds.incrementAndGet(), SetConfigurationRequest.Arguments.newBuilder()
                .setServersInNewConf(peers).setMode(SetConfigurationRequest.Mode.SET_UNCONDITIONALLY).build());
        LOG.info("control replica {}: {} (new group {})", config.id(), what,
                peers.stream().map(p -> p.getId().toString()).toList());
        await(() -> current.setConfigurationAsync(request), MEMBERSHIP_TIMEOUT,
                what + " did not complete within %s (is the new replica running, started with join: true?)");
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    /** The first index still in this replica's Raft log (earlier ones are in its snapshot only); for tests. */
    long logStartIndex() {
        try {
            return division().getRaftLog().getStartIndex();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The network this replica belongs to. */
    public NetworkId network() {
        return network;
    }

    public ReplicaConfig config() {
        return config;
    }

    /** The genesis of this replica's network (from its directory if none was given). */
    public GenesisConfig genesis() {
        return genesis;
    }

    @Override
    public void stopWaiting() {
        applied.stopWaiting();
    }

    @Override
    public void close() {
        closed = true;
        // Waits for a restart in progress to end, however long (it used to give up after 15 s): a supervisor left
        // behind could install a fresh Raft server, with its ports and RocksDB state, after the close below.
        supervisor.close();
        applied.stopWaiting();
        batcher.close();
        RaftServer current = server;
        server = null;
        closeQuietly(current);
    }
}
