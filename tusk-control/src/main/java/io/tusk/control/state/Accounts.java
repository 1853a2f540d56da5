package io.tusk.control.state;

import io.tusk.control.api.AccountInfo;
import io.tusk.control.api.Command;
import io.tusk.control.state.StateCodec.Codec;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Address;
import io.tusk.core.crypto.Hex32;

import java.nio.ByteBuffer;
import java.util.Optional;

/**
 * The accounts concern: balances and nonces, which commands may come from an account that does not exist yet, the
 * devnet faucet, and the outcomes of the latest commands of each account (so a retried command is answered, not
 * applied twice). Tables {@code accounts} (address → balance, next nonce) and {@code outcomes} (address | nonce →
 * {@link OutcomeEntry}).
 */
final class Accounts {
    /**
     * How many of a sender's latest accepted commands keep their outcome for retries: enough for a client with many
     * commands in flight on one account (a gateway storing in parallel) to retry any of them after a timeout.
     */
    static final int RETAINED_OUTCOMES = 1000;

    private final GenesisConfig genesis;
    private final Table<String, AccountEntry> accounts;
    private final Table<SenderNonce, OutcomeEntry> outcomes;

    /** An outcome's key: the sender's 32 address bytes and the nonce, big-endian, so a sender's nonces are in order. */
    record SenderNonce(String sender, long nonce) {}

    private static final Codec<SenderNonce> SENDER_NONCE = new Codec<>() {
        @Override
        public byte[] encode(SenderNonce key) {
            return ByteBuffer.allocate(40).put(StateCodec.ID.encode(key.sender())).putLong(key.nonce()).array();
        }

        @Override
        public SenderNonce decode(byte[] bytes) {
            ByteBuffer in = ByteBuffer.wrap(bytes);
            byte[] address = new byte[32];
            in.get(address);
            return new SenderNonce(Hex32.format(address), in.getLong());
        }
    };

    Accounts(GenesisConfig genesis, StateView view) {
        this.genesis = genesis;
        this.accounts = new Table<>(view, "accounts", StateCodec.ID, StateCodec::account);
        this.outcomes = new Table<>(view, "outcomes", SENDER_NONCE, StateCodec.OUTCOME);
    }

    void put(AccountEntry account) {
        accounts.put(account.address(), account);
    }

    /** Creates the account at balance 0 unless it exists (genesis: node owners, the admin). */
    void createIfAbsent(String address) {
        if (!accounts.contains(address)) {
            put(new AccountEntry(address, 0, 0));
        }
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
        OutcomeEntry entry = outcomes.get(new SenderNonce(command.sender(), command.nonce()));
        return entry != null && entry.isFor(command) ? Optional.of(entry) : Optional.empty();
    }

    /** Keeps the outcome of an accepted command, forgetting the sender's outcome {@link #RETAINED_OUTCOMES} before. */
    void recordOutcome(String sender, long nonce, OutcomeEntry outcome) {
        outcomes.put(new SenderNonce(sender, nonce), outcome);
        if (nonce >= RETAINED_OUTCOMES) {
            outcomes.delete(new SenderNonce(sender, nonce - RETAINED_OUTCOMES));
        }
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

    /**
     * Pays {@code c.amount()} of the sender's balance to the recipient (whose account is created if it has none),
     * with its memo; every rule is checked before anything changes. A transfer to oneself is refused: it would move
     * nothing, and a payment's recipient is then always another account.
     */
    void transfer(CommandContext ctx, Command.Transfer c, int epoch) throws Refusal {
        String recipient;
        try {
            recipient = Address.parse(c.recipient()).toString();
        } catch (IllegalArgumentException e) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "recipient is not an address: " + e.getMessage());
        }
        if (c.amount() < 1) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "amount must be at least 1, got " + c.amount());
        }
        byte[] memo = c.memo();
        if (memo.length > Command.Transfer.MAX_MEMO_BYTES) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "memo has " + memo.length + " bytes, at most "
                    + Command.Transfer.MAX_MEMO_BYTES + " are allowed");
        }
        if (recipient.equals(ctx.sender)) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "a transfer to oneself moves nothing");
        }
        ctx.requireBalance(c.amount(), "transferring " + c.amount());
        AccountEntry to = accounts.get(recipient);
        if (to == null) {
            to = new AccountEntry(recipient, 0, 0);
        }
        if (to.balance() > Long.MAX_VALUE - c.amount()) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "the transfer would overflow " + recipient + "'s balance");
        }
        put(new AccountEntry(recipient, to.balance() + c.amount(), to.nextNonce()));
        ctx.commit(-c.amount());
        ctx.emit(new io.tusk.control.api.Event.Transferred(ctx.nextCursor(), epoch, ctx.sender, ctx.nonce, recipient,
                c.amount(), memo));
    }

    /** The kept outcome of the sender's accepted command at {@code nonce} (its latest {@link #RETAINED_OUTCOMES}). */
    Optional<OutcomeEntry> outcome(String sender, long nonce) {
        return Optional.ofNullable(outcomes.get(new SenderNonce(Address.parse(sender).toString(), nonce)));
    }

    /** The account, or empty if it does not exist. {@code address} may be in any form {@link Address#parse} takes. */
    Optional<AccountInfo> info(String address) {
        AccountEntry a = accounts.get(Address.parse(address).toString());
        return a == null ? Optional.empty() : Optional.of(new AccountInfo(a.address(), a.balance(), a.nextNonce()));
    }
}
