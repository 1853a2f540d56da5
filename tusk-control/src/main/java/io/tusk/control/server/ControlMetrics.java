package io.tusk.control.server;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.tusk.control.api.Command;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.control.api.ControlJson;
import io.tusk.control.api.EpochChangeInfo;
import io.tusk.control.api.EpochInfo;
import io.tusk.control.api.SignedCommand;
import io.tusk.control.state.CommandResult;
import io.tusk.control.state.ControlState;
import io.tusk.http.ServerMetrics;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The control plane's meters: commands by type and result with their latency, and, read from the state before each
 * scrape, the epoch and its change, the committee and each member's shards and stake, blob and event counts.
 * Thread-safe.
 */
public final class ControlMetrics {
    /** Command type names as in JSON: anything else is counted as {@code unknown}, so tags stay a closed set. */
    private static final Set<String> COMMAND_TYPES = Stream.of(Command.class.getAnnotation(JsonSubTypes.class).value())
            .map(JsonSubTypes.Type::name).collect(Collectors.toUnmodifiableSet());

    private final MeterRegistry registry;
    private final ControlReplica replica;
    private final MultiGauge memberShards;
    private final MultiGauge memberStake;
    private volatile Figures figures = Figures.NONE;

    /** The figures read from the state at the last scrape. */
    private record Figures(long epoch, long epochStartMillis, boolean changeDone, long syncedShards, long quorumShards,
                           long shardCount, long members, long commands, long events, long blobIds, long blobObjects,
                   long spaces) {
        static final Figures NONE = new Figures(0, 0, false, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }

    public ControlMetrics(ServerMetrics metrics, ControlReplica replica) {
        this.registry = metrics.registry();
        this.replica = replica;
        gauge("tusk_control_epoch", "the current epoch", null, Figures::epoch);
        gauge("tusk_control_epoch_start_time", "when the current epoch started (Unix time)", "seconds",
                f -> f.epochStartMillis() / 1000.0);
        gauge("tusk_control_epoch_change_done", "1 once members holding a quorum of shards synced into this epoch",
                null, f -> f.changeDone() ? 1 : 0);
        gauge("tusk_control_epoch_change_synced_shards", "shards held by members that reported their shards synced",
                null, Figures::syncedShards);
        gauge("tusk_control_epoch_change_quorum_shards", "shards needed for the epoch change to complete (2f+1)",
                null, Figures::quorumShards);
        gauge("tusk_control_shards", "shards of the network", null, Figures::shardCount);
        gauge("tusk_control_committee_members", "storage nodes in the current committee", null, Figures::members);
        gauge("tusk_control_commands_applied", "log entries this replica applied since genesis", null,
                Figures::commands);
        gauge("tusk_control_events", "events in the log since genesis", null, Figures::events);
        gauge("tusk_control_blob_ids", "blob IDs with at least one registered, undeleted object", null,
                Figures::blobIds);
        gauge("tusk_control_blob_objects", "blob objects registered and not deleted", null, Figures::blobObjects);
        gauge("tusk_control_spaces", "spaces created (docs/spaces.md)", null, Figures::spaces);
        io.micrometer.core.instrument.FunctionCounter.builder("tusk_control_disk_low_handoffs", replica,
                        ControlReplica::diskLowHandOffs)
                .description("times this replica asked a follower to take over its leadership because its disk ran low")
                .register(registry);
        memberShards = MultiGauge.builder("tusk_control_node_shards")
                .description("shards a committee member holds in the current epoch, by node name").register(registry);
        memberStake = MultiGauge.builder("tusk_control_node_stake")
                .description("a committee member's stake, by node name").register(registry);
        metrics.beforeScrape(this::refresh);
    }

    private void gauge(String name, String description, String unit, ToDoubleFunction<Figures> value) {
        Gauge.builder(name, this, m -> value.applyAsDouble(m.figures)).description(description).baseUnit(unit)
                .register(registry);
    }

    /**
     * Reads the figures from this replica's applied state: one short read under the state's lock. A replica that
     * cannot answer now (no leader, a failed log) keeps the last figures: its health says why.
     */
    void refresh() {
        record Read(EpochInfo epoch, EpochChangeInfo change, CommitteeInfo committee, long lastIndex, long events,
                    ControlState.BlobCounts blobs, long spaces) {
        }
        Read read;
        try {
            read = replica.query(ControlReplica.Read.LOCAL, s -> new Read(s.epochInfo(), s.epochChange(), s.committee(),
                    s.lastAppliedIndex(), s.eventCount(), s.blobCounts(), s.spaceCount()));
        } catch (ReplicaUnavailableException | NotLeaderException e) {
            return;
        }
        figures = new Figures(read.epoch().epoch(), read.epoch().startTimeMillis(), read.epoch().changeDone(),
                read.change().syncedShards(), read.change().quorumShards(), read.committee().shardCount(),
                read.committee().members().size(), read.lastIndex() + 1, read.events(), read.blobs().blobIds(),
                read.blobs().objects(), read.spaces());
        List<MultiGauge.Row<?>> shards = new ArrayList<>();
        List<MultiGauge.Row<?>> stake = new ArrayList<>();
        for (CommitteeMember member : read.committee().members()) {
            Tags tags = Tags.of("node", member.name());
            shards.add(MultiGauge.Row.of(tags, member.shards().size()));
            stake.add(MultiGauge.Row.of(tags, member.stake()));
        }
        memberShards.register(shards, true);
        memberStake.register(stake, true);
    }

    /** Submits {@code command} through {@code submit}, timing it by command type and result. */
    CommandResult timed(SignedCommand command, Supplier<CommandResult> submit) {
        long start = System.nanoTime();
        CommandResult result = submit.get();
        String outcome = switch (result) {
            case CommandResult.Accepted a -> "accepted";
            case CommandResult.Refused r -> r.reason().reason().toLowerCase(Locale.ROOT);
        };
        Timer.builder("tusk_control_commands").description("commands applied, by type and result (accepted or the "
                        + "refusal reason)")
                .tag("command", commandType(command)).tag("result", outcome)
                .publishPercentileHistogram(false).register(registry)
                .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
        return result;
    }

    /** The JSON type name of the command in the payload, or {@code unknown}. */
    static String commandType(SignedCommand command) {
        try {
            JsonNode envelope = ControlJson.mapper().readTree(command.payload());
            String type = envelope == null ? null : envelope.path("command").path("type").asText(null);
            return type != null && COMMAND_TYPES.contains(type) ? type : "unknown";
        } catch (IOException e) {
            return "unknown";
        }
    }
}
