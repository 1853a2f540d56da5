package io.tusk.control.state;

import io.tusk.control.api.BlobObject;
import io.tusk.control.api.Command;
import io.tusk.control.api.Event;
import io.tusk.control.api.OwnedBlobs;
import io.tusk.control.api.SignedCommand;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.failpoint.FailPoints;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the state on disk promises beyond the rules: whole commands, kept events, checkpoints, pages. */
class StateOnDiskTest {
    @TempDir
    Path dir;

    private final TestNetwork net = TestNetwork.standard();
    private final Ed25519KeyPair alice = TestNetwork.account(1);
    private OpenStates states;

    @BeforeEach
    void open() {
        states = new OpenStates(dir);
    }

    @AfterEach
    void close() {
        FailPoints.disarmAll();
        states.close();
    }

    @Test
    void shouldLeaveTheStateAtAWholeCommandWhenAWriteFails() throws IOException {
        Path where = dir.resolve("state");
        String before;
        long lastApplied;
        try (ControlState state = ControlState.open(where, net.genesis)) {
            StateDriver d = new StateDriver(state);
            d.accept(alice, new Command.Faucet(1_000_000_000L));
            d.accept(alice, TestNetwork.registerBlob(1, 1000, 2, false));
            before = state.digest();
            lastApplied = state.lastAppliedIndex();

            FailPoints.armError(ControlState.WRITE_FAIL_POINT);
            assertThatThrownBy(() -> d.submit(alice, TestNetwork.registerBlob(2, 1000, 2, false)))
                    .hasMessageContaining(ControlState.WRITE_FAIL_POINT);
            FailPoints.disarmAll();
            // memory may be ahead of the disk now: the state refuses to go on until reopened
            assertThatThrownBy(() -> d.submit(alice, new Command.Faucet(1)))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("reopened");
        }
        try (ControlState reopened = ControlState.open(where, net.genesis)) {
            assertThat(reopened.digest()).isEqualTo(before);
            assertThat(reopened.lastAppliedIndex()).isEqualTo(lastApplied);
            assertThat(reopened.blobInfo(TestNetwork.blobId(2, 1000)).objects()).isEmpty();
            assertThat(reopened.apply(net.sign(alice, 2, TestNetwork.registerBlob(2, 1000, 2, false)),
                    lastApplied + 1).accepted()).isTrue();
        }
    }

    @Test
    void shouldKeepTheLatestEventsAndSayWhenOlderOnesAreGone() {
        ControlState state = states.open(states.newDirectory(), net.genesis,
                StateOptions.defaults().withRetainedEvents(8));
        StateDriver d = new StateDriver(state);
        d.accept(alice, new Command.Faucet(1_000_000_000L));
        for (int i = 0; i < 30; i++) {
            d.accept(alice, TestNetwork.registerBlob(i, 1000, 2, false));
        }
        assertThat(state.eventCount()).isEqualTo(30);
        long first = state.firstRetainedEvent();
        assertThat(first).isPositive();
        assertThat(state.eventCount() - first).isBetween(8L, 8L + 2);
        assertThatThrownBy(() -> state.events(first - 1, 10)).isInstanceOfSatisfying(EventsPrunedException.class,
                e -> {
                    assertThat(e.firstRetained()).isEqualTo(first);
                    assertThat(e.getMessage()).contains("no longer kept").contains(Long.toString(first));
                });
        List<Event> kept = state.events(first, 100);
        assertThat(kept).hasSize((int) (state.eventCount() - first));
        assertThat(kept.getFirst().cursor()).isEqualTo(first);
        // the registry itself is whole: only the event log is trimmed
        for (int i = 0; i < 30; i++) {
            assertThat(state.blobInfo(TestNetwork.blobId(i, 1000)).objects()).hasSize(1);
        }
    }

    @Test
    void shouldRestoreACheckpointIntoANewDirectoryLeavingTheCheckpointAsItWas() throws IOException {
        ControlState state = states.genesis(net.genesis);
        StateDriver d = new StateDriver(state);
        d.accept(alice, new Command.Faucet(1_000_000_000L));
        for (int i = 0; i < 50; i++) {
            d.accept(alice, TestNetwork.registerBlob(i, 1000, 2, i % 2 == 0));
        }
        Path checkpoint = dir.resolve("checkpoint");
        state.checkpoint(checkpoint);
        assertThatThrownBy(() -> state.checkpoint(checkpoint)).isInstanceOf(IOException.class)
                .hasMessageContaining("exists");
        String atCheckpoint = state.digest();
        long index = state.lastAppliedIndex();
        d.accept(alice, new Command.Faucet(5)); // the live state moves on

        Path restoredDir = dir.resolve("restored");
        ControlState.restoreCheckpoint(checkpoint, restoredDir);
        try (ControlState restored = ControlState.open(restoredDir, net.genesis)) {
            assertThat(restored.digest()).isEqualTo(atCheckpoint);
            assertThat(restored.lastAppliedIndex()).isEqualTo(index);
            restored.apply(net.sign(alice, 51, new Command.Faucet(7)), index + 1);
            assertThat(restored.digest()).isNotEqualTo(atCheckpoint);
        }
        // the checkpoint itself is untouched: restoring it again gives the same state
        Path again = dir.resolve("again");
        ControlState.restoreCheckpoint(checkpoint, again);
        try (ControlState second = ControlState.open(again, null)) {
            assertThat(second.digest()).isEqualTo(atCheckpoint);
        }
        assertThatThrownBy(() -> ControlState.restoreCheckpoint(dir.resolve("nothing"), dir.resolve("x")))
                .isInstanceOf(IOException.class).hasMessageContaining("not a control-state checkpoint");
        assertThat(Files.exists(dir.resolve("x"))).isFalse();
    }

    @Test
    void shouldPageAnOwnersBlobsInObjectIdOrder() {
        ControlState state = states.genesis(net.genesis);
        StateDriver d = new StateDriver(state);
        d.accept(alice, new Command.Faucet(1_000_000_000L));
        List<String> registered = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            var a = d.accept(alice, TestNetwork.registerBlob(i, 1000, 2, true));
            registered.add(((Event.BlobRegistered) a.events().getFirst()).objectId());
        }
        d.accept(alice, new Command.DeleteBlob(registered.get(3)));
        List<String> expected = registered.stream().filter(id -> !id.equals(registered.get(3))).sorted().toList();

        List<String> paged = new ArrayList<>();
        String after = null;
        int pages = 0;
        do {
            OwnedBlobs page = state.blobsOwnedBy(TestNetwork.address(alice), after, 10);
            page.blobs().stream().map(BlobObject::id).forEach(paged::add);
            after = page.next();
            pages++;
        } while (after != null);
        assertThat(pages).isEqualTo(3);
        assertThat(paged).isEqualTo(expected);
        assertThat(state.blobsOwnedBy(TestNetwork.address(TestNetwork.account(9)), null, 10).blobs()).isEmpty();
    }

    @Test
    void shouldServeQueriesWhileCommandsApply() throws Exception {
        ControlState state = states.genesis(net.genesis);
        StateDriver d = new StateDriver(state);
        d.accept(alice, new Command.Faucet(1_000_000_000L));
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < 2000 && failures.isEmpty(); i++) {
                    long count = state.eventCount();
                    List<Event> events = state.events(0, 1000);
                    assertThat(events.size()).isGreaterThanOrEqualTo((int) Math.min(count, 1000));
                    for (int k = 0; k < events.size(); k++) {
                        assertThat(events.get(k).cursor()).isEqualTo(k);
                    }
                    state.account(TestNetwork.address(alice)).orElseThrow();
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        });
        for (int i = 0; i < 200; i++) {
            SignedCommand c = net.sign(alice, d.nonce(alice), TestNetwork.registerBlob(i, 1000, 2, false));
            assertThat(d.submit(c).accepted()).isTrue();
        }
        reader.join();
        assertThat(failures).isEmpty();
    }
}
