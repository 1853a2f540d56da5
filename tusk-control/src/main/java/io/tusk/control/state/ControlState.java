package io.tusk.control.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.control.api.AccountInfo;
import io.tusk.control.api.BlobInfo;
import io.tusk.control.api.BlobObject;
import io.tusk.control.api.BlobStatus;
import io.tusk.control.api.Certificate;
import io.tusk.control.api.Command;
import io.tusk.control.api.CommandEnvelope;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.control.api.ControlJson;
import io.tusk.control.api.EpochChangeInfo;
import io.tusk.control.api.EpochInfo;
import io.tusk.control.api.Event;
import io.tusk.control.api.OwnedBlobs;
import io.tusk.control.api.PriceInfo;
import io.tusk.control.api.SignedCommand;
import io.tusk.control.api.StorageResource;
import io.tusk.control.state.StateSnapshot.AccountEntry;
import io.tusk.control.state.StateSnapshot.BlobEntry;
import io.tusk.control.state.StateSnapshot.InvalidBlobEntry;
import io.tusk.control.state.StateSnapshot.NodeEntry;
import io.tusk.core.Bft;
import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Address;
import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.core.crypto.BlsSignature;
import io.tusk.core.crypto.Ed25519PublicKey;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.ConfirmationCertificate;
import io.tusk.core.messages.InvalidBlobIdMessage;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.messages.ProofOfPossessionMessage;
import io.tusk.core.messages.ShardsSyncedMessage;
import io.tusk.core.messages.StorageConfirmation;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.EncodingType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The control plane's deterministic state machine: accounts, storage nodes and committees, epochs, prices, the blob
 * registry and the event log.
 *
 * <p>{@link #apply(SignedCommand, long)} depends only on the current state, the command bytes and the index: no clock,
 * no randomness, no I/O. So replaying the same accepted commands at the same indices from the same genesis gives the
 * same state, byte for byte in {@link #snapshot()}; a Raft {@code applyTransaction} can call it unchanged. A refused
 * command changes nothing, not even the sender's nonce.
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

    private static final byte[] OBJECT_DOMAIN = "tusk/object".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] NODE_DOMAIN = "tusk/node".getBytes(StandardCharsets.US_ASCII);

    private final ObjectMapper json = ControlJson.mapper();
    private final GenesisConfig genesis;
    private final EncodingConfig encoding;
    // INV: every map is keyed by the canonical text form (0x + 64 lowercase hex, or base64url blob ID).
    private final TreeMap<String, AccountEntry> accounts = new TreeMap<>();
    private final TreeMap<String, NodeEntry> nodes = new TreeMap<>();
    private final TreeMap<String, BlobEntry> blobs = new TreeMap<>();
    private final TreeMap<String, TreeSet<String>> objectsByBlobId = new TreeMap<>();
    private final TreeMap<String, TreeSet<String>> objectsByOwner = new TreeMap<>();
    private final TreeMap<String, Long> invalidBlobIds = new TreeMap<>();
    private final List<Event> events = new ArrayList<>();
    private long lastIndex = -1;
    private int epoch;
    private long epochStartMillis;
    private CommitteeInfo committee;
    private CommitteeInfo previousCommittee;
    /** Whether members holding a quorum of shards reported the change into {@link #epoch} done. */
    private boolean epochChangeDone = true;
    /** Members of the current committee that hold every shard assigned to them in this epoch, by node ID. */
    private final TreeSet<String> syncedNodes = new TreeSet<>();
    /** Parsed committee keys (parsing checks the subgroup, which is slow); derived data, not state. */
    private final Map<String, BlsPublicKey> keyCache = new HashMap<>();

    private ControlState(GenesisConfig genesis) {
        this.genesis = genesis;
        this.encoding = new EncodingConfig(genesis.shardCount());
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
        accounts.put(admin, new AccountEntry(admin, 0, 0));
        for (Map.Entry<String, Long> e : g.initialBalances().entrySet()) {
            String address = canonicalAddress(e.getKey(), "initialBalances key");
            require(e.getValue() != null && e.getValue() >= 0, "initial balance of " + address + " must not be negative");
            accounts.put(address, new AccountEntry(address, e.getValue(), 0));
        }
        for (int i = 0; i < g.nodes().size(); i++) {
            GenesisConfig.GenesisNode n = g.nodes().get(i);
            String what = "genesis node " + i + " (" + n.name() + ")";
            String owner = canonicalAddress(n.owner(), what + " owner");
            BlsPublicKey key;
            try {
                key = BlsPublicKey.fromBytes(n.blsPublicKey());
                checkNodeFields(n.name(), n.networkAddress(), n.stake());
                checkProofOfPossession(GENESIS_POP_EPOCH, owner, key, n.proofOfPossession());
            } catch (IllegalArgumentException | Refusal e) {
                throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
            }
            String nodeId = nodeId(key);
            require(!nodes.containsKey(nodeId), what + ": BLS public key already used by another genesis node");
            nodes.put(nodeId, new NodeEntry(nodeId, owner, n.name(), n.networkAddress(), key.bytes(), n.stake(), 0));
            keyCache.put(nodeId, key);
            accounts.putIfAbsent(owner, new AccountEntry(owner, 0, 0));
        }
        epoch = 1;
        epochStartMillis = g.genesisTimeMillis();
        List<NodeEntry> members = new ArrayList<>(nodes.values());
        int[] counts = ShardApportionment.counts(stakes(members), g.shardCount());
        committee = committeeOf(epoch, members, ShardApportionment.contiguous(counts));
        previousCommittee = null;
        committee.members().forEach(m -> syncedNodes.add(m.nodeId())); // the first committee holds its shards from the start
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException("invalid genesis: " + message);
        }
    }

    private static String canonicalAddress(String text, String what) {
        try {
            return Address.parse(text).toString();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("invalid genesis: " + what + " is not an address: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------------------------------------ apply

    /**
     * Applies one signed command at log index {@code index}. Checks, in order: payload size, the Ed25519 signature
     * over the exact payload bytes, the envelope JSON, that the sender is the key's address, the account, the nonce,
     * then the command's own rules. Object IDs created are derived from {@code index}.
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
            return applyChecked(command, index);
        } catch (Refusal r) {
            return new CommandResult.Refused(r.reason(), r.getMessage());
        }
    }

    private CommandResult applyChecked(SignedCommand signed, long index) throws Refusal {
        byte[] payload = signed.payload();
        if (payload.length > SignedCommand.MAX_PAYLOAD_BYTES) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "command payload is " + payload.length
                    + " bytes, the limit is " + SignedCommand.MAX_PAYLOAD_BYTES);
        }
        Ed25519PublicKey key;
        try {
            key = Ed25519PublicKey.fromBytes(signed.publicKey());
        } catch (IllegalArgumentException e) {
            throw new Refusal(ErrorReason.INVALID_SIGNATURE, "bad public key: " + e.getMessage());
        }
        byte[] signature = signed.signature();
        if (signature.length != Ed25519PublicKey.SIGNATURE_LENGTH || !key.verify(payload, signature)) {
            throw new Refusal(ErrorReason.INVALID_SIGNATURE,
                    "the signature does not verify over the payload with key " + key.toBase64());
        }
        CommandEnvelope envelope;
        try {
            envelope = json.readValue(payload, CommandEnvelope.class);
        } catch (IOException e) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "payload is not a valid command envelope: "
                    + firstLine(e.getMessage()));
        }
        String sender = key.address().toString();
        if (!sender.equals(envelope.sender())) {
            throw new Refusal(ErrorReason.INVALID_SIGNATURE, "sender " + envelope.sender()
                    + " is not the address of the signing key, " + sender);
        }
        Command command = envelope.command();
        if (command instanceof Command.Faucet && !genesis.faucetEnabled()) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "the faucet is disabled on this network");
        }
        AccountEntry account = accounts.get(sender);
        if (account == null) {
            if (!(command instanceof Command.Faucet) && !(command instanceof Command.ShardsSynced)
                    && !(command instanceof Command.InvalidateBlob)) {
                throw new Refusal(ErrorReason.UNKNOWN_ACCOUNT, "account " + sender + " does not exist");
            }
            account = new AccountEntry(sender, 0, 0);
        }
        if (envelope.nonce() != account.nextNonce()) {
            throw new Refusal(ErrorReason.BAD_NONCE, "nonce " + envelope.nonce() + " of " + sender
                    + " is not the account's next nonce " + account.nextNonce());
        }
        // Each handler checks everything before it changes anything; from here on, nothing refuses.
        Context ctx = new Context(sender, account, index);
        switch (command) {
            case Command.Faucet c -> faucet(ctx, c);
            case Command.RegisterNode c -> registerNode(ctx, c);
            case Command.RegisterBlob c -> registerBlob(ctx, c);
            case Command.CertifyBlob c -> certifyBlob(ctx, c);
            case Command.ExtendBlob c -> extendBlob(ctx, c);
            case Command.DeleteBlob c -> deleteBlob(ctx, c);
            case Command.AdvanceEpoch c -> advanceEpoch(ctx, c);
            case Command.LeaveCommittee c -> leaveCommittee(ctx, c);
            case Command.SetStake c -> setStake(ctx, c);
            case Command.ShardsSynced c -> shardsSynced(ctx, c);
            case Command.InvalidateBlob c -> invalidateBlob(ctx, c);
        }
        return new CommandResult.Accepted(index, ctx.emitted);
    }

    /** The sender's account as the command sees it, and what the command emitted. */
    private final class Context {
        final String sender;
        final long index;
        AccountEntry account;
        final List<Event> emitted = new ArrayList<>();

        Context(String sender, AccountEntry account, long index) {
            this.sender = sender;
            this.account = account;
            this.index = index;
        }

        void requireBalance(long amount, String what) throws Refusal {
            if (account.balance() < amount) {
                throw new Refusal(ErrorReason.INSUFFICIENT_BALANCE, what + " costs " + amount + " but " + sender
                        + " has " + account.balance());
            }
        }

        /** Commits: the balance change, the nonce, the index. Call once all checks passed. */
        void commit(long balanceDelta) {
            account = new AccountEntry(sender, account.balance() + balanceDelta, account.nextNonce() + 1);
            accounts.put(sender, account);
            lastIndex = index;
        }

        long nextCursor() {
            return events.size();
        }

        void emit(Event event) {
            events.add(event);
            emitted.add(event);
        }
    }

    private void faucet(Context ctx, Command.Faucet c) throws Refusal {
        if (c.amount() <= 0 || c.amount() > genesis.faucetMaxAmount()) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "faucet amount must be in [1, "
                    + genesis.faucetMaxAmount() + "], got " + c.amount());
        }
        if (ctx.account.balance() > Long.MAX_VALUE - c.amount()) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "faucet amount " + c.amount() + " would overflow the balance "
                    + ctx.account.balance());
        }
        ctx.commit(c.amount());
    }

    private void registerNode(Context ctx, Command.RegisterNode c) throws Refusal {
        checkNodeFields(c.name(), c.networkAddress(), c.stake());
        BlsPublicKey key;
        try {
            key = BlsPublicKey.fromBytes(c.blsPublicKey());
        } catch (IllegalArgumentException e) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "blsPublicKey: " + e.getMessage());
        }
        String nodeId = nodeId(key);
        if (nodes.containsKey(nodeId)) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "BLS key " + key.toBase64() + " is already registered as node "
                    + nodeId);
        }
        checkProofOfPossession(epoch, ctx.sender, key, c.proofOfPossession());
        ctx.requireBalance(c.stake(), "a stake of " + c.stake());
        nodes.put(nodeId, new NodeEntry(nodeId, ctx.sender, c.name(), c.networkAddress(), key.bytes(), c.stake(), epoch));
        keyCache.put(nodeId, key);
        ctx.commit(-c.stake());
        ctx.emit(new Event.NodeRegistered(ctx.nextCursor(), epoch, nodeId));
    }

    private static void checkNodeFields(String name, String networkAddress, long stake) throws Refusal {
        if (name.isBlank() || name.length() > MAX_NAME_LENGTH) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "node name must be 1.." + MAX_NAME_LENGTH
                    + " characters and not blank, got " + name.length());
        }
        int colon = networkAddress.lastIndexOf(':');
        boolean ok = networkAddress.length() <= MAX_NETWORK_ADDRESS_LENGTH && colon > 0
                && colon < networkAddress.length() - 1;
        if (ok) {
            String port = networkAddress.substring(colon + 1);
            ok = port.length() <= 5 && port.chars().allMatch(ch -> ch >= '0' && ch <= '9')
                    && Integer.parseInt(port) >= 1 && Integer.parseInt(port) <= 65_535;
        }
        if (!ok) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "networkAddress must be host:port with port 1..65535, got '"
                    + abbreviate(networkAddress) + "'");
        }
        if (stake < 0) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "stake must not be negative, got " + stake);
        }
    }

    private static void checkProofOfPossession(int popEpoch, String owner, BlsPublicKey key, byte[] proof)
            throws Refusal {
        BlsSignature signature;
        try {
            signature = BlsSignature.fromBytes(proof);
        } catch (IllegalArgumentException e) {
            throw new Refusal(ErrorReason.INVALID_SIGNATURE, "proofOfPossession: " + e.getMessage());
        }
        byte[] message = new ProofOfPossessionMessage(popEpoch, Address.parse(owner), key).toBcs();
        if (!key.verify(message, signature)) {
            throw new Refusal(ErrorReason.INVALID_SIGNATURE, "proofOfPossession does not verify for key "
                    + key.toBase64() + ", account " + owner + " and epoch " + popEpoch);
        }
    }

    private void registerBlob(Context ctx, Command.RegisterBlob c) throws Refusal {
        BlobId blobId = parseBlobId(c.blobId());
        if (!EncodingType.RS2.wireName().equals(c.encodingType())) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "encodingType must be \"RS2\", got \""
                    + abbreviate(c.encodingType()) + "\"");
        }
        if (c.rootHash().length != BlobId.LENGTH) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "rootHash must be " + BlobId.LENGTH + " bytes, got "
                    + c.rootHash().length);
        }
        long maxSize = encoding.maxBlobSize();
        if (c.unencodedLength() < 0 || c.unencodedLength() > maxSize) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "unencodedLength must be in [0, " + maxSize + "] for "
                    + genesis.shardCount() + " shards, got " + c.unencodedLength());
        }
        BlobId derived = BlobId.derive(EncodingType.RS2, c.unencodedLength(), c.rootHash());
        if (!derived.equals(blobId)) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "blob ID " + blobId + " does not match its root hash and length "
                    + c.unencodedLength() + ", which give " + derived);
        }
        checkEpochsAhead(c.epochsAhead(), "epochsAhead");
        if (invalidBlobIds.containsKey(blobId.toString())) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "blob ID " + blobId + " was marked invalid");
        }
        long encodedSize = encoding.encodedSize(c.unencodedLength());
        long units = units(encodedSize);
        long cost;
        try {
            cost = Math.multiplyExact(units, Math.addExact(
                    Math.multiplyExact(genesis.storagePricePerUnitPerEpoch(), (long) c.epochsAhead()),
                    genesis.writePricePerUnit()));
        } catch (ArithmeticException e) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "the cost of " + units + " units for " + c.epochsAhead()
                    + " epochs overflows");
        }
        ctx.requireBalance(cost, "registering " + units + " units for " + c.epochsAhead() + " epochs");

        String objectId = deriveObjectId(ctx.index, 0).toString();
        String storageId = deriveObjectId(ctx.index, 1).toString();
        long cursor = ctx.nextCursor();
        int endEpoch = epoch + c.epochsAhead();
        BlobEntry entry = new BlobEntry(objectId, ctx.sender, blobId.toString(), c.unencodedLength(),
                EncodingType.RS2.wireName(), epoch, null, storageId, epoch, endEpoch, encodedSize, c.deletable(),
                cursor, -1);
        putBlob(entry);
        ctx.commit(-cost);
        ctx.emit(new Event.BlobRegistered(cursor, epoch, entry.blobId(), objectId, ctx.sender, c.unencodedLength(),
                entry.encodingType(), endEpoch, c.deletable()));
    }

    private void certifyBlob(Context ctx, Command.CertifyBlob c) throws Refusal {
        BlobEntry blob = liveBlob(c.objectId());
        if (blob.isCertified()) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "blob object " + blob.objectId() + " was already certified in epoch "
                    + blob.certifiedEpoch());
        }
        requireNotExpired(blob);
        requireValid(blob);
        checkCertificate(blob, c.certificate());
        long cursor = ctx.nextCursor();
        BlobEntry certified = blob.certified(epoch, cursor);
        blobs.put(certified.objectId(), certified);
        ctx.commit(0);
        ctx.emit(new Event.BlobCertified(cursor, epoch, blob.blobId(), blob.objectId(), blob.endEpoch(),
                blob.deletable(), false));
    }

    /** The shards held by the certificate's signers; refuses indices that are not ascending committee members. */
    private int signerWeight(Certificate certificate) throws Refusal {
        List<CommitteeMember> members = committee.members();
        List<Integer> signers = certificate.signers();
        int weight = 0;
        int previous = -1;
        for (int signer : signers) {
            if (signer <= previous || signer >= members.size()) {
                throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "signer indices must be ascending, distinct and below "
                        + members.size() + " (the committee size), got " + signers);
            }
            previous = signer;
            weight += members.get(signer).shards().size();
        }
        return weight;
    }

    /** Checks the aggregate signature of the certificate's signers over its message. */
    private void checkAggregateSignature(Certificate certificate, String what) throws Refusal {
        List<CommitteeMember> members = committee.members();
        List<BlsPublicKey> keys = new ArrayList<>(members.size());
        for (CommitteeMember member : members) {
            keys.add(committeeKey(member));
        }
        ConfirmationCertificate parsed;
        try {
            parsed = new ConfirmationCertificate(certificate.signers(), certificate.serializedMessage(),
                    BlsSignature.fromBytes(certificate.signature()));
        } catch (IllegalArgumentException e) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "bad certificate: " + e.getMessage());
        }
        if (!parsed.verify(keys)) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "the aggregate signature of signers " + certificate.signers()
                    + " does not verify over the " + what);
        }
    }

    private void invalidateBlob(Context ctx, Command.InvalidateBlob c) throws Refusal {
        BlobId blobId = parseBlobId(c.blobId());
        if (invalidBlobIds.containsKey(blobId.toString())) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "blob ID " + blobId + " was already marked invalid");
        }
        int weight = signerWeight(c.certificate());
        if (!Bft.isValidity(weight, committee.shardCount())) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "signers hold " + weight + " shards, invalidating a blob needs "
                    + Bft.validityThreshold(committee.shardCount()) + " of " + committee.shardCount());
        }
        InvalidBlobIdMessage message;
        try {
            message = InvalidBlobIdMessage.fromBcs(c.certificate().serializedMessage());
        } catch (RuntimeException e) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "the certified message is not an invalid-blob-ID message: "
                    + e.getMessage());
        }
        if (message.epoch() != epoch) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "the message is for epoch " + message.epoch()
                    + ", the current epoch is " + epoch);
        }
        if (!message.blobId().equals(blobId)) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "the message is for blob " + message.blobId()
                    + ", the command names " + blobId);
        }
        checkAggregateSignature(c.certificate(), "invalid-blob-ID message");
        long cursor = ctx.nextCursor();
        invalidBlobIds.put(blobId.toString(), cursor);
        ctx.commit(0);
        ctx.emit(new Event.InvalidBlobId(cursor, epoch, blobId.toString()));
    }

    private void checkCertificate(BlobEntry blob, Certificate certificate) throws Refusal {
        List<Integer> signers = certificate.signers();
        int weight = signerWeight(certificate);
        if (!Bft.isQuorum(weight, committee.shardCount())) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "signers hold " + weight + " shards, a quorum needs "
                    + Bft.quorumThreshold(committee.shardCount()) + " of " + committee.shardCount());
        }
        StorageConfirmation confirmation;
        try {
            confirmation = StorageConfirmation.fromBcs(certificate.serializedMessage());
        } catch (RuntimeException e) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "the certified message is not a storage confirmation: "
                    + e.getMessage());
        }
        if (confirmation.epoch() != epoch) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "the confirmation is for epoch " + confirmation.epoch()
                    + ", the current epoch is " + epoch);
        }
        if (!confirmation.blobId().toString().equals(blob.blobId())) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "the confirmation is for blob " + confirmation.blobId()
                    + ", the object holds blob " + blob.blobId());
        }
        BlobPersistence expected = blob.deletable()
                ? BlobPersistence.deletable(ObjectId.parse(blob.objectId()))
                : BlobPersistence.PERMANENT;
        if (!expected.equals(confirmation.persistence())) {
            throw new Refusal(ErrorReason.INVALID_CERTIFICATE, "the confirmation's persistence " + describe(confirmation.persistence())
                    + " does not match the object's, " + describe(expected));
        }
        checkAggregateSignature(certificate, "confirmation");
    }

    private static String describe(BlobPersistence persistence) {
        return switch (persistence) {
            case BlobPersistence.Permanent p -> "permanent";
            case BlobPersistence.Deletable d -> "deletable(" + d.objectId() + ")";
        };
    }

    private BlsPublicKey committeeKey(CommitteeMember member) {
        return keyCache.computeIfAbsent(member.nodeId(), id -> BlsPublicKey.fromBytes(member.blsPublicKey()));
    }

    private void extendBlob(Context ctx, Command.ExtendBlob c) throws Refusal {
        BlobEntry blob = liveBlob(c.objectId());
        if (!blob.isCertified()) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "blob object " + blob.objectId()
                    + " is not certified; only certified blobs can be extended");
        }
        requireNotExpired(blob);
        requireValid(blob);
        if (c.epochs() < 1) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "epochs must be at least 1, got " + c.epochs());
        }
        long newEnd = (long) blob.endEpoch() + c.epochs();
        if (newEnd - epoch > genesis.maxEpochsAhead()) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "extending blob object " + blob.objectId() + " by " + c.epochs()
                    + " epochs would end it at epoch " + newEnd + ", more than " + genesis.maxEpochsAhead()
                    + " epochs after the current epoch " + epoch);
        }
        long units = units(blob.storageSize());
        long cost;
        try {
            cost = Math.multiplyExact(units, Math.multiplyExact(genesis.storagePricePerUnitPerEpoch(), (long) c.epochs()));
        } catch (ArithmeticException e) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "the cost of extending overflows");
        }
        ctx.requireBalance(cost, "extending " + units + " units by " + c.epochs() + " epochs");
        long cursor = ctx.nextCursor();
        BlobEntry extended = blob.extended((int) newEnd, cursor);
        blobs.put(extended.objectId(), extended);
        ctx.commit(-cost);
        ctx.emit(new Event.BlobCertified(cursor, epoch, blob.blobId(), blob.objectId(), (int) newEnd, blob.deletable(),
                true));
    }

    private void deleteBlob(Context ctx, Command.DeleteBlob c) throws Refusal {
        BlobEntry blob = liveBlob(c.objectId());
        if (!blob.owner().equals(ctx.sender)) {
            throw new Refusal(ErrorReason.NOT_OWNER, "blob object " + blob.objectId() + " is owned by " + blob.owner()
                    + ", not " + ctx.sender);
        }
        if (!blob.deletable()) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "blob object " + blob.objectId()
                    + " is permanent and cannot be deleted");
        }
        requireNotExpired(blob);
        removeBlob(blob);
        ctx.commit(0);
        ctx.emit(new Event.BlobDeleted(ctx.nextCursor(), epoch, blob.blobId(), blob.objectId(), blob.isCertified()));
    }

    private void advanceEpoch(Context ctx, Command.AdvanceEpoch c) throws Refusal {
        String admin = Address.parse(genesis.adminAddress()).toString();
        if (!ctx.sender.equals(admin)) {
            throw new Refusal(ErrorReason.NOT_OWNER, "only the operator " + admin + " may advance the epoch, not "
                    + ctx.sender);
        }
        if (c.startTimeMillis() < epochStartMillis) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "the new epoch cannot start at " + c.startTimeMillis()
                    + ", before the current epoch's start " + epochStartMillis);
        }
        if (epoch == Integer.MAX_VALUE) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "the epoch counter is exhausted");
        }
        if (!epochChangeDone) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "the change to epoch " + epoch + " is still in progress: "
                    + "members holding a quorum of shards have not reported their shards synced");
        }
        CommitteeInfo next = chooseCommittee(epoch + 1);
        epoch++;
        epochStartMillis = c.startTimeMillis();
        previousCommittee = committee;
        committee = next;
        // Members that gained no shard hold everything they are assigned already: they count as synced at once.
        Map<String, List<Integer>> held = new HashMap<>();
        for (CommitteeMember m : previousCommittee.members()) {
            held.put(m.nodeId(), m.shards());
        }
        syncedNodes.clear();
        for (CommitteeMember m : committee.members()) {
            if (held.getOrDefault(m.nodeId(), List.of()).containsAll(m.shards())) {
                syncedNodes.add(m.nodeId());
            }
        }
        epochChangeDone = false;
        ctx.commit(0);
        ctx.emit(new Event.EpochChange(ctx.nextCursor(), epoch));
        completeEpochChangeIfQuorum(ctx);
    }

    /**
     * The committee of {@code nextEpoch}: every registered node, sorted by node ID, shards by stake; each node keeps as
     * many of its current shards as it may, so shards move as little as possible.
     */
    private CommitteeInfo chooseCommittee(int nextEpoch) {
        List<NodeEntry> members = new ArrayList<>(nodes.values());
        Map<String, List<Integer>> held = new HashMap<>();
        for (CommitteeMember m : committee.members()) {
            held.put(m.nodeId(), m.shards());
        }
        List<List<Integer>> current = new ArrayList<>(members.size());
        for (NodeEntry n : members) {
            current.add(held.getOrDefault(n.nodeId(), List.of()));
        }
        int[] counts = ShardApportionment.counts(stakes(members), genesis.shardCount());
        List<List<Integer>> shards = ShardApportionment.reassign(current, counts, genesis.shardCount());
        return committeeOf(nextEpoch, members, shards);
    }

    private void completeEpochChangeIfQuorum(Context ctx) {
        if (epochChangeDone) {
            return;
        }
        if (Bft.isQuorum(syncedShards(), committee.shardCount())) {
            epochChangeDone = true;
            ctx.emit(new Event.EpochChangeDone(ctx.nextCursor(), epoch));
        }
    }

    private int syncedShards() {
        int weight = 0;
        for (CommitteeMember m : committee.members()) {
            if (syncedNodes.contains(m.nodeId())) {
                weight += m.shards().size();
            }
        }
        return weight;
    }

    private NodeEntry ownedNode(Context ctx, String nodeIdText) throws Refusal {
        String nodeId;
        try {
            nodeId = ObjectId.parse(nodeIdText).toString();
        } catch (IllegalArgumentException e) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "nodeId: " + e.getMessage());
        }
        NodeEntry node = nodes.get(nodeId);
        if (node == null) {
            throw new Refusal(ErrorReason.TARGET_NOT_FOUND, "no registered node " + nodeId + " (never registered, or left)");
        }
        if (!node.owner().equals(ctx.sender)) {
            throw new Refusal(ErrorReason.NOT_OWNER, "node " + nodeId + " is owned by " + node.owner() + ", not "
                    + ctx.sender);
        }
        return node;
    }

    private void leaveCommittee(Context ctx, Command.LeaveCommittee c) throws Refusal {
        NodeEntry node = ownedNode(ctx, c.nodeId());
        if (nodes.size() == 1) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "node " + node.nodeId()
                    + " is the only registered node; the network needs at least one");
        }
        if (ctx.account.balance() > Long.MAX_VALUE - node.stake()) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "returning the stake would overflow the balance");
        }
        nodes.remove(node.nodeId());
        ctx.commit(node.stake());
        ctx.emit(new Event.NodeLeft(ctx.nextCursor(), epoch, node.nodeId()));
    }

    private void setStake(Context ctx, Command.SetStake c) throws Refusal {
        NodeEntry node = ownedNode(ctx, c.nodeId());
        if (c.stake() < 0) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "stake must not be negative, got " + c.stake());
        }
        long delta = c.stake() - node.stake(); // what the owner pays (negative: what it gets back)
        if (delta > 0) {
            ctx.requireBalance(delta, "raising the stake to " + c.stake());
        } else if (ctx.account.balance() > Long.MAX_VALUE + delta) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "returning the stake would overflow the balance");
        }
        nodes.put(node.nodeId(), new NodeEntry(node.nodeId(), node.owner(), node.name(), node.networkAddress(),
                node.blsPublicKey(), c.stake(), node.registeredEpoch()));
        ctx.commit(-delta);
        ctx.emit(new Event.StakeChanged(ctx.nextCursor(), epoch, node.nodeId(), c.stake()));
    }

    private void shardsSynced(Context ctx, Command.ShardsSynced c) throws Refusal {
        ObjectId nodeId;
        try {
            nodeId = ObjectId.parse(c.nodeId());
        } catch (IllegalArgumentException e) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "nodeId: " + e.getMessage());
        }
        if (c.epoch() != epoch) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "the report is for epoch " + c.epoch()
                    + ", the current epoch is " + epoch);
        }
        CommitteeMember member = committee.members().stream().filter(m -> m.nodeId().equals(nodeId.toString()))
                .findFirst().orElseThrow(() -> new Refusal(ErrorReason.TARGET_NOT_FOUND, "node " + nodeId
                        + " is not in the committee of epoch " + epoch));
        BlsSignature signature;
        try {
            signature = BlsSignature.fromBytes(c.signature());
        } catch (IllegalArgumentException e) {
            throw new Refusal(ErrorReason.INVALID_SIGNATURE, "signature: " + e.getMessage());
        }
        byte[] message = new ShardsSyncedMessage(epoch, nodeId).toBcs();
        if (!committeeKey(member).verify(message, signature)) {
            throw new Refusal(ErrorReason.INVALID_SIGNATURE, "the signature does not verify with the BLS key of node "
                    + nodeId);
        }
        if (syncedNodes.contains(member.nodeId())) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "node " + nodeId + " already reported its shards synced in epoch "
                    + epoch);
        }
        syncedNodes.add(member.nodeId());
        ctx.commit(0);
        ctx.emit(new Event.ShardsSynced(ctx.nextCursor(), epoch, member.nodeId()));
        completeEpochChangeIfQuorum(ctx);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private void checkEpochsAhead(int epochsAhead, String field) throws Refusal {
        if (epochsAhead < 1 || epochsAhead > genesis.maxEpochsAhead()) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, field + " must be in [1, " + genesis.maxEpochsAhead()
                    + "], got " + epochsAhead);
        }
    }

    private static BlobId parseBlobId(String text) throws Refusal {
        try {
            return BlobId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "blobId: " + e.getMessage());
        }
    }

    private BlobEntry liveBlob(String objectIdText) throws Refusal {
        String objectId;
        try {
            objectId = ObjectId.parse(objectIdText).toString();
        } catch (IllegalArgumentException e) {
            throw new Refusal(ErrorReason.INVALID_ARGUMENT, "objectId: " + e.getMessage());
        }
        BlobEntry blob = blobs.get(objectId);
        if (blob == null) {
            throw new Refusal(ErrorReason.TARGET_NOT_FOUND, "no blob object " + objectId + " (never registered, or deleted)");
        }
        return blob;
    }

    private void requireNotExpired(BlobEntry blob) throws Refusal {
        if (blob.isExpiredAt(epoch)) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "blob object " + blob.objectId() + " expired: its end epoch "
                    + blob.endEpoch() + " is not after the current epoch " + epoch);
        }
    }

    private void requireValid(BlobEntry blob) throws Refusal {
        if (invalidBlobIds.containsKey(blob.blobId())) {
            throw new Refusal(ErrorReason.ILLEGAL_TRANSITION, "blob ID " + blob.blobId() + " was marked invalid");
        }
    }

    private static long units(long encodedSize) {
        return (encodedSize + UNIT_SIZE - 1) / UNIT_SIZE;
    }

    private static ObjectId deriveObjectId(long index, int sub) {
        byte[] fields = ByteBuffer.allocate(Long.BYTES + Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(index).putInt(sub).array();
        return ObjectId.derive(OBJECT_DOMAIN, fields);
    }

    /** A node's ID: Blake2b-256 of a domain tag and its BLS key; a key can be registered only once. */
    private static String nodeId(BlsPublicKey key) {
        return ObjectId.derive(NODE_DOMAIN, key.bytes()).toString();
    }

    private static long[] stakes(List<NodeEntry> members) {
        return members.stream().mapToLong(NodeEntry::stake).toArray();
    }

    private CommitteeInfo committeeOf(int epochNumber, List<NodeEntry> members, List<List<Integer>> shards) {
        List<CommitteeMember> out = new ArrayList<>(members.size());
        for (int i = 0; i < members.size(); i++) {
            NodeEntry n = members.get(i);
            out.add(new CommitteeMember(n.nodeId(), n.name(), n.networkAddress(), n.blsPublicKey(), n.stake(),
                    shards.get(i)));
        }
        return new CommitteeInfo(epochNumber, genesis.shardCount(), out);
    }

    private void putBlob(BlobEntry entry) {
        blobs.put(entry.objectId(), entry);
        objectsByBlobId.computeIfAbsent(entry.blobId(), k -> new TreeSet<>()).add(entry.objectId());
        objectsByOwner.computeIfAbsent(entry.owner(), k -> new TreeSet<>()).add(entry.objectId());
    }

    private void removeBlob(BlobEntry entry) {
        blobs.remove(entry.objectId());
        removeFromIndex(objectsByBlobId, entry.blobId(), entry.objectId());
        removeFromIndex(objectsByOwner, entry.owner(), entry.objectId());
    }

    private static void removeFromIndex(TreeMap<String, TreeSet<String>> index, String key, String objectId) {
        TreeSet<String> set = index.get(key);
        if (set != null) {
            set.remove(objectId);
            if (set.isEmpty()) {
                index.remove(key);
            }
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return abbreviate(newline < 0 ? message : message.substring(0, newline));
    }

    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 197) + "...";
    }

    // ------------------------------------------------------------------------------------------------ queries

    public GenesisConfig genesisConfig() {
        return genesis;
    }

    public int epoch() {
        return epoch;
    }

    /** The index of the last accepted command, -1 before any. */
    public long lastIndex() {
        return lastIndex;
    }

    public EpochInfo epochInfo() {
        return new EpochInfo(epoch, epochStartMillis, genesis.epochDurationMillis(), genesis.maxEpochsAhead(),
                epochChangeDone ? EpochInfo.CHANGE_DONE : EpochInfo.CHANGE_IN_PROGRESS);
    }

    /** Whether the change into the current epoch is done. */
    public boolean epochChangeDone() {
        return epochChangeDone;
    }

    /** The change into the current epoch: its state and which members reported their shards synced. */
    public EpochChangeInfo epochChange() {
        return new EpochChangeInfo(epoch, epochChangeDone ? EpochInfo.CHANGE_DONE : EpochInfo.CHANGE_IN_PROGRESS,
                List.copyOf(syncedNodes), syncedShards(), committee.shardCount(),
                Bft.quorumThreshold(committee.shardCount()));
    }

    /**
     * The committee the next epoch change would choose if it happened now (registered nodes and stakes as they are):
     * for operators; the real choice is made when the epoch advances.
     */
    public CommitteeInfo nextCommitteePreview() {
        return chooseCommittee(epoch + 1);
    }

    public CommitteeInfo committee() {
        return committee;
    }

    /** The committee of the epoch before the current one, if there was one (nodes move shards from it). */
    public Optional<CommitteeInfo> previousCommittee() {
        return Optional.ofNullable(previousCommittee);
    }

    public PriceInfo prices() {
        return new PriceInfo(genesis.storagePricePerUnitPerEpoch(), genesis.writePricePerUnit(), UNIT_SIZE);
    }

    /** The account, or empty if it does not exist. {@code address} may be in any form {@link Address#parse} takes. */
    public Optional<AccountInfo> account(String address) {
        AccountEntry a = accounts.get(Address.parse(address).toString());
        return a == null ? Optional.empty() : Optional.of(new AccountInfo(a.address(), a.balance(), a.nextNonce()));
    }

    /** The live objects the account owns, by object ID. */
    public OwnedBlobs blobsOwnedBy(String address) {
        String owner = Address.parse(address).toString();
        List<BlobObject> out = new ArrayList<>();
        for (String id : objectsByOwner.getOrDefault(owner, new TreeSet<>())) {
            out.add(toBlobObject(blobs.get(id)));
        }
        return new OwnedBlobs(owner, out);
    }

    public Optional<BlobObject> blobObject(String objectId) {
        BlobEntry b = blobs.get(ObjectId.parse(objectId).toString());
        return Optional.ofNullable(b).map(ControlState::toBlobObject);
    }

    /**
     * The blob ID's objects (not deleted, expired included) and its aggregate status in the current epoch, like a
     * Walrus node's: invalid if marked so; else permanent if a live permanent object exists (the latest-ending
     * certified one decides, else the latest-ending registered one); else deletable if live deletable objects exist;
     * else nonexistent. Expired objects do not count.
     */
    public BlobInfo blobInfo(BlobId blobId) {
        String key = blobId.toString();
        List<BlobEntry> all = new ArrayList<>();
        for (String id : objectsByBlobId.getOrDefault(key, new TreeSet<>())) {
            all.add(blobs.get(id));
        }
        List<BlobObject> objects = all.stream().map(ControlState::toBlobObject).toList();
        return new BlobInfo(key, status(key, all), objects);
    }

    private BlobStatus status(String blobId, List<BlobEntry> all) {
        Long invalidCursor = invalidBlobIds.get(blobId);
        if (invalidCursor != null) {
            return new BlobStatus.Invalid(new BlobStatus.EventRef(invalidCursor));
        }
        List<BlobEntry> live = all.stream().filter(b -> !b.isExpiredAt(epoch)).toList();
        Integer initialCertified = live.stream().filter(BlobEntry::isCertified).map(BlobEntry::certifiedEpoch)
                .min(Integer::compare).orElse(null);
        long deletableTotal = live.stream().filter(BlobEntry::deletable).count();
        long deletableCertified = live.stream().filter(b -> b.deletable() && b.isCertified()).count();
        BlobStatus.DeletableCounts counts = new BlobStatus.DeletableCounts(deletableTotal, deletableCertified);
        BlobEntry decidingCertified = null;
        BlobEntry decidingRegistered = null;
        for (BlobEntry b : live) {
            if (b.deletable()) {
                continue;
            }
            if (b.isCertified() && (decidingCertified == null || b.endEpoch() > decidingCertified.endEpoch())) {
                decidingCertified = b;
            }
            if (decidingRegistered == null || b.endEpoch() > decidingRegistered.endEpoch()) {
                decidingRegistered = b;
            }
        }
        if (decidingCertified != null) {
            return new BlobStatus.Permanent(decidingCertified.endEpoch(), true,
                    new BlobStatus.EventRef(decidingCertified.certifiedCursor()), counts, initialCertified);
        }
        if (decidingRegistered != null) {
            return new BlobStatus.Permanent(decidingRegistered.endEpoch(), false,
                    new BlobStatus.EventRef(decidingRegistered.registeredCursor()), counts, initialCertified);
        }
        if (deletableTotal > 0) {
            return new BlobStatus.Deletable(initialCertified, counts);
        }
        return new BlobStatus.Nonexistent();
    }

    private static BlobObject toBlobObject(BlobEntry b) {
        return new BlobObject(b.objectId(), b.registeredEpoch(), b.blobId(), b.size(), b.encodingType(),
                b.certifiedEpoch(), new StorageResource(b.storageId(), b.startEpoch(), b.endEpoch(), b.storageSize()),
                b.deletable());
    }

    /**
     * Blob objects registered and not deleted (expired ones included until they are collected), and the distinct blob
     * IDs they name: for metrics and the console, so O(1).
     */
    public BlobCounts blobCounts() {
        return new BlobCounts(objectsByBlobId.size(), blobs.size());
    }

    /** See {@link #blobCounts()}. */
    public record BlobCounts(long blobIds, long objects) {
    }

    /** Number of events so far; the next event's cursor. */
    public long eventCount() {
        return events.size();
    }

    /** Up to {@code limit} events from cursor {@code from} on (empty if there are none yet). */
    public List<Event> events(long from, int limit) {
        if (from < 0 || limit < 0) {
            throw new IllegalArgumentException("from and limit must not be negative, got " + from + ", " + limit);
        }
        if (from >= events.size()) {
            return List.of();
        }
        int start = (int) from;
        int end = (int) Math.min(events.size(), (long) start + limit);
        return Collections.unmodifiableList(new ArrayList<>(events.subList(start, end)));
    }

    // ------------------------------------------------------------------------------------------------ snapshots

    public StateSnapshot toSnapshot() {
        List<InvalidBlobEntry> invalid = new ArrayList<>();
        invalidBlobIds.forEach((id, cursor) -> invalid.add(new InvalidBlobEntry(id, cursor)));
        return new StateSnapshot(StateSnapshot.VERSION, genesis, lastIndex, epoch, epochStartMillis,
                new ArrayList<>(accounts.values()), new ArrayList<>(nodes.values()), committee, previousCommittee,
                epochChangeDone, new ArrayList<>(syncedNodes), new ArrayList<>(blobs.values()), invalid, events);
    }

    /** The state as bytes (UTF-8 JSON, every collection sorted): equal states give identical bytes. */
    public byte[] snapshot() {
        try {
            return json.writeValueAsBytes(toSnapshot());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the control state", e);
        }
    }

    /**
     * Rebuilds a state from {@link #snapshot()} bytes.
     *
     * @throws IllegalArgumentException if the bytes are not a snapshot of this version
     */
    public static ControlState restore(byte[] snapshot) {
        StateSnapshot s;
        try {
            s = ControlJson.mapper().readValue(snapshot, StateSnapshot.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("not a control-state snapshot: " + firstLine(e.getMessage()), e);
        }
        if (s.version() != StateSnapshot.VERSION) {
            throw new IllegalArgumentException("snapshot version " + s.version() + " is not " + StateSnapshot.VERSION);
        }
        ControlState state = new ControlState(s.genesis());
        state.lastIndex = s.lastIndex();
        state.epoch = s.epoch();
        state.epochStartMillis = s.epochStartMillis();
        s.accounts().forEach(a -> state.accounts.put(a.address(), a));
        s.nodes().forEach(n -> state.nodes.put(n.nodeId(), n));
        state.committee = s.committee();
        state.previousCommittee = s.previousCommittee();
        state.epochChangeDone = s.epochChangeDone();
        state.syncedNodes.addAll(s.syncedNodes());
        s.blobs().forEach(state::putBlob);
        s.invalidBlobIds().forEach(i -> state.invalidBlobIds.put(i.blobId(), i.cursor()));
        state.events.addAll(s.events());
        for (int i = 0; i < state.events.size(); i++) {
            if (state.events.get(i).cursor() != i) {
                throw new IllegalArgumentException("snapshot event " + i + " has cursor " + state.events.get(i).cursor());
            }
        }
        return state;
    }

    @Override
    public String toString() {
        return "ControlState[epoch=" + epoch + ", lastIndex=" + lastIndex + ", accounts=" + accounts.size()
                + ", nodes=" + nodes.size() + ", blobs=" + blobs.size() + ", events=" + events.size() + "]";
    }

}
