package io.tusk.control.state;

import io.tusk.control.api.Command;
import io.tusk.control.api.Event;
import io.tusk.control.api.SignedCommand;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.messages.StorageConfirmation;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The same commands at the same indices from the same genesis give the same state (equal digests, equal events),
 * refusals included, whether applied in one go, across a close and reopen, or continued on a checkpoint.
 * Randomized: the seed is printed; {@code -Dtusk.test.seed=N} replays one.
 */
class DeterminismTest {
    @TempDir
    Path dir;

    private final TestNetwork net = TestNetwork.standard();
    private OpenStates states;

    @BeforeEach
    void open() {
        states = new OpenStates(dir);
    }

    @AfterEach
    void close() {
        states.close();
    }

    @Test
    void shouldReachTheSameStateFromTheSameCommandsAcrossRestartsAndCheckpoints() throws java.io.IOException {
        long seed = Long.getLong("tusk.test.seed", new Random().nextLong());
        System.out.println("DeterminismTest seed " + seed + " (-Dtusk.test.seed=" + seed + " replays it)");
        List<SignedCommand> log = workload(states.genesis(net.genesis), new Random(seed));
        ControlState first = states.genesis(net.genesis);
        replay(first, log, 0, log.size());
        assertThat(first.eventCount()).as("seed %d", seed).isGreaterThan(20);

        // the same log into a fresh state
        ControlState second = states.genesis(net.genesis);
        replay(second, log, 0, log.size());
        assertSame(second, first, seed);

        // half, close, reopen, a quarter, checkpoint, the rest on the checkpoint
        Path where = states.newDirectory();
        int half = log.size() / 2;
        int threeQuarters = log.size() * 3 / 4;
        try (ControlState third = ControlState.open(where, net.genesis)) {
            replay(third, log, 0, half);
        }
        Path checkpoint = states.newDirectory();
        try (ControlState reopened = ControlState.open(where, null)) {
            assertThat(reopened.lastAppliedIndex()).isEqualTo(half - 1);
            replay(reopened, log, half, threeQuarters);
            reopened.checkpoint(checkpoint);
            replay(reopened, log, threeQuarters, log.size());
            assertSame(reopened, first, seed);
        }
        ControlState restored = states.open(checkpoint, null, StateOptions.defaults());
        assertThat(restored.lastAppliedIndex()).isEqualTo(threeQuarters - 1);
        replay(restored, log, threeQuarters, log.size());
        assertSame(restored, first, seed);
    }

    /**
     * A leader puts concurrent commands into one log entry (ending it after a command that starts an epoch): each
     * command must get the outcome and events it would get in an entry of its own (it sees the commands before it in
     * its entry; a refused one in the middle changes nothing), and replaying an entry applied before changes nothing and answers its accepted commands' outcomes.
     */
    @Test
    void shouldGiveACommandTheSameOutcomeWhetherItSharesAnEntryOrNot() throws java.io.IOException {
        long seed = Long.getLong("tusk.test.seed", new Random().nextLong());
        System.out.println("DeterminismTest entries seed " + seed + " (-Dtusk.test.seed=" + seed + " replays it)");
        Random random = new Random(seed);
        List<SignedCommand> log = workload(states.genesis(net.genesis), random);
        ControlState alone = states.genesis(net.genesis);
        List<CommandResult> aloneResults = new ArrayList<>();
        for (int i = 0; i < log.size(); i++) {
            aloneResults.add(alone.apply(log.get(i), i));
        }
        Path where = states.newDirectory();
        List<CommandResult> sharedResults = new ArrayList<>();
        List<List<SignedCommand>> entries = new ArrayList<>();
        for (int at = 0; at < log.size(); ) {
            int size = Math.min(log.size() - at, 1 + random.nextInt(8));
            for (int i = at; i < at + size; i++) {
                if (alone.precheck(log.get(i)).startsEpoch()) {
                    size = i - at + 1; // as a leader does: an entry ends after a command starting an epoch
                    break;
                }
            }
            entries.add(log.subList(at, at + size));
            at += size;
        }
        try (ControlState shared = ControlState.open(where, net.genesis)) {
            for (int index = 0; index < entries.size(); index++) {
                List<CommandResult> results = shared.apply(shared.precheckAll(entries.get(index)), index, 1);
                assertThat(results).hasSize(entries.get(index).size());
                for (CommandResult r : results) {
                    if (r instanceof CommandResult.Accepted a && !a.retried()) {
                        assertThat(a.index()).isEqualTo(index);
                    }
                }
                sharedResults.addAll(results);
            }
            assertThat(shared.events(0, 100_000)).as("seed %d", seed).isEqualTo(alone.events(0, 100_000));
        }
        for (int i = 0; i < log.size(); i++) {
            assertThat(summary(sharedResults.get(i))).as("command %d, seed %d", i, seed)
                    .isEqualTo(summary(aloneResults.get(i)));
        }
        // after a reopen, the last entry again (a replayed log): nothing changes, accepted commands get their outcome
        try (ControlState reopened = ControlState.open(where, null)) {
            String digest = reopened.digest();
            int last = entries.size() - 1;
            List<CommandResult> again = reopened.apply(reopened.precheckAll(entries.get(last)), last, 1);
            List<CommandResult> first = sharedResults.subList(log.size() - entries.get(last).size(), log.size());
            for (int i = 0; i < again.size(); i++) {
                if (first.get(i) instanceof CommandResult.Accepted a && !a.retried()) {
                    assertThat(again.get(i)).as("seed %d", seed).isEqualTo(a);
                } else if (first.get(i) instanceof CommandResult.Refused) {
                    assertThat(again.get(i)).as("seed %d", seed).isInstanceOf(CommandResult.Refused.class);
                }
            }
            assertThat(reopened.digest()).as("seed %d", seed).isEqualTo(digest);
        }
    }

    /** What a command's outcome says but its index: accepted with its events (or retried), or refused and why. */
    private static String summary(CommandResult result) {
        return switch (result) {
            case CommandResult.Accepted a -> (a.retried() ? "retried " : "accepted ") + a.events();
            case CommandResult.Refused r -> "refused " + r.reason();
        };
    }

    private static void assertSame(ControlState actual, ControlState expected, long seed) {
        assertThat(actual.events(0, 100_000)).as("seed %d", seed).isEqualTo(expected.events(0, 100_000));
        assertThat(actual.lastAppliedIndex()).isEqualTo(expected.lastAppliedIndex());
        assertThat(actual.digest()).as("seed %d", seed).isEqualTo(expected.digest());
    }

    /** Commands {@code [from, to)} of the log, command {@code i} at index {@code i}. */
    private static void replay(ControlState state, List<SignedCommand> log, int from, int to) {
        for (int i = from; i < to; i++) {
            state.apply(log.get(i), i);
        }
    }

    /**
     * A random log of faucets, registrations, certifications, extensions, deletions, transfers, epoch changes, space
     * commits (blob and inline ones, folds); some refused.
     */
    private List<SignedCommand> workload(ControlState scratch, Random random) {
        StateDriver d = new StateDriver(scratch);
        Ed25519KeyPair[] users = {TestNetwork.account(1), TestNetwork.account(2), TestNetwork.account(3)};
        List<SignedCommand> log = new ArrayList<>();
        for (Ed25519KeyPair u : users) {
            log.add(submit(d, net.sign(u, d.nonce(u), new Command.Faucet(1_000_000_000L))));
        }
        for (int step = 0; step < 80; step++) {
            Ed25519KeyPair user = users[random.nextInt(users.length)];
            Command command = switch (random.nextInt(10)) {
                case 8, 9 -> spaceCommand(scratch, user, random);
                case 0, 1 -> TestNetwork.registerBlob(random.nextInt(4), 1000, 1 + random.nextInt(3), random.nextBoolean());
                case 2 -> certifyAny(scratch, random);
                case 3 -> anyObject(scratch, random).map(id -> (Command) new Command.ExtendBlob(id, 1))
                        .orElse(new Command.Faucet(1));
                case 4 -> anyObject(scratch, random).map(id -> (Command) new Command.DeleteBlob(id))
                        .orElse(new Command.Faucet(1));
                case 5 -> new Command.Faucet(1 + random.nextInt(10));
                // a payment with a memo; now and then more than the balance (refused)
                case 6 -> new Command.Transfer(TestNetwork.address(users[random.nextInt(users.length)]),
                        random.nextInt(20) == 0 ? 2_000_000_000L : 1 + random.nextInt(1000),
                        new byte[] {(byte) random.nextInt(), (byte) step});
                default -> null;
            };
            // now and then a stale nonce, a replay of an earlier command, or a command for another network
            long next = d.nonce(command == null ? net.admin : user);
            long nonce = next > 0 && random.nextInt(10) == 0 ? next - 1 : next; // no stale nonce before the first
            SignedCommand signed = command == null
                    ? net.sign(net.admin, nonce, new Command.AdvanceEpoch(scratch.epochInfo().startTimeMillis() + 1))
                    : random.nextInt(15) == 0 ? log.get(random.nextInt(log.size()))
                    : random.nextInt(30) == 0 ? TestNetwork.sign("0x" + "11".repeat(32), user, nonce, command)
                    : net.sign(user, nonce, command);
            log.add(submit(d, signed));
        }
        return log;
    }

    private static SignedCommand submit(StateDriver d, SignedCommand signed) {
        d.submit(signed);
        return signed;
    }

    /**
     * A command on the user's space "s": create it, then commits on its head (now and then on a stale version), inline
     * ones with or without keys, blob ones and folds of a held inline version, naming any registered blob (certified
     * or not).
     */
    private static Command spaceCommand(ControlState s, Ed25519KeyPair user, Random random) {
        String owner = TestNetwork.address(user);
        Optional<io.tusk.control.api.SpaceHead> found = s.spaceHead(owner, "s", 0);
        if (found.isEmpty()) {
            return new Command.CreateSpace("s", random.nextBoolean());
        }
        io.tusk.control.api.SpaceHead head = found.get();
        long expected = random.nextInt(8) == 0 ? Math.max(0, head.version() - 1) : head.version();
        long time = head.commitTimeMillis() + random.nextInt(3);
        // mostly the latest certified blob (likely still available), now and then any registered one
        List<Event> blobs = s.events(0, 100_000).stream()
                .filter(e -> e instanceof Event.BlobRegistered || e instanceof Event.BlobCertified).toList();
        String manifest = null;
        if (!blobs.isEmpty()) {
            Event e = random.nextInt(4) == 0 ? blobs.get(random.nextInt(blobs.size())) : blobs.getLast();
            manifest = e instanceof Event.BlobCertified c ? c.blobId() : ((Event.BlobRegistered) e).blobId();
        }
        int choice = random.nextInt(5);
        if (choice == 0 && manifest != null) {
            return new Command.CommitSpace("s", expected, manifest, time);
        }
        if (choice <= 2 && manifest != null && !head.inline().isEmpty()) {
            var folded = head.inline().get(random.nextInt(head.inline().size()));
            return Command.CommitSpace.fold("s", folded.version(), manifest, folded.commitTimeMillis());
        }
        byte[] inline = new byte[1 + random.nextInt(100)];
        random.nextBytes(inline);
        java.util.Base64.Encoder base64 = java.util.Base64.getEncoder();
        return Command.CommitSpace.inline("s", expected, time, base64.encodeToString(inline),
                random.nextBoolean() ? base64.encodeToString(new byte[] {(byte) random.nextInt()}) : null);
    }

    private static Optional<String> anyObject(ControlState s, Random random) {
        List<Event> events = s.events(0, 100_000).stream().filter(e -> e instanceof Event.BlobRegistered).toList();
        if (events.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(((Event.BlobRegistered) events.get(random.nextInt(events.size()))).objectId());
    }

    private Command certifyAny(ControlState s, Random random) {
        List<Event> events = s.events(0, 100_000).stream().filter(e -> e instanceof Event.BlobRegistered).toList();
        if (events.isEmpty()) {
            return new Command.Faucet(1);
        }
        Event.BlobRegistered r = (Event.BlobRegistered) events.get(random.nextInt(events.size()));
        BlobPersistence persistence = r.deletable() ? BlobPersistence.deletable(ObjectId.parse(r.objectId()))
                : BlobPersistence.PERMANENT;
        StorageConfirmation confirmation = new StorageConfirmation(s.epoch(),
                io.tusk.core.metadata.BlobId.parse(r.blobId()), persistence);
        return new Command.CertifyBlob(r.objectId(), net.fullCertificate(s.committee(), confirmation));
    }
}
