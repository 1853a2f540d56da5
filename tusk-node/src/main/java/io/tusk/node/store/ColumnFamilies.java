package io.tusk.node.store;

import io.tusk.core.encoding.SliverType;

import java.util.List;
import java.util.OptionalInt;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Every RocksDB column-family name the node uses, as Walrus names them ({@code node/storage/constants.rs}). */
public final class ColumnFamilies {
    /** Verified metadata, once per node, keyed by blob ID; the value is BCS {@code BlobMetadata}. */
    public static final String METADATA = "metadata";
    /** {@link BlobInfo} per blob ID. */
    public static final String BLOB_INFO = "blob_info";
    /** Node-level state: committee view, node status. */
    public static final String NODE_STATUS = "node_status";
    /** The control-plane event cursor under the key {@code cursor}. */
    public static final String EVENT_CURSOR = "event_cursor";

    /** Blobs whose slivers this node must rebuild (recovery), keyed by blob ID; the value is Tusk's own. */
    public static final String PENDING_RECOVERY = "pending_recovery";

    /** Global families, besides RocksDB's default one. */
    public static final List<String> GLOBAL = List.of(METADATA, BLOB_INFO, NODE_STATUS, EVENT_CURSOR,
            PENDING_RECOVERY);

    private static final Pattern SHARD = Pattern.compile("shard-(\\d+)/(primary|secondary)-slivers");

    private ColumnFamilies() {
    }

    /** {@code shard-{i}/primary-slivers} or {@code shard-{i}/secondary-slivers}: slivers of shard i, keyed by blob ID. */
    public static String slivers(int shard, SliverType type) {
        return "shard-" + shard + "/" + type.wireName() + "-slivers";
    }

    /** The shard a sliver family belongs to, or empty for any other name. */
    public static OptionalInt shardOf(String name) {
        Matcher m = SHARD.matcher(name);
        return m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }
}
