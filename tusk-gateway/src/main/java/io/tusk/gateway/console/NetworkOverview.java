package io.tusk.gateway.console;

import com.fasterxml.jackson.databind.JsonNode;
import io.tusk.control.api.BlobInfo;
import io.tusk.control.api.BlobObject;
import io.tusk.control.api.BlobStatus;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.control.api.EpochInfo;
import io.tusk.control.api.Event;
import io.tusk.control.api.Health;
import io.tusk.control.client.ControlClient;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;
import io.tusk.http.TuskJson;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * What an operator sees of the network, in one answer: the epoch and its change, the committee and shard map of the
 * current and previous epoch, each node's health, what it stores and its recovery, blob, object and space
 * counts, and the latest events; and, for one blob, its status and where its slivers are. The web console
 * ({@code /console} on the gateway) and {@code tusk health --detailed} both show this.
 *
 * <p>Everything comes from the services' public interfaces: the control plane's API and {@code /metrics}, each
 * node's {@code /v1/health}, {@code /metrics} and sliver status routes, asked in parallel with a timeout, so one
 * unreachable node shows as unreachable and does not hold up the rest. Thread-safe.
 */
public final class NetworkOverview {
    public static final int RECENT_EVENTS = 25;
    /** Concurrent requests to nodes for one blob lookup. */
    private static final int LOOKUP_CONCURRENCY = 32;

    private final ControlClient control;
    private final URI controlUrl;
    private final HttpClient http;
    private final Duration timeout;

    public NetworkOverview(ControlClient control, URI controlUrl, Duration timeout) {
        this.control = control;
        this.controlUrl = controlUrl;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    // ------------------------------------------------------------------------------------------------ records

    /** The whole picture at {@code time}. {@code previousCommittee} is null in epoch 1. */
    public record Overview(String time, EpochView epoch, ControlView control, List<MemberView> committee,
                           List<MemberView> previousCommittee, int shardCount, List<String> shardOwners,
                           List<NodeView> nodes, Counts counts, List<Event> recentEvents) {
    }

    public record EpochView(int epoch, String state, long startTimeMillis, long durationMillis) {
    }

    public record ControlView(String url, String status, long appliedCommands, long eventCount) {
    }

    /** A committee member by name; {@code url} is its REST API. */
    public record MemberView(String name, String nodeId, String url, long stake, List<Integer> shards) {
    }

    /**
     * One storage node as it answers: {@code status} is {@code Active}, {@code Standby} or {@code unreachable} (then
     * {@code error} says why and the figures are null). Sizes in bytes; counters since the node started.
     */
    public record NodeView(String name, String url, boolean inCommittee, String status, Integer epoch,
                           Integer ownedShards, Long eventCursor, Long storedBytes, Long primarySlivers,
                           Long secondarySlivers, Long storedBlobs, Long recoveryPending, Long sliversRecovered,
                           Long recoveryFailures, Long shardSyncInProgress, Long sliversWritten, Long sliversRead,
                           Long uptimeSeconds, String error) {
    }

    /** Blob IDs, objects and spaces the control plane knows; each null if its metric could not be read. */
    public record Counts(Long blobIds, Long blobObjects, Long spaces) {
    }

    /** One blob: its status, its objects, where to read it, and which node holds which of its slivers. */
    public record BlobLookup(String blobId, BlobStatus status, List<BlobObject> objects, String readPath,
                             int epoch, List<NodeSlivers> nodes) {
    }

    /** A node's part of a blob: its metadata and, per shard it owns, the sliver pair's primary and secondary. */
    public record NodeSlivers(String name, String url, String metadata, List<ShardSlivers> shards, int stored,
                              int expected, String error) {
    }

    public record ShardSlivers(int shard, int pair, String primary, String secondary) {
    }

    // ------------------------------------------------------------------------------------------------ overview

    /**
     * Collects the overview.
     *
     * @throws RuntimeException if the control plane cannot be asked (nodes that do not answer are reported, not thrown)
     */
    public Overview collect() {
        Health health = control.health();
        EpochInfo epoch = control.epoch();
        CommitteeInfo committee = control.committee();
        Optional<CommitteeInfo> previous = committee.epoch() > 1 ? control.previousCommittee() : Optional.empty();
        long from = Math.max(0, health.eventCount() - RECENT_EVENTS);
        List<Event> events = new ArrayList<>(control.events(from, RECENT_EVENTS, 0).events());
        java.util.Collections.reverse(events); // newest first
        PrometheusText controlMetrics = metrics(controlUrl).orElse(PrometheusText.parse(""));

        List<CommitteeMember> members = new ArrayList<>(committee.members());
        Set<String> current = new HashSet<>();
        members.forEach(m -> current.add(m.nodeId()));
        previous.ifPresent(p -> p.members().stream().filter(m -> !current.contains(m.nodeId())).forEach(members::add));
        List<NodeView> nodes = inParallel(members.stream().<Callable<NodeView>>map(m ->
                () -> node(m, current.contains(m.nodeId()))).toList());
        nodes.sort(java.util.Comparator.comparing(NodeView::name, NetworkOverview::naturalOrder));

        String[] owners = new String[committee.shardCount()];
        for (CommitteeMember m : committee.members()) {
            for (int shard : m.shards()) {
                owners[shard] = m.name();
            }
        }
        return new Overview(Instant.now().toString(),
                new EpochView(epoch.epoch(), epoch.state(), epoch.startTimeMillis(), epoch.epochDurationMillis()),
                new ControlView(controlUrl.toString(), health.status(), health.appliedCommands(), health.eventCount()),
                members(committee), previous.map(NetworkOverview::members).orElse(null), committee.shardCount(),
                List.of(owners),
                nodes, new Counts(count(controlMetrics, "tusk_control_blob_ids"),
                count(controlMetrics, "tusk_control_blob_objects"),
                count(controlMetrics, "tusk_control_spaces")), events);
    }

    private static List<MemberView> members(CommitteeInfo committee) {
        return committee.members().stream().map(m -> new MemberView(m.name(), m.nodeId(), url(m), m.stake(),
                m.shards())).sorted(java.util.Comparator.comparing(MemberView::name, NetworkOverview::naturalOrder))
                .toList();
    }

    private NodeView node(CommitteeMember member, boolean inCommittee) {
        String url = url(member);
        JsonNode health;
        try {
            health = getJson(URI.create(url + "/v1/health"));
        } catch (IOException | RuntimeException e) {
            return new NodeView(member.name(), url, inCommittee, "unreachable", null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, message(e));
        }
        JsonNode data = health.path("success").path("data");
        PrometheusText m = metrics(URI.create(url)).orElse(PrometheusText.parse(""));
        return new NodeView(member.name(), url, inCommittee, data.path("nodeStatus").asText("unknown"),
                data.path("epoch").isNumber() ? data.path("epoch").asInt() : null,
                data.path("shardSummary").path("owned").isNumber() ? data.path("shardSummary").path("owned").asInt()
                        : null,
                data.path("eventProgress").path("persisted").isNumber()
                        ? data.path("eventProgress").path("persisted").asLong() : null,
                count(m, "tusk_node_stored_bytes"), count(m, "tusk_node_stored_slivers", "type", "primary"),
                count(m, "tusk_node_stored_slivers", "type", "secondary"), count(m, "tusk_node_stored_blobs"),
                count(m, "tusk_node_recovery_pending"), count(m, "tusk_node_recovery_slivers_recovered_total"),
                count(m, "tusk_node_recovery_failures_total"), count(m, "tusk_node_shard_sync_in_progress"),
                count(m, "tusk_node_slivers_stored_total"), count(m, "tusk_node_slivers_read_total"),
                data.path("uptime").path("secs").isNumber() ? data.path("uptime").path("secs").asLong() : null, null);
    }

    // ------------------------------------------------------------------------------------------------ blob lookup

    /** Where {@code blobId}'s slivers are in the current committee, as each owner reports them. */
    public BlobLookup lookup(BlobId blobId) {
        BlobInfo info = control.blob(blobId);
        CommitteeInfo committee = control.committee();
        int n = committee.shardCount();
        Semaphore concurrency = new Semaphore(LOOKUP_CONCURRENCY);
        List<NodeSlivers> nodes = inParallel(committee.members().stream().<Callable<NodeSlivers>>map(m ->
                () -> slivers(m, blobId, n, concurrency)).toList());
        nodes.sort(java.util.Comparator.comparing(NodeSlivers::name, NetworkOverview::naturalOrder));
        return new BlobLookup(blobId.toString(), info.status(), info.objects(), "/v1/blobs/" + blobId,
                committee.epoch(), nodes);
    }

    private NodeSlivers slivers(CommitteeMember member, BlobId blobId, int n, Semaphore concurrency)
            throws InterruptedException {
        String url = url(member);
        String base = url + "/v1/blobs/" + blobId;
        try {
            String metadata = storedState(URI.create(base + "/metadata/status"), concurrency);
            List<ShardSlivers> shards = new ArrayList<>();
            int stored = 0;
            for (int shard : member.shards()) {
                int pair = blobId.pairForShard(shard, n);
                String primary = storedState(URI.create(base + "/slivers/" + pair + "/"
                        + SliverType.PRIMARY.wireName() + "/status"), concurrency);
                String secondary = storedState(URI.create(base + "/slivers/" + pair + "/"
                        + SliverType.SECONDARY.wireName() + "/status"), concurrency);
                stored += ("stored".equals(primary) ? 1 : 0) + ("stored".equals(secondary) ? 1 : 0);
                shards.add(new ShardSlivers(shard, pair, primary, secondary));
            }
            return new NodeSlivers(member.name(), url, metadata, shards, stored, 2 * member.shards().size(), null);
        } catch (IOException | RuntimeException e) {
            return new NodeSlivers(member.name(), url, null, List.of(), 0, 2 * member.shards().size(), message(e));
        }
    }

    /** {@code stored}, {@code buffered}, {@code nonexistent}, or the error reason the node gave. */
    private String storedState(URI uri, Semaphore concurrency) throws IOException, InterruptedException {
        concurrency.acquire();
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            JsonNode json = TuskJson.mapper().readTree(response.body());
            if (response.statusCode() == 200) {
                return json.path("success").path("data").asText("unknown");
            }
            JsonNode reason = json.path("error").path("details").path(0).path("reason");
            return reason.isTextual() ? reason.asText() : "http " + response.statusCode();
        } finally {
            concurrency.release();
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private JsonNode getJson(URI uri) throws IOException {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new IOException(uri + " answered " + response.statusCode());
            }
            return TuskJson.mapper().readTree(response.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private Optional<PrometheusText> metrics(URI base) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics"))
                    .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(PrometheusText.parse(response.body())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static Long count(PrometheusText metrics, String name, String... labels) {
        double value = metrics.sum(name, labels);
        return Double.isNaN(value) ? null : Math.round(value);
    }

    static String url(CommitteeMember member) {
        String address = member.networkAddress();
        return address.contains("://") ? address : "http://" + address;
    }

    private static String message(Throwable e) {
        String text = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return text.length() <= 200 ? text : text.substring(0, 197) + "...";
    }

    /** {@code node-2} before {@code node-10}. */
    static int naturalOrder(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char x = a.charAt(i);
            char y = b.charAt(j);
            if (Character.isDigit(x) && Character.isDigit(y)) {
                int si = i;
                int sj = j;
                while (i < a.length() && Character.isDigit(a.charAt(i))) {
                    i++;
                }
                while (j < b.length() && Character.isDigit(b.charAt(j))) {
                    j++;
                }
                int byLength = Integer.compare(i - si, j - sj);
                int cmp = byLength != 0 ? byLength : a.substring(si, i).compareTo(b.substring(sj, j));
                if (cmp != 0) {
                    return cmp;
                }
            } else {
                if (x != y) {
                    return Character.compare(x, y);
                }
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    private static <T> List<T> inParallel(List<Callable<T>> tasks) {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> task : tasks) {
                futures.add(executor.submit(task));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> future : futures) {
                out.add(future.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the nodes", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }
}
