package io.tusk.control.state;

import io.tusk.control.api.Certificate;
import io.tusk.control.api.Command;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.Event;
import io.tusk.control.api.SignedCommand;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.StorageConfirmation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stateless checks before ordering: signature, envelope, chain, and the BLS certificates against the committee
 * of the epoch they name. A refused precheck needs no log index; what passed it is applied without verifying the
 * signatures again, and what depends on the state (the current epoch, the object) is still checked at the index.
 */
class PrecheckTest {
    @TempDir
    Path dir;

    private final TestNetwork net = TestNetwork.standard();
    private final Ed25519KeyPair alice = TestNetwork.account(1);
    private OpenStates states;
    private ControlState state;
    private StateDriver driver;

    @BeforeEach
    void open() {
        states = new OpenStates(dir);
        state = states.genesis(net.genesis);
        driver = new StateDriver(state);
        driver.accept(alice, new Command.Faucet(1_000_000_000L));
    }

    @AfterEach
    void close() {
        states.close();
    }

    @Test
    void shouldRefuseForgedCertificatesAndFutureEpochsBeforeOrdering() {
        String objectId = register(1);
        CommitteeInfo committee = state.committee();
        Certificate real = net.certificate(committee, List.of(0, 1, 2), confirmation(1, state.epoch()));
        Certificate swapped = net.certificate(committee, List.of(0, 1, 3), confirmation(1, state.epoch()));
        Certificate forged = new Certificate(List.of(0, 1, 2), real.serializedMessage(), swapped.signature());
        Certificate tooFew = net.certificate(committee, List.of(0, 1), confirmation(1, state.epoch()));
        Certificate future = net.certificate(committee, List.of(0, 1, 2, 3), confirmation(1, state.epoch() + 1));
        long applied = state.lastAppliedIndex();
        String digest = state.digest();

        assertRefusal(precheck(new Command.CertifyBlob(objectId, forged)), "does not verify");
        assertRefusal(precheck(new Command.CertifyBlob(objectId, tooFew)), "a quorum needs");
        assertRefusal(precheck(new Command.CertifyBlob(objectId, future)), "has not started");
        assertThat(state.lastAppliedIndex()).as("prechecks take no index").isEqualTo(applied);
        assertThat(state.digest()).isEqualTo(digest);

        Precheck good = precheck(new Command.CertifyBlob(objectId, real));
        assertThat(good.passed()).isTrue();
        assertThat(state.apply(good, driver.nextIndex++).accepted()).isTrue();
    }

    @Test
    void shouldPassACertificateOfAnEarlierEpochAndRefuseItAtTheIndex() {
        String objectId = register(2);
        Certificate ofEpochOne = net.fullCertificate(state.committee(), confirmation(2, 1));
        driver.accept(net.admin, new Command.AdvanceEpoch(TestNetwork.GENESIS_TIME + 1));
        assertThat(state.epoch()).isEqualTo(2);
        Precheck p = precheck(new Command.CertifyBlob(objectId, ofEpochOne));
        assertThat(p.passed()).as("the signatures are right for epoch 1").isTrue();
        CommandResult result = state.apply(p, driver.nextIndex++);
        assertThat(result).isInstanceOfSatisfying(CommandResult.Refused.class, r -> {
            assertThat(r.reason().reason()).isEqualTo("INVALID_CERTIFICATE");
            assertThat(r.message()).contains("epoch 1, the current epoch is 2");
        });
    }

    @Test
    void shouldPrecheckOnManyThreadsWhileCommandsApply() throws Exception {
        List<String> objects = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            objects.add(register(100 + i));
        }
        CommitteeInfo committee = state.committee();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Precheck>> checks = new ArrayList<>();
            for (int i = 0; i < objects.size(); i++) {
                Certificate cert = net.fullCertificate(committee, confirmation(100 + i, 1));
                SignedCommand c = net.sign(alice, driver.nonce(alice) + i, new Command.CertifyBlob(objects.get(i), cert));
                checks.add(pool.submit(() -> state.precheck(c)));
            }
            // meanwhile the state keeps applying other commands
            Ed25519KeyPair bob = TestNetwork.account(2);
            for (int i = 0; i < 20; i++) {
                driver.accept(bob, new Command.Faucet(1));
            }
            for (Future<Precheck> check : checks) {
                Precheck p = check.get();
                assertThat(p.passed()).as("%s", p).isTrue();
                assertThat(state.apply(p, driver.nextIndex++).accepted()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        for (String id : objects) {
            assertThat(state.blobObject(id).orElseThrow().certifiedEpoch()).isEqualTo(1);
        }
    }

    @Test
    void shouldPrecheckManyAtOnceWithTheSameAnswersAsOneByOne() {
        List<SignedCommand> commands = new ArrayList<>();
        CommitteeInfo committee = state.committee();
        List<String> objects = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            objects.add(register(200 + i));
        }
        long nonce = driver.nonce(alice);
        for (int i = 0; i < 12; i++) {
            Certificate cert = net.fullCertificate(committee, confirmation(200 + i, 1));
            if (i == 4) { // a valid aggregate signature, but over another blob's confirmation
                Certificate other = net.fullCertificate(committee, confirmation(999, 1));
                cert = new Certificate(cert.signers(), cert.serializedMessage(), other.signature());
            }
            commands.add(net.sign(alice, nonce + i, new Command.CertifyBlob(objects.get(i), cert)));
        }
        commands.add(net.sign(alice, nonce + 12, new Command.Faucet(3)));
        SignedCommand good = commands.get(0);
        commands.add(new SignedCommand(good.payload(), good.publicKey(), new byte[64])); // a bad Ed25519 signature

        List<Precheck> together = state.precheckAll(commands);
        assertThat(together).hasSize(commands.size());
        for (int i = 0; i < commands.size(); i++) {
            Precheck alone = state.precheck(commands.get(i));
            assertThat(together.get(i).passed()).as("command %d", i).isEqualTo(alone.passed());
            assertThat(together.get(i).refusal()).isEqualTo(alone.refusal());
        }
        assertThat(together.get(4).refusal().orElseThrow().message()).contains("does not verify");
        assertThat(together.get(commands.size() - 1).refusal().orElseThrow().reason().reason())
                .isEqualTo("INVALID_SIGNATURE");
        assertThat(together.stream().filter(Precheck::passed).count()).isEqualTo(commands.size() - 2);
        assertThat(state.precheckAll(List.of())).isEmpty();
        // and what passed applies
        for (int i = 0; i < 4; i++) {
            assertThat(state.apply(together.get(i), driver.nextIndex++).accepted()).isTrue();
        }
    }

    private Precheck precheck(Command command) {
        return state.precheck(net.sign(alice, driver.nonce(alice), command));
    }

    private static void assertRefusal(Precheck p, String text) {
        assertThat(p.passed()).isFalse();
        assertThat(p.refusal().orElseThrow().reason().reason()).isEqualTo("INVALID_CERTIFICATE");
        assertThat(p.refusal().orElseThrow().message()).contains(text);
    }

    private String register(int seed) {
        var accepted = driver.accept(alice, TestNetwork.registerBlob(seed, 1000, 3, false));
        return ((Event.BlobRegistered) accepted.events().getFirst()).objectId();
    }

    private static StorageConfirmation confirmation(int seed, int epoch) {
        return new StorageConfirmation(epoch, TestNetwork.blobId(seed, 1000), BlobPersistence.PERMANENT);
    }
}
