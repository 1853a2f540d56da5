package io.tusk.control.api;

import java.util.List;
import java.util.Objects;

/**
 * One accepted command as the control plane kept it, for a third party to check what it did (an upload relay checks
 * the transfer that paid its tip): {@code GET /v1/accounts/{sender}/commands/{nonce}}. {@code payloadHash} is the
 * Blake2b-256 of the signed payload (hex), so whoever holds the signed bytes can tell it is theirs; {@code index} the
 * log index it was applied at; {@code events} what it emitted. Kept for the sender's latest 1,000 accepted commands.
 */
public record AppliedCommand(String sender, long nonce, long index, String payloadHash, List<Event> events) {
    public AppliedCommand {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(payloadHash, "payloadHash");
        events = List.copyOf(Objects.requireNonNull(events, "events"));
    }
}
