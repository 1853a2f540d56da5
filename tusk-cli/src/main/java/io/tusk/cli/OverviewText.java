package io.tusk.cli;

import io.tusk.control.api.Event;
import io.tusk.gateway.console.NetworkOverview;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** {@link NetworkOverview.Overview} as text: what the console shows, for {@code tusk health --detailed}. */
final class OverviewText {
    private OverviewText() {
    }

    static void print(NetworkOverview.Overview o, PrintWriter out) {
        out.println("Tusk network: epoch " + o.epoch().epoch() + " (" + (o.epoch().state().equals("changeDone")
                ? "change done" : "change in progress") + "), " + o.committee().size() + " nodes in the committee, "
                + o.shardCount() + " shards");
        out.println("control plane " + o.control().url() + ": " + o.control().status() + ", "
                + "log index " + o.control().appliedIndex() + " applied, " + o.control().eventCount() + " events");
        out.println("blobs: " + orDash(o.counts().blobIds()) + " blob IDs, " + orDash(o.counts().blobObjects())
                + " objects; spaces: " + (o.counts().spaces() == null ? "unknown" : o.counts().spaces()));
        out.println();
        out.println("storage nodes:");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NODE", "STATUS", "EPOCH", "SHARDS", "STORED", "SLIVERS", "BLOBS", "RECOVERY",
                "SHARD SYNC", "EVENTS", "UP"});
        for (NetworkOverview.NodeView n : o.nodes()) {
            if (n.error() != null) {
                rows.add(new String[] {n.name(), "unreachable: " + n.error(), "", "", "", "", "", "", "", "", ""});
                continue;
            }
            rows.add(new String[] {n.name() + (n.inCommittee() ? "" : " (left)"), n.status(), orDash(n.epoch()),
                    orDash(n.ownedShards()), bytes(n.storedBytes()),
                    n.primarySlivers() == null ? "-" : String.valueOf(n.primarySlivers() + n.secondarySlivers()),
                    orDash(n.storedBlobs()), n.recoveryPending() == null ? "-"
                    : n.recoveryPending() + " pending, " + n.sliversRecovered() + " rebuilt",
                    n.shardSyncInProgress() == null ? "-" : n.shardSyncInProgress() == 0 ? "idle"
                    : n.shardSyncInProgress() + " shards", orDash(n.eventCursor()), uptime(n.uptimeSeconds())});
        }
        table(rows, out);
        committee("committee of epoch " + o.epoch().epoch(), o.committee(), o.shardCount(), out);
        if (o.previousCommittee() != null) {
            committee("committee of epoch " + (o.epoch().epoch() - 1), o.previousCommittee(), o.shardCount(), out);
        }
        out.println();
        out.println("recent events (newest first):");
        Map<String, String> names = new HashMap<>();
        o.committee().forEach(m -> names.put(m.nodeId(), m.name()));
        if (o.previousCommittee() != null) {
            o.previousCommittee().forEach(m -> names.putIfAbsent(m.nodeId(), m.name()));
        }
        for (Event e : o.recentEvents()) {
            out.println("  #" + e.cursor() + " epoch " + e.epoch() + " " + describe(e, names));
        }
    }

    private static void committee(String title, List<NetworkOverview.MemberView> members, int shards,
                                  PrintWriter out) {
        out.println();
        out.println(title + " (shard map: shard indices held):");
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"NODE", "STAKE", "SHARDS", "SHARD INDICES"});
        for (NetworkOverview.MemberView m : members) {
            rows.add(new String[] {m.name(), String.valueOf(m.stake()), m.shards().size() + " of " + shards,
                    ranges(m.shards())});
        }
        table(rows, out);
    }

    static String describe(Event e, Map<String, String> names) {
        return switch (e) {
            case Event.BlobRegistered r -> "blobRegistered " + r.blobId() + " " + bytes(r.size()) + " until epoch "
                    + r.endEpoch() + (r.deletable() ? " deletable" : "");
            case Event.BlobCertified c -> "blobCertified " + c.blobId() + (c.isExtension() ? " extended to epoch "
                    : " until epoch ") + c.endEpoch();
            case Event.BlobDeleted d -> "blobDeleted " + d.blobId();
            case Event.BlobShared s -> "blobShared " + s.blobId() + " as " + s.sharedBlobId();
            case Event.Transferred t -> "transferred " + t.amount() + " to " + t.recipient();
            case Event.InvalidBlobId i -> "invalidBlobId " + i.blobId();
            case Event.EpochChange c -> "epochChange";
            case Event.EpochChangeDone d -> "epochChangeDone";
            case Event.NodeRegistered r -> "nodeRegistered " + names.getOrDefault(r.nodeId(), r.nodeId());
            case Event.ShardsSynced s -> "shardsSynced " + names.getOrDefault(s.nodeId(), s.nodeId());
            case Event.NodeLeft l -> "nodeLeft " + names.getOrDefault(l.nodeId(), l.nodeId());
            case Event.StakeChanged s -> "stakeChanged " + names.getOrDefault(s.nodeId(), s.nodeId()) + " to "
                    + s.stake();
            case Event.SpaceCreated c -> "spaceCreated " + c.name() + (c.encrypted() ? " encrypted" : "");
            case Event.SpaceCommitted c -> "spaceCommitted " + c.name() + " version " + c.version()
                    + (c.inline() ? " inline" : "");
            case Event.SpaceFolded f -> "spaceFolded " + f.name() + " up to version " + f.version();
            case Event.BucketCreated b -> "bucketCreated " + b.name();
            case Event.BucketDeleted b -> "bucketDeleted " + b.name();
        };
    }

    /** Shard indices as ranges: {@code 0-3, 7, 9-12}. */
    static String ranges(List<Integer> shards) {
        List<Integer> sorted = shards.stream().sorted().toList();
        List<String> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            int j = i;
            while (j + 1 < sorted.size() && sorted.get(j + 1) == sorted.get(j) + 1) {
                j++;
            }
            out.add(i == j ? String.valueOf(sorted.get(i)) : sorted.get(i) + "-" + sorted.get(j));
            i = j;
        }
        return String.join(", ", out);
    }

    private static void table(List<String[]> rows, PrintWriter out) {
        int[] widths = new int[rows.getFirst().length];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder(" ");
            for (int i = 0; i < row.length; i++) {
                line.append(' ').append(i == row.length - 1 ? row[i] : String.format("%-" + widths[i] + "s ", row[i]));
            }
            out.println(line.toString().stripTrailing());
        }
    }

    private static String orDash(Object value) {
        return value == null ? "-" : String.valueOf(value);
    }

    static String bytes(Long n) {
        if (n == null) {
            return "-";
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = n;
        int unit = 0;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return unit == 0 ? n + " B" : String.format("%.1f %s", value, units[unit]);
    }

    private static String uptime(Long seconds) {
        if (seconds == null) {
            return "-";
        }
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min";
        }
        return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
}
