package io.tusk.control.state;

import io.tusk.control.api.AppliedCommand;
import io.tusk.control.api.Command;
import io.tusk.control.api.Event;
import io.tusk.core.crypto.Ed25519KeyPair;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static io.tusk.control.state.TestNetwork.address;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code transfer} and the query of one applied command by (sender, nonce) on a real state (RocksDB): balances move
 * exactly, the recipient's account is created, every refusal changes nothing (the digest), and the payment can be
 * looked up again by anyone, across a reopen.
 */
class TransferTest extends FundedStateTest {
    private static final long FUNDS = 1_000_000L;

    private final Ed25519KeyPair carol = TestNetwork.account(3);

    @Override
    long funds() {
        return FUNDS;
    }

    private long balance(Ed25519KeyPair key) {
        return state.account(address(key)).orElseThrow().balance();
    }

    @Test
    void shouldMoveTheAmountWithItsMemoAndBeFoundAgainBySenderAndNonce() {
        byte[] memo = "relay tip for blob X".getBytes(StandardCharsets.UTF_8);
        long nonce = driver.nonce(alice);
        var accepted = driver.accept(alice, new Command.Transfer(address(bob), 1_234, memo));
        assertThat(balance(alice)).isEqualTo(FUNDS - 1_234);
        assertThat(balance(bob)).isEqualTo(FUNDS + 1_234);
        Event.Transferred event = (Event.Transferred) accepted.events().getFirst();
        assertThat(event.sender()).isEqualTo(address(alice));
        assertThat(event.nonce()).isEqualTo(nonce);
        assertThat(event.recipient()).isEqualTo(address(bob));
        assertThat(event.amount()).isEqualTo(1_234);
        assertThat(event.memo()).isEqualTo(memo);

        AppliedCommand applied = state.appliedCommand(address(alice), nonce).orElseThrow();
        assertThat(applied.sender()).isEqualTo(address(alice));
        assertThat(applied.nonce()).isEqualTo(nonce);
        assertThat(applied.index()).isEqualTo(driver.nextIndex - 1);
        assertThat(applied.events()).containsExactly(event);
        assertThat(applied.payloadHash()).hasSize(64);
        // other nonces: a faucet (no events), nothing yet, another account's
        assertThat(state.appliedCommand(address(alice), 0).orElseThrow().events()).isEmpty();
        assertThat(state.appliedCommand(address(alice), nonce + 1)).isEmpty();
        assertThat(state.appliedCommand(address(carol), 0)).isEmpty();

        // a new account is created by what it receives; the lookup survives a reopen (it is on disk)
        driver.accept(bob, new Command.Transfer(address(carol), 10, null));
        assertThat(balance(carol)).isEqualTo(10);
        assertThat(state.account(address(carol)).orElseThrow().nextNonce()).isZero();
        Path checkpoint = states.newDirectory();
        try {
            state.checkpoint(checkpoint);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        ControlState reopened = states.open(checkpoint, null, StateOptions.defaults());
        assertThat(reopened.appliedCommand(address(alice), nonce)).contains(applied);
        assertThat(reopened.digest()).isEqualTo(state.digest());
    }

    @Test
    void shouldRefuseShortBalancesAndBadTransfersChangingNothing() {
        String digest = state.digest();
        long aliceNonce = driver.nonce(alice);
        assertRefused(driver.submit(alice, new Command.Transfer(address(bob), FUNDS + 1, null)), "INSUFFICIENT_BALANCE");
        assertRefused(driver.submit(alice, new Command.Transfer(address(bob), 0, null)), "INVALID_ARGUMENT");
        assertRefused(driver.submit(alice, new Command.Transfer(address(bob), -5, null)), "INVALID_ARGUMENT");
        assertRefused(driver.submit(alice, new Command.Transfer(address(alice), 5, null)), "INVALID_ARGUMENT");
        assertRefused(driver.submit(alice, new Command.Transfer("not an address", 5, null)), "INVALID_ARGUMENT");
        assertRefused(driver.submit(alice, new Command.Transfer(address(bob), 5,
                new byte[Command.Transfer.MAX_MEMO_BYTES + 1])), "INVALID_ARGUMENT");
        // an account that does not exist cannot pay
        assertRefused(driver.submit(carol, new Command.Transfer(address(bob), 1, null)), "UNKNOWN_ACCOUNT");
        assertThat(state.digest()).isEqualTo(digest);
        assertThat(driver.nonce(alice)).isEqualTo(aliceNonce);
        assertThat(state.appliedCommand(address(alice), aliceNonce)).isEmpty();

        // the whole balance may go, exactly, and a memo of the largest size
        driver.accept(alice, new Command.Transfer(address(bob), FUNDS, new byte[Command.Transfer.MAX_MEMO_BYTES]));
        assertThat(balance(alice)).isZero();
        assertRefused(driver.submit(alice, new Command.Transfer(address(bob), 1, null)), "INSUFFICIENT_BALANCE");
    }

    private static void assertRefused(CommandResult result, String reason) {
        assertThat(result).isInstanceOf(CommandResult.Refused.class);
        assertThat(((CommandResult.Refused) result).reason().reason()).as(((CommandResult.Refused) result).message())
                .isEqualTo(reason);
    }
}
