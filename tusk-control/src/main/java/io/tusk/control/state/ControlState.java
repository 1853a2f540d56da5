package io.tusk.control.state;

import io.tusk.control.api.AccountInfo;
import io.tusk.control.api.BlobInfo;
import io.tusk.control.api.BlobObject;
import io.tusk.control.api.BucketInfo;
import io.tusk.control.api.Command;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.EpochChangeInfo;
import io.tusk.control.api.EpochInfo;
import io.tusk.control.api.Event;
import io.tusk.control.api.OwnedBlobs;
import io.tusk.control.api.OwnedBuckets;
import io.tusk.control.api.OwnedSpaces;
import io.tusk.control.api.SpaceHead;
import io.tusk.control.api.PriceInfo;
import io.tusk.control.api.SignedCommand;
import io.tusk.control.state.StateSnapshot.AccountEntry;
import io.tusk.control.state.StateSnapshot.OutcomeEntry;
import io.tusk.core.crypto.Address;
import io.tusk.core.metadata.BlobId;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The control plane's deterministic state machine: accounts, storage nodes and committees, epochs, prices, the blob
 * registry and the event log.
 *
 * <p>{@link #apply(SignedCommand, long)} depends only on the current state, the command bytes and the index: no clock,
 * no randomness, no I/O. So replaying the same accepted commands at the same indices from the same genesis gives the
 * same state, byte for byte in {@link #snapshot()}; a Raft {@code applyTransaction} can call it unchanged. A refused
 * command changes nothing, not even the sender's nonce.
 *
 * <p>This class authenticates a command and dispatches it to the concern that owns it; each concern keeps its own
 * state and rules: {@link CommandAuthenticator} (signature and envelope), {@link Accounts}, {@link Committees}
 * (committees and epochs), {@link BlobRegistry}, {@link SpaceRegistry} (space heads), {@link CertificateVerifier}, {@link EventLog}; {@link StateCodec}
 * turns the whole into bytes and back.
 *
 * <p>Not thread-safe: the owner serializes {@code apply} and queries (the server holds one lock).
 */
public final class ControlState {
    /** Walrus prices storage in units of 1 MiB of encoded size. */
    public static final long UNIT_SIZE = 1L << 20;
    public static final int MAX_NAME_LENGTH = 64;
    public static final int MAX_NETWORK_ADDRESS_LENGTH = 255;
    /** The epoch genesis proofs of possession are made for; registrations later use the current epoch. */
    public static final int GENESIS_POP_EPOCH = 0;

    private final GenesisConfig genesis;
    private final String chainId;
    private final CommandAuthenticator authenticator;
    final EventLog events = new EventLog();
    final Accounts accounts;
    final CertificateVerifier verifier = new CertificateVerifier();
    final Committees committees;
    final BlobRegistry blobs;
    final SpaceRegistry spaces;
    final BucketRegistry buckets;
    private long lastIndex = -1;

    ControlState(GenesisConfig genesis) {
        this.genesis = genesis;
        this.chainId = ChainId.of(genesis);
        this.authenticator = new CommandAuthenticator(chainId);
        this.accounts = new Accounts(genesis);
        this.committees = new Committees(genesis, verifier);
        this.blobs = new BlobRegistry(genesis, committees, verifier);
        this.spaces = new SpaceRegistry(committees, blobs);
        this.buckets = new BucketRegistry(committees);
    }

    /**
     * The state at the start of epoch 1.
     *
     * @throws IllegalArgumentException naming the field at fault if the genesis is invalid (no nodes, a bad key or
     *                                  proof of possession, a duplicate key, a bad price or limit)
     */
    public static ControlState genesis(GenesisConfig genesis) {
        ControlState state = new ControlState(genesis);
        state.initialize();
        return state;
    }

    private void initialize() {
        GenesisConfig g = genesis;
        require(g.maxEpochsAhead() >= 1, "maxEpochsAhead must be at least 1, got " + g.maxEpochsAhead());
        require(g.epochDurationMillis() > 0, "epochDurationMillis must be positive, got " + g.epochDurationMillis());
        require(g.storagePricePerUnitPerEpoch() >= 0 && g.writePricePerUnit() >= 0,
                "prices must not be negative, got storage " + g.storagePricePerUnitPerEpoch() + " write "
                        + g.writePricePerUnit());
        require(g.faucetMaxAmount() >= 0, "faucetMaxAmount must not be negative, got " + g.faucetMaxAmount());
        require(!g.nodes().isEmpty(), "genesis needs at least one storage node");
        String admin = canonicalAddress(g.adminAddress(), "adminAddress");
        accounts.put(new AccountEntry(admin, 0, 0));
        for (Map.Entry<String, Long> e : g.initialBalances().entrySet()) {
            String address = canonicalAddress(e.getKey(), "initialBalances key");
            require(e.getValue() != null && e.getValue() >= 0, "initial balance of " + address + " must not be negative");
            accounts.put(new AccountEntry(address, e.getValue(), 0));
        }
        committees.initialize().forEach(accounts::createIfAbsent);
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
     * Applies one signed command at log index {@code index}. Checks, in order: payload size, the Ed25519 signature
     * over the exact payload bytes, the envelope JSON, that it is for this network's chain ID, that the sender is the
     * key's address, the account, the nonce, then the command's own rules. Object IDs created are derived from the
     * sender and the nonce ({@link CommandContext#objectId}). A command accepted before (same sender, nonce and
     * payload, among the sender's latest {@value Accounts#RETAINED_OUTCOMES}) is not applied again: its original
     * outcome is returned, marked {@code retried}.
     *
     * @param index strictly greater than the index of every command accepted before
     * @return the events of an accepted command, or the reason a command was refused (nothing changed)
     * @throws IllegalArgumentException if {@code index} does not increase (a bug in the caller, not a refusal)
     */
    public CommandResult apply(SignedCommand command, long index) {
        if (index <= lastIndex) {
            throw new IllegalArgumentException("command index " + index + " is not after the last applied " + lastIndex);
        }
        try {
            AuthenticatedCommand authenticated = authenticator.authenticate(command);
            Optional<OutcomeEntry> earlier = accounts.earlierOutcome(authenticated);
            if (earlier.isPresent()) {
                OutcomeEntry o = earlier.get();
                return new CommandResult.Accepted(o.index(), events.page(o.firstCursor(), o.eventCount()), true);
            }
            String sender = authenticated.sender();
            CommandContext ctx = new CommandContext(sender, authenticated.nonce(),
                    accounts.sender(sender, authenticated.nonce(), authenticated.command()), index, accounts, events);
            long firstCursor = events.nextCursor();
            dispatch(ctx, authenticated.command());
            accounts.recordOutcome(new OutcomeEntry(sender, authenticated.nonce(), authenticated.payloadHash(), index,
                    firstCursor, ctx.emitted().size()));
            lastIndex = index;
            return new CommandResult.Accepted(index, ctx.emitted());
        } catch (Refusal r) {
            return new CommandResult.Refused(r.reason(), r.getMessage());
        }
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
            case Command.DeleteBlob c -> blobs.deleteBlob(ctx, c);
            case Command.InvalidateBlob c -> blobs.invalidateBlob(ctx, c);
            case Command.CreateSpace c -> spaces.createSpace(ctx, c);
            case Command.CommitSpace c -> spaces.commitSpace(ctx, c);
            case Command.CreateBucket c -> buckets.createBucket(ctx, c);
            case Command.DeleteBucket c -> buckets.deleteBucket(ctx, c);
        }
    }

    // ------------------------------------------------------------------------------------------------ queries

    public GenesisConfig genesisConfig() {
        return genesis;
    }

    /** This network's chain ID ({@link ChainId}): every command's envelope must name it. */
    public String chainId() {
        return chainId;
    }

    public int epoch() {
        return committees.epoch();
    }

    /** The index of the last accepted command, -1 before any. */
    public long lastIndex() {
        return lastIndex;
    }

    public EpochInfo epochInfo() {
        return committees.epochInfo();
    }

    /** Whether the change into the current epoch is done. */
    public boolean epochChangeDone() {
        return committees.epochChangeDone();
    }

    /** The change into the current epoch: its state and which members reported their shards synced. */
    public EpochChangeInfo epochChange() {
        return committees.epochChange();
    }

    /**
     * The committee the next epoch change would choose if it happened now (registered nodes and stakes as they are):
     * for operators; the real choice is made when the epoch advances.
     */
    public CommitteeInfo nextCommitteePreview() {
        return committees.nextCommitteePreview();
    }

    public CommitteeInfo committee() {
        return committees.committee();
    }

    /** The committee of the epoch before the current one, if there was one (nodes move shards from it). */
    public Optional<CommitteeInfo> previousCommittee() {
        return committees.previousCommittee();
    }

    public PriceInfo prices() {
        return new PriceInfo(genesis.storagePricePerUnitPerEpoch(), genesis.writePricePerUnit(), UNIT_SIZE);
    }

    /** The account, or empty if it does not exist. {@code address} may be in any form {@link Address#parse} takes. */
    public Optional<AccountInfo> account(String address) {
        return accounts.info(address);
    }

    /** The live objects the account owns, by object ID. */
    public OwnedBlobs blobsOwnedBy(String address) {
        return blobs.ownedBy(address);
    }

    public Optional<BlobObject> blobObject(String objectId) {
        return blobs.object(objectId);
    }

    /**
     * The blob ID's objects (not deleted, expired included) and its aggregate status in the current epoch, like a
     * Walrus node's: invalid if marked so; else permanent if a live permanent object exists (the latest-ending
     * certified one decides, else the latest-ending registered one); else deletable if live deletable objects exist;
     * else nonexistent. Expired objects do not count.
     */
    public BlobInfo blobInfo(BlobId blobId) {
        return blobs.info(blobId);
    }

    /** The head of {@code owner}'s space {@code name}, if it exists. */
    public Optional<SpaceHead> spaceHead(String owner, String name) {
        return spaces.head(owner, name);
    }

    /** The spaces {@code owner} owns, by name. */
    public OwnedSpaces spacesOwnedBy(String owner) {
        return spaces.owned(owner);
    }

    /** The S3 bucket {@code name} (its owner), if some account claimed it. */
    public Optional<BucketInfo> bucket(String name) {
        return buckets.bucket(name);
    }

    /** The S3 buckets {@code owner} owns, by name. */
    public OwnedBuckets bucketsOwnedBy(String owner) {
        return buckets.ownedBy(owner);
    }

    /** Number of events so far; the next event's cursor. */
    public long eventCount() {
        return events.count();
    }

    /** Up to {@code limit} events from cursor {@code from} on (empty if there are none yet). */
    public List<Event> events(long from, int limit) {
        return events.page(from, limit);
    }

    // ------------------------------------------------------------------------------------------------ snapshots

    public StateSnapshot toSnapshot() {
        return StateCodec.toSnapshot(this);
    }

    /** The state as bytes (UTF-8 JSON, every collection sorted): equal states give identical bytes. */
    public byte[] snapshot() {
        return StateCodec.encode(this);
    }

    /**
     * Rebuilds a state from {@link #snapshot()} bytes.
     *
     * @throws IllegalArgumentException if the bytes are not a snapshot of this version
     */
    public static ControlState restore(byte[] snapshot) {
        return StateCodec.decode(snapshot);
    }

    void restoreLastIndex(long index) {
        this.lastIndex = index;
    }

    @Override
    public String toString() {
        return "ControlState[epoch=" + epoch() + ", lastIndex=" + lastIndex + ", accounts=" + accounts.size()
                + ", nodes=" + committees.nodeCount() + ", blobs=" + blobs.size() + ", spaces=" + spaces.size() + ", buckets=" + buckets.size() + ", events=" + events.count() + "]";
    }
}
