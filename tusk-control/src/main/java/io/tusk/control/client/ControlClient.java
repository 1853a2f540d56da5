package io.tusk.control.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.control.api.AccountInfo;
import io.tusk.control.api.BlobInfo;
import io.tusk.control.api.BlobObject;
import io.tusk.control.api.Command;
import io.tusk.control.api.CommandEnvelope;
import io.tusk.control.api.CommandOutcome;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.ControlJson;
import io.tusk.control.api.EpochInfo;
import io.tusk.control.api.Event;
import io.tusk.control.api.EventPage;
import io.tusk.control.api.Health;
import io.tusk.control.api.OwnedBlobs;
import io.tusk.control.api.PriceInfo;
import io.tusk.control.api.SignedCommand;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.metadata.BlobId;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Java client of the control plane's HTTP API (docs/network.md). Submitting signs the command with the account key
 * and handles the nonce: it reads the account's next nonce, and if another command of the same account got in
 * between ({@code BAD_NONCE}) it reads the nonce again and retries once.
 *
 * <p>Thread-safe; commands of one account submitted concurrently may still lose the nonce race twice and fail.
 */
public final class ControlClient implements AutoCloseable {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final ObjectMapper json = ControlJson.mapper();

    public ControlClient(URI baseUri) {
        this(baseUri, DEFAULT_TIMEOUT);
    }

    /** @param timeout per request, on top of any long-poll wait */
    public ControlClient(URI baseUri, Duration timeout) {
        String text = baseUri.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    // ------------------------------------------------------------------------------------------------ commands

    /**
     * Signs {@code command} with {@code signer} at the account's next nonce and submits it.
     *
     * @throws ControlApiException if the command is refused (reason as the control plane gave it)
     */
    public CommandOutcome submit(Command command, Ed25519KeyPair signer) throws IOException, InterruptedException {
        try {
            return submit(sign(command, signer, nextNonce(signer)));
        } catch (ControlApiException e) {
            if (!e.isBadNonce()) {
                throw e;
            }
            return submit(sign(command, signer, nextNonce(signer)));
        }
    }

    /** Submits a command signed elsewhere, as is. */
    public CommandOutcome submit(SignedCommand command) throws IOException, InterruptedException {
        byte[] body = json.writeValueAsBytes(command);
        HttpRequest request = HttpRequest.newBuilder(uri("/v1/commands")).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return send(request, CommandOutcome.class);
    }

    /** The signed form of {@code command} from {@code signer} at {@code nonce}. */
    public static SignedCommand sign(Command command, Ed25519KeyPair signer, long nonce) {
        String sender = signer.publicKey().address().toString();
        byte[] payload;
        try {
            payload = ControlJson.mapper().writeValueAsBytes(new CommandEnvelope(sender, nonce, command));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a command envelope", e);
        }
        return new SignedCommand(payload, signer.publicKey().bytes(), signer.sign(payload));
    }

    private long nextNonce(Ed25519KeyPair signer) throws IOException, InterruptedException {
        return account(signer.publicKey().address().toString()).map(AccountInfo::nextNonce).orElse(0L);
    }

    // ------------------------------------------------------------------------------------------------ queries

    public EpochInfo epoch() throws IOException, InterruptedException {
        return get("/v1/epoch", EpochInfo.class);
    }

    public CommitteeInfo committee() throws IOException, InterruptedException {
        return get("/v1/committee", CommitteeInfo.class);
    }

    public PriceInfo prices() throws IOException, InterruptedException {
        return get("/v1/prices", PriceInfo.class);
    }

    public Health health() throws IOException, InterruptedException {
        return get("/v1/health", Health.class);
    }

    /** The account, or empty if it does not exist. */
    public Optional<AccountInfo> account(String address) throws IOException, InterruptedException {
        return optional(() -> get("/v1/accounts/" + address, AccountInfo.class));
    }

    public OwnedBlobs blobsOwnedBy(String address) throws IOException, InterruptedException {
        return get("/v1/accounts/" + address + "/blobs", OwnedBlobs.class);
    }

    public BlobInfo blob(BlobId blobId) throws IOException, InterruptedException {
        return get("/v1/blobs/" + blobId, BlobInfo.class);
    }

    /** The blob object, or empty if it does not exist (never registered, or deleted). */
    public Optional<BlobObject> object(String objectId) throws IOException, InterruptedException {
        return optional(() -> get("/v1/objects/" + objectId, BlobObject.class));
    }

    /**
     * Events from cursor {@code from} on, at most {@code limit} (1..1000); if there are none yet, the server waits up
     * to {@code waitMillis} (0..30000) for one.
     */
    public EventPage events(long from, int limit, long waitMillis) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(uri("/v1/events?from=" + from + "&limit=" + limit + "&waitMillis="
                + waitMillis)).timeout(timeout.plusMillis(waitMillis)).GET().build();
        return send(request, EventPage.class);
    }

    /**
     * Follows the event stream from {@code from} until an event matching {@code predicate} appears, long-polling.
     *
     * @return the first matching event, or empty if none appeared within {@code timeout}
     */
    public Optional<Event> awaitEvent(long from, Predicate<Event> predicate, Duration timeout)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long cursor = from;
        while (true) {
            long left = Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
            EventPage page = events(cursor, 1000, Math.min(left, 10_000));
            for (Event event : page.events()) {
                if (predicate.test(event)) {
                    return Optional.of(event);
                }
            }
            cursor = page.next();
            if (System.nanoTime() >= deadline && page.events().isEmpty()) {
                return Optional.empty();
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ transport

    private interface Call<T> {
        T call() throws IOException, InterruptedException;
    }

    private static <T> Optional<T> optional(Call<T> call) throws IOException, InterruptedException {
        try {
            return Optional.of(call.call());
        } catch (ControlApiException e) {
            if (e.httpStatus() == 404 && e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private <T> T get(String path, Class<T> type) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).timeout(timeout).GET().build(), type);
    }

    private URI uri(String pathAndQuery) {
        return URI.create(base + pathAndQuery);
    }

    private <T> T send(HttpRequest request, Class<T> type) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        byte[] body = response.body();
        int status = response.statusCode();
        JsonNode root = null;
        try {
            root = json.readTree(body);
        } catch (IOException notJson) {
            // a plain-text rejection; handled below
        }
        if (status >= 200 && status < 300) {
            JsonNode data = root == null ? null : root.path("success").get("data");
            if (data == null) {
                throw new IOException(request.method() + " " + request.uri() + ": answer " + status
                        + " without a success envelope");
            }
            return json.treeToValue(data, type);
        }
        JsonNode error = root == null ? null : root.get("error");
        if (error == null) {
            throw new ControlApiException(status, "", "", new String(body, java.nio.charset.StandardCharsets.UTF_8));
        }
        JsonNode info = error.path("details").path(0);
        throw new ControlApiException(status, info.path("reason").asText(""), info.path("domain").asText(""),
                error.path("message").asText(""));
    }

    @Override
    public void close() {
        http.close();
    }
}
