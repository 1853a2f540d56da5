package io.tusk.control.client;

import io.tusk.core.api.ApiStatus;
import io.tusk.core.api.ErrorReason;
import io.tusk.http.ApiException;
import io.tusk.http.HttpTransportException;
import io.tusk.http.JsonHttpClient;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * The replicas of a control plane a client knows, and which of them it believes leads. A request goes to that one;
 * when the answer says another leads ({@code NOT_LEADER} with the leader's URL) it goes there at once; when a replica
 * does not answer or cannot serve (503) it goes to the next; after a round of every replica it waits a little (100 ms
 * doubling to 1 s) and starts again, until the failover budget is spent. Any other answer, success or error, is final.
 *
 * <p>A leader named by a replica but missing from the configured list is followed too (it joined the group later),
 * up to {@link #MAX_ENDPOINTS} replicas in all.
 *
 * <p>Safe only for requests that may be repeated: queries, and commands resent as the same signed bytes (the state
 * answers a command it already applied with its original outcome). Thread-safe.
 */
final class ReplicaEndpoints implements AutoCloseable {
    static final int MAX_ENDPOINTS = 16;

    /** One replica's URL and its HTTP client (its connections). */
    private record Endpoint(URI url, JsonHttpClient http) {
    }

    private final Duration timeout;
    private final Duration failoverBudget;
    private final List<Endpoint> endpoints = new ArrayList<>();
    private volatile Endpoint preferred;

    ReplicaEndpoints(List<URI> urls, Duration timeout, Duration failoverBudget) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("a control-plane client needs at least one replica URL");
        }
        if (urls.size() > MAX_ENDPOINTS) {
            throw new IllegalArgumentException("at most " + MAX_ENDPOINTS + " control-plane replicas, got " + urls.size());
        }
        this.timeout = timeout;
        this.failoverBudget = failoverBudget;
        for (URI url : urls) {
            endpointFor(url);
        }
        preferred = endpoints.getFirst();
    }

    /** The replica requests go to first: the leader as far as this client knows. */
    URI preferred() {
        return preferred.url();
    }

    /** Every replica this client knows, configured ones first. */
    synchronized List<URI> urls() {
        return endpoints.stream().map(Endpoint::url).toList();
    }

    private synchronized Endpoint endpointFor(URI url) {
        URI normalized = normalize(url);
        for (Endpoint e : endpoints) {
            if (e.url().equals(normalized)) {
                return e;
            }
        }
        if (endpoints.size() >= MAX_ENDPOINTS) {
            return null;
        }
        Endpoint e = new Endpoint(normalized, JsonHttpClient.create(normalized, timeout));
        endpoints.add(e);
        return e;
    }

    private synchronized List<Endpoint> snapshot() {
        return List.copyOf(endpoints);
    }

    /**
     * Sends {@code request} to the leader it believes in, following the group as described above.
     *
     * @throws ApiException           the final answer of a replica (a refusal, a missing object), or the last 503
     *                                once the budget is spent
     * @throws HttpTransportException when no replica answered within the budget
     */
    <T> T call(Function<JsonHttpClient, T> request) {
        long deadline = System.nanoTime() + failoverBudget.toNanos();
        Set<Endpoint> tried = new HashSet<>();
        RuntimeException last = null;
        long backoffMillis = 100;
        Endpoint next = preferred;
        while (true) {
            if (next == null) {
                next = untried(tried);
            }
            if (next == null) { // a whole round failed: wait, then start over from the preferred replica
                if (System.nanoTime() + backoffMillis * 1_000_000 > deadline) {
                    throw last;
                }
                sleep(backoffMillis);
                backoffMillis = Math.min(1000, backoffMillis * 2);
                tried.clear();
                next = preferred;
            }
            Endpoint endpoint = next;
            next = null;
            try {
                T answer = request.apply(endpoint.http());
                preferred = endpoint;
                return answer;
            } catch (ApiException e) {
                if (!retryable(e)) {
                    throw e;
                }
                tried.add(endpoint);
                last = e;
                if (e.is(ErrorReason.NOT_LEADER) && e.metadata().get("leaderUrl") instanceof String leader) {
                    Endpoint hinted = endpointFor(URI.create(leader));
                    if (hinted != null && !tried.contains(hinted)) {
                        preferred = hinted;
                        next = hinted;
                    }
                }
            } catch (HttpTransportException e) {
                if (Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                tried.add(endpoint);
                last = e;
            }
            if (System.nanoTime() > deadline) {
                throw last;
            }
        }
    }

    private Endpoint untried(Set<Endpoint> tried) {
        for (Endpoint e : snapshot()) {
            if (!tried.contains(e)) {
                return e;
            }
        }
        return null;
    }

    /** 503s: not the leader, no leader yet, a failed log, a full disk, a command not committed in time. */
    private static boolean retryable(ApiException e) {
        return e.httpStatus() == 503 || e.status() == ApiStatus.UNAVAILABLE;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HttpTransportException("interrupted while waiting for a control-plane replica", e);
        }
    }

    private static URI normalize(URI url) {
        String text = url.toString();
        return URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    @Override
    public synchronized void close() {
        for (Endpoint e : endpoints) {
            e.http().close();
        }
    }
}
