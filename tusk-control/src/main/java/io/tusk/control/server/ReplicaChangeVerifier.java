package io.tusk.control.server;

import io.tusk.control.api.ControlJson;
import io.tusk.control.api.ReplicaChange;
import io.tusk.control.api.SignedCommand;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Address;
import io.tusk.core.crypto.Ed25519PublicKey;
import io.tusk.http.ApiError;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/**
 * Checks an operator's signed {@link ReplicaChange}: signed by the genesis admin account over exactly the payload,
 * for this network, not expired, at most {@link #MAX_VALIDITY} ahead. Membership changes are idempotent (adding a
 * member or removing a non-member changes nothing), so a request replayed within its validity does no harm.
 */
final class ReplicaChangeVerifier {
    static final Duration MAX_VALIDITY = Duration.ofMinutes(10);

    private final String adminAddress;
    private final String chainId;
    private final Clock clock;

    ReplicaChangeVerifier(String adminAddress, String chainId, Clock clock) {
        this.adminAddress = Address.parse(adminAddress).toString();
        this.chainId = chainId;
        this.clock = clock;
    }

    /** @throws ApiError (400 or 403-like reasons) naming what is wrong */
    ReplicaChange verify(SignedCommand signed) {
        Ed25519PublicKey key;
        try {
            key = Ed25519PublicKey.fromBytes(signed.publicKey());
        } catch (IllegalArgumentException e) {
            throw new ApiError(ErrorReason.INVALID_SIGNATURE, "bad public key: " + e.getMessage());
        }
        byte[] payload = signed.payload();
        if (payload.length > 4096 || signed.signature().length != Ed25519PublicKey.SIGNATURE_LENGTH
                || !key.verify(payload, signed.signature())) {
            throw new ApiError(ErrorReason.INVALID_SIGNATURE, "the signature does not verify over the payload");
        }
        if (!key.address().toString().equals(adminAddress)) {
            throw new ApiError(ErrorReason.NOT_OWNER, "replica changes must be signed by the network's admin account "
                    + adminAddress + ", not " + key.address());
        }
        ReplicaChange change;
        try {
            change = ControlJson.mapper().readValue(payload, ReplicaChange.class);
        } catch (IOException e) {
            throw new ApiError(ErrorReason.INVALID_ARGUMENT, "the payload is not a replica change: "
                    + firstLine(e.getMessage()));
        }
        if (!ReplicaChange.KIND.equals(change.kind())) {
            throw new ApiError(ErrorReason.INVALID_ARGUMENT, "kind must be " + ReplicaChange.KIND);
        }
        if (!chainId.equals(change.chainId())) {
            throw new ApiError(ErrorReason.WRONG_CHAIN, "the change is for chain " + change.chainId()
                    + ", this is " + chainId);
        }
        if (!ReplicaChange.ADD.equals(change.action()) && !ReplicaChange.REMOVE.equals(change.action())) {
            throw new ApiError(ErrorReason.INVALID_ARGUMENT, "action must be add or remove, got " + change.action());
        }
        long now = clock.millis();
        if (change.notAfterMillis() < now) {
            throw new ApiError(ErrorReason.INVALID_ARGUMENT, "the change expired at " + change.notAfterMillis()
                    + " (now " + now + ")");
        }
        if (change.notAfterMillis() > now + MAX_VALIDITY.toMillis()) {
            throw new ApiError(ErrorReason.INVALID_ARGUMENT, "notAfterMillis may be at most " + MAX_VALIDITY.toMinutes()
                    + " minutes ahead");
        }
        return change;
    }

    private static String firstLine(String message) {
        String text = message == null ? "" : message;
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
