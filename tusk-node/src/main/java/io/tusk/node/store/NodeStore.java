package io.tusk.node.store;

import io.tusk.core.encoding.SliverType;
import io.tusk.core.failpoint.FailPoints;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadata;
import io.tusk.http.BackgroundLoop;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The node's RocksDB database: global column families for metadata, blob info, node status and the event cursor,
 * and two per shard for primary and secondary slivers keyed by the 32 blob-ID bytes (so a shard's slivers scan in
 * blob-ID order, as shard sync needs). Values are the Walrus BCS forms the REST API serves, so reads copy no more
 * than RocksDB does.
 *
 * <p>Thread-safe. Writes that must go together use one {@link Batch}. Shard families are created on demand by
 * {@link #ensureShards} and are kept (with their data) when the node loses the shard.
 *
 * <p>Corruption: slivers and metadata can be rebuilt from the other nodes, so a sliver or metadata entry that fails
 * RocksDB's checksum (a flipped bit in a {@code *.blob} or {@code *.sst} file) is treated as missing: it is logged,
 * counted in {@link #health()}, deleted, and the {@link CorruptionListener} (recovery) is told. The family it was in
 * then has its SST files checked in the background, and a sliver or metadata family with a corrupt SST file is dropped
 * and created empty (RocksDB would otherwise stop all writes at the first compaction that reads the bad block), for
 * recovery to refill. The same check runs on open ({@link StoreOptions#verifyFilesOnOpen}); a store that does not open
 * because of such a file is opened once without RocksDB's paranoid checks to drop it. A corrupt file in a family that
 * cannot be rebuilt from other nodes (blob info, event cursor, node status, pending recoveries) makes {@link #open}
 * fail with the file named: the node stays down with that reason.
 *
 * <p>Fail points: {@code node.store-write} (every batch commit), {@code node.store-read} (every point read).
 */
public final class NodeStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeStore.class);
    private static final byte[] CURSOR_KEY = "cursor".getBytes(StandardCharsets.UTF_8);
    /** A tiny node-status entry written to find out whether writes work again after a failure. */
    private static final String WRITE_PROBE_KEY = "write-probe";
    private static final long WRITE_PROBE_MILLIS = 2_000;

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
    /** Replaced when the metadata family is recreated after corruption. */
    private volatile ColumnFamilyHandle metadata;
    private final ColumnFamilyHandle blobInfo;
    private final ColumnFamilyHandle nodeStatus;
    private final ColumnFamilyHandle eventCursor;
    private final ColumnFamilyHandle pendingRecovery;
    /** INV: holds both handles of every shard family that exists in the database. */
    private final Map<Integer, ShardFamilies> shards = new ConcurrentHashMap<>();
    private final StoreHealth health = new StoreHealth();
    private volatile CorruptionListener corruptionListener = CorruptionListener.NONE;
    /**
     * Family checks after corruption: a queue of one-off jobs (not a loop), one thread, off the request paths.
     */
    private final ExecutorService maintenance = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().name("tusk-node-store-maintenance").daemon(true).factory());
    private final Set<String> familyChecksQueued = ConcurrentHashMap.newKeySet();
    /** Probes writes every {@value #WRITE_PROBE_MILLIS} ms while they fail (a pass does nothing while they work). */
    private final BackgroundLoop writeProbe = BackgroundLoop.named("tusk-node-store-write-probe", this::probeWrite)
            .every(Duration.ofMillis(WRITE_PROBE_MILLIS)).firstPassAfter(Duration.ofMillis(WRITE_PROBE_MILLIS))
            .virtual().build();
    private final Object corruptionLock = new Object();
    private volatile boolean closed;
    /**
     * Held shared around every call into RocksDB and exclusively by {@link #close}: a thread still reading or writing
     * when the node stops (a recovery worker, a shard refresh, a request) finishes before the native handles are
     * freed, and a call after close is a {@link StoreException}, never a use of freed memory (a JVM crash).
     */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();

    private record ShardFamilies(ColumnFamilyHandle primary, ColumnFamilyHandle secondary) {
        ColumnFamilyHandle of(SliverType type) {
            return type == SliverType.PRIMARY ? primary : secondary;
        }
    }

    private NodeStore(Path directory, StoreOptions options, boolean paranoid) throws RocksDBException {
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
                // Off only to open a store that a corrupt SST file keeps closed, so that the file can be dropped.
                .setParanoidChecks(paranoid)
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

    /**
     * {@code com.sun.nio.file.ExtendedOpenOption.DIRECT}, looked up by name: it lives in {@code jdk.unsupported}, and
     * naming it in source draws javac's "internal proprietary API" warning, which no lint key silences (the build
     * treats warnings as errors).
     */
    private static java.nio.file.OpenOption directOpenOption() throws ReflectiveOperationException {
        Class<?> options = Class.forName("com.sun.nio.file.ExtendedOpenOption");
        return (java.nio.file.OpenOption) options.getField("DIRECT").get(null);
    }

    /** Whether files in {@code directory} can be opened with O_DIRECT. */
    private static boolean supportsDirectIo(Path directory) {
        Path probe = directory.resolve(".direct-io-probe");
        try (var channel = java.nio.channels.FileChannel.open(probe, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE, directOpenOption())) {
            return true;
        } catch (java.io.IOException | UnsupportedOperationException | ReflectiveOperationException e) {
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
     * Opens (creating if needed) the database in {@code directory}, with every column family it already has. Sliver
     * and metadata families with a corrupt SST file are dropped and created empty (see the class comment).
     *
     * @throws StoreException if RocksDB cannot open it (another process holds the lock, I/O, corruption that cannot be
     *                        repaired by dropping a family that other nodes can refill); the message says what to do
     */
    public static NodeStore open(Path directory, StoreOptions options) {
        try {
            Files.createDirectories(directory);
        } catch (java.io.IOException e) {
            throw new StoreException("cannot create the node store directory " + directory + ": " + e, e);
        }
        NodeStore store;
        try {
            store = new NodeStore(directory, options, true);
        } catch (RocksDBException e) {
            if (!SstFiles.isCorruption(e)) {
                throw new StoreException("cannot open the node store in " + directory + ": " + e.getMessage(), e);
            }
            LOG.error("the node store in {} does not open: {}; looking for corrupt SST files of families that other "
                    + "nodes can refill", directory, e.getMessage());
            store = openAfterDroppingCorruptFamilies(directory, options, e);
        }
        if (options.verifyFilesOnOpen()) {
            try {
                store.repairCorruptFiles();
            } catch (RuntimeException e) {
                store.close();
                throw e;
            }
        }
        store.writeProbe.start();
        return store;
    }

    /** Opens the store without paranoid checks, drops the families with corrupt SST files, and opens it again. */
    private static NodeStore openAfterDroppingCorruptFamilies(Path directory, StoreOptions options,
                                                              RocksDBException openFailure) {
        List<String> recreated;
        try (NodeStore lenient = new NodeStore(directory, options, false)) {
            recreated = lenient.repairCorruptFiles();
            if (recreated.isEmpty()) {
                throw unrepairable(directory, openFailure.getMessage(), openFailure);
            }
        } catch (RocksDBException e) {
            throw unrepairable(directory, openFailure.getMessage() + " (and without paranoid checks: " + e.getMessage()
                    + ")", openFailure);
        }
        NodeStore store;
        try {
            store = new NodeStore(directory, options, true);
        } catch (RocksDBException e) {
            throw unrepairable(directory, e.getMessage(), e);
        }
        recreated.forEach(family -> store.health.countFamilyRecreated());
        return store;
    }

    private static StoreException unrepairable(Path directory, String what, Throwable cause) {
        return new StoreException("the node store in " + directory + " is corrupt and cannot be repaired in place: "
                + what + ". The node stays down. To rebuild it from the control plane and the other nodes, move "
                + directory + " away and start the node again", cause);
    }

    /**
     * Checks every live SST file; drops and recreates each sliver or metadata family with a corrupt one (telling the
     * {@link CorruptionListener}), and returns their names.
     *
     * @throws StoreException naming the corrupt files of families that cannot be rebuilt from other nodes
     */
    synchronized List<String> repairCorruptFiles() {
        return repairCorruptFiles(name -> true);
    }

    private synchronized List<String> repairCorruptFiles(java.util.function.Predicate<String> families) {
        List<SstFiles.Corrupt> corrupt = SstFiles.verify(db, families);
        List<String> unrepairable = new ArrayList<>();
        Set<String> rebuildable = new TreeSet<>();
        for (SstFiles.Corrupt file : corrupt) {
            LOG.error("corrupt SST file {} in column family {}: {}", file.file(), file.family(), file.message());
            if (isRebuildable(file.family())) {
                rebuildable.add(file.family());
            } else {
                unrepairable.add(file.file() + " (" + file.family() + "): " + file.message());
            }
        }
        if (!unrepairable.isEmpty()) {
            throw unrepairable(directory, "corrupt files of families the node cannot rebuild from other nodes: "
                    + String.join("; ", unrepairable), null);
        }
        List<String> recreated = new ArrayList<>();
        for (String family : rebuildable) {
            try {
                recreateFamily(family);
            } catch (RocksDBException e) {
                throw new StoreException("cannot drop and recreate the corrupt column family " + family + ": "
                        + e.getMessage(), e);
            }
            health.countFamilyRecreated();
            recreated.add(family);
            LOG.error("dropped column family {} (a corrupt SST file) and created it empty: recovery refills it from the "
                    + "other nodes", family);
            corruptionListener.familyRecreated(family);
        }
        return recreated;
    }

    private static boolean isRebuildable(String family) {
        return family.equals(ColumnFamilies.METADATA) || ColumnFamilies.shardOf(family).isPresent();
    }

    /** Drops {@code family} with its data and creates it empty; readers holding the old handle see it dropped. */
    private void recreateFamily(String family) throws RocksDBException {
        Lock open = enter();
        try {
            ColumnFamilyHandle old = handleOf(family);
            db.dropColumnFamily(old);
            // The old handle stays open (in allHandles) until close: a concurrent reader may still hold it.
            ColumnFamilyHandle fresh = createFamily(family);
            if (family.equals(ColumnFamilies.METADATA)) {
                metadata = fresh;
                return;
            }
            int shard = ColumnFamilies.shardOf(family).orElseThrow();
            ShardFamilies families = shards.get(shard);
            boolean primary = family.equals(ColumnFamilies.slivers(shard, SliverType.PRIMARY));
            shards.put(shard, primary ? new ShardFamilies(fresh, families.secondary())
                    : new ShardFamilies(families.primary(), fresh));
        } finally {
            open.unlock();
        }
    }

    private ColumnFamilyHandle handleOf(String family) {
        if (family.equals(ColumnFamilies.METADATA)) {
            return metadata;
        }
        int shard = ColumnFamilies.shardOf(family)
                .orElseThrow(() -> new IllegalArgumentException("not a rebuildable family: " + family));
        ShardFamilies families = shards.get(shard);
        if (families == null) {
            throw new IllegalStateException("no column families for shard " + shard);
        }
        return family.equals(ColumnFamilies.slivers(shard, SliverType.PRIMARY)) ? families.primary()
                : families.secondary();
    }

    /** Sets who is told about dropped corrupt data (recovery); set once, before the node serves. */
    public void setCorruptionListener(CorruptionListener listener) {
        this.corruptionListener = listener == null ? CorruptionListener.NONE : listener;
    }

    /** Corruption found and writes failing: what health and metrics report. */
    public StoreHealth health() {
        return health;
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
        Lock open = enter();
        try {
            ColumnFamilyHandle handle = db.createColumnFamily(
                    new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), optionsOf(name)));
            synchronized (allHandles) {
                allHandles.add(handle);
            }
            return handle;
        } finally {
            open.unlock();
        }
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

    /** The stored metadata; empty if there is none, or if it failed RocksDB's checksum (it is then dropped). */
    public Optional<BlobMetadata> metadata(BlobId blobId) {
        ColumnFamilyHandle family = metadata;
        byte[] value;
        try {
            value = getOrThrow(family, blobId.bytes());
        } catch (RocksDBException e) {
            if (!SstFiles.isCorruption(e)) {
                throw readFailed(e);
            }
            dropCorruptMetadata(family, blobId, e);
            return Optional.empty();
        }
        if (value == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(BlobMetadata.fromBcs(value));
        } catch (RuntimeException e) {
            throw new StoreException("stored metadata of blob " + blobId + " does not parse: " + e.getMessage(), e);
        }
    }

    /** Whether metadata is stored (false for metadata that failed RocksDB's checksum, which is then dropped). */
    public boolean hasMetadata(BlobId blobId) {
        ColumnFamilyHandle family = metadata;
        try {
            return existsOrThrow(family, blobId.bytes());
        } catch (RocksDBException e) {
            if (!SstFiles.isCorruption(e)) {
                throw readFailed(e);
            }
            dropCorruptMetadata(family, blobId, e);
            return false;
        }
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

    /**
     * The stored BCS {@code SliverData}, or empty if this shard has no such sliver (or the shard is unknown), or if the
     * sliver failed RocksDB's checksum (it is then dropped for recovery).
     */
    public Optional<byte[]> sliver(int shard, SliverType type, BlobId blobId) {
        ShardFamilies families = shards.get(shard);
        if (families == null) {
            return Optional.empty();
        }
        ColumnFamilyHandle family = families.of(type);
        try {
            return Optional.ofNullable(getOrThrow(family, blobId.bytes()));
        } catch (RocksDBException e) {
            if (!SstFiles.isCorruption(e)) {
                throw readFailed(e);
            }
            dropCorruptSliver(family, shard, type, blobId, e);
            return Optional.empty();
        }
    }

    /** Whether the sliver is stored (false for one that failed RocksDB's checksum, which is then dropped). */
    public boolean hasSliver(int shard, SliverType type, BlobId blobId) {
        ShardFamilies families = shards.get(shard);
        if (families == null) {
            return false;
        }
        ColumnFamilyHandle family = families.of(type);
        try {
            return existsOrThrow(family, blobId.bytes());
        } catch (RocksDBException e) {
            if (!SstFiles.isCorruption(e)) {
                throw readFailed(e);
            }
            dropCorruptSliver(family, shard, type, blobId, e);
            return false;
        }
    }

    // ---- corruption ----

    private void dropCorruptSliver(ColumnFamilyHandle family, int shard, SliverType type, BlobId blobId,
                                   RocksDBException e) {
        String name = ColumnFamilies.slivers(shard, type);
        dropCorrupt(family, name, blobId, () -> {
            LOG.warn("corrupt sliver dropped for recovery blobId={} family={}: {}", blobId, name, e.getMessage());
            health.countCorruptSliver();
        });
    }

    private void dropCorruptMetadata(ColumnFamilyHandle family, BlobId blobId, RocksDBException e) {
        dropCorrupt(family, ColumnFamilies.METADATA, blobId, () -> {
            LOG.warn("corrupt metadata dropped for recovery blobId={}: {}", blobId, e.getMessage());
            health.countCorruptMetadata();
        });
    }

    /**
     * Deletes the corrupt entry (a tombstone shadows the bad bytes; no read of them), reports it once (two readers
     * meeting the same corrupt entry count it once: the second finds it gone), tells recovery, and has the family's
     * SST files checked: the bad bytes may be in an SST block that compactions would stumble on.
     */
    private void dropCorrupt(ColumnFamilyHandle family, String name, BlobId blobId, Runnable report) {
        Lock open = enter();
        try {
            synchronized (corruptionLock) {
                try {
                    db.get(family, blobId.bytes());
                    return; // deleted, or stored again, since this reader met the corruption
                } catch (RocksDBException stillBad) {
                    // the entry is still there and still unreadable (or the read fails otherwise): drop it
                }
                report.run();
                try {
                    db.delete(family, dataWrites, blobId.bytes());
                } catch (RocksDBException failed) {
                    LOG.warn("cannot delete the corrupt entry of blob {} in {}: {}", blobId, name, failed.getMessage());
                }
            }
            corruptionListener.blobDataDropped(blobId);
            checkFamilyLater(name);
        } finally {
            open.unlock();
        }
    }

    /** Queues an SST check of {@code family} (at most one queued per family). */
    private void checkFamilyLater(String family) {
        if (closed || !familyChecksQueued.add(family)) {
            return;
        }
        try {
            maintenance.execute(() -> {
                familyChecksQueued.remove(family);
                if (closed) {
                    return;
                }
                try {
                    repairCorruptFiles(family::equals);
                } catch (RuntimeException e) {
                    LOG.error("checking the SST files of {} failed: {}", family, e.getMessage(), e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException closing) {
            familyChecksQueued.remove(family);
        }
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
     * (inclusive): what shard sync serves. A sliver that fails RocksDB's checksum is dropped for recovery and skipped.
     */
    public List<Map.Entry<BlobId, byte[]>> scanSlivers(int shard, SliverType type, BlobId from, int limit) {
        Lock open = enter();
        try {
            ShardFamilies families = shards.get(shard);
            List<Map.Entry<BlobId, byte[]>> out = new ArrayList<>();
            if (families == null) {
                return out;
            }
            ColumnFamilyHandle family = families.of(type);
            BlobId start = from;
            while (start != null && out.size() < limit) {
                try (RocksIterator it = db.newIterator(family)) {
                    for (it.seek(start.bytes()); it.isValid() && out.size() < limit; it.next()) {
                        out.add(new AbstractMap.SimpleImmutableEntry<>(BlobId.of(it.key()), it.value()));
                    }
                    it.status();
                    return out;
                } catch (RocksDBException e) {
                    if (!SstFiles.isCorruption(e)) {
                        throw new StoreException("cannot scan " + ColumnFamilies.slivers(shard, type), e);
                    }
                    // The iterator stopped at the first entry after the last one returned: find that entry's key without
                    // checking values, drop it if its value is the corrupt one, and go on after it.
                    BlobId after = out.isEmpty() ? start : successor(out.getLast().getKey());
                    BlobId corrupt = after == null ? null : keyAtOrAfter(family, after);
                    if (corrupt == null || sliver(shard, type, corrupt).isPresent()) {
                        checkFamilyLater(ColumnFamilies.slivers(shard, type));
                        throw new StoreException("cannot scan " + ColumnFamilies.slivers(shard, type) + " past "
                                + after + ": " + e.getMessage(), e);
                    }
                    start = successor(corrupt); // sliver(...) found it corrupt and dropped it
                }
            }
            return out;
        } finally {
            open.unlock();
        }
    }

    /** The first key at or after {@code from}, read without checking checksums (only to locate a corrupt entry). */
    private BlobId keyAtOrAfter(ColumnFamilyHandle family, BlobId from) {
        Lock open = enter();
        try {
            try (ReadOptions unchecked = new ReadOptions().setVerifyChecksums(false);
                 RocksIterator it = db.newIterator(family, unchecked)) {
                it.seek(from.bytes());
                return it.isValid() && it.key().length == BlobId.LENGTH ? BlobId.of(it.key()) : null;
            }
        } finally {
            open.unlock();
        }
    }

    /** The next blob ID in byte order, or null after the last. */
    private static BlobId successor(BlobId id) {
        byte[] b = id.bytes().clone();
        for (int i = b.length - 1; i >= 0; i--) {
            if (++b[i] != 0) {
                return BlobId.of(b);
            }
        }
        return null;
    }

    /** Every blob ID with stored metadata; for tests and small maintenance jobs. */
    public List<BlobId> metadataBlobIds() {
        Lock open = enter();
        try {
            List<BlobId> out = new ArrayList<>();
            try (RocksIterator it = db.newIterator(metadata)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    out.add(BlobId.of(it.key()));
                }
            }
            return out;
        } finally {
            open.unlock();
        }
    }

    /** Every blob ID with blob info, in blob-ID order: what garbage collection walks at an epoch start. */
    public List<BlobId> blobInfoIds() {
        Lock open = enter();
        try {
            List<BlobId> out = new ArrayList<>();
            try (RocksIterator it = db.newIterator(blobInfo)) {
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    out.add(BlobId.of(it.key()));
                }
            }
            return out;
        } finally {
            open.unlock();
        }
    }

    /** Up to {@code limit} blob infos in ascending blob-ID order from {@code from} (inclusive): the recovery scan. */
    public List<Map.Entry<BlobId, BlobInfo>> scanBlobInfo(BlobId from, int limit) {
        Lock open = enter();
        try {
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
        } finally {
            open.unlock();
        }
    }

    /**
     * Drops every sliver of a shard the node no longer holds: one range delete per family (cheap, whatever the number
     * of slivers), then a compaction of the range so the space is reclaimed. The (empty) families stay.
     */
    public void dropShardData(int shard) {
        Lock open = enter();
        try {
            ShardFamilies families = shards.get(shard);
            if (families == null) {
                return;
            }
            byte[] from = new byte[BlobId.LENGTH];
            byte[] to = new byte[BlobId.LENGTH + 1]; // after every 32-byte key
            java.util.Arrays.fill(to, (byte) 0xFF);
            try {
                for (ColumnFamilyHandle family : List.of(families.primary(), families.secondary())) {
                    requireOpen(); // a compaction takes seconds: close waits for one family at most
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
        } finally {
            open.unlock();
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
        Lock open = enter();
        try {
            List<ColumnFamilyHandle> families = new ArrayList<>(List.of(metadata, blobInfo));
            for (ShardFamilies f : shards.values()) {
                families.add(f.primary());
                families.add(f.secondary());
            }
            try (org.rocksdb.FlushOptions flush = new org.rocksdb.FlushOptions().setWaitForFlush(true);
                 org.rocksdb.CompactRangeOptions compact = new org.rocksdb.CompactRangeOptions()
                         .setBottommostLevelCompaction(org.rocksdb.CompactRangeOptions.BottommostLevelCompaction.kForce)) {
                for (ColumnFamilyHandle family : families) {
                    requireOpen(); // a compaction takes seconds: close waits for one family at most
                    db.flush(flush, family); // deletes still in the memtable must reach the files they shadow
                    compactReclaimingBlobFiles(family, compact);
                }
            } catch (RocksDBException e) {
                throw new StoreException("compaction failed: " + e.getMessage(), e);
            }
        } finally {
            open.unlock();
        }
    }

    /**
     * Bytes of a shard's slivers on disk (both axes): its memtables are flushed first, then the live SST and blob
     * files are counted. For operators and tests (it forces a flush); 0 for an unknown shard.
     */
    public long shardDataBytes(int shard) {
        Lock open = enter();
        try {
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
        } finally {
            open.unlock();
        }
    }

    /**
     * A RocksDB integer property summed over every column family ({@code rocksdb.live-sst-files-size},
     * {@code rocksdb.cur-size-all-mem-tables}, ...), without flushing: for metrics.
     */
    public long aggregatedProperty(String name) {
        Lock open = enter();
        try {
            try {
                return db.getAggregatedLongProperty(name);
            } catch (RocksDBException e) {
                throw new StoreException("cannot read the RocksDB property " + name + ": " + e.getMessage(), e);
            }
        } finally {
            open.unlock();
        }
    }

    /** A database-wide RocksDB integer property ({@code rocksdb.is-write-stopped}, ...): for metrics. */
    public long property(String name) {
        Lock open = enter();
        try {
            try {
                return db.getLongProperty(name);
            } catch (RocksDBException e) {
                throw new StoreException("cannot read the RocksDB property " + name + ": " + e.getMessage(), e);
            }
        } finally {
            open.unlock();
        }
    }

    /**
     * One figure of the {@code rocksdb.dbstats} map since the database opened ({@code db.user_write_stall_micros},
     * ...), or 0 if this RocksDB does not report it.
     */
    public double dbStat(String key) {
        Lock open = enter();
        try {
            try {
                String value = db.getMapProperty("rocksdb.dbstats").get(key);
                return value == null ? 0 : Double.parseDouble(value);
            } catch (RocksDBException | NumberFormatException e) {
                throw new StoreException("cannot read rocksdb.dbstats " + key + ": " + e.getMessage(), e);
            }
        } finally {
            open.unlock();
        }
    }

    /**
     * RocksDB's estimate of the slivers of one type in all shard families (deleted ones count until compaction
     * drops them): cheap, for metrics.
     */
    public long estimatedSliverCount(SliverType type) {
        Lock open = enter();
        try {
            long total = 0;
            try {
                for (ShardFamilies families : shards.values()) {
                    total += db.getLongProperty(families.of(type), "rocksdb.estimate-num-keys");
                }
            } catch (RocksDBException e) {
                throw new StoreException("cannot estimate the sliver count: " + e.getMessage(), e);
            }
            return total;
        } finally {
            open.unlock();
        }
    }

    /** RocksDB's estimate of the blobs with stored metadata; cheap, for metrics. */
    public long estimatedMetadataCount() {
        Lock open = enter();
        try {
            try {
                return db.getLongProperty(metadata, "rocksdb.estimate-num-keys");
            } catch (RocksDBException e) {
                throw new StoreException("cannot estimate the metadata count: " + e.getMessage(), e);
            }
        } finally {
            open.unlock();
        }
    }

    /**
     * Writes a consistent copy of the whole database to {@code target}, which must not exist, while the store keeps
     * serving: RocksDB flushes the memtables and hard-links the immutable SST and blob files (copying them only
     * across file systems), so a checkpoint costs little until the live database moves on. Open the copy as a
     * node's {@code dataDir} to restore it.
     */
    public void checkpoint(Path target) {
        Lock open = enter();
        try {
            try (org.rocksdb.Checkpoint checkpoint = org.rocksdb.Checkpoint.create(db)) {
                checkpoint.createCheckpoint(target.toString());
            } catch (RocksDBException e) {
                throw new StoreException("cannot write a checkpoint to " + target + ": " + e.getMessage(), e);
            }
        } finally {
            open.unlock();
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
        Lock open = enter();
        try {
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
        } finally {
            open.unlock();
        }
    }

    public boolean isPendingRecovery(BlobId blobId) {
        return exists(pendingRecovery, blobId.bytes());
    }

    /** Enters the store for one call into RocksDB; the caller unlocks the returned lock in a finally block. */
    private Lock enter() {
        Lock lock = lifecycle.readLock();
        lock.lock();
        if (closed) {
            lock.unlock();
            throw new StoreException("the node store is closed");
        }
        return lock;
    }

    private void requireOpen() {
        if (closed) {
            throw new StoreException("the node store is closed");
        }
    }

    private byte[] get(ColumnFamilyHandle family, byte[] key) {
        try {
            return getOrThrow(family, key);
        } catch (RocksDBException e) {
            throw readFailed(e);
        }
    }

    private byte[] getOrThrow(ColumnFamilyHandle family, byte[] key) throws RocksDBException {
        readFailPoint();
        Lock open = enter();
        try {
            return db.get(family, key);
        } finally {
            open.unlock();
        }
    }

    private static final byte[] NO_VALUE = new byte[0];

    private boolean exists(ColumnFamilyHandle family, byte[] key) {
        try {
            return existsOrThrow(family, key);
        } catch (RocksDBException e) {
            throw readFailed(e);
        }
    }

    private boolean existsOrThrow(ColumnFamilyHandle family, byte[] key) throws RocksDBException {
        readFailPoint();
        Lock open = enter();
        try {
            // Into an empty buffer: RocksDB reports the value's size without copying a sliver onto the heap (it still
            // reads, and checks, a value kept in a blob file). No keyMayExist first: an absent key costs get() the same
            // bloom-filter probes, and keyMayExist copies a value found in the memtable (each sliver of an upload, as
            // the confirmation checks them) on the native side, once more than get().
            return db.get(family, key, NO_VALUE) != RocksDB.NOT_FOUND;
        } finally {
            open.unlock();
        }
    }

    private static void readFailPoint() throws RocksDBException {
        try {
            FailPoints.hitIo("node.store-read");
        } catch (java.io.IOException e) {
            throw new RocksDBException(e.getMessage(), new org.rocksdb.Status(org.rocksdb.Status.Code.IOError,
                    org.rocksdb.Status.SubCode.None, e.getMessage()));
        }
    }

    private static StoreException readFailed(RocksDBException e) {
        return new StoreException("RocksDB read failed: " + e.getMessage(), e);
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

        // A write batch reads the column family handle it is given: a batch filled while the store closes must not
        // touch a freed handle either.
        private Batch put(ColumnFamilyHandle family, byte[] key, byte[] value) {
            Lock open = enter();
            try {
                batch.put(family, key, value);
            } catch (RocksDBException e) {
                throw new StoreException("cannot add a write to the batch: " + e.getMessage(), e);
            } finally {
                open.unlock();
            }
            return this;
        }

        private Batch delete(ColumnFamilyHandle family, byte[] key) {
            Lock open = enter();
            try {
                batch.delete(family, key);
            } catch (RocksDBException e) {
                throw new StoreException("cannot add a delete to the batch: " + e.getMessage(), e);
            } finally {
                open.unlock();
            }
            return this;
        }

        public int count() {
            return batch.count();
        }

        /**
         * Applies every write atomically; syncs the WAL if the batch touches blob info, the cursor or node status.
         *
         * @throws StoreException if the write fails (a full disk, an I/O error); {@link #health()} then reports writes
         *                        failing until one succeeds again
         */
        public void commit() {
            Lock open;
            try {
                open = enter();
            } catch (StoreException closedStore) {
                batch.close();
                throw closedStore;
            }
            try {
                FailPoints.hitIo("node.store-write");
                db.write(needsSync ? syncedWrites : dataWrites, batch);
            } catch (RocksDBException | java.io.IOException e) {
                writeFailed(e.getMessage());
                throw new StoreException("RocksDB write failed: " + e.getMessage(), e);
            } finally {
                open.unlock();
                batch.close();
            }
            if (health.writeSucceeded()) {
                LOG.info("the node store takes writes again");
            }
        }

        @Override
        public void close() {
            batch.close();
        }
    }

    // ---- write failures ----

    /** Records a failed write; {@link #writeProbe} finds out when writes work again. */
    private void writeFailed(String message) {
        if (health.writeFailed(message)) {
            LOG.error("the node store does not take writes: {}", message);
        }
    }

    /**
     * While writes fail, a tiny synced write finds out when the disk takes them again (RocksDB resumes by itself
     * after a full disk has space again), so that health does not report a failure that is over. A probe that fails
     * is the expected answer while the disk is full, not a failure of the loop: it is logged at debug level only.
     */
    private void probeWrite() {
        if (closed || health.writeFailure().isEmpty()) {
            return;
        }
        try (Batch probe = batch()) {
            probe.putNodeStatus(WRITE_PROBE_KEY, Long.toString(System.currentTimeMillis())
                    .getBytes(StandardCharsets.UTF_8)).commit();
        } catch (StoreException stillFailing) {
            LOG.debug("the node store still does not take writes: {}", stillFailing.getMessage());
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        writeProbe.close(); // waits for a probe in progress: it writes to RocksDB
        maintenance.shutdownNow();
        try {
            maintenance.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Waits for every call into RocksDB in flight; later ones see `closed` and throw.
        lifecycle.writeLock().lock();
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
        lifecycle.writeLock().unlock(); // later calls enter, see `closed` and throw
        if (failure != null) {
            throw failure;
        }
    }
}
