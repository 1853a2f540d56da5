package io.tusk.control.state;

import io.tusk.control.api.Command;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.control.api.EpochChangeInfo;
import io.tusk.control.api.EpochInfo;
import io.tusk.control.api.Event;
import io.tusk.control.state.StateCodec.Codec;
import io.tusk.core.Bft;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Address;
import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.core.crypto.BlsSignature;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.messages.ProofOfPossessionMessage;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The committees-and-epochs concern: registered storage nodes and their stakes, the committee of every epoch, the
 * epoch and the state of the change into it (which members reported their shards synced). Commands
 * {@code registerNode}, {@code leaveCommittee}, {@code setStake}, {@code advanceEpoch}, {@code shardsSynced}. Tables
 * {@code nodes} (node ID → node) and {@code committees} (epoch → committee, kept for every epoch, so a certificate
 * can be checked against the committee of the epoch it names); the epoch state is one value in {@link Meta}.
 *
 * <p>The epoch state and the current and previous committee are also held in memory (they are small and every
 * certificate needs them); a handler changes them only after its checks passed, like the tables.
 */
final class Committees {
    private static final byte[] NODE_DOMAIN = "tusk/node".getBytes(StandardCharsets.US_ASCII);
    private static final Codec<EpochState> EPOCH_STATE = StateCodec.json(EpochState.class);
    /** Committees kept parsed for prechecks, by epoch; they never change once written. */
    private static final int CACHED_COMMITTEES = 8;

    private final GenesisConfig genesis;
    private final CertificateVerifier verifier;
    private final Meta meta;
    private final Table<String, NodeEntry> nodes;
    private final Table<Integer, CommitteeInfo> committees;
    private final Map<Integer, CommitteeInfo> committedCache = java.util.Collections.synchronizedMap(
            new java.util.LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Integer, CommitteeInfo> eldest) {
                    return size() > CACHED_COMMITTEES;
                }
            });
    private int epoch;
    private long epochStartMillis;
    private CommitteeInfo committee;
    private CommitteeInfo previousCommittee;
    /** Whether members holding a quorum of shards reported the change into {@link #epoch} done. */
    private boolean epochChangeDone = true;
    /** Members of the current committee that hold every shard assigned to them in this epoch, by node ID. */
    private final TreeSet<String> syncedNodes = new TreeSet<>();

    Committees(GenesisConfig genesis, CertificateVerifier verifier, StateView view, Meta meta) {
        this.genesis = genesis;
        this.verifier = verifier;
        this.meta = meta;
        this.nodes = new Table<>(view, "nodes", StateCodec.ID, StateCodec.json(NodeEntry.class));
        this.committees = new Table<>(view, "committees", StateCodec.U32, StateCodec.json(CommitteeInfo.class));
    }

    /** Loads the epoch state and committees of an existing state (called at open). */
    void load() {
        EpochState state = meta.get(Meta.EPOCH, EPOCH_STATE);
        epoch = state.epoch();
        epochStartMillis = state.startMillis();
        epochChangeDone = state.changeDone();
        syncedNodes.clear();
        syncedNodes.addAll(state.syncedNodes());
        committee = committees.get(epoch);
        previousCommittee = epoch > 1 ? committees.get(epoch - 1) : null;
    }

    /** Writes the epoch state into the command's batch (after a change to it). */
    private void saveEpochState() {
        meta.put(Meta.EPOCH, EPOCH_STATE, new EpochState(epoch, epochStartMillis, epochChangeDone,
                List.copyOf(syncedNodes)));
    }

    /**
     * Registers the genesis nodes and makes them the committee of epoch 1, which holds its shards from the start.
     *
     * @return the canonical owner address of each genesis node, in genesis order
     */
    List<String> initialize() {
        GenesisConfig g = genesis;
        List<String> owners = new ArrayList<>();
        for (int i = 0; i < g.nodes().size(); i++) {
            GenesisConfig.GenesisNode n = g.nodes().get(i);
            String what = "genesis node " + i + " (" + n.name() + ")";
            String owner = ControlState.canonicalAddress(n.owner(), what + " owner");
            BlsPublicKey key;
            try {
                key = BlsPublicKey.fromBytes(n.blsPublicKey());
                checkNodeFields(n.name(), n.networkAddress(), n.stake());
                checkProofOfPossession(ControlState.GENESIS_POP_EPOCH, owner, key, n.proofOfPossession());
            } catch (IllegalArgumentException | Refusal e) {
                throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
            }
            String nodeId = nodeId(key);
            ControlState.require(!nodes.contains(nodeId), what + ": BLS public key already used by another genesis node");
            nodes.put(nodeId, new NodeEntry(nodeId, owner, n.name(), n.networkAddress(), key.bytes(), n.stake(), 0));
            verifier.remember(nodeId, key);
            owners.add(owner);
        }
        epoch = 1;
        epochStartMillis = g.genesisTimeMillis();
        List<NodeEntry> members = allNodes();
        int[] counts = ShardApportionment.counts(stakes(members), g.shardCount());
        committee = committeeOf(epoch, members, ShardApportionment.contiguous(counts));
        committees.put(epoch, committee);
        previousCommittee = null;
        committee.members().forEach(m -> syncedNodes.add(m.nodeId())); // the first committee holds its shards from the start
        saveEpochState();
        return owners;
    }

    // ------------------------------------------------------------------------------------------------ commands

    void registerNode(CommandContext ctx, Command.RegisterNode c) throws Refusal {
        checkNodeFields(c.name(), c.networkAddress(), c.stake());
        BlsPublicKey key;
        try {
            key = BlsPublicKey.fromBytes(c.blsPublicKey());
        } catch (IllegalArgumentException e) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "blsPublicKey: " + e.getMessage());
        }
        String nodeId = nodeId(key);
        if (nodes.contains(nodeId)) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "BLS key " + key.toBase64() + " is already registered as node "
                    + nodeId);
        }
        checkProofOfPossession(epoch, ctx.sender, key, c.proofOfPossession());
        ctx.requireBalance(c.stake(), "a stake of " + c.stake());
        nodes.put(nodeId, new NodeEntry(nodeId, ctx.sender, c.name(), c.networkAddress(), key.bytes(), c.stake(), epoch));
        verifier.remember(nodeId, key);
        ctx.commit(-c.stake());
        ctx.emit(new Event.NodeRegistered(ctx.nextCursor(), epoch, nodeId));
    }

    void leaveCommittee(CommandContext ctx, Command.LeaveCommittee c) throws Refusal {
        NodeEntry node = ownedNode(ctx, c.nodeId());
        if (nodeCount() == 1) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "node " + node.nodeId()
                    + " is the only registered node; the network needs at least one");
        }
        if (ctx.balance() > Long.MAX_VALUE - node.stake()) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "returning the stake would overflow the balance");
        }
        nodes.delete(node.nodeId());
        ctx.commit(node.stake());
        ctx.emit(new Event.NodeLeft(ctx.nextCursor(), epoch, node.nodeId()));
    }

    void setStake(CommandContext ctx, Command.SetStake c) throws Refusal {
        NodeEntry node = ownedNode(ctx, c.nodeId());
        if (c.stake() < 0) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "stake must not be negative, got " + c.stake());
        }
        long delta = c.stake() - node.stake(); // what the owner pays (negative: what it gets back)
        if (delta > 0) {
            ctx.requireBalance(delta, "raising the stake to " + c.stake());
        } else if (ctx.balance() > Long.MAX_VALUE + delta) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "returning the stake would overflow the balance");
        }
        nodes.put(node.nodeId(), node.withStake(c.stake()));
        ctx.commit(-delta);
        ctx.emit(new Event.StakeChanged(ctx.nextCursor(), epoch, node.nodeId(), c.stake()));
    }

    void advanceEpoch(CommandContext ctx, Command.AdvanceEpoch c) throws Refusal {
        String admin = Address.parse(genesis.adminAddress()).toString();
        if (!ctx.sender.equals(admin)) {
            throw new Refusal(ErrorReason.NOT_OWNER, "only the operator " + admin + " may advance the epoch, not "
                    + ctx.sender);
        }
        if (c.startTimeMillis() < epochStartMillis) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "the new epoch cannot start at " + c.startTimeMillis()
                    + ", before the current epoch's start " + epochStartMillis);
        }
        if (epoch == Integer.MAX_VALUE) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "the epoch counter is exhausted");
        }
        if (!epochChangeDone) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "the change to epoch " + epoch + " is still in progress: "
                    + "members holding a quorum of shards have not reported their shards synced");
        }
        CommitteeInfo next = chooseCommittee(epoch + 1);
        epoch++;
        epochStartMillis = c.startTimeMillis();
        previousCommittee = committee;
        committee = next;
        // Members that gained no shard hold everything they are assigned already: they count as synced at once.
        Map<String, List<Integer>> held = new HashMap<>();
        for (CommitteeMember m : previousCommittee.members()) {
            held.put(m.nodeId(), m.shards());
        }
        syncedNodes.clear();
        for (CommitteeMember m : committee.members()) {
            if (held.getOrDefault(m.nodeId(), List.of()).containsAll(m.shards())) {
                syncedNodes.add(m.nodeId());
            }
        }
        epochChangeDone = false;
        committees.put(epoch, committee);
        ctx.commit(0);
        ctx.emit(new Event.EpochChange(ctx.nextCursor(), epoch));
        completeEpochChangeIfQuorum(ctx);
        saveEpochState();
    }

    void shardsSynced(CommandContext ctx, Command.ShardsSynced c) throws Refusal {
        // the precheck verified that member nodeId of the committee of c.epoch() signed the report
        CertificateVerifier.Verified.ShardsSynced report = ctx.verified(CertificateVerifier.Verified.ShardsSynced.class);
        if (report.epoch() != epoch) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "the report is for epoch " + report.epoch()
                    + ", the current epoch is " + epoch);
        }
        if (!report.member()) {
            throw new Refusal(ErrorReason.TARGET_NOT_FOUND, "node " + report.nodeId()
                    + " is not in the committee of epoch " + epoch);
        }
        CommitteeMember member = committee.members().stream().filter(m -> m.nodeId().equals(report.nodeId()))
                .findFirst().orElseThrow(() -> new IllegalStateException("node " + report.nodeId()
                        + " was verified as a member of the committee of epoch " + epoch + " but is not in it"));
        String nodeId = member.nodeId();
        if (syncedNodes.contains(member.nodeId())) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "node " + nodeId + " already reported its shards synced in epoch "
                    + epoch);
        }
        syncedNodes.add(member.nodeId());
        ctx.commit(0);
        ctx.emit(new Event.ShardsSynced(ctx.nextCursor(), epoch, member.nodeId()));
        completeEpochChangeIfQuorum(ctx);
        saveEpochState();
    }

    // ------------------------------------------------------------------------------------------------ rules

    static void checkNodeFields(String name, String networkAddress, long stake) throws Refusal {
        if (name.isBlank() || name.length() > ControlState.MAX_NAME_LENGTH) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "node name must be 1.." + ControlState.MAX_NAME_LENGTH
                    + " characters and not blank, got " + name.length());
        }
        int colon = networkAddress.lastIndexOf(':');
        boolean ok = networkAddress.length() <= ControlState.MAX_NETWORK_ADDRESS_LENGTH && colon > 0
                && colon < networkAddress.length() - 1;
        if (ok) {
            String port = networkAddress.substring(colon + 1);
            ok = port.length() <= 5 && port.chars().allMatch(ch -> ch >= '0' && ch <= '9')
                    && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65_535;
        }
        if (!ok) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "networkAddress must be host:port with port 1..65535, got '"
                    + Text.abbreviate(networkAddress) + "'");
        }
        if (stake < 0) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "stake must not be negative, got " + stake);
        }
    }

    static void checkProofOfPossession(int popEpoch, String owner, BlsPublicKey key, byte[] proof) throws Refusal {
        BlsSignature signature;
        try {
            signature = BlsSignature.fromBytes(proof);
        } catch (IllegalArgumentException e) {
            throw new Refusal(ErrorReason.INVALID_SIGNATURE, "proofOfPossession: " + e.getMessage());
        }
        byte[] message = new ProofOfPossessionMessage(popEpoch, Address.parse(owner), key).toBcs();
        if (!key.verify(message, signature)) {
            throw new Refusal(ErrorReason.INVALID_SIGNATURE, "proofOfPossession does not verify for key "
                    + key.toBase64() + ", account " + owner + " and epoch " + popEpoch);
        }
    }

    /** A node's ID: Blake2b-256 of a domain tag and its BLS key; a key can be registered only once. */
    private static String nodeId(BlsPublicKey key) {
        return ObjectId.derive(NODE_DOMAIN, key.bytes()).toString();
    }

    private NodeEntry ownedNode(CommandContext ctx, String nodeIdText) throws Refusal {
        String nodeId;
        try {
            nodeId = ObjectId.parse(nodeIdText).toString();
        } catch (IllegalArgumentException e) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "nodeId: " + e.getMessage());
        }
        NodeEntry node = nodes.get(nodeId);
        if (node == null) {
            throw new Refusal(ErrorReason.TARGET_NOT_FOUND, "no registered node " + nodeId + " (never registered, or left)");
        }
        if (!node.owner().equals(ctx.sender)) {
            throw new Refusal(ErrorReason.NOT_OWNER, "node " + nodeId + " is owned by " + node.owner() + ", not "
                    + ctx.sender);
        }
        return node;
    }

    /**
     * The committee of {@code nextEpoch}: every registered node, sorted by node ID, shards by stake; each node keeps as
     * many of its current shards as it may, so shards move as little as possible.
     */
    private CommitteeInfo chooseCommittee(int nextEpoch) {
        List<NodeEntry> members = allNodes();
        Map<String, List<Integer>> held = new HashMap<>();
        for (CommitteeMember m : committee.members()) {
            held.put(m.nodeId(), m.shards());
        }
        List<List<Integer>> current = new ArrayList<>(members.size());
        for (NodeEntry n : members) {
            current.add(held.getOrDefault(n.nodeId(), List.of()));
        }
        int[] counts = ShardApportionment.counts(stakes(members), genesis.shardCount());
        List<List<Integer>> shards = ShardApportionment.reassign(current, counts, genesis.shardCount());
        return committeeOf(nextEpoch, members, shards);
    }

    private CommitteeInfo committeeOf(int epochNumber, List<NodeEntry> members, List<List<Integer>> shards) {
        List<CommitteeMember> out = new ArrayList<>(members.size());
        for (int i = 0; i < members.size(); i++) {
            NodeEntry n = members.get(i);
            out.add(new CommitteeMember(n.nodeId(), n.name(), n.networkAddress(), n.blsPublicKey(), n.stake(),
                    shards.get(i)));
        }
        return new CommitteeInfo(epochNumber, genesis.shardCount(), out);
    }

    /** Every registered node in node-ID order (a few hundred at most: nodes stake to register). */
    private List<NodeEntry> allNodes() {
        List<NodeEntry> out = new ArrayList<>();
        nodes.scan((id, node) -> out.add(node));
        return out;
    }

    private static long[] stakes(List<NodeEntry> members) {
        return members.stream().mapToLong(NodeEntry::stake).toArray();
    }

    private void completeEpochChangeIfQuorum(CommandContext ctx) {
        if (epochChangeDone) {
            return;
        }
        if (Bft.isQuorum(syncedShards(), committee.shardCount())) {
            epochChangeDone = true;
            ctx.emit(new Event.EpochChangeDone(ctx.nextCursor(), epoch));
        }
    }

    private int syncedShards() {
        int weight = 0;
        for (CommitteeMember m : committee.members()) {
            if (syncedNodes.contains(m.nodeId())) {
                weight += m.shards().size();
            }
        }
        return weight;
    }

    // ------------------------------------------------------------------------------------------------ queries

    int epoch() {
        return epoch;
    }

    long epochStartMillis() {
        return epochStartMillis;
    }

    boolean epochChangeDone() {
        return epochChangeDone;
    }

    CommitteeInfo committee() {
        return committee;
    }

    Optional<CommitteeInfo> previousCommittee() {
        return Optional.ofNullable(previousCommittee);
    }

    EpochInfo epochInfo() {
        return new EpochInfo(epoch, epochStartMillis, genesis.epochDurationMillis(), genesis.maxEpochsAhead(),
                epochChangeDone ? EpochInfo.CHANGE_DONE : EpochInfo.CHANGE_IN_PROGRESS);
    }

    EpochChangeInfo epochChange() {
        return new EpochChangeInfo(epoch, epochChangeDone ? EpochInfo.CHANGE_DONE : EpochInfo.CHANGE_IN_PROGRESS,
                List.copyOf(syncedNodes), syncedShards(), committee.shardCount(),
                Bft.quorumThreshold(committee.shardCount()));
    }

    CommitteeInfo nextCommitteePreview() {
        return chooseCommittee(epoch + 1);
    }

    int nodeCount() {
        int[] count = {0};
        nodes.scan((id, node) -> ++count[0] > 0);
        return count[0];
    }

    /**
     * The committee of {@code epochNumber} as committed (never a command's pending change), or empty if that epoch
     * has not started. Thread-safe and lock-free: committees never change once written.
     */
    Optional<CommitteeInfo> committedCommitteeOf(int epochNumber) {
        CommitteeInfo cached = committedCache.get(epochNumber);
        if (cached != null) {
            return Optional.of(cached);
        }
        CommitteeInfo stored = committees.getCommitted(epochNumber);
        if (stored != null) {
            committedCache.put(epochNumber, stored);
        }
        return Optional.ofNullable(stored);
    }
}
