package io.tusk.control.state;

import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.control.api.Command;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

/**
 * The setup the control state's concern tests share: the standard test network's genesis opened on RocksDB in a
 * temporary directory, a driver that signs and applies commands, and alice and bob each funded with {@link #funds()};
 * every state opened is closed after the test.
 */
abstract class FundedStateTest {
    @TempDir
    Path dir;

    TestNetwork net;
    OpenStates states;
    StateDriver driver;
    ControlState state;
    final Ed25519KeyPair alice = TestNetwork.account(1);
    final Ed25519KeyPair bob = TestNetwork.account(2);

    /** What alice and bob each get from the faucet before a test. */
    long funds() {
        return 1_000_000_000_000L;
    }

    @BeforeEach
    void openFundedState() {
        net = TestNetwork.standard();
        states = new OpenStates(dir);
        state = states.genesis(net.genesis);
        driver = new StateDriver(state);
        driver.accept(alice, new Command.Faucet(funds()));
        driver.accept(bob, new Command.Faucet(funds()));
    }

    @AfterEach
    void closeStates() {
        states.close();
    }
}
