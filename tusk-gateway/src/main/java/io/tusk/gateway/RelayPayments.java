package io.tusk.gateway;

import io.tusk.client.RelayTip;
import io.tusk.client.TuskClient;
import io.tusk.control.api.AppliedCommand;
import io.tusk.control.api.Event;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Address;
import io.tusk.gateway.auth.ReplayGuard;
import io.tusk.http.ApiError;
import io.tusk.http.ApiException;
import io.tusk.http.HttpTransportException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * The upload relay's tips (docs/upload-relay.md): checks the payment an upload names and keeps it from paying twice.
 * Walrus's relay reads the Sui transaction {@code tx_id}; here the payment is a {@code transfer} command named by
 * {@code tx_id=SENDER:NONCE}, read back from the control plane ({@code GET /v1/accounts/{sender}/commands/{nonce}},
 * linearizable, so a payment its payer saw accepted is found). It must be a transfer to the relay's address of at
 * least the tip for this blob's size, made in the current epoch or at most {@code maxAgeEpochs} before, whose memo is
 * {@link RelayTip#memo} of this upload: the nonce's digest and the length are checked before the body is read, the
 * blob's digest once it is read and before anything goes to the nodes.
 *
 * <p>Used payments are kept in a {@link ReplayGuard} with a journal on disk (forced before the upload goes on), so a
 * restarted relay still refuses them, each until it is too old to be accepted anyway: "time" there is the epoch, so
 * the file holds the payments of the last {@code maxAgeEpochs + 1} epochs at most, and never more than
 * {@code capacity} (beyond it uploads are refused 429 until old ones age out). A payment is claimed before the body
 * is read (two uploads racing on one payment: one wins) and released if the upload then fails, so a refused or
 * failed upload loses its payer nothing.
 */
final class RelayPayments implements AutoCloseable {
    /** The file beside the gateway's account key that lists the used payments. */
    static final String FILE_NAME = "relay-used-payments";

    private final TuskClient client;
    private final RelayTip tip;
    private final int maxAgeEpochs;
    private final ReplayGuard used;

    /** A payment admitted for one upload: its key in the guard and the blob digest its memo names. */
    record Payment(String key, byte[] blobDigest) {
    }

    private RelayPayments(TuskClient client, RelayTip tip, int maxAgeEpochs, ReplayGuard used) {
        this.client = client;
        this.tip = tip;
        this.maxAgeEpochs = maxAgeEpochs;
        this.used = used;
    }

    /**
     * The payments of a relay asking {@code tip} (its address filled in), used ones kept in {@code file}.
     *
     * @throws IOException if the file cannot be read or written
     */
    static RelayPayments open(TuskClient client, RelayTip tip, int maxAgeEpochs, int capacity, Path file)
            throws IOException {
        long epoch = client.control().epoch().epoch();
        return new RelayPayments(client, tip, maxAgeEpochs, new ReplayGuard(capacity, file, epoch));
    }

    RelayTip tip() {
        return tip;
    }

    /**
     * Checks the payment {@code txId}/{@code nonceText} for an upload of {@code length} bytes on a committee of
     * {@code shards} shards, everything but the blob's digest, and claims it.
     *
     * @throws ApiError {@code TIP_REQUIRED}, {@code MALFORMED_REQUEST}, {@code TIP_UNKNOWN}, {@code TIP_WRONG_RECIPIENT},
     *                  {@code TIP_INSUFFICIENT}, {@code TIP_NOT_FOR_BLOB}, {@code TIP_EXPIRED}, {@code TIP_ALREADY_USED},
     *                  {@code TOO_MANY_REQUESTS} (no room for more used payments), {@code UNAVAILABLE}
     */
    Payment admit(Optional<String> txId, Optional<String> nonceText, long length, int shards) {
        long amount = tip.amountFor(length, shards);
        if (txId.isEmpty() || nonceText.isEmpty()) {
            throw new ApiError(ErrorReason.TIP_REQUIRED, "this relay asks a tip of " + amount + " for " + length
                    + " bytes, paid to " + tip.address() + " (GET /v1/tip-config): name the transfer with tx_id="
                    + "SENDER:NONCE and its memo's nonce with nonce=");
        }
        String[] parts = txId.get().split(":", -1);
        String sender;
        long commandNonce;
        try {
            if (parts.length != 2) {
                throw new IllegalArgumentException("not SENDER:NONCE");
            }
            sender = Address.parse(parts[0]).toString();
            commandNonce = Long.parseLong(parts[1]);
            if (commandNonce < 0) {
                throw new IllegalArgumentException("a negative nonce");
            }
        } catch (IllegalArgumentException e) {
            throw new ApiError(ErrorReason.MALFORMED_REQUEST, "tx_id must be the paying transfer's SENDER:NONCE "
                    + "(0x… address, decimal nonce), got '" + abbreviate(txId.get()) + "': " + e.getMessage());
        }
        byte[] nonce;
        try {
            nonce = Base64.getUrlDecoder().decode(nonceText.get());
        } catch (IllegalArgumentException e) {
            throw new ApiError(ErrorReason.MALFORMED_REQUEST, "nonce must be base64url: " + e.getMessage());
        }
        if (nonce.length == 0 || nonce.length > RelayTip.MAX_NONCE_BYTES) {
            throw new ApiError(ErrorReason.MALFORMED_REQUEST, "nonce must have 1 to " + RelayTip.MAX_NONCE_BYTES
                    + " bytes, got " + nonce.length);
        }
        Event.Transferred payment = transfer(sender, commandNonce);
        String name = "payment " + sender + ":" + commandNonce;
        if (!payment.recipient().equals(tip.address())) {
            throw new ApiError(ErrorReason.TIP_WRONG_RECIPIENT, name + " paid " + payment.recipient()
                    + ", not this relay's " + tip.address());
        }
        if (payment.amount() < amount) {
            throw new ApiError(ErrorReason.TIP_INSUFFICIENT, name + " paid " + payment.amount() + ", the tip for "
                    + length + " bytes is " + amount);
        }
        if (!RelayTip.memoNamesNonceAndLength(payment.memo(), nonce, length)) {
            throw new ApiError(ErrorReason.TIP_NOT_FOR_BLOB, name + "'s memo does not name this upload (SHA-256 of "
                    + "the nonce and the length " + length + ")");
        }
        long epoch = currentEpoch();
        long expires = (long) payment.epoch() + maxAgeEpochs + 1; // accepted while the epoch is below this
        if (epoch >= expires) {
            throw new ApiError(ErrorReason.TIP_EXPIRED, name + " was made in epoch " + payment.epoch()
                    + "; this relay accepts payments of the last " + maxAgeEpochs + " epochs (now " + epoch + ")");
        }
        String key = sender + ":" + commandNonce;
        ReplayGuard.Claim claim;
        try {
            claim = used.claim(key, expires, epoch);
        } catch (UncheckedIOException e) {
            throw new ApiError(ErrorReason.UNAVAILABLE, "the relay cannot record the payment as used: "
                    + e.getMessage() + "; please retry");
        }
        return switch (claim) {
            case FRESH -> new Payment(key, RelayTip.memoBlobDigest(payment.memo()));
            case USED -> throw new ApiError(ErrorReason.TIP_ALREADY_USED, name + " already paid for an upload");
            case FULL -> throw new ApiError(ErrorReason.TOO_MANY_REQUESTS, "the relay holds as many recent payments "
                    + "as it keeps; retry later");
        };
    }

    /** Whether the body read had the digest the payment's memo names. */
    static void requireBlob(Payment payment, byte[] blobDigest) {
        if (!Arrays.equals(payment.blobDigest(), blobDigest)) {
            throw new ApiError(ErrorReason.TIP_NOT_FOR_BLOB, "payment " + payment.key() + "'s memo names another "
                    + "blob (its SHA-256 is not the body's)");
        }
    }

    /** Forgets a claimed payment whose upload failed, so it can pay for the retry. */
    void release(Payment payment) {
        used.release(payment.key());
    }

    private Event.Transferred transfer(String sender, long nonce) {
        Optional<AppliedCommand> applied;
        try {
            applied = client.control().appliedCommand(sender, nonce);
        } catch (ApiException e) {
            if (e.is(ErrorReason.EVENTS_PRUNED)) {
                throw new ApiError(ErrorReason.TIP_UNKNOWN, "payment " + sender + ":" + nonce + " is too old to "
                        + "look up: " + e.getMessage());
            }
            throw new ApiError(ErrorReason.UNAVAILABLE, "the control plane could not be asked about payment "
                    + sender + ":" + nonce + ": " + e.getMessage() + "; please retry");
        } catch (HttpTransportException e) {
            throw new ApiError(ErrorReason.UNAVAILABLE, "the control plane could not be reached: " + e.getMessage()
                    + "; please retry");
        }
        return applied.flatMap(a -> a.events().stream().filter(Event.Transferred.class::isInstance)
                        .map(Event.Transferred.class::cast).findFirst())
                .orElseThrow(() -> new ApiError(ErrorReason.TIP_UNKNOWN, sender + " has no accepted transfer at nonce "
                        + nonce + " (never made, refused, not a transfer, or older than its latest 1,000 commands)"));
    }

    private long currentEpoch() {
        try {
            return client.control().epoch().epoch();
        } catch (ApiException | HttpTransportException e) {
            throw new ApiError(ErrorReason.UNAVAILABLE, "the control plane could not be reached: " + e.getMessage()
                    + "; please retry");
        }
    }

    private static String abbreviate(String text) {
        return text.length() <= 100 ? text : text.substring(0, 100) + "…";
    }

    @Override
    public void close() {
        used.close();
    }
}
