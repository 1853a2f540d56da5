package io.tusk.client;

import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodedBlob;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.ConfirmationCertificate;
import io.tusk.core.messages.StorageConfirmation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The SDK's store (metadata and slivers to every member, confirmations from a quorum, aggregation) against a
 * committee of fake nodes that sign real BLS confirmations and can be down, hung, lying or late to see a registration.
 */
class StoreOperationTest {
    private static final Duration NEVER = Duration.ofSeconds(60);

    private final FakeCommittee fakes = new FakeCommittee();
    private final EncodedBlob blob;

    StoreOperationTest() {
        byte[] data = new byte[5000];
        new Random(11).nextBytes(data);
        blob = new BlobEncoder(FakeCommittee.SHARDS).encode(data);
    }

    @AfterEach
    void close() {
        fakes.close();
    }

    private ConfirmationCertificate store() {
        return assertTimeoutPreemptively(NEVER, () -> new StoreOperation(fakes.client, fakes.committee, blob,
                BlobPersistence.PERMANENT, ProgressListener.NONE).run());
    }

    /**
     * The certificate is over this blob's confirmation for the committee's epoch and verifies with the committee's keys,
     * which includes that its signers hold a quorum of shards.
     */
    private void assertValid(ConfirmationCertificate certificate) {
        assertThat(certificate.serializedMessage()).isEqualTo(new StorageConfirmation(FakeCommittee.EPOCH,
                blob.blobId(), BlobPersistence.PERMANENT).toBcs());
        assertThat(certificate.verify(fakes.committee.keys())).isTrue();
        int weight = certificate.signers().stream().mapToInt(fakes.committee::weight).sum();
        assertThat(fakes.committee.isQuorum(weight)).isTrue();
    }

    @Test
    void shouldCertifyWithEveryMemberConfirming() {
        ConfirmationCertificate certificate = store();
        assertValid(certificate);
        // Every member got its data; a member confirming late (a loaded machine) may be left out of the certificate.
        for (FakeNode node : fakes.nodes) {
            assertThat(node.holdsEverything(blob.blobId())).isTrue();
        }
    }

    @Test
    void shouldCertifyWithoutADownMember() {
        fakes.nodes.get(2).behave(FakeNode.Behaviour.DOWN);
        ConfirmationCertificate certificate = store();
        assertValid(certificate);
        assertThat(certificate.signers()).containsExactly(0, 1, 3);
    }

    @Test
    void shouldNotWaitForAHungMemberOnceAQuorumConfirmed() {
        FakeNode hung = fakes.nodes.get(1).behave(FakeNode.Behaviour.HUNG);
        ConfirmationCertificate certificate = store();
        assertValid(certificate);
        assertThat(certificate.signers()).containsExactly(0, 2, 3);
        assertTimeoutPreemptively(NEVER, () -> {
            while (hung.hanging.get() > 0) {
                Thread.sleep(5);
            }
        });
        assertThat(hung.interrupted.get()).isPositive();
    }

    @Test
    void shouldLeaveOutAConfirmationOfAnotherMessage() {
        fakes.nodes.get(0).behave(FakeNode.Behaviour.LYING); // confirms for the wrong epoch
        ConfirmationCertificate certificate = store();
        assertValid(certificate);
        assertThat(certificate.signers()).containsExactly(1, 2, 3);
    }

    @Test
    void shouldRetryAMemberThatHasNotSeenTheRegistrationYet() {
        FakeNode late = fakes.nodes.get(3).lagBehindRegistration(3);
        assertValid(store());
        assertThat(late.count("storeMetadata")).isEqualTo(4);
        assertThat(late.holdsEverything(blob.blobId())).isTrue();
    }

    @Test
    void shouldRetryAMemberAfterAPassingFailureWhenEveryLiveMemberIsNeeded() {
        fakes.nodes.get(0).behave(FakeNode.Behaviour.DOWN); // the other three must all confirm
        FakeNode overloaded = fakes.nodes.get(3).failTransiently(2);
        ConfirmationCertificate certificate = store();
        assertValid(certificate);
        assertThat(certificate.signers()).containsExactly(1, 2, 3);
        assertThat(overloaded.holdsEverything(blob.blobId())).isTrue();
    }

    @Test
    void shouldNotRetryARefusal() {
        fakes.nodes.get(0).behave(FakeNode.Behaviour.DOWN);
        fakes.nodes.get(3).behave(FakeNode.Behaviour.LYING);
        assertThatThrownBy(this::store).isInstanceOf(StoreException.class)
                .hasMessageContaining("node-3");
        assertThat(fakes.nodes.get(3).count("confirmation")).isEqualTo(1);
    }

    @Test
    void shouldNameTheMissingShardsWithoutAQuorum() {
        fakes.nodes.get(0).behave(FakeNode.Behaviour.DOWN);
        fakes.nodes.get(3).behave(FakeNode.Behaviour.DOWN);
        assertThatThrownBy(this::store).isInstanceOf(StoreException.class)
                .hasMessageContaining("confirmations from 50 of 100 shards, a quorum needs more than 66")
                .hasMessageContaining("node-0 (shards [0, 1,")
                .hasMessageContaining("connection refused");
    }

    @Test
    void shouldSendEachMemberOnlyItsOwnSlivers() {
        store();
        for (int m = 0; m < FakeCommittee.MEMBERS; m++) {
            FakeNode node = fakes.nodes.get(m);
            List<Integer> pairs = fakes.committee.pairsOf(blob.blobId(), m);
            assertThat(node.count("storeSliver")).isEqualTo(2L * pairs.size());
        }
    }
}
