package io.tusk.control.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.control.api.ControlJson;
import io.tusk.control.api.EventPage;
import io.tusk.control.api.SignedCommand;
import io.tusk.control.state.CommandResult;
import io.tusk.control.state.ControlState;
import io.tusk.control.state.GenesisConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The embedded single replica of the control plane: the {@link ControlState} state machine, a {@link Journal} of every
 * accepted command, and {@link SnapshotStore snapshots} every {@code snapshotEvery} commands, in one directory.
 *
 * <p>{@link #submit} applies a command; if it is accepted, the command is appended to the journal and forced to disk
 * before the result is returned. Refused commands are not journaled (they changed nothing), so command indices are
 * the journal's record numbers. Restart: load the newest snapshot, replay the journal after it.
 *
 * <p>Thread-safe: one lock serializes commands and queries; {@link #events} waits on it without holding it.
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
    public static final int DEFAULT_SNAPSHOT_EVERY = 1000;
    public static final String GENESIS_FILE = "genesis.json";
    public static final String JOURNAL_FILE = "journal.log";
    public static final String SNAPSHOT_DIRECTORY = "snapshots";

    private final ObjectMapper json = ControlJson.mapper();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition newEvents = lock.newCondition();
    private final Journal journal;
    private final SnapshotStore snapshots;
    private final int snapshotEvery;
    private ControlState state;
    private IOException failure;
    private boolean closed;
    /** Set when the server stops: long polls return at once. */
    private boolean draining;

    private ControlPlane(Journal journal, SnapshotStore snapshots, int snapshotEvery, ControlState state) {
        this.journal = journal;
        this.snapshots = snapshots;
        this.snapshotEvery = snapshotEvery;
        this.state = state;
    }

    /** Opens with a snapshot every {@value #DEFAULT_SNAPSHOT_EVERY} commands. */
    public static ControlPlane open(Path directory, GenesisConfig genesis) throws IOException {
        return open(directory, genesis, DEFAULT_SNAPSHOT_EVERY);
    }

    /**
     * Opens the control plane in {@code directory}, creating it from {@code genesis} if it is new. A directory that
     * exists keeps its own genesis: {@code genesis} may be {@code null} to use it, and must otherwise equal it.
     *
     * @throws CorruptJournalException if the journal is damaged before its end
     * @throws IOException             if the directory cannot be used, or the genesis differs from the stored one
     */
    public static ControlPlane open(Path directory, GenesisConfig genesis, int snapshotEvery) throws IOException {
        if (snapshotEvery < 1) {
            throw new IllegalArgumentException("snapshotEvery must be at least 1, got " + snapshotEvery);
        }
        Files.createDirectories(directory.resolve(SNAPSHOT_DIRECTORY));
        GenesisConfig effective = genesisOf(directory, genesis);
        SnapshotStore snapshots = new SnapshotStore(directory.resolve(SNAPSHOT_DIRECTORY));
        Optional<SnapshotStore.Snapshot> snapshot = snapshots.latest();
        ControlState restored = null;
        if (snapshot.isPresent()) {
            try {
                restored = ControlState.restore(snapshot.get().state());
            } catch (IllegalArgumentException e) {
                // An older snapshot format: the journal holds every command, so replay it all from genesis.
                LOG.warn("ignoring snapshot of {} commands ({}); replaying the journal from genesis",
                        snapshot.get().commandCount(), e.getMessage());
                snapshot = Optional.empty();
            }
        }
        ControlState start = restored != null ? restored : ControlState.genesis(effective);
        long covered = snapshot.map(SnapshotStore.Snapshot::commandCount).orElse(0L);
        if (start.lastIndex() != covered - 1) {
            throw new IOException("snapshot of " + covered + " commands holds state up to index " + start.lastIndex());
        }
        ControlState[] holder = {start};
        Journal journal = Journal.open(directory.resolve(JOURNAL_FILE), (index, payload) -> {
            if (index < covered) {
                return;
            }
            SignedCommand command = ControlJson.mapper().readValue(payload, SignedCommand.class);
            CommandResult result = holder[0].apply(command, index);
            if (result instanceof CommandResult.Refused r) {
                throw new IOException("journal record " + index + " was accepted once but is now refused ("
                        + r.reason() + ": " + r.message() + "); the journal does not belong to this genesis");
            }
        });
        if (journal.recordCount() < covered) {
            long records = journal.recordCount();
            journal.close();
            throw new IOException("the journal holds " + records + " commands but the snapshot covers " + covered);
        }
        LOG.info("control plane opened in {}: {} commands ({} from snapshot), epoch {}, {} events", directory,
                journal.recordCount(), covered, holder[0].epoch(), holder[0].eventCount());
        return new ControlPlane(journal, snapshots, snapshotEvery, holder[0]);
    }

    private static GenesisConfig genesisOf(Path directory, GenesisConfig given) throws IOException {
        Path file = directory.resolve(GENESIS_FILE);
        ObjectMapper json = ControlJson.mapper();
        if (Files.exists(file)) {
            byte[] stored = Files.readAllBytes(file);
            GenesisConfig storedGenesis = json.readValue(stored, GenesisConfig.class);
            if (given != null && !Arrays.equals(json.writeValueAsBytes(given), json.writeValueAsBytes(storedGenesis))) {
                throw new IOException(directory + " was created with a different genesis (" + file + ")");
            }
            return storedGenesis;
        }
        if (given == null) {
            throw new IOException(directory + " has no " + GENESIS_FILE + " and no genesis was given");
        }
        ControlState.genesis(given); // validate before writing anything
        Path temp = directory.resolve(GENESIS_FILE + ".tmp");
        Files.write(temp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(given));
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        SnapshotStore.forceDirectory(directory);
        return given;
    }

    /**
     * Applies a command. An accepted command is on disk when this returns.
     *
     * @throws IOException if the journal cannot be written; the replica then refuses further commands (its memory is
     *                     ahead of its disk) until it is reopened
     */
    public CommandResult submit(SignedCommand command) throws IOException {
        byte[] record = json.writeValueAsBytes(command);
        lock.lock();
        try {
            if (closed) {
                throw new IOException("the control plane is closed");
            }
            if (failure != null) {
                throw new IOException("the control plane stopped accepting commands after a journal failure", failure);
            }
            if (record.length > Journal.MAX_RECORD_BYTES) {
                return new CommandResult.Refused(io.tusk.core.api.ErrorReason.INVALID_ARGUMENT,
                        "command is " + record.length + " bytes, the limit is " + Journal.MAX_RECORD_BYTES);
            }
            long index = journal.recordCount();
            CommandResult result = state.apply(command, index);
            if (result instanceof CommandResult.Accepted a && !a.retried()) {
                try {
                    journal.append(record);
                } catch (IOException e) {
                    failure = e;
                    throw e;
                }
                if (journal.recordCount() % snapshotEvery == 0) {
                    writeSnapshot();
                }
                newEvents.signalAll();
            }
            return result;
        } finally {
            lock.unlock();
        }
    }

    private void writeSnapshot() {
        try {
            snapshots.write(journal.recordCount(), state.snapshot());
        } catch (IOException e) {
            // The journal still holds everything; a missing snapshot only makes the next start slower.
            LOG.warn("could not write a snapshot at {} commands: {}", journal.recordCount(), e.toString());
        }
    }

    /** Runs a query against the state under the lock. The function must not keep the state. */
    public <T> T read(Function<ControlState, T> query) {
        lock.lock();
        try {
            return query.apply(state);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Up to {@code limit} events from cursor {@code from} on, waiting up to {@code waitMillis} for the first one if
     * there are none yet. {@code next} is the cursor after the last event returned ({@code from} if none).
     */
    public EventPage events(long from, int limit, long waitMillis) throws InterruptedException {
        if (from < 0 || limit < 1 || waitMillis < 0) {
            throw new IllegalArgumentException("need from >= 0, limit >= 1, waitMillis >= 0; got " + from + ", " + limit
                    + ", " + waitMillis);
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMillis);
        lock.lock();
        try {
            while (state.eventCount() <= from && !closed && !draining) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                newEvents.awaitNanos(left);
            }
            var events = state.events(from, limit);
            return new EventPage(events, from + events.size());
        } finally {
            lock.unlock();
        }
    }

    /**
     * Answers every waiting and future long poll at once: called before the HTTP server stops, so that its graceful
     * stop does not wait for polls that could last many seconds.
     */
    public void stopWaiting() {
        lock.lock();
        try {
            draining = true;
            newEvents.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Commands accepted so far. */
    public long commandCount() {
        lock.lock();
        try {
            return journal.recordCount();
        } finally {
            lock.unlock();
        }
    }

    /** Writes a snapshot now (also done every {@code snapshotEvery} commands). */
    public void snapshotNow() throws IOException {
        lock.lock();
        try {
            snapshots.write(journal.recordCount(), state.snapshot());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            newEvents.signalAll();
            journal.close();
        } finally {
            lock.unlock();
        }
    }
}
