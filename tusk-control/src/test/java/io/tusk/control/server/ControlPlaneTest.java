package io.tusk.control.server;

import io.tusk.control.api.Command;
import io.tusk.control.api.EventPage;
import io.tusk.control.api.SignedCommand;
import io.tusk.control.state.CommandResult;
import io.tusk.control.state.ControlState;
import io.tusk.control.state.TestNetwork;
import io.tusk.core.crypto.Ed25519KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControlPlaneTest {
    @TempDir
    Path dir;

    private final TestNetwork net = TestNetwork.standard();
    private final Ed25519KeyPair alice = TestNetwork.account(1);

    @Test
    void shouldRestartToTheSameStateAndEvents() throws IOException, InterruptedException {
        byte[] before;
        EventPage eventsBefore;
        try (ControlPlane plane = ControlPlane.open(dir, net.genesis, 3)) {
            runWorkload(plane, 10);
            before = plane.read(ControlState::snapshot);
            eventsBefore = plane.events(0, 1000, 0);
        }
        assertThat(Files.list(dir.resolve(ControlPlane.SNAPSHOT_DIRECTORY)).count()).isEqualTo(SnapshotStore.KEEP);
        try (ControlPlane plane = ControlPlane.open(dir, null, 3)) {
            assertThat(plane.read(ControlState::snapshot)).isEqualTo(before);
            assertThat(plane.events(0, 1000, 0)).isEqualTo(eventsBefore);
            // nonces continue where they were
            assertThat(submit(plane, alice, new Command.Faucet(1)).accepted()).isTrue();
        }
    }

    @Test
    void shouldReplayTheWholeJournalWithoutSnapshots() throws IOException {
        byte[] before;
        try (ControlPlane plane = ControlPlane.open(dir, net.genesis, 1000)) {
            runWorkload(plane, 6);
            before = plane.read(ControlState::snapshot);
        }
        try (ControlPlane plane = ControlPlane.open(dir, net.genesis, 1000)) {
            assertThat(plane.read(ControlState::snapshot)).isEqualTo(before);
        }
    }

    @Test
    void shouldIgnoreATornLastRecordAfterACrash() throws IOException {
        byte[] afterFive;
        try (ControlPlane plane = ControlPlane.open(dir, net.genesis, 1000)) {
            runWorkload(plane, 5);
            afterFive = plane.read(ControlState::snapshot);
            runWorkload(plane, 1);
        }
        // kill mid-append: the last record is only half on disk
        Path journal = dir.resolve(ControlPlane.JOURNAL_FILE);
        byte[] bytes = Files.readAllBytes(journal);
        int lastStart = lastRecordStart(bytes);
        Files.write(journal, Arrays.copyOf(bytes, lastStart + (bytes.length - lastStart) / 2));
        try (ControlPlane plane = ControlPlane.open(dir, net.genesis, 1000)) {
            assertThat(plane.read(ControlState::snapshot)).isEqualTo(afterFive);
            assertThat(plane.commandCount()).isEqualTo(5);
            runWorkload(plane, 1);
            assertThat(plane.commandCount()).isEqualTo(6);
        }
    }

    @Test
    void shouldRefuseToOpenWithADifferentGenesis() throws IOException {
        try (ControlPlane plane = ControlPlane.open(dir, net.genesis)) {
            runWorkload(plane, 1);
        }
        assertThatThrownBy(() -> ControlPlane.open(dir, net.genesis.withShardCount(200)))
                .isInstanceOf(IOException.class).hasMessageContaining("different genesis");
    }

    @Test
    void shouldNotJournalRefusedCommands() throws IOException {
        try (ControlPlane plane = ControlPlane.open(dir, net.genesis)) {
            CommandResult r = plane.submit(net.sign(alice, 7, new Command.Faucet(1)));
            assertThat(r.accepted()).isFalse();
            assertThat(plane.commandCount()).isZero();
            assertThat(Files.size(dir.resolve(ControlPlane.JOURNAL_FILE))).isZero();
        }
    }

    @Test
    void shouldWakeLongPollWhenAnEventArrives() throws Exception {
        try (ControlPlane plane = ControlPlane.open(dir, net.genesis)) {
            CompletableFuture<EventPage> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    return plane.events(0, 10, 10_000);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(100);
            assertThat(waiting).isNotDone();
            submit(plane, net.admin, new Command.AdvanceEpoch(TestNetwork.GENESIS_TIME + 1));
            EventPage page = waiting.get(5, TimeUnit.SECONDS);
            assertThat(page.events()).hasSize(2); // epochChange and, nothing having moved, epochChangeDone
            assertThat(page.next()).isEqualTo(2);
            EventPage empty = plane.events(2, 10, 50);
            assertThat(empty.events()).isEmpty();
            assertThat(empty.next()).isEqualTo(2);
        }
    }

    private void runWorkload(ControlPlane plane, int commands) throws IOException {
        for (int i = 0; i < commands; i++) {
            Command c = switch (i % 3) {
                case 0 -> new Command.Faucet(1_000_000_000L);
                case 1 -> TestNetwork.registerBlob(i, 1000 + i, 2, i % 2 == 0);
                default -> null;
            };
            CommandResult r = c == null
                    ? submit(plane, net.admin, new Command.AdvanceEpoch(
                    plane.read(s -> s.epochInfo().startTimeMillis()) + 1))
                    : submit(plane, alice, c);
            assertThat(r.accepted()).as("%s", r).isTrue();
        }
    }

    private CommandResult submit(ControlPlane plane, Ed25519KeyPair key, Command c) throws IOException {
        long nonce = plane.read(s -> s.account(TestNetwork.address(key)).map(a -> a.nextNonce()).orElse(0L));
        SignedCommand signed = net.sign(key, nonce, c);
        return plane.submit(signed);
    }

    private static int lastRecordStart(byte[] journal) {
        int offset = 0;
        int last = 0;
        while (offset < journal.length) {
            last = offset;
            int length = ((journal[offset] & 0xFF) << 24) | ((journal[offset + 1] & 0xFF) << 16)
                    | ((journal[offset + 2] & 0xFF) << 8) | (journal[offset + 3] & 0xFF);
            offset += Journal.HEADER_BYTES + length;
        }
        return last;
    }
}
