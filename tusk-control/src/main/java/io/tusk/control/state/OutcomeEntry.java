package io.tusk.control.state;

import java.util.Arrays;

/**
 * What an accepted command did, kept so that the same command sent again returns it: the Blake2b-256 of the signed
 * payload (which tells the same command from another one at the same nonce), the index it was applied at, and its
 * events (cursors {@code firstCursor .. firstCursor + eventCount - 1}).
 */
record OutcomeEntry(byte[] payloadHash, long index, long firstCursor, int eventCount) {
    OutcomeEntry {
        payloadHash = payloadHash.clone();
    }

    boolean isFor(AuthenticatedCommand command) {
        return Arrays.equals(payloadHash, command.payloadHash());
    }
}
