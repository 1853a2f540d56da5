package io.tusk.control.state;

import io.tusk.core.failpoint.FailPoints;
import io.tusk.core.hash.Blake2b256;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.Checkpoint;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.IndexType;
import org.rocksdb.LRUCache;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Slice;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BiPredicate;

/**
 * The control state's RocksDB database: column family {@code state} holds every concern's tables (each under its own
 * key prefix, {@link Table}), {@code events} the event log by cursor. Everything a command changes goes into one
 * {@link WriteBatch} ({@link StateBatch}), so the database is always at a whole command.
 *
 * <p>Writes are not forced to disk: the replicated log (or the journal) is what is durable, and after a crash the
 * state replays the log from its last applied index. Memory is bounded by the block cache and the write buffers
 * ({@link StateOptions}), outside the Java heap; nothing here grows with the number of entries.
 *
 * <p>Reads of committed data and {@link #write} are thread-safe (RocksDB's own guarantees).
 */
final class StateStore implements AutoCloseable {
    static final String STATE_FAMILY = "state";
    static final String EVENTS_FAMILY = "events";

    static {
        RocksDB.loadLibrary();
    }

    private final Path directory;
    private final LRUCache cache;
    private final BloomFilter bloom;
    private final ColumnFamilyOptions stateOptions;
    private final ColumnFamilyOptions eventOptions;
    private final DBOptions dbOptions;
    private final WriteOptions writeOptions;
    private final RocksDB db;
    private final List<ColumnFamilyHandle> handles = new ArrayList<>();
    private final ColumnFamilyHandle state;
    private final ColumnFamilyHandle events;

    private StateStore(Path directory, StateOptions options) throws RocksDBException {
        this.directory = directory;
        this.cache = new LRUCache(options.blockCacheBytes());
        this.bloom = new BloomFilter(10);
        // Point lookups (accounts, blob objects, outcomes) dominate: a bloom filter saves a block read for a missing
        // key. Values are small binary records; LZ4 costs little and the hex-free encoding leaves little to gain.
        // Index and filter are partitioned, their top levels pinned in the cache. With one index and one filter block
        // per file (hundreds of kilobytes each at a million blobs) the apply of a registerBlob took 421 us of CPU at
        // 1,000,000 blobs, almost all of it in RocksDB.get (JFR's native samples), against 97-108 us with partitions,
        // and a certifyBlob's apply 393 us against 63 us at 400,000 (ControlStateBenchmark): a lookup that found its
        // filter or index evicted by the blocks other lookups brought in read the whole block again. A partition is one
        // 4 KiB block, and the memory stays within the cache.
        this.stateOptions = new ColumnFamilyOptions()
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(bloom)
                        .setIndexType(IndexType.kTwoLevelIndexSearch).setPartitionFilters(true)
                        .setMetadataBlockSize(4096).setCacheIndexAndFilterBlocks(true)
                        .setCacheIndexAndFilterBlocksWithHighPriority(true).setPinTopLevelIndexAndFilter(true)
                        .setPinL0FilterAndIndexBlocksInCache(true))
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
                .setLevelCompactionDynamicLevelBytes(true);
        // Events are appended in key order and read in ranges: no filter; JSON compresses well (ZSTD at the bottom).
        this.eventOptions = new ColumnFamilyOptions()
                .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache).setCacheIndexAndFilterBlocks(true))
                .setCompressionType(CompressionType.LZ4_COMPRESSION)
                .setBottommostCompressionType(CompressionType.ZSTD_COMPRESSION)
                .setLevelCompactionDynamicLevelBytes(true);
        this.dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true)
                .setMaxBackgroundJobs(2)
                .setDbWriteBufferSize(options.writeBufferBytes())
                .setMaxTotalWalSize(2 * options.writeBufferBytes());
        this.writeOptions = new WriteOptions().setSync(options.syncWrites());
        List<ColumnFamilyDescriptor> descriptors = List.of(
                new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, stateOptions),
                new ColumnFamilyDescriptor(STATE_FAMILY.getBytes(StandardCharsets.UTF_8), stateOptions),
                new ColumnFamilyDescriptor(EVENTS_FAMILY.getBytes(StandardCharsets.UTF_8), eventOptions));
        this.db = RocksDB.open(dbOptions, directory.toString(), descriptors, handles);
        this.state = handles.get(1);
        this.events = handles.get(2);
    }

    /**
     * Opens (creating if needed) the database in {@code directory}.
     *
     * @throws IOException if RocksDB cannot open it (another process holds its lock, corruption, I/O), naming it
     */
    static StateStore open(Path directory, StateOptions options) throws IOException {
        Files.createDirectories(directory);
        try {
            return new StateStore(directory, options);
        } catch (RocksDBException e) {
            throw new IOException("cannot open the control state in " + directory + ": " + e.getMessage(), e);
        }
    }

    Path directory() {
        return directory;
    }

    /** The committed value of a state key, or null. */
    byte[] get(byte[] key) {
        try {
            return db.get(state, key);
        } catch (RocksDBException e) {
            throw new StateStoreException("read of state key " + HexFormat.of().formatHex(key), e);
        }
    }

    /** The committed event at {@code key} (the cursor, 8 bytes big-endian), or null. */
    byte[] getEvent(byte[] key) {
        try {
            return db.get(events, key);
        } catch (RocksDBException e) {
            throw new StateStoreException("read of event " + HexFormat.of().formatHex(key), e);
        }
    }

    /**
     * Visits committed state entries with keys in {@code [from, prefix-end)} in key order until the visitor returns
     * false. {@code from} must start with {@code prefix}.
     */
    void scan(byte[] prefix, byte[] from, BiPredicate<byte[], byte[]> visitor) {
        scan(state, prefix, from, visitor);
    }

    /** Like {@link #scan} over the events family. */
    void scanEvents(byte[] from, BiPredicate<byte[], byte[]> visitor) {
        scan(events, new byte[0], from, visitor);
    }

    private void scan(ColumnFamilyHandle family, byte[] prefix, byte[] from, BiPredicate<byte[], byte[]> visitor) {
        byte[] end = prefixEnd(prefix);
        try (Slice upper = end == null ? null : new Slice(end);
             ReadOptions read = new ReadOptions().setIterateUpperBound(upper);
             RocksIterator it = db.newIterator(family, read)) {
            for (it.seek(from); it.isValid(); it.next()) {
                if (!visitor.test(it.key(), it.value())) {
                    break;
                }
            }
            it.status();
        } catch (RocksDBException e) {
            throw new StateStoreException("scan of state keys from " + HexFormat.of().formatHex(from), e);
        }
    }

    /** The smallest key greater than every key starting with {@code prefix}; null if there is none (all 0xff). */
    static byte[] prefixEnd(byte[] prefix) {
        byte[] end = prefix.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return null;
    }

    WriteBatch newBatch() {
        return new WriteBatch();
    }

    void put(WriteBatch batch, byte[] key, byte[] value) {
        try {
            batch.put(state, key, value);
        } catch (RocksDBException e) {
            throw new StateStoreException("batch put", e);
        }
    }

    void delete(WriteBatch batch, byte[] key) {
        try {
            batch.delete(state, key);
        } catch (RocksDBException e) {
            throw new StateStoreException("batch delete", e);
        }
    }

    void putEvent(WriteBatch batch, byte[] key, byte[] value) {
        try {
            batch.put(events, key, value);
        } catch (RocksDBException e) {
            throw new StateStoreException("batch put of an event", e);
        }
    }

    void deleteEvents(WriteBatch batch, byte[] fromKey, byte[] toKey) {
        try {
            batch.deleteRange(events, fromKey, toKey);
        } catch (RocksDBException e) {
            throw new StateStoreException("batch delete of events", e);
        }
    }

    void setSavePoint(WriteBatch batch) {
        batch.setSavePoint();
    }

    void popSavePoint(WriteBatch batch) {
        try {
            batch.popSavePoint();
        } catch (RocksDBException e) {
            throw new StateStoreException("batch save point", e);
        }
    }

    void rollbackToSavePoint(WriteBatch batch) {
        try {
            batch.rollbackToSavePoint();
        } catch (RocksDBException e) {
            throw new StateStoreException("batch rollback to a save point", e);
        }
    }

    /** Writes the batch atomically: every change of one log entry, or none. */
    void write(WriteBatch batch) {
        FailPoints.hit(ControlState.WRITE_FAIL_POINT);
        try {
            db.write(writeOptions, batch);
        } catch (RocksDBException e) {
            throw new StateStoreException("write of a command's changes", e);
        }
    }

    /**
     * A consistent copy of the database in {@code target} (which must not exist): RocksDB flushes its memtables and
     * hard-links the immutable table files, so the cost depends on the unflushed writes, not on the history.
     */
    void checkpoint(Path target) throws IOException {
        if (Files.exists(target)) {
            throw new IOException("checkpoint target " + target + " exists already");
        }
        Files.createDirectories(target.toAbsolutePath().getParent());
        try (Checkpoint checkpoint = Checkpoint.create(db)) {
            checkpoint.createCheckpoint(target.toString());
        } catch (RocksDBException e) {
            throw new IOException("cannot write a checkpoint of " + directory + " to " + target + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * Copies a closed database (a checkpoint) from {@code source} to {@code target}: table and blob files (never
     * changed once written) as hard links, falling back to copies across file systems, every other file copied.
     */
    static void linkCopy(Path source, Path target) throws IOException {
        if (!Files.isRegularFile(source.resolve("CURRENT"))) {
            throw new IOException(source + " is not a control-state checkpoint (no CURRENT file)");
        }
        if (Files.exists(target)) {
            throw new IOException("restore target " + target + " exists already");
        }
        Files.createDirectories(target);
        try (var files = Files.list(source)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                Path to = target.resolve(name);
                if (name.endsWith(".sst") || name.endsWith(".blob")) {
                    try {
                        Files.createLink(to, file);
                        continue;
                    } catch (IOException | UnsupportedOperationException e) {
                        // another file system: copy below
                    }
                }
                Files.copy(file, to);
            }
        }
    }

    /**
     * Blake2b-256 over every entry of both families in key order ({@code family | length | key | length | value})
     * but the state keys {@code excluded}: equal states give equal digests. Reads everything; for tests and audits.
     */
    byte[] digest(List<byte[]> excluded) {
        Blake2b256 hash = new Blake2b256();
        for (ColumnFamilyHandle family : List.of(state, events)) {
            try (RocksIterator it = db.newIterator(family)) {
                hash.update(new byte[] {(byte) (family == state ? 1 : 2)});
                for (it.seekToFirst(); it.isValid(); it.next()) {
                    byte[] key = it.key();
                    if (family == state && excluded.stream().anyMatch(e -> Arrays.equals(e, key))) {
                        continue;
                    }
                    byte[] value = it.value();
                    hash.update(StateCodec.u32(key.length)).update(key).update(StateCodec.u32(value.length)).update(value);
                }
                it.status();
            } catch (RocksDBException e) {
                throw new StateStoreException("digest scan", e);
            }
        }
        return hash.digest();
    }

    /** RocksDB's estimate of the live data on disk, bytes. */
    long estimatedLiveBytes() {
        try {
            return db.getLongProperty(state, "rocksdb.estimate-live-data-size")
                    + db.getLongProperty(events, "rocksdb.estimate-live-data-size");
        } catch (RocksDBException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        for (ColumnFamilyHandle handle : handles) {
            handle.close();
        }
        try {
            db.closeE();
        } catch (RocksDBException e) {
            throw new StateStoreException("close of " + directory, e);
        } finally {
            writeOptions.close();
            dbOptions.close();
            stateOptions.close();
            eventOptions.close();
            bloom.close();
            cache.close();
        }
    }
}
