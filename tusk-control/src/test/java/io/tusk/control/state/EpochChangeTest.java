package io.tusk.control.state;

import io.tusk.control.api.Command;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.control.api.EpochInfo;
import io.tusk.control.api.Event;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.messages.ProofOfPossessionMessage;
import io.tusk.core.messages.ShardsSyncedMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static io.tusk.control.state.TestNetwork.address;
import static org.assertj.core.api.Assertions.assertThat;

/** Join, leave, stake changes and the epoch change protocol (start, shardsSynced, done) of the state machine. */
class EpochChangeTest {
    @TempDir
    Path dir;

    private final TestNetwork net = TestNetwork.standard();
    private OpenStates states;
    private ControlState state;
    private StateDriver driver;
    private long time = TestNetwork.GENESIS_TIME;

    @BeforeEach
    void open() {
        states = new OpenStates(dir);
        state = states.genesis(net.genesis);
        driver = new StateDriver(state);
    }

    @AfterEach
    void close() {
        states.close();
    }

    private CommandResult advance() {
        time += 10;
        return driver.submit(net.admin, new Command.AdvanceEpoch(time));
    }

    private static void assertRefused(CommandResult result, String reason) {
        assertThat(result).isInstanceOf(CommandResult.Refused.class);
        assertThat(((CommandResult.Refused) result).reason().reason()).isEqualTo(reason);
    }

    private String join(Ed25519KeyPair owner, BlsKeyPair key, long stake) {
        driver.accept(owner, new Command.Faucet(1_000));
        byte[] pop = key.sign(new ProofOfPossessionMessage(state.epoch(), owner.publicKey().address(), key.publicKey())
                .toBcs()).bytes();
        var accepted = driver.accept(owner, new Command.RegisterNode("joiner", "10.0.0.9:9185", key.publicKey().bytes(),
                pop, stake));
        return ((Event.NodeRegistered) accepted.events().getFirst()).nodeId();
    }

    private CommandResult report(Ed25519KeyPair sender, BlsKeyPair key, String nodeId, int epoch) {
        byte[] signature = key.sign(new ShardsSyncedMessage(epoch, ObjectId.parse(nodeId)).toBcs()).bytes();
        return driver.submit(sender, new Command.ShardsSynced(nodeId, epoch, signature));
    }

    @Test
    void shouldCompleteAtOnceWhenNoShardMoves() {
        var accepted = (CommandResult.Accepted) advance();
        assertThat(accepted.events()).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("EpochChange", "EpochChangeDone");
        assertThat(state.epochInfo().state()).isEqualTo(EpochInfo.CHANGE_DONE);
        assertThat(state.epochChange().syncedShards()).isEqualTo(100);
    }

    @Test
    void shouldJoinLeaveAndCompleteWhenAQuorumOfShardsReported() {
        Ed25519KeyPair owner = TestNetwork.account(300);
        BlsKeyPair key = TestNetwork.blsKey(900);
        String joiner = join(owner, key, 10);
        String leaver = state.committee().members().get(1).nodeId();
        // The leaver's owner gets its stake back.
        Ed25519KeyPair leaverOwner = net.nodeOwners.get(net.nodeKeys.indexOf(net.nodeKeys.stream()
                .filter(k -> ObjectIdOf(k).equals(leaver)).findFirst().orElseThrow()));
        long before = state.account(address(leaverOwner)).map(a -> a.balance()).orElse(0L);
        driver.accept(leaverOwner, new Command.LeaveCommittee(leaver));
        assertThat(state.account(address(leaverOwner)).orElseThrow().balance()).isEqualTo(before + 10);
        assertThat(state.nextCommitteePreview().members()).extracting(CommitteeMember::nodeId)
                .contains(joiner).doesNotContain(leaver);

        CommitteeInfo old = state.committee();
        var accepted = (CommandResult.Accepted) advance();
        CommitteeInfo now = state.committee();
        assertThat(state.previousCommittee()).contains(old);
        assertThat(now.members()).extracting(CommitteeMember::nodeId).contains(joiner).doesNotContain(leaver);
        // Minimal movement: the joiner takes exactly the leaver's 25 shards; the others keep theirs.
        Set<Integer> leaverShards = new HashSet<>(old.members().get(1).shards());
        CommitteeMember joined = now.members().stream().filter(m -> m.nodeId().equals(joiner)).findFirst().orElseThrow();
        assertThat(new HashSet<>(joined.shards())).isEqualTo(leaverShards);
        for (CommitteeMember m : now.members()) {
            if (!m.nodeId().equals(joiner)) {
                assertThat(old.members().stream().filter(o -> o.nodeId().equals(m.nodeId())).findFirst().orElseThrow()
                        .shards()).isEqualTo(m.shards());
            }
        }
        // Three unchanged members (75 shards) are synced at once: a quorum of 100 (67), so the change is done.
        assertThat(accepted.events()).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("EpochChange", "EpochChangeDone");
        assertThat(state.epochChange().syncedNodes()).doesNotContain(joiner);
        // The joiner still reports; wrong signer, wrong epoch and repeats are refused.
        Ed25519KeyPair relay = TestNetwork.account(301);
        assertRefused(report(relay, TestNetwork.blsKey(901), joiner, 2), "INVALID_SIGNATURE");
        assertRefused(report(relay, key, joiner, 1), "ILLEGAL_TRANSITION");
        assertThat(report(relay, key, joiner, 2).accepted()).isTrue();
        assertRefused(report(relay, key, joiner, 2), "ILLEGAL_TRANSITION");
        assertThat(state.epochChange().syncedShards()).isEqualTo(100);
    }

    @Test
    void shouldWaitForReportsWhenManyShardsMoveAndRefuseToAdvanceMeanwhile() {
        Ed25519KeyPair owner = TestNetwork.account(310);
        BlsKeyPair key = TestNetwork.blsKey(910);
        String joiner = join(owner, key, 40); // half the stake: 50 shards move, the rest hold 50 < 67
        var accepted = (CommandResult.Accepted) advance();
        assertThat(accepted.events()).extracting(e -> e.getClass().getSimpleName()).containsExactly("EpochChange");
        assertThat(state.epochInfo().state()).isEqualTo(EpochInfo.CHANGE_IN_PROGRESS);
        assertRefused(advance(), "ILLEGAL_TRANSITION");
        var done = (CommandResult.Accepted) report(owner, key, joiner, 2);
        assertThat(done.events()).extracting(e -> e.getClass().getSimpleName())
                .containsExactly("ShardsSynced", "EpochChangeDone");
        assertThat(advance().accepted()).isTrue();
    }

    @Test
    void shouldChangeStakeAndMoveShardsAtTheNextEpoch() {
        Ed25519KeyPair owner0 = net.nodeOwners.get(0);
        String node0 = ObjectIdOf(net.nodeKeys.get(0));
        driver.accept(owner0, new Command.Faucet(1_000));
        assertRefused(driver.submit(TestNetwork.account(5), new Command.SetStake(node0, 20)), "UNKNOWN_ACCOUNT");
        driver.accept(owner0, new Command.SetStake(node0, 40)); // 40 of 70
        assertThat(state.account(address(owner0)).orElseThrow().balance()).isEqualTo(970);
        advance();
        CommitteeMember m0 = state.committee().members().stream().filter(m -> m.nodeId().equals(node0)).findFirst()
                .orElseThrow();
        assertThat(m0.shards()).hasSize(57);
        assertThat(state.epochInfo().state()).isEqualTo(EpochInfo.CHANGE_IN_PROGRESS); // 43 unchanged shards
        List<String> synced = state.epochChange().syncedNodes();
        assertThat(synced).doesNotContain(node0).hasSize(3);
    }

    private static String ObjectIdOf(BlsKeyPair key) {
        return ObjectId.derive("tusk/node".getBytes(java.nio.charset.StandardCharsets.US_ASCII), key.publicKey().bytes())
                .toString();
    }
}
