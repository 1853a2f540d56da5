package io.tusk.control.state;

import io.tusk.control.api.Event;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Address;
import io.tusk.core.messages.ObjectId;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One command while it is applied: who sent it, at which index, the sender's account as the command sees it, and the
 * events it emitted. A handler checks everything first (throwing {@link Refusal}), then calls {@link #commit} once and
 * emits its events; after {@code commit} nothing may refuse.
 */
final class CommandContext {
    private static final byte[] OBJECT_DOMAIN = "tusk/object".getBytes(StandardCharsets.US_ASCII);

    final String sender;
    /** The command's nonce: with the sender, it names the command uniquely on this network. */
    final long nonce;
    final long index;
    /** What the precheck verified of the command's signatures, or null. */
    private final CertificateVerifier.Verified verified;
    private final Accounts accounts;
    private final EventLog events;
    private AccountEntry account;
    private final List<Event> emitted = new ArrayList<>();

    CommandContext(String sender, long nonce, AccountEntry account, long index, CertificateVerifier.Verified verified,
                   Accounts accounts, EventLog events) {
        this.sender = sender;
        this.nonce = nonce;
        this.verified = verified;
        this.account = account;
        this.index = index;
        this.accounts = accounts;
        this.events = events;
    }

    /**
     * What the precheck verified of this command's signatures (against the committee of the epoch they name).
     *
     * @throws IllegalStateException if it verified nothing of that kind: a command built without its precheck
     */
    <T extends CertificateVerifier.Verified> T verified(Class<T> kind) {
        if (!kind.isInstance(verified)) {
            throw new IllegalStateException("the command's signatures were not prechecked (" + verified + ")");
        }
        return kind.cast(verified);
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

    /**
     * The {@code sub}-th object this command creates: Blake2b-256 of {@code "tusk/object"} ‖ sender address (32 bytes)
     * ‖ nonce (u64 LE) ‖ sub (u32 LE). Sender and nonce name the command uniquely on a network and do not depend on
     * where it lands in the log, so an ID is known before the command is ordered and a refused command (which takes
     * a log index too) shifts nothing.
     */
    ObjectId objectId(int sub) {
        byte[] fields = ByteBuffer.allocate(Address.LENGTH + Long.BYTES + Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .put(Address.parse(sender).bytes()).putLong(nonce).putInt(sub).array();
        return ObjectId.derive(OBJECT_DOMAIN, fields);
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
