package io.tusk.cli;

import io.tusk.client.TuskClient;
import io.tusk.control.api.AccountInfo;
import io.tusk.control.api.Command;
import io.tusk.core.api.ErrorReason;
import io.tusk.http.ApiException;

/**
 * New accounts start empty. On a devnet (whose control plane has a faucet) a store funds a new or empty account
 * first, so that {@code tusk store} works with a key created on first use; elsewhere nothing happens here and a store
 * without funds is refused with INSUFFICIENT_BALANCE.
 */
final class Funding {
    static final long DEVNET_GRANT = 1_000_000_000_000L;

    private Funding() {}

    static void ensureFunded(TuskClient client) {
        String address = client.config().account().publicKey().address().toString();
        long balance = client.control().account(address).map(AccountInfo::balance).orElse(0L);
        if (balance > 0) {
            return;
        }
        try {
            client.control().submit(new Command.Faucet(DEVNET_GRANT), client.config().account());
        } catch (ApiException refused) {
            if (!refused.is(ErrorReason.INVALID_ARGUMENT)) {
                throw refused; // not "no faucet here" but a real failure (unreachable, bad nonce, ...): report it
            }
            // the faucet is disabled on this network: the store itself will say what is missing
        }
    }
}
