package io.tusk.control.server;

import io.tusk.control.api.Command;
import io.tusk.control.api.ControlJson;
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
        String before;
        EventPage eventsBefore;
        try (ControlPlane plane = ControlPlane.open(dir, net.genesis)) {
            runWorkload(plane, 10);
            before = plane.read(ControlState::digest);
            eventsBefore = plane.events(0, 1000, 0);
        }
        try (ControlPlane plane = ControlPlane.open(dir, null)) {
            assertThat(plane.read(ControlState::digest)).isEqualTo(before);
            assertThat(plane.read(ControlState::lastAppliedIndex)).isEqualTo(9);
            assertThat(plane.events(0, 1000, 0)).isEqualTo(eventsBefore);
            // nonces continue where they were
            assertThat(submit(plane, alice, new Command.Faucet(1)).accepted()).isTrue();
        }
    }

    @Test
    void shouldReplayTheJournalAfterWhatTheStateApplied() throws IOException {
        // the state's writes are not forced: after a crash it may be behind the journal, which is replayed from there
        try (ControlPlane plane = ControlPlane.open(dir, net.genesis)) {
            runWorkload(plane, 3);
        }
        Path stateBehind = dir.resolveSibling(dir.getFileName() + "-state-behind");
        copyTree(dir.resolve(ControlPlane.STATE_DIRECTORY), stateBehind);
        String after;
        try (ControlPlane plane = ControlPlane.open(dir, net.genesis)) {
            runWorkload(plane, 6);
            after = plane.read(ControlState::digest);
        }
        deleteTree(dir.resolve(ControlPlane.STATE_DIRECTORY));
        copyTree(stateBehind, dir.resolve(ControlPlane.STATE_DIRECTORY));
        try (ControlPlane plane = ControlPlane.open(dir, net.genesis)) {
            assertThat(plane.read(ControlState::digest)).isEqualTo(after);
            assertThat(plane.read(ControlState::lastAppliedIndex)).isEqualTo(8);
        }
    }

    @Test
    void shouldIgnoreATornLastRecordAfterACrash() throws IOException {
        String afterFive;
        try (ControlPlane plane = ControlPlane.open(dir, net.genesis)) {
            runWorkload(plane, 5);
            afterFive = plane.read(ControlState::digest);
        }
        // killed mid-append of a sixth command: half of its record is on disk, and it was never applied
        byte[] payload = ControlJson.mapper().writeValueAsBytes(net.sign(alice, 99, new Command.Faucet(1)));
        java.nio.ByteBuffer record = java.nio.ByteBuffer.allocate(Journal.HEADER_BYTES + payload.length)
                .putInt(payload.length).putInt(Journal.crc32c(payload)).put(payload);
        Files.write(dir.resolve(ControlPlane.JOURNAL_FILE), Arrays.copyOf(record.array(), record.capacity() / 2),
                java.nio.file.StandardOpenOption.APPEND);
        try (ControlPlane plane = ControlPlane.open(dir, net.genesis)) {
            assertThat(plane.read(ControlState::digest)).isEqualTo(afterFive);
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
    void shouldRefuseADirectoryOfBeforeTheStateOnDisk() throws IOException {
        Files.createDirectories(dir.resolve("snapshots"));
        Files.write(dir.resolve(ControlPlane.JOURNAL_FILE), new byte[0]);
        assertThatThrownBy(() -> ControlPlane.open(dir, net.genesis))
                .isInstanceOf(IOException.class).hasMessageContaining("older Tusk");
    }

    @Test
    void shouldJournalOnlyCommandsThatPassTheirPrecheck() throws IOException {
        try (ControlPlane plane = ControlPlane.open(dir, net.genesis)) {
            SignedCommand good = net.sign(alice, 0, new Command.Faucet(1));
            byte[] forged = good.signature();
            forged[0] ^= 1;
            CommandResult badSignature = plane.submit(new SignedCommand(good.payload(), good.publicKey(), forged));
            assertThat(badSignature.accepted()).isFalse();
            CommandResult otherChain = plane.submit(TestNetwork.sign("0x" + "22".repeat(32), alice, 0,
                    new Command.Faucet(1)));
            assertThat(otherChain.accepted()).isFalse();
            assertThat(plane.commandCount()).isZero();
            assertThat(Files.size(dir.resolve(ControlPlane.JOURNAL_FILE))).isZero();

            // refused by the state (the nonce): ordered, so it takes an index, and changes nothing else
            String before = plane.read(ControlState::digest);
            CommandResult badNonce = plane.submit(net.sign(alice, 7, new Command.Faucet(1)));
            assertThat(badNonce.accepted()).isFalse();
            assertThat(plane.commandCount()).isEqualTo(1);
            assertThat(plane.read(ControlState::digest)).isEqualTo(before);
            assertThat(plane.submit(good).accepted()).isTrue();
            assertThat(((CommandResult.Accepted) plane.submit(good)).retried()).isTrue();
            assertThat(plane.commandCount()).isEqualTo(3);
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

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
