package io.tusk.control.state;

import io.tusk.control.api.AccountInfo;
import io.tusk.control.api.BlobInfo;
import io.tusk.control.api.BlobObject;
import io.tusk.control.api.Command;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.EpochChangeInfo;
import io.tusk.control.api.EpochInfo;
import io.tusk.control.api.Event;
import io.tusk.control.api.BucketInfo;
import io.tusk.control.api.OwnedBlobs;
import io.tusk.control.api.OwnedBuckets;
import io.tusk.control.api.OwnedSpaces;
import io.tusk.control.api.SpaceHead;
import io.tusk.control.api.PriceInfo;
import io.tusk.control.api.SignedCommand;
import io.tusk.control.state.StateCodec.Codec;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Address;
import io.tusk.core.crypto.BlsBatch;
import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.core.crypto.BlsSignature;
import io.tusk.core.metadata.BlobId;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The control plane's deterministic state machine: accounts, storage nodes and committees, epochs, prices, the blob
 * registry and the event log, kept in RocksDB in one directory ({@link StateStore}) with only bounded caches in memory.
 *
 * <p>{@link #apply(SignedCommand, long)} depends only on the current state, the command bytes and the index: no clock,
 * no randomness, no I/O but the state's own. So replaying the same commands at the same indices from the same genesis
 * gives the same state, equal {@link #digest()}s. Each command's changes, its events and its index as the last
 * applied one are written in one RocksDB batch, so the state on disk is always at a whole command; a refused command
 * changes nothing but the last applied index.
 *
 * <p>This class checks a command's signature and envelope, then dispatches it to the concern that owns it; each
 * concern keeps its own tables and rules: {@link CommandAuthenticator} (signature and envelope), {@link Accounts},
 * {@link Committees} (committees and epochs), {@link BlobRegistry}, {@link BlobAttributes}, {@link SharedBlobs}, {@link SpaceRegistry} (space heads),
 * {@link BucketRegistry} (S3 bucket names),
 * {@link CertificateVerifier}, {@link EventLog}; {@link StateCodec} lays out keys and values.
 *
 * <p>Thread-safe: {@code apply} takes a write lock, queries a read lock; {@link #precheck}, {@link #events} and
 * {@link #eventCount} take none.
 */
public final class ControlState implements AutoCloseable {
    /** Walrus prices storage in units of 1 MiB of encoded size. */
    public static final long UNIT_SIZE = 1L << 20;
    public static final int MAX_NAME_LENGTH = 64;
    public static final int MAX_NETWORK_ADDRESS_LENGTH = 255;
    /** The epoch genesis proofs of possession are made for; registrations later use the current epoch. */
    public static final int GENESIS_POP_EPOCH = 0;
    /** The layout of the database ({@link StateCodec}); a database of another format is not opened. */
    public static final int FORMAT = 1;
    /** The fail point before a command's batch is written (docs/fault-injection.md). */
    public static final String WRITE_FAIL_POINT = "control.state-write";

    private static final Codec<GenesisConfig> GENESIS_JSON = StateCodec.json(GenesisConfig.class);

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    /**
     * Held (shared) by the lock-free readers ({@link #events}, {@link #precheck}) and exclusively by {@link #close}:
     * reading a closed RocksDB would crash the process, and those readers must not wait for commands.
     */
    private final ReentrantReadWriteLock closeGuard = new ReentrantReadWriteLock();
    private final StateStore store;
    private final StateView view;
    private final GenesisConfig genesis;
    private final String chainId;
    private final CommandAuthenticator authenticator;
    private final Meta meta;
    private final EventLog events;
    private final Accounts accounts;
    private final CertificateVerifier verifier = new CertificateVerifier();
    private final Committees committees;
    private final BlobRegistry blobs;
    private final BlobAttributes attributes;
    private final SharedBlobs sharedBlobs;
    private final SpaceRegistry spaces;
    private final BucketRegistry buckets;
    private volatile long lastApplied;
    private volatile long lastTerm;
    /** Set when a write failed: memory may be ahead of the disk, so the replica must be reopened. */
    private volatile RuntimeException failure;
    private boolean closed;

    private ControlState(StateStore store, GenesisConfig genesis, StateOptions options) {
        this.store = store;
        this.view = new StateView(store);
        this.genesis = genesis;
        this.chainId = ChainId.of(genesis);
        this.authenticator = new CommandAuthenticator(chainId);
        this.meta = new Meta(view);
        this.events = new EventLog(view, meta, options.retainedEvents());
        this.accounts = new Accounts(genesis, view);
        this.committees = new Committees(genesis, verifier, view, meta);
        this.blobs = new BlobRegistry(genesis, committees, view);
        this.attributes = new BlobAttributes(blobs, view);
        this.sharedBlobs = new SharedBlobs(blobs, committees::epoch, view);
        this.spaces = new SpaceRegistry(committees, blobs, view);
        this.buckets = new BucketRegistry(committees, view);
    }

    /** {@link #open(Path, GenesisConfig, StateOptions)} with {@link StateOptions#defaults()}. */
    public static ControlState open(Path directory, GenesisConfig genesis) throws IOException {
        return open(directory, genesis, StateOptions.defaults());
    }

    /**
     * Opens the state in {@code directory}, creating it at the start of epoch 1 from {@code genesis} if the directory
     * holds none. An existing state keeps its own genesis: {@code genesis} may then be null, and must otherwise be
     * equal to it. A checkpoint ({@link #checkpoint}) opens like any state directory.
     *
     * @throws IllegalArgumentException naming the field at fault if a new state's genesis is invalid (no nodes, a bad
     *                                  key or proof of possession, a duplicate key, a bad price or limit)
     * @throws IOException              if the directory cannot be opened, holds another format, or was created with
     *                                  another genesis
     */
    public static ControlState open(Path directory, GenesisConfig genesis, StateOptions options) throws IOException {
        StateStore store = StateStore.open(directory, options);
        try {
            byte[] storedGenesis = new Meta(new StateView(store)).get(Meta.GENESIS, StateCodec.RAW);
            if (storedGenesis == null) {
                if (genesis == null) {
                    throw new IOException(directory + " holds no control state and no genesis was given");
                }
                ControlState state = new ControlState(store, genesis, options);
                state.initialize();
                return state;
            }
            Integer format = new Meta(new StateView(store)).get(Meta.FORMAT, StateCodec.U32);
            if (format == null || format != FORMAT) {
                throw new IOException(directory + " holds control state of format " + format + ", this Tusk reads "
                        + FORMAT + "; start a new data directory");
            }
            GenesisConfig stored = GENESIS_JSON.decode(storedGenesis);
            if (genesis != null && !Arrays.equals(GENESIS_JSON.encode(genesis), storedGenesis)) {
                throw new IOException(directory + " holds the control state of another genesis (chain "
                        + ChainId.of(stored) + ", not " + ChainId.of(genesis) + ")");
            }
            ControlState state = new ControlState(store, stored, options);
            state.load();
            return state;
        } catch (IOException | RuntimeException e) {
            try {
                store.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Writes the genesis state (epoch 1, its committee, the genesis accounts) in one batch. */
    private void initialize() {
        GenesisConfig g = genesis;
        require(g.maxEpochsAhead() >= 1, "maxEpochsAhead must be at least 1, got " + g.maxEpochsAhead());
        require(g.epochDurationMillis() > 0, "epochDurationMillis must be positive, got " + g.epochDurationMillis());
        require(g.storagePricePerUnitPerEpoch() >= 0 && g.writePricePerUnit() >= 0,
                "prices must not be negative, got storage " + g.storagePricePerUnitPerEpoch() + " write "
                        + g.writePricePerUnit());
        require(g.faucetMaxAmount() >= 0, "faucetMaxAmount must not be negative, got " + g.faucetMaxAmount());
        require(!g.nodes().isEmpty(), "genesis needs at least one storage node");
        try (StateBatch batch = new StateBatch(store)) {
            view.begin(batch);
            try {
                String admin = canonicalAddress(g.adminAddress(), "adminAddress");
                accounts.put(new AccountEntry(admin, 0, 0));
                for (Map.Entry<String, Long> e : g.initialBalances().entrySet()) {
                    String address = canonicalAddress(e.getKey(), "initialBalances key");
                    require(e.getValue() != null && e.getValue() >= 0,
                            "initial balance of " + address + " must not be negative");
                    accounts.put(new AccountEntry(address, e.getValue(), 0));
                }
                committees.initialize().forEach(accounts::createIfAbsent);
                meta.put(Meta.GENESIS, GENESIS_JSON, genesis);
                meta.put(Meta.FORMAT, StateCodec.U32, FORMAT);
                meta.putLong(Meta.LAST_APPLIED, -1);
                batch.commit();
            } finally {
                view.end();
            }
        }
        lastApplied = -1;
        events.load();
    }

    private void load() {
        lastApplied = meta.getLong(Meta.LAST_APPLIED, -1);
        lastTerm = meta.getLong(Meta.LAST_TERM, 0);
        events.load();
        committees.load();
    }

    static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("invalid genesis: " + message);
        }
    }

    static String canonicalAddress(String text, String what) {
        try {
            return Address.parse(text).toString();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid genesis: " + what + " is not an address: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------------------------ apply

    /**
     * The checks that need no state: payload size, the Ed25519 signature over the exact payload bytes, the envelope
     * JSON, this network's chain ID, the sender being the key's address, and the BLS signatures the command carries
     * (certificates, a node's shards-synced report) against the committee of the epoch they name
     * ({@link CertificateVerifier}). Runs on any thread, without the state's lock, so a replica can check commands in
     * parallel before ordering them; a refused precheck needs no log index. Its answer does not depend on when it
     * runs, except that an epoch that has not started yet has no committee (refused: the command cannot be valid
     * before that epoch, and a certificate is for the current epoch).
     */
    public Precheck precheck(SignedCommand command) {
        try {
            AuthenticatedCommand authenticated = authenticator.authenticate(command);
            CertificateVerifier.Checked checked = checkCommitteeSignatures(authenticated);
            if (checked.signature() != null && !checked.signature().verifies()) {
                return Precheck.refused(checked.signature().refusal());
            }
            return Precheck.passed(authenticated, checked.verified());
        } catch (Refusal r) {
            return Precheck.refused(r);
        }
    }

    /**
     * {@link #precheck} of many commands, the same answers, cheaper: their BLS signatures are verified together in
     * one multi-pairing ({@link BlsBatch}, about half the cost of one by one), and one by one only if the batch
     * fails. For a replica that gathers the commands it receives in a short window. Any thread, no lock.
     */
    public List<Precheck> precheckAll(List<SignedCommand> commands) {
        Precheck[] out = new Precheck[commands.size()];
        List<Integer> pending = new ArrayList<>();
        List<AuthenticatedCommand> pendingCommands = new ArrayList<>();
        List<CertificateVerifier.Checked> pendingChecks = new ArrayList<>();
        for (int i = 0; i < commands.size(); i++) {
            try {
                AuthenticatedCommand authenticated = authenticator.authenticate(commands.get(i));
                CertificateVerifier.Checked checked = checkCommitteeSignatures(authenticated);
                if (checked.signature() == null) {
                    out[i] = Precheck.passed(authenticated, checked.verified());
                } else {
                    pending.add(i);
                    pendingCommands.add(authenticated);
                    pendingChecks.add(checked);
                }
            } catch (Refusal r) {
                out[i] = Precheck.refused(r);
            }
        }
        List<BlsPublicKey> keys = new ArrayList<>(pending.size());
        List<byte[]> messages = new ArrayList<>(pending.size());
        List<BlsSignature> signatures = new ArrayList<>(pending.size());
        for (CertificateVerifier.Checked c : pendingChecks) {
            keys.add(c.signature().key());
            messages.add(c.signature().message());
            signatures.add(c.signature().signature());
        }
        boolean allVerify = BlsBatch.verifyAll(keys, messages, signatures);
        for (int k = 0; k < pending.size(); k++) {
            CertificateVerifier.Checked c = pendingChecks.get(k);
            out[pending.get(k)] = allVerify || c.signature().verifies()
                    ? Precheck.passed(pendingCommands.get(k), c.verified())
                    : Precheck.refused(c.signature().refusal());
        }
        return List.of(out);
    }

    /** The checks of a command's BLS signatures but the pairing, against committed committees (see close guard). */
    private CertificateVerifier.Checked checkCommitteeSignatures(AuthenticatedCommand command) throws Refusal {
        closeGuard.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the control state is closed");
            }
            return verifier.check(command.command(), committees::committedCommitteeOf);
        } finally {
            closeGuard.readLock().unlock();
        }
    }

    /** {@link #precheck} then {@link #apply(Precheck, long)}: what a replica replaying its log calls. */
    public CommandResult apply(SignedCommand command, long index) {
        return apply(precheck(command), index, 0);
    }

    /** {@link #apply(Precheck, long, long)} for a log without terms (term 0). */
    public CommandResult apply(Precheck prechecked, long index) {
        return apply(prechecked, index, 0);
    }

    /**
     * Applies one prechecked command at log position ({@code term}, {@code index}). Checks the account and the
     * nonce, then the command's own rules. Object IDs created are derived from the sender and the nonce
     * ({@link CommandContext#objectId}). A command accepted before (same sender, nonce and payload, among the
     * sender's latest {@value Accounts#RETAINED_OUTCOMES}) is not applied again: its original outcome is returned,
     * marked {@code retried}. Every index, accepted or refused, becomes the last applied index, and its {@code term} (a Raft
     * term; kept for the log, never part of an outcome) the last applied term, in the command's batch.
     *
     * <p>An index at or before {@link #lastAppliedIndex()} was applied before (a log replayed after a restart): it
     * changes nothing and returns the command's original outcome if it was accepted, else a refusal.
     *
     * @return the events of an accepted command, or the reason a command was refused (nothing changed)
     * @throws StateStoreException if the state cannot be written; the state refuses further commands
     */
    public CommandResult apply(Precheck prechecked, long index, long term) {
        return apply(List.of(prechecked), index, term).getFirst();
    }

    /**
     * Applies the commands of one log entry at log position ({@code term}, {@code index}), in their order, each as
     * {@link #apply(Precheck, long, long)} does one: a command sees the changes of those before it, a refused one
     * changes nothing (its writes are undone, the others' kept), and each gets its own outcome. Every accepted command
     * of the entry has the entry's {@code index} as its outcome's index. Their changes, events and the log position are
     * written in one RocksDB batch, so the state on disk is always at a whole entry, and a replayed entry (at or
     * before {@link #lastAppliedIndex()}) was applied whole: it changes nothing and answers each command's original
     * outcome (or a refusal).
     *
     * @return one outcome per command, in their order
     * @throws StateStoreException if the state cannot be written; the state refuses further commands
     */
    public List<CommandResult> apply(List<Precheck> prechecked, long index, long term) {
        lock.writeLock().lock();
        try {
            requireUsable();
            if (index <= lastApplied) {
                return prechecked.stream().map(p -> alreadyApplied(p, index)).toList();
            }
            StateBatch batch = new StateBatch(store);
            view.begin(batch);
            try {
                List<CommandResult> results = new ArrayList<>(prechecked.size());
                for (Precheck p : prechecked) {
                    batch.mark();
                    events.mark();
                    CommandResult result;
                    try {
                        result = applyChecked(p, index);
                    } catch (Refusal r) {
                        result = new CommandResult.Refused(r.reason(), r.getMessage());
                    }
                    if (!(result instanceof CommandResult.Accepted a) || a.retried()) {
                        // refused or retried: drop whatever this command wrote, keep the commands before it
                        batch.undoToMark();
                        events.undoToMark();
                    }
                    results.add(result);
                }
                events.prepareCommit();
                putLogPosition(index, term);
                batch.commit();
                lastApplied = index;
                lastTerm = term;
                events.publish();
                return results;
            } catch (RuntimeException e) {
                failure = e;
                events.rollback();
                throw e;
            } finally {
                view.end();
                batch.close();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void putLogPosition(long index, long term) {
        meta.putLong(Meta.LAST_APPLIED, index);
        if (term != lastTerm) {
            meta.putLong(Meta.LAST_TERM, term);
        }
    }

    private CommandResult applyChecked(Precheck prechecked, long index) throws Refusal {
        Optional<CommandResult.Refused> refused = prechecked.refusal();
        if (refused.isPresent()) {
            return refused.get();
        }
        AuthenticatedCommand command = prechecked.command();
        Optional<OutcomeEntry> earlier = accounts.earlierOutcome(command);
        if (earlier.isPresent()) {
            return originalOutcome(earlier.get(), true);
        }
        String sender = command.sender();
        CommandContext ctx = new CommandContext(sender, command.nonce(),
                accounts.sender(sender, command.nonce(), command.command()), index, prechecked.verified(), accounts,
                events);
        long firstCursor = events.nextCursor();
        dispatch(ctx, command.command());
        accounts.recordOutcome(sender, command.nonce(),
                new OutcomeEntry(command.payloadHash(), index, firstCursor, ctx.emitted().size()));
        return new CommandResult.Accepted(index, ctx.emitted());
    }

    /**
     * Hands the command to the concern that owns it. Each handler checks everything before it changes anything; a
     * new concern adds its commands here, one line each.
     */
    private void dispatch(CommandContext ctx, Command command) throws Refusal {
        switch (command) {
            case Command.Faucet c -> accounts.faucet(ctx, c);
            case Command.RegisterNode c -> committees.registerNode(ctx, c);
            case Command.LeaveCommittee c -> committees.leaveCommittee(ctx, c);
            case Command.SetStake c -> committees.setStake(ctx, c);
            case Command.AdvanceEpoch c -> committees.advanceEpoch(ctx, c);
            case Command.ShardsSynced c -> committees.shardsSynced(ctx, c);
            case Command.RegisterBlob c -> blobs.registerBlob(ctx, c);
            case Command.CertifyBlob c -> blobs.certifyBlob(ctx, c);
            case Command.ExtendBlob c -> blobs.extendBlob(ctx, c);
            case Command.DeleteBlob c -> {
                blobs.deleteBlob(ctx, c);
                attributes.forget(c.objectId());
            }
            case Command.BurnBlobs c -> blobs.burnBlobs(ctx, c).forEach(attributes::forget);
            case Command.InvalidateBlob c -> blobs.invalidateBlob(ctx, c);
            case Command.SetBlobAttribute c -> attributes.set(ctx, c);
            case Command.RemoveBlobAttributeFields c -> attributes.removeFields(ctx, c);
            case Command.RemoveBlobAttribute c -> attributes.remove(ctx, c);
            case Command.ShareBlob c -> sharedBlobs.share(ctx, c);
            case Command.FundSharedBlob c -> sharedBlobs.fund(ctx, c);
            case Command.ExtendSharedBlob c -> sharedBlobs.extend(ctx, c);
            case Command.CreateSpace c -> spaces.createSpace(ctx, c);
            case Command.CommitSpace c -> spaces.commitSpace(ctx, c);
            case Command.CreateBucket c -> buckets.createBucket(ctx, c);
            case Command.DeleteBucket c -> buckets.deleteBucket(ctx, c);
            case Command.Transfer c -> accounts.transfer(ctx, c, committees.epoch());
        }
    }

    private CommandResult.Accepted originalOutcome(OutcomeEntry outcome, boolean retried) {
        List<Event> emitted;
        try {
            emitted = events.eventsOf(outcome.firstCursor(), outcome.eventCount());
        } catch (EventsPrunedException e) {
            emitted = List.of(); // the outcome outlived its events on this replica
        }
        return new CommandResult.Accepted(outcome.index(), emitted, retried);
    }

    private CommandResult alreadyApplied(Precheck prechecked, long index) {
        if (prechecked.passed()) {
            Optional<OutcomeEntry> earlier = accounts.earlierOutcome(prechecked.command());
            if (earlier.isPresent() && earlier.get().index() == index) {
                return originalOutcome(earlier.get(), false);
            }
        }
        return prechecked.refusal().orElseGet(() -> new CommandResult.Refused(ErrorReason.ILLEGAL_TRANSITION,
                "index " + index + " was applied before (the last applied index is " + lastApplied
                        + ") and its command was not accepted then"));
    }

    private void requireUsable() {
        if (closed) {
            throw new IllegalStateException("the control state is closed");
        }
        RuntimeException failed = failure;
        if (failed != null) {
            throw new IllegalStateException("the control state failed to write a command and must be reopened: "
                    + failed.getMessage(), failed);
        }
    }

    /** The index of the last applied log entry (accepted or refused), -1 before any. */
    public long lastAppliedIndex() {
        return lastApplied;
    }

    /** The term given with the last applied entry (0 before any, or for a log without terms). */
    public long lastAppliedTerm() {
        return lastTerm;
    }

    /**
     * Makes {@code target} (which must not exist) a state directory holding the state of {@code checkpoint}, for
     * {@link #open}: hard links to its table files (immutable) and copies of the few small files RocksDB rewrites,
     * so the cost does not grow with the state and the checkpoint stays as it was (it can be opened again, or sent to
     * another replica). What a follower does with a checkpoint installed from the leader.
     */
    public static void restoreCheckpoint(Path checkpoint, Path target) throws IOException {
        StateStore.linkCopy(checkpoint, target);
    }

    /**
     * Writes a consistent copy of the state at {@link #lastAppliedIndex()} to {@code target} (which must not exist):
     * a RocksDB checkpoint, hard links to the immutable files plus the unflushed writes, so its cost does not grow
     * with history. {@link #open} of {@code target} (or of a copy of it) restores that state.
     */
    public void checkpoint(Path target) throws IOException {
        lock.readLock().lock(); // no command half-applied in memory while RocksDB flushes
        try {
            requireUsable();
            store.checkpoint(target);
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Blake2b-256 over every key and value of the state and the kept events but the last applied index and term (which
     * every log entry moves, refused or not), as hex: equal states have equal digests, and a command that changes nothing
     * leaves it as it was. Reads the whole database; for tests and audits.
     */
    public String digest() {
        return read(() -> HexFormat.of().formatHex(store.digest(
                List.of(meta.storeKey(Meta.LAST_APPLIED), meta.storeKey(Meta.LAST_TERM)))));
    }

    @Override
    public void close() {
        lock.writeLock().lock();
        closeGuard.writeLock().lock();
        try {
            if (!closed) {
                closed = true;
                store.close();
            }
        } finally {
            closeGuard.writeLock().unlock();
            lock.writeLock().unlock();
        }
    }

    /** Runs a lock-free read, unless the state is closed. */
    private <T> T unlessClosed(java.util.function.Supplier<T> read) {
        closeGuard.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the control state is closed");
            }
            return read.get();
        } finally {
            closeGuard.readLock().unlock();
        }
    }

    // ------------------------------------------------------------------------------------------------ queries

    private <T> T read(java.util.function.Supplier<T> query) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("the control state is closed");
            }
            return query.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    public GenesisConfig genesisConfig() {
        return genesis;
    }

    /** This network's chain ID ({@link ChainId}): every command's envelope must name it. */
    public String chainId() {
        return chainId;
    }

    public int epoch() {
        return read(committees::epoch);
    }

    public EpochInfo epochInfo() {
        return read(committees::epochInfo);
    }

    /** Whether the change into the current epoch is done. */
    public boolean epochChangeDone() {
        return read(committees::epochChangeDone);
    }

    /** The change into the current epoch: its state and which members reported their shards synced. */
    public EpochChangeInfo epochChange() {
        return read(committees::epochChange);
    }

    /**
     * The committee the next epoch change would choose if it happened now (registered nodes and stakes as they are):
     * for operators; the real choice is made when the epoch advances.
     */
    public CommitteeInfo nextCommitteePreview() {
        return read(committees::nextCommitteePreview);
    }

    public CommitteeInfo committee() {
        return read(committees::committee);
    }

    /** The committee of the epoch before the current one, if there was one (nodes move shards from it). */
    public Optional<CommitteeInfo> previousCommittee() {
        return read(committees::previousCommittee);
    }

    public PriceInfo prices() {
        return new PriceInfo(genesis.storagePricePerUnitPerEpoch(), genesis.writePricePerUnit(), UNIT_SIZE);
    }

    /** The account, or empty if it does not exist. {@code address} may be in any form {@link Address#parse} takes. */
    public Optional<AccountInfo> account(String address) {
        return read(() -> accounts.info(address));
    }

    /**
     * The sender's accepted command at {@code nonce} with its index and events, if it is among the sender's latest
     * {@value Accounts#RETAINED_OUTCOMES} accepted commands (one key read and the command's own events).
     *
     * @throws EventsPrunedException if this replica no longer keeps the command's events
     */
    public Optional<io.tusk.control.api.AppliedCommand> appliedCommand(String sender, long nonce) {
        return read(() -> accounts.outcome(sender, nonce).map(o -> new io.tusk.control.api.AppliedCommand(
                Address.parse(sender).toString(), nonce, o.index(), HexFormat.of().formatHex(o.payloadHash()),
                o.eventCount() == 0 ? List.of() : events.eventsOf(o.firstCursor(), o.eventCount()))));
    }

    /** The first {@value BlobRegistry#MAX_PAGE} live objects the account owns, by object ID. */
    public OwnedBlobs blobsOwnedBy(String address) {
        return blobsOwnedBy(address, null, BlobRegistry.MAX_PAGE);
    }

    /**
     * Up to {@code limit} (1..{@value BlobRegistry#MAX_PAGE}) live objects the account owns, by object ID, after
     * {@code after} (null: from the first).
     */
    public OwnedBlobs blobsOwnedBy(String address, String after, int limit) {
        return read(() -> blobs.ownedBy(address, after, limit));
    }

    /** The blob object's attribute, if it has one (Walrus's {@code get-blob-attribute}). */
    public Optional<io.tusk.control.api.BlobAttribute> blobAttribute(String objectId) {
        return read(() -> attributes.attribute(objectId));
    }

    /** The shared blob object (Walrus's {@code SharedBlob}) with its blob and funds, if it exists. */
    public Optional<io.tusk.control.api.SharedBlob> sharedBlob(String id) {
        return read(() -> sharedBlobs.sharedBlob(id));
    }

    /** The blob object, unless it was deleted or burned. */
    public Optional<BlobObject> blobObject(String objectId) {
        return read(() -> blobs.object(objectId));
    }

    /**
     * The blob ID's objects (not deleted, expired included) and its aggregate status in the current epoch, like a
     * Walrus node's: invalid if marked so; else permanent if a live permanent object exists (the latest-ending
     * certified one decides, else the latest-ending registered one); else deletable if live deletable objects exist;
     * else nonexistent. Expired objects do not count.
     */
    public BlobInfo blobInfo(BlobId blobId) {
        return read(() -> blobs.info(blobId));
    }

    /** The head of {@code owner}'s space {@code name}, if it exists, without its inline versions. */
    public Optional<SpaceHead> spaceHead(String owner, String name) {
        return spaceHead(owner, name, -1);
    }

    /**
     * The head of {@code owner}'s space {@code name}, if it exists, with its inline versions after version
     * {@code inlineAfter}, oldest first (none if {@code inlineAfter} is negative).
     */
    public Optional<SpaceHead> spaceHead(String owner, String name, long inlineAfter) {
        return read(() -> spaces.head(owner, name, inlineAfter));
    }

    /** The spaces {@code owner} owns, by name. */
    public OwnedSpaces spacesOwnedBy(String owner) {
        return read(() -> spaces.owned(owner));
    }

    /** The S3 bucket {@code name} (its owner), if some account claimed it. */
    public Optional<BucketInfo> bucket(String name) {
        return read(() -> buckets.bucket(name));
    }

    /** The S3 buckets {@code owner} owns, by name. */
    public OwnedBuckets bucketsOwnedBy(String owner) {
        return read(() -> buckets.ownedBy(owner));
    }

    /**
     * Blob objects registered and not deleted (expired ones included until they are collected), and the distinct blob
     * IDs they name: for metrics and the console, so O(1). Lock-free (committed counts).
     */
    public BlobCounts blobCounts() {
        return new BlobCounts(blobs.blobIdCount(), blobs.objectCount());
    }

    /** Spaces created in the network (spaces are never deleted). O(1) and lock-free, like {@link #blobCounts()}. */
    public long spaceCount() {
        return spaces.count();
    }

    /** See {@link #blobCounts()}. */
    public record BlobCounts(long blobIds, long objects) {
    }

    /** Number of events so far; the next event's cursor. Lock-free. */
    public long eventCount() {
        return events.count();
    }

    /** The first event this replica still keeps ({@link StateOptions#retainedEvents()}); 0 if it keeps all. */
    public long firstRetainedEvent() {
        return events.firstRetained();
    }

    /**
     * Up to {@code limit} events from cursor {@code from} on (empty if there are none yet). Lock-free.
     *
     * @throws EventsPrunedException if {@code from} is older than the events this replica keeps
     * @throws IllegalStateException  if the state is closed
     */
    public List<Event> events(long from, int limit) {
        return unlessClosed(() -> events.page(from, limit));
    }

    @Override
    public String toString() {
        return "ControlState[" + store.directory() + ", lastApplied=" + lastApplied + ", events=" + events.count() + "]";
    }
}
