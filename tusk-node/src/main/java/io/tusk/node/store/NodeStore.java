package io.tusk.node.store;

import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadata;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's RocksDB database: global column families for metadata, blob info, node status and the event cursor,
 * and two per shard for primary and secondary slivers keyed by the 32 blob-ID bytes (so a shard's slivers scan in
 * blob-ID order, as shard sync needs). Values are the Walrus BCS forms the REST API serves, so reads copy no more
 * than RocksDB does.
 *
 * <p>Thread-safe. Writes that must go together use one {@link Batch}. Shard families are created on demand by
 * {@link #ensureShards} and are kept (with their data) when the node loses the shard.
 */
public final class NodeStore implements AutoCloseable {
    private static final byte[] CURSOR_KEY = "cursor".getBytes(StandardCharsets.UTF_8);

    static {
        RocksDB.loadLibrary();
    }

    private final Path directory;
    private final StoreOptions options;
    private final DBOptions dbOptions;
    private final ColumnFamilyOptions familyOptions;
    private final ColumnFamilyOptions sliverFamilyOptions;
    /** Slivers at least this large go to blob files; the tiny slivers of small blobs stay in the SST files. */
    private static final long SLIVER_IN_BLOB_FILE_BYTES = 4096;
    private final LRUCache cache;
    private final RocksDB db;
    private final WriteOptions syncedWrites;
    private final WriteOptions dataWrites;
    private final List<ColumnFamilyHandle> allHandles = new ArrayList<>();
    private final ColumnFamilyHandle metadata;
    private final ColumnFamilyHandle blobInfo;
    private final ColumnFamilyHandle nodeStatus;
    private final ColumnFamilyHandle eventCursor;
    private final ColumnFamilyHandle pendingRecovery;
    /** INV: holds both handles of every shard family that exists in the database. */
    private final Map<Integer, ShardFamilies> shards = new ConcurrentHashMap<>();

    private record ShardFamilies(ColumnFamilyHandle primary, ColumnFamilyHandle secondary) {
        ColumnFamilyHandle of(SliverType type) {
            return type == SliverType.PRIMARY ? primary : secondary;
        }
    }

    private NodeStore(Path directory, StoreOptions options) throws RocksDBException {
        this.directory = directory;
        this.options = options;
        this.cache = new LRUCache(Math.max(options.blockCacheBytes(), 1 << 20));
        // Slivers are erasure-coded, hashes are random: nothing here compresses, so compressing only burns the CPU
        // that verifying and encoding need (a 128 MiB blob puts about 590 MB of slivers on the nodes).
        this.familyOptions = new ColumnFamilyOptions()
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache))
                .setCompressionType(org.rocksdb.CompressionType.NO_COMPRESSION)
                .setBottommostCompressionType(org.rocksdb.CompressionType.NO_COMPRESSION);
        // Slivers are large values written once and read rarely: in SST files every compaction would copy them
        // again, so they go to blob files at flush (as Walrus's nodes keep them) and compactions move only keys.
        this.sliverFamilyOptions = new ColumnFamilyOptions()
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache))
                .setCompressionType(org.rocksdb.CompressionType.NO_COMPRESSION)
                .setBottommostCompressionType(org.rocksdb.CompressionType.NO_COMPRESSION)
                .setEnableBlobFiles(true)
                .setMinBlobSize(SLIVER_IN_BLOB_FILE_BYTES)
                .setBlobFileSize(256L << 20)
                .setBlobCompressionType(org.rocksdb.CompressionType.NO_COMPRESSION)
                // No relocation in ordinary compactions: slivers are never overwritten, only dropped by garbage
                // collection, which forces it (compactReclaimingBlobFiles). With it on, compactions copied live
                // slivers of the oldest blob files again and again during every large upload.
                .setEnableBlobGarbageCollection(false);
        // One memory budget for all memtables of the node (about 100 families), so that memory stays bounded
        // however many shards it holds; the WAL is kept short so that its files are recycled.
        this.dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(Math.max(2, Runtime.getRuntime().availableProcessors()))
                .setDbWriteBufferSize(options.writeBufferBytes())
                .setMaxTotalWalSize(2 * options.writeBufferBytes())
                // Flushes and compactions bypass the page cache where the file system allows it (tmpfs does not):
                // copying every flushed sliver through the kernel cost more CPU than the rest of the flush.
                .setUseDirectIoForFlushAndCompaction(supportsDirectIo(directory));
        List<String> names = new ArrayList<>();
        names.add(new String(RocksDB.DEFAULT_COLUMN_FAMILY, StandardCharsets.UTF_8));
        names.addAll(ColumnFamilies.GLOBAL);
        if (Files.exists(directory.resolve("CURRENT"))) {
            try (Options listOptions = new Options()) {
                for (byte[] existing : RocksDB.listColumnFamilies(listOptions, directory.toString())) {
                    String name = new String(existing, StandardCharsets.UTF_8);
                    if (!names.contains(name)) {
                        names.add(name);
                    }
                }
            }
        }
        List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
        for (String name : names) {
            descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), optionsOf(name)));
        }
        List<ColumnFamilyHandle> handles = new ArrayList<>();
        this.db = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
        allHandles.addAll(handles);
        Map<String, ColumnFamilyHandle> byName = new java.util.HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            byName.put(names.get(i), handles.get(i));
        }
        this.metadata = byName.get(ColumnFamilies.METADATA);
        this.blobInfo = byName.get(ColumnFamilies.BLOB_INFO);
        this.nodeStatus = byName.get(ColumnFamilies.NODE_STATUS);
        this.eventCursor = byName.get(ColumnFamilies.EVENT_CURSOR);
        this.pendingRecovery = byName.get(ColumnFamilies.PENDING_RECOVERY);
        Set<Integer> shardIndices = new TreeSet<>();
        for (String name : names) {
            ColumnFamilies.shardOf(name).ifPresent(shardIndices::add);
        }
        for (int shard : shardIndices) {
            ColumnFamilyHandle p = byName.get(ColumnFamilies.slivers(shard, SliverType.PRIMARY));
            ColumnFamilyHandle s = byName.get(ColumnFamilies.slivers(shard, SliverType.SECONDARY));
            if (p == null) {
                p = createFamily(ColumnFamilies.slivers(shard, SliverType.PRIMARY));
            }
            if (s == null) {
                s = createFamily(ColumnFamilies.slivers(shard, SliverType.SECONDARY));
            }
            shards.put(shard, new ShardFamilies(p, s));
        }
        this.syncedWrites = new WriteOptions().setSync(true);
        this.dataWrites = new WriteOptions().setSync(options.syncDataWrites());
    }

    /** Whether files in {@code directory} can be opened with O_DIRECT. */
    private static boolean supportsDirectIo(Path directory) {
        Path probe = directory.resolve(".direct-io-probe");
        try (var channel = java.nio.channels.FileChannel.open(probe, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE, com.sun.nio.file.ExtendedOpenOption.DIRECT)) {
            return true;
        } catch (java.io.IOException | UnsupportedOperationException e) {
            return false;
        } finally {
            try {
                Files.deleteIfExists(probe);
            } catch (java.io.IOException ignored) {
                // a leftover probe file is harmless
            }
        }
    }

    /**
     * Opens (creating if needed) the database in {@code directory}, with every column family it already has.
     *
     * @throws StoreException if RocksDB cannot open it (another process holds the lock, corruption, I/O)
     */
    public static NodeStore open(Path directory, StoreOptions options) {
        try {
            Files.createDirectories(directory);
            return new NodeStore(directory, options);
        } catch (RocksDBException | java.io.IOException e) {
            throw new StoreException("cannot open the node store in " + directory + ": " + e.getMessage(), e);
        }
    }

    public Path directory() {
        return directory;
    }

    public StoreOptions options() {
        return options;
    }

    private ColumnFamilyOptions optionsOf(String familyName) {
        return ColumnFamilies.shardOf(familyName).isPresent() ? sliverFamilyOptions : familyOptions;
    }

    private ColumnFamilyHandle createFamily(String name) throws RocksDBException {
        ColumnFamilyHandle handle = db.createColumnFamily(
                new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), optionsOf(name)));
        synchronized (allHandles) {
            allHandles.add(handle);
        }
        return handle;
    }

    /** Creates the sliver families of these shards if they do not exist yet. */
    public synchronized void ensureShards(Collection<Integer> shardIndices) {
        for (int shard : shardIndices) {
            if (shards.containsKey(shard)) {
                continue;
            }
            try {
                ColumnFamilyHandle p = createFamily(ColumnFamilies.slivers(shard, SliverType.PRIMARY));
                ColumnFamilyHandle s = createFamily(ColumnFamilies.slivers(shard, SliverType.SECONDARY));
                shards.put(shard, new ShardFamilies(p, s));
            } catch (RocksDBException e) {
                throw new StoreException("cannot create the column families of shard " + shard, e);
            }
        }
    }

    /** The shards whose sliver families exist, ascending. */
    public Set<Integer> storedShards() {
        return new TreeSet<>(shards.keySet());
    }

    // ---- reads ----

    public Optional<BlobMetadata> metadata(BlobId blobId) {
        byte[] value = get(metadata, blobId.bytes());
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(BlobMetadata.fromBcs(value));
        } catch (RuntimeException e) {
            throw new StoreException("stored metadata of blob " + blobId + " does not parse: " + e.getMessage(), e);
        }
    }

    public boolean hasMetadata(BlobId blobId) {
        return exists(metadata, blobId.bytes());
    }

    public Optional<BlobInfo> blobInfo(BlobId blobId) {
        byte[] value = get(blobInfo, blobId.bytes());
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(BlobInfo.fromBcs(value));
        } catch (RuntimeException e) {
            throw new StoreException("stored blob info of " + blobId + " does not parse: " + e.getMessage(), e);
        }
    }

    /** The stored BCS {@code SliverData}, or empty if this shard has no such sliver (or the shard is unknown). */
    public Optional<byte[]> sliver(int shard, SliverType type, BlobId blobId) {
        ShardFamilies families = shards.get(shard);
        if (families == null) {
            return Optional.empty();
        }
        return Optional.ofNullable(get(families.of(type), blobId.bytes()));
    }

    public boolean hasSliver(int shard, SliverType type, BlobId blobId) {
        ShardFamilies families = shards.get(shard);
        return families != null && exists(families.of(type), blobId.bytes());
    }

    /** The next event cursor to read (0 on a new node). */
    public long eventCursor() {
        byte[] value = get(eventCursor, CURSOR_KEY);
        return value == null ? 0 : ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }

    public Optional<byte[]> nodeStatus(String key) {
        return Optional.ofNullable(get(nodeStatus, key.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Up to {@code limit} slivers of one shard and axis in ascending blob-ID order, starting at {@code from}
     * (inclusive): what shard sync serves.
     */
    public List<Map.Entry<BlobId, byte[]>> scanSlivers(int shard, SliverType type, BlobId from, int limit) {
        ShardFamilies families = shards.get(shard);
        List<Map.Entry<BlobId, byte[]>> out = new ArrayList<>();
        if (families == null) {
            return out;
        }
        try (RocksIterator it = db.newIterator(families.of(type))) {
            for (it.seek(from.bytes()); it.isValid() && out.size() < limit; it.next()) {
                out.add(new AbstractMap.SimpleImmutableEntry<>(BlobId.of(it.key()), it.value()));
            }
            it.status();
        } catch (RocksDBException e) {
            throw new StoreException("cannot scan " + ColumnFamilies.slivers(shard, type), e);
        }
        return out;
    }

    /** Every blob ID with stored metadata; for tests and small maintenance jobs. */
    public List<BlobId> metadataBlobIds() {
        List<BlobId> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(metadata)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.add(BlobId.of(it.key()));
            }
        }
        return out;
    }

    /** Every blob ID with blob info, in blob-ID order: what garbage collection walks at an epoch start. */
    public List<BlobId> blobInfoIds() {
        List<BlobId> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(blobInfo)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.add(BlobId.of(it.key()));
            }
        }
        return out;
    }

    /** Up to {@code limit} blob infos in ascending blob-ID order from {@code from} (inclusive): the recovery scan. */
    public List<Map.Entry<BlobId, BlobInfo>> scanBlobInfo(BlobId from, int limit) {
        List<Map.Entry<BlobId, BlobInfo>> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(blobInfo)) {
            for (it.seek(from.bytes()); it.isValid() && out.size() < limit; it.next()) {
                out.add(new AbstractMap.SimpleImmutableEntry<>(BlobId.of(it.key()), BlobInfo.fromBcs(it.value())));
            }
            it.status();
        } catch (RocksDBException e) {
            throw new StoreException("cannot scan " + ColumnFamilies.BLOB_INFO, e);
        }
        return out;
    }

    /**
     * Drops every sliver of a shard the node no longer holds: one range delete per family (cheap, whatever the number
     * of slivers), then a compaction of the range so the space is reclaimed. The (empty) families stay.
     */
    public void dropShardData(int shard) {
        ShardFamilies families = shards.get(shard);
        if (families == null) {
            return;
        }
        byte[] from = new byte[BlobId.LENGTH];
        byte[] to = new byte[BlobId.LENGTH + 1]; // after every 32-byte key
        java.util.Arrays.fill(to, (byte) 0xFF);
        try {
            for (ColumnFamilyHandle family : List.of(families.primary(), families.secondary())) {
                db.deleteRange(family, syncedWrites, from, to);
                try (org.rocksdb.FlushOptions flush = new org.rocksdb.FlushOptions().setWaitForFlush(true);
                     org.rocksdb.CompactRangeOptions compact = new org.rocksdb.CompactRangeOptions()
                             .setBottommostLevelCompaction(
                                     org.rocksdb.CompactRangeOptions.BottommostLevelCompaction.kForce)) {
                    db.flush(flush, family);
                    compactReclaimingBlobFiles(family, compact);
                }
            }
        } catch (RocksDBException e) {
            throw new StoreException("cannot drop the slivers of shard " + shard + ": " + e.getMessage(), e);
        }
    }

    /**
     * A full compaction of {@code family}. For sliver families it also rewrites every blob file that still holds a live
     * sliver (blob garbage collection with age cut-off 1.0, for this compaction only): otherwise a blob file keeps the
     * space of its deleted slivers until all of them are gone. Ordinary compactions relocate nothing.
     */
    private void compactReclaimingBlobFiles(ColumnFamilyHandle family, org.rocksdb.CompactRangeOptions compact)
            throws RocksDBException {
        boolean slivers = !List.of(metadata, blobInfo, nodeStatus, eventCursor, pendingRecovery).contains(family);
        if (!slivers) {
            db.compactRange(family, null, null, compact);
            return;
        }
        db.setOptions(family, org.rocksdb.MutableColumnFamilyOptions.builder()
                .setEnableBlobGarbageCollection(true).setBlobGarbageCollectionAgeCutoff(1.0).build());
        try {
            db.compactRange(family, null, null, compact);
        } finally {
            db.setOptions(family, org.rocksdb.MutableColumnFamilyOptions.builder()
                    .setEnableBlobGarbageCollection(false).build());
        }
    }

    /** Compacts the metadata, blob info and every shard family: reclaims the space of deleted blobs. */
    public void compactAll() {
        List<ColumnFamilyHandle> families = new ArrayList<>(List.of(metadata, blobInfo));
        for (ShardFamilies f : shards.values()) {
            families.add(f.primary());
            families.add(f.secondary());
        }
        try (org.rocksdb.FlushOptions flush = new org.rocksdb.FlushOptions().setWaitForFlush(true);
             org.rocksdb.CompactRangeOptions compact = new org.rocksdb.CompactRangeOptions()
                     .setBottommostLevelCompaction(org.rocksdb.CompactRangeOptions.BottommostLevelCompaction.kForce)) {
            for (ColumnFamilyHandle family : families) {
                db.flush(flush, family); // deletes still in the memtable must reach the files they shadow
                compactReclaimingBlobFiles(family, compact);
            }
        } catch (RocksDBException e) {
            throw new StoreException("compaction failed: " + e.getMessage(), e);
        }
    }

    /**
     * Bytes of a shard's slivers on disk (both axes): its memtables are flushed first, then the live SST and blob
     * files are counted. For operators and tests (it forces a flush); 0 for an unknown shard.
     */
    public long shardDataBytes(int shard) {
        ShardFamilies families = shards.get(shard);
        if (families == null) {
            return 0;
        }
        long total = 0;
        try (org.rocksdb.FlushOptions flush = new org.rocksdb.FlushOptions().setWaitForFlush(true)) {
            for (ColumnFamilyHandle family : List.of(families.primary(), families.secondary())) {
                db.flush(flush, family);
                total += db.getLongProperty(family, "rocksdb.live-sst-files-size")
                        + db.getLongProperty(family, "rocksdb.live-blob-file-size");
            }
        } catch (RocksDBException e) {
            throw new StoreException("cannot read the size of shard " + shard + ": " + e.getMessage(), e);
        }
        return total;
    }

    /**
     * A RocksDB integer property summed over every column family ({@code rocksdb.live-sst-files-size},
     * {@code rocksdb.cur-size-all-mem-tables}, ...), without flushing: for metrics.
     */
    public long aggregatedProperty(String name) {
        try {
            return db.getAggregatedLongProperty(name);
        } catch (RocksDBException e) {
            throw new StoreException("cannot read the RocksDB property " + name + ": " + e.getMessage(), e);
        }
    }

    /** A database-wide RocksDB integer property ({@code rocksdb.is-write-stopped}, ...): for metrics. */
    public long property(String name) {
        try {
            return db.getLongProperty(name);
        } catch (RocksDBException e) {
            throw new StoreException("cannot read the RocksDB property " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * One figure of the {@code rocksdb.dbstats} map since the database opened ({@code db.user_write_stall_micros},
     * ...), or 0 if this RocksDB does not report it.
     */
    public double dbStat(String key) {
        try {
            String value = db.getMapProperty("rocksdb.dbstats").get(key);
            return value == null ? 0 : Double.parseDouble(value);
        } catch (RocksDBException | NumberFormatException e) {
            throw new StoreException("cannot read rocksdb.dbstats " + key + ": " + e.getMessage(), e);
        }
    }

    /**
     * RocksDB's estimate of the slivers of one type in all shard families (deleted ones count until compaction
     * drops them): cheap, for metrics.
     */
    public long estimatedSliverCount(SliverType type) {
        long total = 0;
        try {
            for (ShardFamilies families : shards.values()) {
                total += db.getLongProperty(families.of(type), "rocksdb.estimate-num-keys");
            }
        } catch (RocksDBException e) {
            throw new StoreException("cannot estimate the sliver count: " + e.getMessage(), e);
        }
        return total;
    }

    /** RocksDB's estimate of the blobs with stored metadata; cheap, for metrics. */
    public long estimatedMetadataCount() {
        try {
            return db.getLongProperty(metadata, "rocksdb.estimate-num-keys");
        } catch (RocksDBException e) {
            throw new StoreException("cannot estimate the metadata count: " + e.getMessage(), e);
        }
    }

    /**
     * Writes a consistent copy of the whole database to {@code target}, which must not exist, while the store keeps
     * serving: RocksDB flushes the memtables and hard-links the immutable SST and blob files (copying them only
     * across file systems), so a checkpoint costs little until the live database moves on. Open the copy as a
     * node's {@code dataDir} to restore it.
     */
    public void checkpoint(Path target) {
        try (org.rocksdb.Checkpoint checkpoint = org.rocksdb.Checkpoint.create(db)) {
            checkpoint.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new StoreException("cannot write a checkpoint to " + target + ": " + e.getMessage(), e);
        }
    }

    /** Whether the shard holds any sliver. */
    public boolean hasShardData(int shard) {
        BlobId first = BlobId.of(new byte[BlobId.LENGTH]);
        return !scanSlivers(shard, SliverType.PRIMARY, first, 1).isEmpty()
                || !scanSlivers(shard, SliverType.SECONDARY, first, 1).isEmpty();
    }

    /** Every entry of {@code pending_recovery}: blob ID and the value stored with it. */
    public List<Map.Entry<BlobId, byte[]>> pendingRecoveries() {
        List<Map.Entry<BlobId, byte[]>> out = new ArrayList<>();
        try (RocksIterator it = db.newIterator(pendingRecovery)) {
            for (it.seekToFirst(); it.isValid(); it.next()) {
                out.add(new AbstractMap.SimpleImmutableEntry<>(BlobId.of(it.key()), it.value()));
            }
            it.status();
        } catch (RocksDBException e) {
            throw new StoreException("cannot scan " + ColumnFamilies.PENDING_RECOVERY, e);
        }
        return out;
    }

    public boolean isPendingRecovery(BlobId blobId) {
        return exists(pendingRecovery, blobId.bytes());
    }

    private byte[] get(ColumnFamilyHandle family, byte[] key) {
        try {
            return db.get(family, key);
        } catch (RocksDBException e) {
            throw new StoreException("RocksDB read failed: " + e.getMessage(), e);
        }
    }

    private static final byte[] NO_VALUE = new byte[0];

    private boolean exists(ColumnFamilyHandle family, byte[] key) {
        if (!db.keyMayExist(family, key, null)) {
            return false;
        }
        try {
            // Into an empty buffer: RocksDB reports the value's size without copying a sliver onto the heap.
            return db.get(family, key, NO_VALUE) != RocksDB.NOT_FOUND;
        } catch (RocksDBException e) {
            throw new StoreException("RocksDB read failed: " + e.getMessage(), e);
        }
    }

    // ---- writes ----

    /** Starts an atomic write; nothing is visible until {@link Batch#commit()}. */
    public Batch batch() {
        return new Batch();
    }

    /** An atomic group of writes. Not thread-safe; use once. */
    public final class Batch implements AutoCloseable {
        private final WriteBatch batch = new WriteBatch();
        private boolean needsSync;

        private Batch() {
        }

        public Batch putMetadata(BlobId blobId, BlobMetadata value) {
            return put(metadata, blobId.bytes(), value.toBcs());
        }

        public Batch putSliver(int shard, SliverType type, BlobId blobId, byte[] sliverBcs) {
            ShardFamilies families = shards.get(shard);
            if (families == null) {
                throw new IllegalStateException("shard " + shard + " has no column families; call ensureShards first");
            }
            return put(families.of(type), blobId.bytes(), sliverBcs);
        }

        /** Writes blob info (synced); an {@linkplain BlobInfo#isEmpty() empty} one deletes the entry. */
        public Batch putBlobInfo(BlobId blobId, BlobInfo info) {
            needsSync = true;
            if (info.isEmpty()) {
                return delete(blobInfo, blobId.bytes());
            }
            return put(blobInfo, blobId.bytes(), info.toBcs());
        }

        public Batch setEventCursor(long next) {
            needsSync = true;
            byte[] value = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.LITTLE_ENDIAN).putLong(next).array();
            return put(eventCursor, CURSOR_KEY, value);
        }

        public Batch putNodeStatus(String key, byte[] value) {
            needsSync = true;
            return put(nodeStatus, key.getBytes(StandardCharsets.UTF_8), value);
        }

        /** Records that the node must rebuild slivers of this blob (synced, so a restart resumes). */
        public Batch putPendingRecovery(BlobId blobId, byte[] value) {
            needsSync = true;
            return put(pendingRecovery, blobId.bytes(), value);
        }

        public Batch deletePendingRecovery(BlobId blobId) {
            needsSync = true;
            return delete(pendingRecovery, blobId.bytes());
        }

        /** Deletes one sliver. */
        public Batch deleteSliver(int shard, SliverType type, BlobId blobId) {
            ShardFamilies families = shards.get(shard);
            return families == null ? this : delete(families.of(type), blobId.bytes());
        }

        /** Deletes the metadata and every sliver of the blob in every shard family. */
        public Batch deleteBlobData(BlobId blobId) {
            delete(metadata, blobId.bytes());
            delete(pendingRecovery, blobId.bytes());
            for (ShardFamilies families : shards.values()) {
                delete(families.primary(), blobId.bytes());
                delete(families.secondary(), blobId.bytes());
            }
            return this;
        }

        private Batch put(ColumnFamilyHandle family, byte[] key, byte[] value) {
            try {
                batch.put(family, key, value);
            } catch (RocksDBException e) {
                throw new StoreException("cannot add a write to the batch: " + e.getMessage(), e);
            }
            return this;
        }

        private Batch delete(ColumnFamilyHandle family, byte[] key) {
            try {
                batch.delete(family, key);
            } catch (RocksDBException e) {
                throw new StoreException("cannot add a delete to the batch: " + e.getMessage(), e);
            }
            return this;
        }

        public int count() {
            return batch.count();
        }

        /** Applies every write atomically; syncs the WAL if the batch touches blob info, the cursor or node status. */
        public void commit() {
            try {
                db.write(needsSync ? syncedWrites : dataWrites, batch);
            } catch (RocksDBException e) {
                throw new StoreException("RocksDB write failed: " + e.getMessage(), e);
            } finally {
                batch.close();
            }
        }

        @Override
        public void close() {
            batch.close();
        }
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        try {
            db.syncWal();
        } catch (RocksDBException e) {
            failure = new StoreException("WAL sync on close failed", e);
        }
        synchronized (allHandles) {
            for (ColumnFamilyHandle handle : allHandles) {
                handle.close();
            }
        }
        try {
            db.closeE();
        } catch (RocksDBException e) {
            StoreException closeFailure = new StoreException("RocksDB close failed", e);
            if (failure != null) {
                closeFailure.addSuppressed(failure);
            }
            failure = closeFailure;
        }
        syncedWrites.close();
        dataWrites.close();
        dbOptions.close();
        familyOptions.close();
        sliverFamilyOptions.close();
        cache.close();
        if (failure != null) {
            throw failure;
        }
    }
}
