package io.tusk.control.state;

import io.tusk.control.api.AccountInfo;
import io.tusk.control.api.Command;
import io.tusk.control.state.StateSnapshot.AccountEntry;
import io.tusk.control.state.StateSnapshot.OutcomeEntry;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Address;

import java.util.Collection;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The accounts concern: balances and nonces, which commands may come from an account that does not exist yet, and the
 * devnet faucet.
 */
final class Accounts {
    /**
     * How many of a sender's latest accepted commands keep their outcome for retries: enough for a client with many
     * commands in flight on one account (a gateway storing in parallel) to retry any of them after a timeout.
     */
    static final int RETAINED_OUTCOMES = 1000;

    private final GenesisConfig genesis;
    // INV: keyed by the canonical address text (0x + 64 lowercase hex).
    private final TreeMap<String, AccountEntry> accounts = new TreeMap<>();
    // INV: keyed by outcomeKey(sender, nonce); per sender only the latest RETAINED_OUTCOMES nonces.
    private final TreeMap<String, OutcomeEntry> outcomes = new TreeMap<>();

    Accounts(GenesisConfig genesis) {
        this.genesis = genesis;
    }

    void put(AccountEntry account) {
        accounts.put(account.address(), account);
    }

    /** Creates the account at balance 0 unless it exists (genesis: node owners, the admin). */
    void createIfAbsent(String address) {
        accounts.putIfAbsent(address, new AccountEntry(address, 0, 0));
    }

    /**
     * The account {@code command} is applied to, after the rules on who may send it: the faucet must be enabled; an
     * unknown sender may only ask the faucet or submit commands authenticated by a node's BLS key (its account is
     * then created at balance 0, for the nonce); the nonce must be the account's next one.
     */
    AccountEntry sender(String sender, long nonce, Command command) throws Refusal {
        if (command instanceof Command.Faucet && !genesis.faucetEnabled()) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "the faucet is disabled on this network");
        }
        AccountEntry account = accounts.get(sender);
        if (account == null) {
            if (!(command instanceof Command.Faucet) && !(command instanceof Command.ShardsSynced)
                    && !(command instanceof Command.InvalidateBlob)) {
                throw new Refusal(ErrorReason.UNKNOWN_ACCOUNT, "account " + sender + " does not exist");
            }
            account = new AccountEntry(sender, 0, 0);
        }
        if (nonce != account.nextNonce()) {
            throw new Refusal(ErrorReason.BAD_NONCE, "nonce " + nonce + " of " + sender
                    + " is not the account's next nonce " + account.nextNonce());
        }
        return account;
    }

    /**
     * The original outcome if exactly this command (sender, nonce and payload) was accepted before, so a client that
     * retries after a timeout or a leader change gets its answer instead of {@code BAD_NONCE}.
     */
    Optional<OutcomeEntry> earlierOutcome(AuthenticatedCommand command) {
        OutcomeEntry entry = outcomes.get(outcomeKey(command.sender(), command.nonce()));
        return entry != null && entry.isFor(command) ? Optional.of(entry) : Optional.empty();
    }

    /** Keeps the outcome of an accepted command, forgetting the sender's outcome {@link #RETAINED_OUTCOMES} before. */
    void recordOutcome(OutcomeEntry outcome) {
        outcomes.put(outcomeKey(outcome.sender(), outcome.nonce()), outcome);
        if (outcome.nonce() >= RETAINED_OUTCOMES) {
            outcomes.remove(outcomeKey(outcome.sender(), outcome.nonce() - RETAINED_OUTCOMES));
        }
    }

    private static String outcomeKey(String sender, long nonce) {
        return sender + "/" + nonce;
    }

    Collection<OutcomeEntry> outcomes() {
        return outcomes.values();
    }

    void faucet(CommandContext ctx, Command.Faucet c) throws Refusal {
        if (c.amount() <= 0 || c.amount() > genesis.faucetMaxAmount()) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "faucet amount must be in [1, "
                    + genesis.faucetMaxAmount() + "], got " + c.amount());
        }
        if (ctx.balance() > Long.MAX_VALUE - c.amount()) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "faucet amount " + c.amount() + " would overflow the balance "
                    + ctx.balance());
        }
        ctx.commit(c.amount());
    }

    /** The account, or empty if it does not exist. {@code address} may be in any form {@link Address#parse} takes. */
    Optional<AccountInfo> info(String address) {
        AccountEntry a = accounts.get(Address.parse(address).toString());
        return a == null ? Optional.empty() : Optional.of(new AccountInfo(a.address(), a.balance(), a.nextNonce()));
    }

    int size() {
        return accounts.size();
    }

    Collection<AccountEntry> all() {
        return accounts.values();
    }
}
