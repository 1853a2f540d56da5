package io.tusk.control.state;

import io.tusk.control.api.Command;
import io.tusk.control.api.Event;
import io.tusk.control.api.SignedCommand;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.messages.StorageConfirmation;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The same commands at the same indices from the same genesis give byte-identical snapshots, refusals included. */
class DeterminismTest {

    @Test
    void shouldProduceIdenticalSnapshotsFromTheSameCommands() {
        TestNetwork net = TestNetwork.standard();
        StateDriver first = new StateDriver(ControlState.genesis(net.genesis));
        Random random = new Random(42);
        Ed25519KeyPair[] users = {TestNetwork.account(1), TestNetwork.account(2), TestNetwork.account(3)};
        List<SignedCommand> submitted = new java.util.ArrayList<>();
        for (Ed25519KeyPair u : users) {
            submitted.add(sign(first, u, new Command.Faucet(1_000_000_000L)));
        }
        for (int step = 0; step < 60; step++) {
            Ed25519KeyPair user = users[random.nextInt(users.length)];
            ControlState s = first.state;
            Command command = switch (random.nextInt(6)) {
                case 0, 1 -> TestNetwork.registerBlob(random.nextInt(4), 1000, 1 + random.nextInt(3), random.nextBoolean());
                case 2 -> certifyAny(net, s, random);
                case 3 -> anyObject(s, random).map(id -> (Command) new Command.ExtendBlob(id, 1)).orElse(new Command.Faucet(1));
                case 4 -> anyObject(s, random).map(id -> (Command) new Command.DeleteBlob(id)).orElse(new Command.Faucet(1));
                default -> null;
            };
            SignedCommand signed = command == null
                    ? net.sign(net.admin, first.nonce(net.admin),
                    new Command.AdvanceEpoch(s.epochInfo().startTimeMillis() + 1))
                    : net.sign(user, first.nonce(user), command);
            submitted.add(signed);
            first.submit(signed);
        }
        assertThat(first.state.eventCount()).isGreaterThan(20);

        // replay everything (refused ones too) into a fresh state
        StateDriver second = new StateDriver(ControlState.genesis(net.genesis));
        for (SignedCommand c : submitted) {
            second.submit(c);
        }
        assertThat(second.state.snapshot()).isEqualTo(first.state.snapshot());
        assertThat(ControlState.restore(first.state.snapshot()).snapshot()).isEqualTo(first.state.snapshot());
    }

    private static SignedCommand sign(StateDriver d, Ed25519KeyPair key, Command c) {
        SignedCommand s = TestNetwork.sign(d.state.chainId(), key, d.nonce(key), c);
        d.submit(s);
        return s;
    }

    private static java.util.Optional<String> anyObject(ControlState s, Random random) {
        List<Event> events = s.events(0, Integer.MAX_VALUE).stream().filter(e -> e instanceof Event.BlobRegistered).toList();
        if (events.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(((Event.BlobRegistered) events.get(random.nextInt(events.size()))).objectId());
    }

    private static Command certifyAny(TestNetwork net, ControlState s, Random random) {
        List<Event> events = s.events(0, Integer.MAX_VALUE).stream().filter(e -> e instanceof Event.BlobRegistered).toList();
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
