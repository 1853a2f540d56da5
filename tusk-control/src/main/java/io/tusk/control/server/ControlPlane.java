package io.tusk.control.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.control.api.ControlJson;
import io.tusk.control.api.EventPage;
import io.tusk.control.api.SignedCommand;
import io.tusk.control.state.CommandResult;
import io.tusk.control.state.ControlState;
import io.tusk.control.state.GenesisConfig;
import io.tusk.control.state.Precheck;
import io.tusk.control.state.StateOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The embedded single replica of the control plane: the on-disk {@link ControlState} (RocksDB, in {@code state/})
 * and a {@link Journal} of every ordered command, in one directory.
 *
 * <p>{@link #submit} prechecks a command on the caller's thread (signature, envelope, chain ID: no lock); a command
 * that fails them is refused without being journaled. Otherwise it is appended to the journal and forced to disk,
 * then applied at the journal's record number as its index: nothing is applied (or visible) before it is durable.
 * A command refused by the state (nonce, balance, ...) keeps its index, as a refused entry of a Raft log does.
 * Restart: open the state (it knows its last applied index), replay the journal after it.
 *
 * <p>Thread-safe: one lock serializes commands and queries; {@link #events} waits on it without holding it.
 */
public final class ControlPlane implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ControlPlane.class);
    public static final String GENESIS_FILE = "genesis.json";
    public static final String JOURNAL_FILE = "journal.log";
    public static final String STATE_DIRECTORY = "state";
    /** Where control planes before the on-disk state kept snapshots; such a directory cannot be opened. */
    static final String OLD_SNAPSHOT_DIRECTORY = "snapshots";

    private final ObjectMapper json = ControlJson.mapper();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition newEvents = lock.newCondition();
    private final Journal journal;
    private final ControlState state;
    private IOException failure;
    private boolean closed;
    /** Set when the server stops: long polls return at once. */
    private boolean draining;

    private ControlPlane(Journal journal, ControlState state) {
        this.journal = journal;
        this.state = state;
    }

    /**
     * Opens the control plane in {@code directory}, creating it from {@code genesis} if it is new. A directory that
     * exists keeps its own genesis: {@code genesis} may be {@code null} to use it, and must otherwise equal it.
     *
     * @throws CorruptJournalException if the journal is damaged before its end
     * @throws IOException             if the directory cannot be used, was written by a Tusk before the on-disk state,
     *                                 or the genesis differs from the stored one
     */
    public static ControlPlane open(Path directory, GenesisConfig genesis) throws IOException {
        return open(directory, genesis, StateOptions.defaults());
    }

    /** {@link #open(Path, GenesisConfig)} with the state's options. */
    public static ControlPlane open(Path directory, GenesisConfig genesis, StateOptions options) throws IOException {
        Files.createDirectories(directory);
        if (Files.isDirectory(directory.resolve(OLD_SNAPSHOT_DIRECTORY))
                && !Files.exists(directory.resolve(STATE_DIRECTORY))) {
            throw new IOException(directory + " was written by an older Tusk (its journal's commands carry no chain "
                    + "ID and its state is not on disk); start a new data directory");
        }
        GenesisConfig effective = genesisOf(directory, genesis);
        ControlState state = ControlState.open(directory.resolve(STATE_DIRECTORY), effective, options);
        long applied = state.lastAppliedIndex();
        Journal journal;
        try {
            journal = Journal.open(directory.resolve(JOURNAL_FILE), (index, payload) -> {
                if (index > applied) {
                    state.apply(ControlJson.mapper().readValue(payload, SignedCommand.class), index);
                }
            });
        } catch (IOException | RuntimeException e) {
            state.close();
            throw e;
        }
        if (journal.recordCount() - 1 < applied) {
            long records = journal.recordCount();
            journal.close();
            state.close();
            throw new IOException("the journal holds " + records + " commands but the state applied up to index "
                    + applied + ": the journal was cut or replaced");
        }
        LOG.info("control plane opened in {}: {} commands ({} replayed from the journal), epoch {}, {} events",
                directory, journal.recordCount(), journal.recordCount() - 1 - applied, state.epoch(),
                state.eventCount());
        return new ControlPlane(journal, state);
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
        // The state validates the genesis when it is created (ControlPlane.open), before anything else is written.
        Path temp = directory.resolve(GENESIS_FILE + ".tmp");
        Files.write(temp, json.writerWithDefaultPrettyPrinter().writeValueAsBytes(given));
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(directory);
        return given;
    }

    /**
     * Submits a command: prechecks it, and if it passes journals it (forced to disk) and applies it at its record
     * number. Whatever the state answers was durable before it was applied.
     *
     * @throws IOException if the journal cannot be written; the replica then refuses further commands until it is
     *                     reopened (nothing of the command was applied)
     */
    public CommandResult submit(SignedCommand command) throws IOException {
        Precheck precheck = state.precheck(command);
        if (!precheck.passed()) {
            return precheck.refusal().orElseThrow();
        }
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
            long index;
            try {
                index = journal.append(record);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
            CommandResult result = state.apply(precheck, index);
            if (result.accepted()) {
                newEvents.signalAll();
            }
            return result;
        } finally {
            lock.unlock();
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
        } finally {
            lock.unlock();
        }
        var events = state.events(from, limit); // read from disk without blocking commands
        return new EventPage(events, from + events.size());
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

    /** Commands journaled so far (accepted or refused by the state): the index the next one gets. */
    public long commandCount() {
        lock.lock();
        try {
            return journal.recordCount();
        } finally {
            lock.unlock();
        }
    }

    /** A checkpoint of the state in {@code target} ({@link ControlState#checkpoint}). */
    public void checkpoint(Path target) throws IOException {
        lock.lock();
        try {
            state.checkpoint(target);
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
            try {
                journal.close();
            } finally {
                state.close();
            }
        } finally {
            lock.unlock();
        }
    }

    private static void forceDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some platforms cannot open directories; the rename is still atomic there.
            LOG.debug("cannot force directory {}: {}", directory, e.toString());
        }
    }
}
