package io.tusk.control.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.control.api.Command;
import io.tusk.control.api.SignedCommand;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Ed25519KeyPair;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandAuthenticatorTest {
    private static final String CHAIN = "tusk-test-chain";
    private final SecureRandom random = new SecureRandom();

    @Test
    void shouldValidateASendersKeyOnceAndStillCheckEverySignature() throws Exception {
        CommandAuthenticator authenticator = new CommandAuthenticator(CHAIN);
        Ed25519KeyPair alice = Ed25519KeyPair.generate(random);
        for (long nonce = 0; nonce < 3; nonce++) {
            AuthenticatedCommand command = authenticator.authenticate(
                    TestNetwork.sign(CHAIN, alice, nonce, new Command.Faucet(1)));
            assertThat(command.sender()).isEqualTo(alice.publicKey().address().toString());
        }
        assertThat(authenticator.keysKept()).isEqualTo(1);

        // the kept key does not stand in for the signature: a forged one is refused as before
        SignedCommand good = TestNetwork.sign(CHAIN, alice, 3, new Command.Faucet(1));
        SignedCommand forged = new SignedCommand(good.payload(), good.publicKey(), new byte[64]);
        assertThatThrownBy(() -> authenticator.authenticate(forged))
                .isInstanceOfSatisfying(Refusal.class, r -> assertThat(r.reason()).isEqualTo(ErrorReason.INVALID_SIGNATURE))
                .hasMessageContaining("does not verify");
    }

    @Test
    void shouldRefuseABadKeyEveryTimeAndNeverKeepIt() throws Exception {
        CommandAuthenticator authenticator = new CommandAuthenticator(CHAIN);
        SignedCommand good = TestNetwork.sign(CHAIN, Ed25519KeyPair.generate(random), 0, new Command.Faucet(1));
        byte[] identity = new byte[32];
        identity[0] = 1; // the neutral point: of small order, refused
        List<byte[]> badKeys = List.of(identity, new byte[31], new byte[33]);
        for (byte[] bad : badKeys) {
            for (int attempt = 0; attempt < 2; attempt++) {
                SignedCommand withBadKey = new SignedCommand(good.payload(), bad, good.signature());
                assertThatThrownBy(() -> authenticator.authenticate(withBadKey))
                        .isInstanceOfSatisfying(Refusal.class,
                                r -> assertThat(r.reason()).isEqualTo(ErrorReason.INVALID_SIGNATURE))
                        .hasMessageContaining("bad public key");
            }
        }
        assertThat(authenticator.keysKept()).isZero();
    }

    @Test
    void shouldKeepAtMostItsBoundOfKeys() throws Exception {
        CommandAuthenticator authenticator = new CommandAuthenticator(CHAIN, 3);
        List<Ed25519KeyPair> senders = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            senders.add(Ed25519KeyPair.generate(random));
        }
        for (Ed25519KeyPair sender : senders) {
            authenticator.authenticate(TestNetwork.sign(CHAIN, sender, 0, new Command.Faucet(1)));
            authenticator.authenticate(TestNetwork.sign(CHAIN, senders.getFirst(), 1, new Command.Faucet(1)));
        }
        assertThat(authenticator.keysKept()).isEqualTo(3);
        // every sender still authenticates, kept or not
        for (Ed25519KeyPair sender : senders) {
            assertThat(authenticator.authenticate(TestNetwork.sign(CHAIN, sender, 2, new Command.Faucet(1))).sender())
                    .isEqualTo(sender.publicKey().address().toString());
        }
        assertThat(authenticator.keysKept()).isEqualTo(3);
    }
}
