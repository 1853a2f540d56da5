package io.tusk.control.state;

import io.tusk.control.api.Event;
import io.tusk.control.state.StateSnapshot.AccountEntry;
import io.tusk.core.api.ErrorReason;

import java.util.ArrayList;
import java.util.List;

/**
 * One command while it is applied: who sent it, at which index, the sender's account as the command sees it, and the
 * events it emitted. A handler checks everything first (throwing {@link Refusal}), then calls {@link #commit} once and
 * emits its events; after {@code commit} nothing may refuse.
 */
final class CommandContext {
    final String sender;
    final long index;
    private final Accounts accounts;
    private final EventLog events;
    private AccountEntry account;
    private final List<Event> emitted = new ArrayList<>();

    CommandContext(String sender, AccountEntry account, long index, Accounts accounts, EventLog events) {
        this.sender = sender;
        this.account = account;
        this.index = index;
        this.accounts = accounts;
        this.events = events;
    }

    /** The sender's balance before this command changes it. */
    long balance() {
        return account.balance();
    }

    void requireBalance(long amount, String what) throws Refusal {
        if (account.balance() < amount) {
            throw new Refusal(ErrorReason.INSUFFICIENT_BALANCE, what + " costs " + amount + " but " + sender
                    + " has " + account.balance());
        }
    }

    /** Commits the sender's side: the balance change and the next nonce. Call once, after every check passed. */
    void commit(long balanceDelta) {
        account = new AccountEntry(sender, account.balance() + balanceDelta, account.nextNonce() + 1);
        accounts.put(account);
    }

    /** The cursor the next emitted event gets. */
    long nextCursor() {
        return events.nextCursor();
    }

    void emit(Event event) {
        events.append(event);
        emitted.add(event);
    }

    List<Event> emitted() {
        return emitted;
    }
}
