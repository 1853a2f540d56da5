package io.tusk.client;

import io.tusk.control.api.BlobInfo;
import io.tusk.control.api.BlobObject;
import io.tusk.control.api.BlobStatus;
import io.tusk.control.api.Certificate;
import io.tusk.control.api.Command;
import io.tusk.control.api.CommandOutcome;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.EpochInfo;
import io.tusk.control.api.Event;
import io.tusk.control.api.OwnedBlobs;
import io.tusk.control.api.PriceInfo;
import io.tusk.control.client.ControlClient;
import io.tusk.core.encoding.BlobDecoder;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.ConsistencyCheck;
import io.tusk.core.encoding.EncodedBlob;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.ConfirmationCertificate;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadataWithId;
import io.tusk.http.HttpTransportException;

import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The Tusk SDK. Stores blobs the Walrus way (encode, register, send metadata and slivers to every node concurrently,
 * collect confirmations from a quorum, certify) and reads them back from any nodes with every byte verified.
 * Thread-safe; one instance per account.
 */
public final class TuskClient implements AutoCloseable {
    private final ClientConfig config;
    private final ControlClient control;
    private final Map<String, NodeApi> nodes = new ConcurrentHashMap<>();
    private final Map<Integer, BlobEncoder> encoders = new ConcurrentHashMap<>();
    private final ReentrantLock submitLock = new ReentrantLock();
    /** How long a command is retried while the control plane refuses connections. */
    static final Duration CONTROL_RESTART_WAIT = Duration.ofSeconds(15);

    public TuskClient(ClientConfig config) {
        this.config = config;
        this.control = new ControlClient(config.controlUrl());
    }

    public ClientConfig config() {
        return config;
    }

    public ControlClient control() {
        return control;
    }

    /** Stores {@code blob}: see {@link StoreOperation}. */
    public StoreResult store(byte[] blob, StoreOptions options) {
        return store(blob, options, ProgressListener.NONE);
    }

    public StoreResult store(byte[] blob, StoreOptions options, ProgressListener progress) {
        Committee committee = committee();
        EncodingConfig encoding = new EncodingConfig(committee.shardCount());
        EncodedBlob encoded = encoder(encoding).encode(blob);
        BlobId blobId = encoded.blobId();
        EpochInfo epoch = control.epoch();

        if (!options.force()) {
            StoreResult.AlreadyCertified existing = findCertified(blobId, epoch.epoch() + options.epochs(), options.deletable());
            if (existing != null) {
                return existing;
            }
        }
        CommandOutcome registration = submit(new Command.RegisterBlob(blobId.toString(),
                encoded.metadata().metadata().rootHash(), blob.length, "RS2", options.epochs(), options.deletable()));
        Event.BlobRegistered registered = registration.events().stream()
                .filter(Event.BlobRegistered.class::isInstance).map(Event.BlobRegistered.class::cast).findFirst()
                .orElseThrow(() -> new IllegalStateException("the control plane registered " + blobId + " without a blobRegistered event"));
        ObjectId objectId = ObjectId.parse(registered.objectId());
        BlobPersistence persistence = options.deletable() ? new BlobPersistence.Deletable(objectId) : new BlobPersistence.Permanent();

        ConfirmationCertificate certificate = new StoreOperation(this, committee, encoded, persistence, progress).run();
        submit(new Command.CertifyBlob(objectId.toString(), new Certificate(certificate.signers(),
                certificate.serializedMessage(), certificate.aggregateSignature().bytes())));
        BlobObject object = control.object(objectId.toString()).orElseThrow(() ->
                new IllegalStateException("certified object " + objectId + " is not known to the control plane"));
        long encodedLength = encoding.encodedSize(blob.length);
        return new StoreResult.NewlyCreated(object, encodedLength, options.epochs(), cost(encodedLength, options.epochs()));
    }

    private long cost(long encodedLength, int epochs) {
        PriceInfo prices = control.prices();
        long units = (encodedLength + prices.unitSize() - 1) / prices.unitSize();
        return units * (prices.storagePricePerUnitPerEpoch() * epochs + prices.writePricePerUnit());
    }

    /** A certified object of this blob that lives at least until {@code endEpoch} and suits the request, or null. */
    private StoreResult.AlreadyCertified findCertified(BlobId blobId, int endEpoch, boolean deletable) {
        BlobInfo info = control.blob(blobId);
        String owner = config.account().publicKey().address().toString();
        for (BlobObject object : info.objects()) {
            boolean suits = object.deletable() ? deletable && ownedBy(object, owner) : true;
            if (object.certifiedEpoch() != null && object.storage().endEpoch() >= endEpoch && suits) {
                return new StoreResult.AlreadyCertified(blobId.toString(), object.id(), object.storage().endEpoch());
            }
        }
        return null;
    }

    private boolean ownedBy(BlobObject object, String owner) {
        return control.blobsOwnedBy(owner).blobs().stream().anyMatch(b -> b.id().equals(object.id()));
    }

    /** Reads and decodes a blob with Walrus's default consistency check. */
    public byte[] read(BlobId blobId) {
        return read(blobId, ConsistencyCheck.DEFAULT);
    }

    /**
     * Reads a certified blob: verified metadata from any node, {@code p} verified primary slivers from whichever nodes
     * answer first, decode, consistency check.
     *
     * @throws BlobNotFoundException if no certified, unexpired object of this blob exists
     * @throws BlobInvalidException if the blob was marked invalid
     */
    public byte[] read(BlobId blobId, ConsistencyCheck check) {
        BlobStatus status = control.blob(blobId).status();
        switch (status) {
            case BlobStatus.Invalid invalid -> throw new BlobInvalidException("blob " + blobId + " is invalid: it was inconsistently encoded");
            case BlobStatus.Nonexistent none -> throw new BlobNotFoundException("blob " + blobId + " does not exist (never stored, expired or deleted)");
            case BlobStatus.Permanent p when !p.isCertified() ->
                    throw new BlobNotFoundException("blob " + blobId + " is registered but not certified");
            case BlobStatus.Deletable d when d.initialCertifiedEpoch() == null ->
                    throw new BlobNotFoundException("blob " + blobId + " is registered but not certified");
            default -> { }
        }
        Committee committee = committee();
        EncodingConfig encoding = new EncodingConfig(committee.shardCount());
        ReadOperation read = new ReadOperation(this, committee, encoding, blobId);
        BlobMetadataWithId metadata = read.metadata();
        return new BlobDecoder(encoding).decode(metadata, read.primarySlivers(metadata), check);
    }

    /** Everything the control plane knows of a blob ID. */
    public BlobInfo status(BlobId blobId) {
        return control.blob(blobId);
    }

    /** Deletes a deletable blob object this account owns. */
    public CommandOutcome delete(ObjectId objectId) {
        return submit(new Command.DeleteBlob(objectId.toString()));
    }

    /** Extends a certified blob object by {@code epochs}; this account pays. */
    public CommandOutcome extend(ObjectId objectId, int epochs) {
        return submit(new Command.ExtendBlob(objectId.toString(), epochs));
    }

    /**
     * Signs and submits a command from this client's account. Commands carry the account's next nonce, so two
     * threads submitting at once would sign the same nonce and one would be refused ({@code BAD_NONCE}): this
     * client's submissions are serialized. (Other clients of the same account still race; the control client
     * retries a refused nonce once.)
     *
     * <p>While the control plane refuses connections (it is restarting), the command cannot have been received, so it
     * is submitted again, for up to {@link #CONTROL_RESTART_WAIT}: a restart between a store's registration and its
     * certification does not waste the registration.
     */
    private CommandOutcome submit(Command command) {
        long giveUp = System.nanoTime() + CONTROL_RESTART_WAIT.toNanos();
        long backoffMillis = 50;
        submitLock.lock();
        try {
            while (true) {
                try {
                    return control.submit(command, config.account());
                } catch (HttpTransportException e) {
                    if (!(e.getCause() instanceof ConnectException) || System.nanoTime() > giveUp) {
                        throw e;
                    }
                }
                try {
                    Thread.sleep(backoffMillis);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while waiting for the control plane to accept connections");
                }
                backoffMillis = Math.min(1_000, backoffMillis * 2);
            }
        } finally {
            submitLock.unlock();
        }
    }

    /** The blob objects this account owns. */
    public OwnedBlobs listBlobs() {
        return control.blobsOwnedBy(config.account().publicKey().address().toString());
    }

    public CommitteeInfo committeeInfo() {
        return control.committee();
    }

    Committee committee() {
        return new Committee(control.committee());
    }

    BlobEncoder encoder(EncodingConfig encoding) {
        return encoders.computeIfAbsent(encoding.shardCount(), n -> new BlobEncoder(encoding));
    }

    /** The client of the node at {@code networkAddress} ({@code host:port}); one per node, reused. */
    NodeApi node(String networkAddress) {
        return nodes.computeIfAbsent(networkAddress, address -> new HttpNodeClient(address, config.requestTimeout()));
    }

    /** Health of every committee member, by node name: the node's JSON, or the error. */
    public Map<String, String> health() {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (var member : control.committee().members()) {
            try {
                out.put(member.name(), node(member.networkAddress()).health());
            } catch (NodeRequestException e) {
                out.put(member.name(), "{\"error\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getMessage()) + "}");
            }
        }
        return out;
    }

    @Override
    public void close() {
        RuntimeException failure = null;
        for (NodeApi node : List.copyOf(nodes.values())) {
            try {
                node.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        nodes.clear();
        control.close();
        if (failure != null) {
            throw failure;
        }
    }
}
