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
import io.tusk.core.encoding.BlobEncoding;
import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.ConfirmationCertificate;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadataWithId;
import io.tusk.http.TraceContext;

import io.tusk.core.quilt.EncodedQuilt;
import io.tusk.core.quilt.QuiltEncoder;
import io.tusk.core.quilt.QuiltIndex;
import io.tusk.core.quilt.QuiltPatch;
import io.tusk.core.quilt.QuiltPatchId;
import io.tusk.core.quilt.QuiltPatchInfo;
import io.tusk.core.quilt.QuiltPatchNotFoundException;
import io.tusk.node.client.HttpStorageNodeClient;
import io.tusk.node.client.NodeRequestException;
import io.tusk.node.client.StorageNodeClient;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * The Tusk SDK. Stores blobs the Walrus way (encode, register, send metadata and slivers to every node concurrently,
 * collect confirmations from a quorum, certify) and reads them back from any nodes with every byte verified.
 * Thread-safe; one instance per account.
 */
public final class TuskClient implements AutoCloseable {
    private final ClientConfig config;
    private final ControlClient control;
    private final Map<String, StorageNodeClient> nodes = new ConcurrentHashMap<>();
    private final Map<Integer, BlobEncoder> encoders = new ConcurrentHashMap<>();
    private final UnaryOperator<StorageNodeClient> nodeDecorator;
    private final ClientMetrics metrics;
    private final CommandSubmitter commands;
    private final BlobEncodings encodings;
    /** Blobs read before, served again without network; null when the configuration has no cache. */
    private final LocalBlobCache cache;
    private final BytesInFlight sliverBytesInFlight = BytesInFlight.ofHeap();

    public TuskClient(ClientConfig config) {
        this(config, UnaryOperator.identity());
    }

    /**
     * A client whose node connections pass through {@code nodeDecorator} once when created (to observe or wrap the
     * requests, e.g. to count them in tests).
     */
    public TuskClient(ClientConfig config, UnaryOperator<StorageNodeClient> nodeDecorator) {
        this(config, nodeDecorator, ClientMetrics.NONE);
    }

    /** A client that meters its stores and reads into {@code registry} ({@code tusk_client_*}). */
    public TuskClient(ClientConfig config, io.micrometer.core.instrument.MeterRegistry registry) {
        this(config, UnaryOperator.identity(), new ClientMetrics(registry));
    }

    private TuskClient(ClientConfig config, UnaryOperator<StorageNodeClient> nodeDecorator, ClientMetrics metrics) {
        this.config = config;
        this.control = new ControlClient(config.controlUrl());
        this.commands = new CommandSubmitter(control, config.account());
        this.nodeDecorator = nodeDecorator;
        this.metrics = metrics;
        this.encodings = new BlobEncodings(
                config.encodingHeapBytes() > 0 ? new HeapBudget(config.encodingHeapBytes()) : HeapBudget.ofHeap(),
                config.spillDirectory() != null ? new TempFileSliverStorage(config.spillDirectory())
                        : TempFileSliverStorage.inTempDirectory(), this::encoder);
        this.cache = config.blobCacheDirectory() == null ? null
                : new LocalBlobCache(config.blobCacheDirectory(), config.blobCacheBytes(), MAX_CACHED_BLOB_BYTES);
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

    /**
     * Stores {@code blob} as one blob. Its slivers are kept on the heap while the client's encodings fit in half of it,
     * else in temporary files (see {@link BlobEncodings}).
     *
     * @throws io.tusk.core.encoding.BlobTooLargeException if the blob is larger than the committee's largest blob
     */
    public StoreResult store(byte[] blob, StoreOptions options, ProgressListener progress) {
        EncodingConfig encoding = new EncodingConfig(committee().shardCount());
        try (BlobEncoding encoded = encodings.encode(encoding, blob)) {
            return storeEncoded(encoded, blob.length, options, progress);
        }
    }

    /**
     * Stores a blob encoded elsewhere, as is: its metadata and slivers are not checked against each other (nodes check
     * each sliver against the metadata only). For tools that encode themselves, and for tests of what nodes do with
     * an inconsistently encoded blob. The caller closes {@code encoded}.
     */
    public StoreResult storeEncoded(BlobEncoding encoded, StoreOptions options) {
        return storeEncoded(encoded, encoded.metadata().metadata().unencodedLength(), options, ProgressListener.NONE);
    }

    /**
     * Stores an encoded blob of {@code length} bytes: nothing is sent if it is already certified long enough (unless
     * forced); an uncertified registration of it that this account owns and that lives long enough (left by an
     * interrupted store) is reused, so a retried store neither registers nor pays again.
     */
    StoreResult storeEncoded(BlobEncoding encoded, long length, StoreOptions options, ProgressListener progress) {
        // One trace ID for every request of the store (the caller's, if it has one), in the nodes' logs too.
        TraceContext.Scope trace = TraceContext.ensure();
        try {
            return metrics.store(length, () -> storeEncodedTraced(encoded, length, options, progress));
        } finally {
            trace.close();
        }
    }

    private StoreResult storeEncodedTraced(BlobEncoding encoded, long length, StoreOptions options,
                                           ProgressListener progress) {
        return registerUploadCertify(encoded.metadata(), length, options, (committee, persistence) ->
                new StoreOperation(this, committee, encoded, persistence, progress).run());
    }

    /**
     * Sends a registered blob's data to the nodes and returns their certificate: the client's own
     * {@link StoreOperation}, or an upload relay ({@link UploadRelayClient}).
     */
    @FunctionalInterface
    interface Upload {
        ConfirmationCertificate certificate(Committee committee, BlobPersistence persistence);
    }

    /**
     * The store of a blob whose metadata is known: skipped if certified long enough (unless forced), registered
     * (or an uncertified registration reused), uploaded by {@code upload}, certified.
     */
    private StoreResult registerUploadCertify(BlobMetadataWithId metadata, long length, StoreOptions options,
                                              Upload upload) {
        Committee committee = committee();
        EncodingConfig encoding = new EncodingConfig(committee.shardCount());
        BlobId blobId = metadata.blobId();
        EpochInfo epoch = control.epoch();
        int endEpoch = epoch.epoch() + options.epochs();

        if (!options.force()) {
            StoreResult.AlreadyCertified existing = findCertified(blobId, endEpoch, options.deletable());
            if (existing != null) {
                return existing;
            }
        }
        ObjectId objectId = options.force() ? null : findUncertifiedRegistration(blobId, endEpoch, options.deletable());
        boolean reused = objectId != null;
        if (objectId == null) {
            CommandOutcome registration = submit(new Command.RegisterBlob(blobId.toString(),
                    metadata.metadata().rootHash(), length, "RS2", options.epochs(), options.deletable()));
            Event.BlobRegistered registered = registration.events().stream()
                    .filter(Event.BlobRegistered.class::isInstance).map(Event.BlobRegistered.class::cast).findFirst()
                    .orElseThrow(() -> new IllegalStateException("the control plane registered " + blobId + " without a blobRegistered event"));
            objectId = ObjectId.parse(registered.objectId());
        }
        BlobPersistence persistence = options.deletable() ? new BlobPersistence.Deletable(objectId) : new BlobPersistence.Permanent();

        storeAndCertify(committee, upload, persistence, objectId);
        ObjectId certified = objectId;
        BlobObject object = control.object(objectId.toString()).orElseThrow(() ->
                new IllegalStateException("certified object " + certified + " is not known to the control plane"));
        long encodedLength = encoding.encodedSize(length);
        if (reused) { // paid for when it was registered
            return new StoreResult.NewlyCreated(object, new StoreResult.ResourceOperation.ReuseRegistration(encodedLength), 0);
        }
        return new StoreResult.NewlyCreated(object, new StoreResult.ResourceOperation.RegisterFromScratch(encodedLength,
                options.epochs()), cost(encodedLength, options.epochs()));
    }

    /** A registered, not yet certified object of this blob that this account owns and that suits the request. */
    private ObjectId findUncertifiedRegistration(BlobId blobId, int endEpoch, boolean deletable) {
        BlobInfo info = control.blob(blobId);
        String owner = config.account().publicKey().address().toString();
        for (BlobObject object : info.objects()) {
            if (object.certifiedEpoch() == null && object.deletable() == deletable
                    && object.storage().endEpoch() >= endEpoch && ownedBy(object, owner)) {
                return ObjectId.parse(object.id());
            }
        }
        return null;
    }

    /**
     * What storing {@code file} as one blob would give and cost (Walrus's {@code store --dry-run}): its metadata is
     * computed with bounded memory, the committee and prices are asked; nothing is registered or sent.
     *
     * @throws io.tusk.core.encoding.BlobTooLargeException if the file does not fit in one blob of the committee
     */
    public DryRunResult dryRun(java.nio.file.Path file, StoreOptions options) throws java.io.IOException {
        EncodingConfig encoding = new EncodingConfig(committee().shardCount());
        long length = java.nio.file.Files.size(file);
        requireOneBlob(length, encoding);
        BlobMetadataWithId metadata = encodings.computeMetadata(encoding, file);
        long encodedLength = encoding.encodedSize(length);
        return new DryRunResult(metadata.blobId().toString(), length, encodedLength, cost(encodedLength,
                options.epochs()), "RS2");
    }

    // ---- Upload relay (docs/upload-relay.md) --------------------------------------------------------

    /**
     * Stores {@code blob} through the upload relay at {@code relay}: the client computes the blob's metadata (no
     * network), registers it with its own key (so it owns and pays for it), sends the unencoded bytes once to the
     * relay, which encodes them, writes the slivers to the nodes and answers their confirmation certificate; the
     * client checks it and certifies with its own key. One connection and 1x the bytes instead of one per node
     * and about 4.5x. A blob already certified long enough is not sent (unless forced).
     */
    public StoreResult storeViaRelay(byte[] blob, StoreOptions options, java.net.URI relay) {
        return storeViaRelay(blob, options, relay, java.util.OptionalLong.empty());
    }

    /**
     * {@link #storeViaRelay(byte[], StoreOptions, java.net.URI)} paying the relay's tip if it asks one
     * ({@code GET /v1/tip-config}), at most {@code maxTip} (empty: at most what the network charges to store this
     * blob for these epochs); a larger tip is refused before anything is registered or paid.
     */
    public StoreResult storeViaRelay(byte[] blob, StoreOptions options, java.net.URI relay,
                                     java.util.OptionalLong maxTip) {
        EncodingConfig encoding = new EncodingConfig(committee().shardCount());
        requireOneBlob(blob.length, encoding);
        BlobMetadataWithId metadata = encoder(encoding).computeMetadata(blob);
        return viaRelay(metadata, blob.length, options, relay, new java.nio.ByteBuffer[] {java.nio.ByteBuffer.wrap(blob)},
                maxTip);
    }

    /**
     * {@link #storeViaRelay(byte[], StoreOptions, java.net.URI)} of a file, with bounded heap: the metadata is
     * computed from the file with spill files, and the body is the memory-mapped file.
     *
     * @throws io.tusk.core.encoding.BlobTooLargeException if the file does not fit in one blob of the committee
     */
    public StoreResult storeFileViaRelay(java.nio.file.Path file, StoreOptions options, java.net.URI relay)
            throws java.io.IOException {
        return storeFileViaRelay(file, options, relay, java.util.OptionalLong.empty());
    }

    /** {@link #storeFileViaRelay(java.nio.file.Path, StoreOptions, java.net.URI)} with a tip guard, as
     * {@link #storeViaRelay(byte[], StoreOptions, java.net.URI, java.util.OptionalLong)}. */
    public StoreResult storeFileViaRelay(java.nio.file.Path file, StoreOptions options, java.net.URI relay,
                                         java.util.OptionalLong maxTip) throws java.io.IOException {
        EncodingConfig encoding = new EncodingConfig(committee().shardCount());
        try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(file)) {
            long length = channel.size();
            requireOneBlob(length, encoding);
            BlobMetadataWithId metadata = encodings.computeMetadata(encoding, file);
            // Mapped in pieces below 2 GiB (a blob is at most a few GiB); the mapping outlives the channel.
            List<java.nio.ByteBuffer> pieces = new ArrayList<>();
            for (long at = 0; at < length; at += Integer.MAX_VALUE) {
                pieces.add(channel.map(java.nio.channels.FileChannel.MapMode.READ_ONLY, at,
                        Math.min(Integer.MAX_VALUE, length - at)));
            }
            return viaRelay(metadata, length, options, relay, pieces.toArray(java.nio.ByteBuffer[]::new), maxTip);
        }
    }

    private static void requireOneBlob(long length, EncodingConfig encoding) {
        if (length > encoding.maxBlobSize()) {
            throw new io.tusk.core.encoding.BlobTooLargeException(length, encoding.maxBlobSize(), encoding.shardCount());
        }
    }

    private StoreResult viaRelay(BlobMetadataWithId metadata, long length, StoreOptions options, java.net.URI relay,
                                 java.nio.ByteBuffer[] body, java.util.OptionalLong maxTip) {
        UploadRelayClient relayClient = new UploadRelayClient(relay, config.requestTimeout().multipliedBy(4));
        TraceContext.Scope trace = TraceContext.ensure();
        try {
            RelayTips tips = relayTips(relayClient, length, options, maxTip, body);
            return metrics.store(length, () -> registerUploadCertify(metadata, length, options, (committee, persistence) -> {
                java.nio.ByteBuffer[] fresh = new java.nio.ByteBuffer[body.length]; // a retry sends from the start
                for (int i = 0; i < body.length; i++) {
                    fresh[i] = body[i].duplicate();
                }
                RelayTips.Paid paid = tips.payment();
                ConfirmationCertificate certificate = relayClient.upload(metadata.blobId(), persistence, fresh, paid);
                tips.used(); // the relay did the work for this payment: another attempt pays again
                checkRelayed(certificate, committee, metadata.blobId(), persistence);
                return certificate;
            }));
        } finally {
            trace.close();
        }
    }

    /**
     * The relay's tip for this upload, checked against the guard before anything is registered or paid: at most
     * {@code maxTip}, by default at most what the network charges to store the blob.
     */
    private RelayTips relayTips(UploadRelayClient relayClient, long length, StoreOptions options,
                                java.util.OptionalLong maxTip, java.nio.ByteBuffer[] body) {
        RelayTip tip = relayClient.tipConfig();
        if (!tip.required()) {
            return new RelayTips(this, tip, 0, length, null);
        }
        int shards = committee().shardCount();
        long amount = tip.amountFor(length, shards);
        long cap = maxTip.orElseGet(() -> cost(new EncodingConfig(shards).encodedSize(length), options.epochs()));
        if (amount > cap) {
            throw new StoreException("the upload relay " + relayClient.base() + " asks a tip of " + amount
                    + ", more than the " + cap + " allowed (" + (maxTip.isPresent() ? "--max-tip"
                    : "by default at most the blob's storage cost; raise it with --max-tip") + "); nothing was paid");
        }
        java.security.MessageDigest digest = RelayTip.sha256();
        for (java.nio.ByteBuffer piece : body) {
            digest.update(piece.duplicate());
        }
        return new RelayTips(this, tip, amount, length, digest.digest());
    }

    /**
     * Pays an upload relay's tip (a {@code transfer} whose memo binds this upload: {@link RelayTip#memo}), once per
     * relay run: a payment the relay refused or failed with is kept for the next attempt (the relay released it), one
     * it did the work for is used up.
     */
    static final class RelayTips {
        private final TuskClient client;
        private final RelayTip tip;
        private final long amount;
        private final long length;
        private final byte[] blobDigest;
        private Paid current;

        /** A payment as the relay's query parameters name it: {@code tx_id=SENDER:NONCE}, {@code nonce} base64url. */
        record Paid(String txId, String nonce) {
        }

        RelayTips(TuskClient client, RelayTip tip, long amount, long length, byte[] blobDigest) {
            this.client = client;
            this.tip = tip;
            this.amount = amount;
            this.length = length;
            this.blobDigest = blobDigest;
        }

        /** The payment for the next relay run (paid now if there is none), or null for a relay without a tip. */
        synchronized Paid payment() {
            if (!tip.required()) {
                return null;
            }
            if (current == null) {
                byte[] nonce = new byte[32];
                new java.security.SecureRandom().nextBytes(nonce);
                Event.Transferred transferred = client.transfer(tip.address(), amount,
                        RelayTip.memo(blobDigest, nonce, length));
                current = new Paid(transferred.sender() + ":" + transferred.nonce(),
                        java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(nonce));
            }
            return current;
        }

        synchronized void used() {
            current = null;
        }
    }

    /**
     * The relay is not trusted: its certificate must confirm this blob and persistence in the committee's epoch, by
     * a quorum, with signatures that verify. A certificate for another epoch is an epoch change (retried).
     */
    private static void checkRelayed(ConfirmationCertificate certificate, Committee committee, BlobId blobId,
                                     BlobPersistence persistence) {
        byte[] expected = new io.tusk.core.messages.StorageConfirmation(committee.epoch(), blobId, persistence).toBcs();
        if (!java.util.Arrays.equals(certificate.serializedMessage(), expected)) {
            throw new StoreException("the upload relay's certificate does not confirm blob " + blobId + " in epoch "
                    + committee.epoch() + " with this persistence");
        }
        int weight = 0;
        for (int signer : certificate.signers()) {
            if (signer >= committee.members().size()) {
                throw new StoreException("the upload relay's certificate names signer " + signer + ", not in the committee");
            }
            weight += committee.weight(signer);
        }
        if (!committee.isQuorum(weight)) {
            throw new StoreException("the upload relay's certificate has " + weight + " of " + committee.shardCount()
                    + " shards, not a quorum");
        }
        if (!certificate.verify(committee.keys())) {
            throw new StoreException("the upload relay's certificate for blob " + blobId + " does not verify");
        }
    }

    /**
     * The relay's half of {@link #storeViaRelay}: encodes {@code length} bytes of {@code in} (bounded memory),
     * checks that they are blob {@code expected}, sends the metadata and slivers to the committee and returns the
     * nodes' certificate, without registering or certifying anything (the owner does). Nodes accept the slivers only
     * for a registered blob, so the caller checks the registration first.
     *
     * @throws IllegalArgumentException if the bytes are another blob
     * @throws java.io.IOException if {@code in} fails or ends early
     */
    public ConfirmationCertificate relayUpload(java.io.InputStream in, long length, BlobId expected,
                                               BlobPersistence persistence) throws java.io.IOException {
        return relayUpload(in, length, expected, persistence, () -> { });
    }

    /**
     * {@link #relayUpload(java.io.InputStream, long, BlobId, BlobPersistence)} that runs {@code beforeNodes} once the
     * whole body is read and checked to be {@code expected}, before anything goes to the nodes: a relay checks there
     * what it can only check on the whole body (that a tip's memo names these bytes); an exception from it ends the
     * upload with nothing written.
     */
    public ConfirmationCertificate relayUpload(java.io.InputStream in, long length, BlobId expected,
                                               BlobPersistence persistence, Runnable beforeNodes)
            throws java.io.IOException {
        Committee committee = committee();
        EncodingConfig encoding = new EncodingConfig(committee.shardCount());
        requireOneBlob(length, encoding);
        try (BlobEncoding encoded = encodings.encode(encoding, in, length)) {
            if (!encoded.blobId().equals(expected)) {
                throw new IllegalArgumentException("the body is blob " + encoded.blobId() + ", not " + expected);
            }
            beforeNodes.run();
            return new StoreOperation(this, committee, encoded, persistence, ProgressListener.NONE).run();
        }
    }

    // ---- Large files (docs/large-files.md) ----------------------------------------------------------

    /**
     * Chunk size of files larger than one blob of the committee: 16 MiB (or the largest blob the committee can hold,
     * if smaller). Files that fit in one blob are stored as one blob unless a chunk size is asked for.
     */
    public static final long DEFAULT_CHUNK_BYTES = 16L << 20;

    /**
     * Stores the file at {@code file}, with bounded memory: as one blob whose ID is the file's Walrus blob ID if it
     * fits in one blob of the committee ({@link #maxBlobSize()}), else as chunks of {@link #DEFAULT_CHUNK_BYTES}
     * plus a {@link Manifest} blob whose ID names the file (docs/large-files.md).
     */
    public LargeStoreResult storeFile(java.nio.file.Path file, StoreOptions options, ProgressListener progress)
            throws java.io.IOException {
        return new LargeFiles(this).store(file, options, LargeFiles.ONE_BLOB_IF_IT_FITS, progress);
    }

    /**
     * Stores a file as chunks of {@code chunkBytes} (at most the committee's largest blob) plus a manifest if it is
     * larger than that, else as one blob: the chunking the caller asked for.
     */
    public LargeStoreResult storeFile(java.nio.file.Path file, StoreOptions options, long chunkBytes,
                                      ProgressListener progress) throws java.io.IOException {
        requirePositiveChunkSize(chunkBytes);
        return new LargeFiles(this).store(file, options, chunkBytes, progress);
    }

    /**
     * Stores {@code length} bytes read from {@code in}, with bounded memory: as one blob if they fit in one blob of
     * the committee (a large one is copied into a temporary file first and encoded from there), else as chunks of
     * {@link #DEFAULT_CHUNK_BYTES} plus a manifest.
     *
     * @throws java.io.IOException if {@code in} fails or ends before {@code length} bytes
     */
    public LargeStoreResult storeStream(java.io.InputStream in, long length, StoreOptions options, ProgressListener progress)
            throws java.io.IOException {
        return new LargeFiles(this).store(in, length, options, LargeFiles.ONE_BLOB_IF_IT_FITS, progress);
    }

    /**
     * Stores {@code length} bytes read from {@code in}, with bounded memory: bytes that fit in one chunk of
     * {@code chunkBytes} (at most the committee's largest blob) as one blob; more as chunks plus a {@link Manifest}
     * blob whose ID names the file. Chunk {@code k+1} is read and encoded while chunk {@code k} uploads. Each chunk is
     * a normal store: one already certified long enough is skipped (so re-running a failed store resumes it), a
     * failed chunk is retried alone, reusing its registration.
     *
     * @throws java.io.IOException if {@code in} fails or ends before {@code length} bytes
     */
    public LargeStoreResult storeStream(java.io.InputStream in, long length, StoreOptions options, long chunkBytes,
                                        ProgressListener progress) throws java.io.IOException {
        requirePositiveChunkSize(chunkBytes);
        TraceContext.Scope trace = TraceContext.ensure();
        try {
            return new LargeFiles(this).store(in, length, options, chunkBytes, progress);
        } finally {
            trace.close();
        }
    }

    private static void requirePositiveChunkSize(long chunkBytes) {
        if (chunkBytes < 1) {
            throw new IllegalArgumentException("chunk size must be at least 1 byte, got " + chunkBytes);
        }
    }

    /** The largest blob the current committee can hold ({@code p * s * 65534} bytes; 149,286,452 at 100 shards). */
    public long maxBlobSize() {
        return new EncodingConfig(committee().shardCount()).maxBlobSize();
    }

    /** The chunk size used for a file on this committee: {@code min(requested, largest blob)}. */
    public long chunkSize(long requested) {
        return Math.min(requested, maxBlobSize());
    }

    /** The encodings of this client's stores (heap or temporary files). */
    BlobEncodings encodings() {
        return encodings;
    }

    /** Bytes of slivers read from temporary files and not yet sent, across this client's stores. */
    BytesInFlight sliverBytesInFlight() {
        return sliverBytesInFlight;
    }

    /**
     * Writes a blob to {@code out}; if the blob is a {@link Manifest}, the file it names, chunk by chunk (the next
     * chunk is fetched while the current one is written; at most two chunks are held). A plain blob that the local
     * cache does not keep goes to {@code out} from its slivers ({@link BlobDecoder#decodeTo}).
     */
    public void readStream(BlobId blobId, java.io.OutputStream out) throws java.io.IOException {
        long size = control.blob(blobId).objects().stream().mapToLong(BlobObject::size).findFirst().orElse(0);
        if ((cache == null || size > MAX_CACHED_BLOB_BYTES) && !Manifest.couldBe(size)) {
            // A plain blob no cache keeps: its rows go from the slivers to out, never assembled in memory (a 128 MiB
            // read through ./tusk saved a 128 MiB array, its copy and the collections it caused).
            try {
                readFromNetwork(blobId, ConsistencyCheck.DEFAULT, info -> { }, (decoder, metadata, slivers, check) -> {
                    try {
                        return decoder.decodeTo(metadata, slivers, check, out);
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
            return;
        }
        byte[] blob = read(blobId);
        java.util.Optional<Manifest> manifest = Manifest.parse(blob);
        if (manifest.isEmpty()) {
            out.write(blob);
        } else {
            readRange(manifest.get(), 0, manifest.get().totalLength(), out);
        }
    }

    /** The manifest a blob holds (the blob is read), or empty if it is an ordinary blob. */
    public java.util.Optional<Manifest> manifest(BlobId blobId) {
        long size = control.blob(blobId).objects().stream().mapToLong(BlobObject::size).findFirst().orElse(0);
        return Manifest.couldBe(size) ? Manifest.parse(read(blobId)) : java.util.Optional.empty();
    }

    /**
     * Writes bytes {@code [start, start + length)} of a blob, or of the file a manifest blob names, to {@code out};
     * only the chunks the range touches are read.
     *
     * @throws IllegalArgumentException if the range reaches past the end
     */
    public void readRange(BlobId blobId, long start, long length, java.io.OutputStream out) throws java.io.IOException {
        byte[] blob = read(blobId);
        java.util.Optional<Manifest> manifest = Manifest.parse(blob);
        if (manifest.isPresent()) {
            readRange(manifest.get(), start, length, out);
            return;
        }
        checkRange(start, length, blob.length);
        out.write(blob, (int) start, (int) length);
    }

    /** Writes bytes {@code [start, start + length)} of the file {@code manifest} names to {@code out}. */
    public void readRange(Manifest manifest, long start, long length, java.io.OutputStream out) throws java.io.IOException {
        checkRange(start, length, manifest.totalLength());
        new LargeFiles(this).read(manifest, start, length, out);
    }

    private static void checkRange(long start, long length, long size) {
        if (start < 0 || length < 0 || start > size || length > size - start) {
            throw new IllegalArgumentException("range of " + length + " bytes at " + start + " is outside the "
                    + size + " bytes");
        }
    }

    /** How often a write is retried across epoch changes before the error reaches the user. */
    static final int EPOCH_CHANGE_ATTEMPTS = 6;

    /**
     * Sends the blob to the committee and certifies it, retrying across an epoch change: if the committee moved while
     * the write was in flight (nodes answer SHARD_NOT_ASSIGNED, confirm for another epoch, or the control plane refuses
     * a certificate of the old epoch), the committee is fetched again and the write is repeated for the new one; the
     * registration stays valid.
     */
    private void storeAndCertify(Committee first, Upload upload, BlobPersistence persistence, ObjectId objectId) {
        Committee committee = first;
        RuntimeException last = null;
        for (int attempt = 1; attempt <= EPOCH_CHANGE_ATTEMPTS; attempt++) {
            try {
                ConfirmationCertificate certificate = upload.certificate(committee, persistence);
                submit(new Command.CertifyBlob(objectId.toString(), new Certificate(certificate.signers(),
                        certificate.serializedMessage(), certificate.aggregateSignature().bytes())));
                return;
            } catch (StoreException | NodeRequestException | io.tusk.http.ApiException e) {
                if (e instanceof io.tusk.http.ApiException api && !api.is(io.tusk.core.api.ErrorReason.INVALID_CERTIFICATE)) {
                    throw e;
                }
                last = e;
                Committee fresh = freshCommittee();
                if (fresh.epoch() == committee.epoch() && attempt >= 3) {
                    throw e; // not an epoch change: a real failure
                }
                pause(attempt);
                committee = fresh;
            }
        }
        throw last;
    }

    private static void pause(int attempt) {
        try {
            Thread.sleep(Math.min(2_000, 200L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while retrying across an epoch change");
        }
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

    // ---- Quilts (walrus-protocol.md §11) ------------------------------------------------------------

    /**
     * Stores {@code patches} as one quilt (Walrus {@code store-quilt}): encodes them with {@link QuiltEncoder} for
     * the current committee's shard count and stores the quilt blob like {@link #store}.
     *
     * @return the quilt blob's store result and, per patch in quilt order, its identifier and patch ID
     * @throws io.tusk.core.quilt.QuiltException if the patches cannot form a quilt (duplicate or invalid
     *                                           identifiers, identifiers that could not be addressed once stored
     *                                           ({@link io.tusk.core.quilt.QuiltIdentifiers#requireAddressable}), too
     *                                           many patches, too large)
     */
    public QuiltStoreResult storeQuilt(List<QuiltPatch> patches, StoreOptions options) {
        for (QuiltPatch patch : patches) {
            io.tusk.core.quilt.QuiltIdentifiers.requireAddressable(patch.identifier());
        }
        int n = committee().shardCount();
        EncodedQuilt quilt = new QuiltEncoder(n).encode(patches);
        StoreResult result = store(quilt.blob(), options);
        BlobId quiltId = BlobId.parse(result.blobId());
        List<StoredQuiltPatch> stored = new ArrayList<>();
        for (QuiltPatchInfo info : quilt.index().patches()) {
            stored.add(new StoredQuiltPatch(info.identifier(), info.patchId(quiltId)));
        }
        return new QuiltStoreResult(result, stored);
    }

    /**
     * Reads one patch by its ID, fetching only the secondary slivers of its columns (each verified against the
     * quilt's verified metadata), not the whole quilt.
     *
     * @throws BlobNotFoundException if the quilt is not certified
     * @throws io.tusk.core.quilt.MalformedQuiltException if the blob is not a quilt or the columns hold no patch
     */
    public QuiltPatch readPatch(QuiltPatchId patchId) {
        return quiltRead(patchId.quiltId()).patch(patchId.startIndex(), patchId.endIndex());
    }

    /**
     * Reads one patch by identifier: the index's columns, then the patch's own columns.
     *
     * @throws QuiltPatchNotFoundException if the quilt has no patch with that identifier
     */
    public QuiltPatch readPatch(BlobId quiltId, String identifier) {
        return readPatches(quiltId, List.of(identifier)).getFirst();
    }

    /**
     * Reads several patches of one quilt by identifier (the index is read once), in the order asked.
     *
     * @throws QuiltPatchNotFoundException for the first identifier the quilt does not have (before reading patches)
     */
    public List<QuiltPatch> readPatches(BlobId quiltId, Collection<String> identifiers) {
        QuiltReadOperation read = quiltRead(quiltId);
        QuiltIndex index = read.index();
        List<QuiltPatchInfo> wanted = new ArrayList<>();
        for (String identifier : identifiers) {
            wanted.add(index.find(identifier).orElseThrow(() -> new QuiltPatchNotFoundException(quiltId.toString(), identifier)));
        }
        return wanted.stream().map(read::patch).toList();
    }

    /**
     * The quilt's index (Walrus {@code list-patches-in-quilt}): every patch's identifier, tags and column range,
     * read from the index's columns only. {@link QuiltPatchInfo#patchId} gives each patch ID.
     */
    public QuiltIndex quiltIndex(BlobId quiltId) {
        return quiltRead(quiltId).index();
    }

    /** The patches of a quilt, from its index: {@code quiltIndex(quiltId).patches()}. */
    public List<QuiltPatchInfo> listPatches(BlobId quiltId) {
        return quiltIndex(quiltId).patches();
    }

    private QuiltReadOperation quiltRead(BlobId quiltId) {
        requireCertified(quiltId);
        Committee committee = committee();
        return new QuiltReadOperation(this, committee, new EncodingConfig(committee.shardCount()), quiltId);
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
        return read(blobId, check, info -> { });
    }

    /**
     * {@link #read(BlobId, ConsistencyCheck)} that first shows the blob's status to {@code admission}: it is called once
     * the control plane says the blob is certified (with what it says), before any sliver is checked or decoded (only
     * the first sliver requests, at most 4 MiB of answer per holder, are out by then), and may refuse
     * the read by throwing, which the read passes on. A gateway checks size limits and reserves memory there without a
     * status query of its own.
     */
    public byte[] read(BlobId blobId, ConsistencyCheck check, java.util.function.Consumer<BlobInfo> admission) {
        TraceContext.Scope trace = TraceContext.ensure();
        try {
            return metrics.read(() -> read(blobId, check, admission, true));
        } finally {
            trace.close();
        }
    }

    /**
     * Reads a blob that the caller already knows to be certified and unexpired, without asking the control plane for
     * its status: for a caller that follows the control plane's event stream (a gateway), which has seen the blob
     * certified and not deleted, invalidated or expired since, as far as the stream has come. Everything else is as
     * {@link #read(BlobId, ConsistencyCheck)}: verified metadata and slivers, decoding, the consistency check; the
     * client's cache is not used. A blob the nodes cannot serve is retried across epoch changes and then refused as
     * {@code read} would refuse it (the control plane is asked at that point).
     */
    public byte[] readCertified(BlobId blobId, ConsistencyCheck check) {
        TraceContext.Scope trace = TraceContext.ensure();
        try {
            return metrics.read(() -> readFromNetwork(blobId, check, null));
        } finally {
            trace.close();
        }
    }

    /** A read that may skip the client's cache (a large file's chunks when the file would not fit in it). */
    byte[] read(BlobId blobId, ConsistencyCheck check, java.util.function.Consumer<BlobInfo> admission, boolean cached) {
        if (cache == null || !cached) {
            return readFromNetwork(blobId, check, admission);
        }
        java.util.Optional<byte[]> hit = cache.get(blobId); // verified against the blob ID; no network
        if (hit.isPresent()) {
            return hit.get();
        }
        BlobInfo[] seen = new BlobInfo[1];
        byte[] blob;
        try {
            blob = readFromNetwork(blobId, check, info -> {
                seen[0] = info;
                admission.accept(info);
            });
        } catch (BlobNotFoundException | BlobInvalidException gone) {
            cache.evict(blobId);
            throw gone;
        }
        if (seen[0] != null) {
            seen[0].objects().stream().filter(o -> o.certifiedEpoch() != null).mapToInt(o -> o.storage().endEpoch())
                    .max().ifPresent(end -> cache.put(blobId, blob, end, committee().shardCount()));
        }
        return blob;
    }

    /** Blobs larger than this are never kept by the client's cache (a large file's chunks are 16 MiB). */
    static final long MAX_CACHED_BLOB_BYTES = 64L << 20;

    /** The last step of a read: the blob from its verified slivers, as an array or written somewhere. */
    @FunctionalInterface
    private interface Decoding<T> {
        T decode(BlobDecoder decoder, BlobMetadataWithId metadata, List<io.tusk.core.encoding.Sliver> slivers,
                 ConsistencyCheck check);
    }

    private static final Decoding<byte[]> TO_ARRAY = BlobDecoder::decode;

    private byte[] readFromNetwork(BlobId blobId, ConsistencyCheck check, java.util.function.Consumer<BlobInfo> admission) {
        return readFromNetwork(blobId, check, admission, TO_ARRAY);
    }

    /**
     * @param admission shown the control plane's status before any sliver is checked; null when the caller vouches
     *                  that the blob is certified ({@link #readCertified}): then no status is asked
     */
    private <T> T readFromNetwork(BlobId blobId, ConsistencyCheck check, java.util.function.Consumer<BlobInfo> admission,
                                  Decoding<T> decoding) {
        // Fast path: the status query, the metadata fetch and the first sliver requests to the current committee are
        // independent, so they run at once: a small read is one round of requests. The slivers are checked once the
        // metadata has come; a read the status refuses cancels the rest.
        Committee current = committee();
        EncodingConfig encoding = new EncodingConfig(current.shardCount());
        BlobStatus status = null;
        try (ReadOperation read = new ReadOperation(this, current, encoding, blobId)) {
            java.util.concurrent.CompletableFuture<BlobMetadataWithId> metadata = java.util.concurrent.CompletableFuture
                    .supplyAsync(read::metadata, task -> Thread.ofVirtual().name("tusk-read-metadata").start(task));
            read.requestFirstSlivers();
            if (admission != null) {
                try {
                    BlobInfo info = control.blob(blobId);
                    status = info.status();
                    checkReadable(blobId, status);
                    admission.accept(info);
                } catch (RuntimeException e) {
                    metadata.cancel(true);
                    throw e;
                }
            }
            try {
                BlobMetadataWithId verified = metadata.join();
                return decoding.decode(new BlobDecoder(encoding), verified, read.primarySlivers(verified), check);
            } catch (java.util.concurrent.CompletionException | BlobNotFoundException
                     | io.tusk.core.encoding.NotEnoughSliversException | NodeRequestException e) {
                // The current committee could not serve it: an epoch change may be moving its shards.
            }
        }
        return readAcrossEpochChange(blobId, check, status, decoding);
    }

    /** Reads a blob while its shards may be moving between committees, retrying with fresh committees. */
    private <T> T readAcrossEpochChange(BlobId blobId, ConsistencyCheck check, BlobStatus status, Decoding<T> decoding) {
        Integer certifiedEpoch = status == null ? null : switch (status) {
            case BlobStatus.Permanent p -> p.initialCertifiedEpoch();
            case BlobStatus.Deletable d -> d.initialCertifiedEpoch();
            default -> null;
        };
        RuntimeException last = null;
        for (int attempt = 1; attempt <= EPOCH_CHANGE_ATTEMPTS; attempt++) {
            // While an epoch change is in progress, blobs certified before it are read from the previous committee
            // (whose nodes still serve the shards they handed over); otherwise, or if that fails, from the current one.
            for (Committee committee : readCommittees(certifiedEpoch)) {
                EncodingConfig encoding = new EncodingConfig(committee.shardCount());
                try (ReadOperation read = new ReadOperation(this, committee, encoding, blobId)) {
                    BlobMetadataWithId metadata = read.metadata();
                    return decoding.decode(new BlobDecoder(encoding), metadata, read.primarySlivers(metadata), check);
                } catch (BlobNotFoundException | io.tusk.core.encoding.NotEnoughSliversException | NodeRequestException e) {
                    last = e;
                }
            }
            BlobStatus now = control.blob(blobId).status();
            if (now instanceof BlobStatus.Nonexistent || now instanceof BlobStatus.Invalid) {
                checkReadable(blobId, now); // expired, deleted or invalidated meanwhile: answer that
            }
            pauseRead(attempt);
        }
        throw last;
    }

    /** The committees to read from, in order of preference. */
    private List<Committee> readCommittees(Integer certifiedEpoch) {
        EpochInfo epoch = control.epoch();
        Committee current = freshCommittee();
        java.util.Optional<CommitteeInfo> previous = control.previousCommittee();
        if (previous.isEmpty() || current.epoch() != epoch.epoch()) {
            return List.of(current);
        }
        Committee before = new Committee(previous.get());
        boolean old = certifiedEpoch != null && certifiedEpoch < epoch.epoch();
        return old && !epoch.changeDone() ? List.of(before, current) : List.of(current, before);
    }

    private static void pauseRead(int attempt) {
        try {
            Thread.sleep(Math.min(2_000, 200L * attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BlobNotFoundException("interrupted while retrying a read across an epoch change");
        }
    }

    /** Refuses, before any node is asked, a blob that is not certified, expired, deleted or invalid. */
    private void requireCertified(BlobId blobId) {
        checkReadable(blobId, control.blob(blobId).status());
    }

    /** A read answers "invalid" or "not found" from the control plane's status before any sliver is decoded. */
    private static void checkReadable(BlobId blobId, BlobStatus status) {
        switch (status) {
            case BlobStatus.Invalid invalid -> throw new BlobInvalidException("blob " + blobId + " is invalid: it was inconsistently encoded");
            case BlobStatus.Nonexistent none -> throw new BlobNotFoundException("blob " + blobId + " does not exist (never stored, expired or deleted)");
            case BlobStatus.Permanent p when !p.isCertified() ->
                    throw new BlobNotFoundException("blob " + blobId + " is registered but not certified");
            case BlobStatus.Deletable d when d.initialCertifiedEpoch() == null ->
                    throw new BlobNotFoundException("blob " + blobId + " is registered but not certified");
            default -> { }
        }
    }

    /** Everything the control plane knows of a blob ID (a blob it says is gone leaves the client's cache). */
    public BlobInfo status(BlobId blobId) {
        BlobInfo info = control.blob(blobId);
        if (cache != null && (info.status() instanceof BlobStatus.Nonexistent || info.status() instanceof BlobStatus.Invalid)) {
            cache.evict(blobId);
        }
        return info;
    }

    /** Deletes a deletable blob object this account owns (its blob leaves the client's cache). */
    public CommandOutcome delete(ObjectId objectId) {
        java.util.Optional<BlobObject> object = cache == null ? java.util.Optional.empty() : control.object(objectId.toString());
        CommandOutcome outcome = submit(new Command.DeleteBlob(objectId.toString()));
        object.ifPresent(o -> cache.evict(BlobId.parse(o.blobId())));
        return outcome;
    }

    /** The client's cache of blobs read, if its configuration has one. */
    public java.util.Optional<LocalBlobCache> cache() {
        return java.util.Optional.ofNullable(cache);
    }

    /** Extends a certified blob object by {@code epochs}; this account pays. */
    public CommandOutcome extend(ObjectId objectId, int epochs) {
        return submit(new Command.ExtendBlob(objectId.toString(), epochs));
    }

    // ---- Shared blobs and burning (Walrus's share, fund-shared-blob, extend --shared, burn-blobs) -------

    /**
     * Wraps a blob object this account owns in a new shared blob holding {@code amount} of this account's balance
     * (0: none), which anyone may fund and extend from its funds. The blob object is no longer this account's: it
     * cannot delete, burn or change its attribute any more.
     *
     * @return the new shared blob object's ID
     */
    public ObjectId share(ObjectId objectId, long amount) {
        CommandOutcome outcome = submit(new Command.ShareBlob(objectId.toString(), amount));
        return outcome.events().stream().filter(Event.BlobShared.class::isInstance).map(Event.BlobShared.class::cast)
                .map(e -> ObjectId.parse(e.sharedBlobId())).findFirst()
                .orElseThrow(() -> new IllegalStateException("the control plane accepted shareBlob without a "
                        + "blobShared event: " + outcome.events()));
    }

    /** Moves {@code amount} of this account's balance into the shared blob's funds. */
    public CommandOutcome fundSharedBlob(ObjectId sharedBlobId, long amount) {
        return submit(new Command.FundSharedBlob(sharedBlobId.toString(), amount));
    }

    /** Extends a shared blob by {@code epochs}, paid from its funds (this account pays nothing). */
    public CommandOutcome extendShared(ObjectId sharedBlobId, int epochs) {
        return submit(new Command.ExtendSharedBlob(sharedBlobId.toString(), epochs));
    }

    /** The shared blob with its blob object and funds; empty if there is none. */
    public java.util.Optional<io.tusk.control.api.SharedBlob> sharedBlob(ObjectId sharedBlobId) {
        return control.sharedBlob(sharedBlobId.toString());
    }

    /**
     * Burns blob objects this account owns (Walrus's {@code burn-blobs}): they leave the account without a refund and
     * nobody can delete or extend them again; the nodes keep an unexpired blob's data until its end epoch. Sent in
     * commands of at most {@link Command.BurnBlobs#MAX_BURNS} objects, each all or none (as Walrus splits a long list
     * over several transactions): if one fails, the ones before it stay burned.
     */
    public List<CommandOutcome> burn(List<ObjectId> objectIds) {
        List<CommandOutcome> outcomes = new ArrayList<>();
        for (int from = 0; from < objectIds.size(); from += Command.BurnBlobs.MAX_BURNS) {
            List<String> ids = objectIds.subList(from, Math.min(objectIds.size(), from + Command.BurnBlobs.MAX_BURNS))
                    .stream().map(ObjectId::toString).toList();
            outcomes.add(submit(new Command.BurnBlobs(ids)));
        }
        return outcomes;
    }

    /** The current epoch as the control plane says (a blob object expired if its end epoch is not after it). */
    public int currentEpoch() {
        return control.epoch().epoch();
    }

    // ---- Blob attributes (Walrus's set-blob-attribute and friends; docs/network.md) -------------------

    /** Inserts or updates {@code pairs} in the attribute of a blob object this account owns. */
    public CommandOutcome setAttribute(ObjectId objectId, Map<String, String> pairs) {
        return submit(new Command.SetBlobAttribute(objectId.toString(), pairs));
    }

    /** Removes {@code keys} from the object's attribute (each must be there). */
    public CommandOutcome removeAttributeFields(ObjectId objectId, List<String> keys) {
        return submit(new Command.RemoveBlobAttributeFields(objectId.toString(), keys));
    }

    /** Removes the object's whole attribute. */
    public CommandOutcome removeAttribute(ObjectId objectId) {
        return submit(new Command.RemoveBlobAttribute(objectId.toString()));
    }

    /** The object's attribute; empty if it has none. */
    public java.util.Optional<io.tusk.control.api.BlobAttribute> attribute(ObjectId objectId) {
        return control.attribute(objectId.toString());
    }

    /**
     * Signs and submits a command from this client's account, serialized with this client's other commands and
     * retried across nonce races and control-plane restarts ({@link CommandSubmitter}).
     *
     * <p>Public for layers that add their own commands on the same account (spaces submit {@code commitSpace}), so
     * that all of an account's commands from one client share this serialization.
     */
    public CommandOutcome submit(Command command) {
        return commands.submit(command);
    }

    /**
     * Pays {@code amount} of this account's balance to {@code recipient} with {@code memo} (null: none; at most
     * {@value Command.Transfer#MAX_MEMO_BYTES} bytes). Its event names the payment ({@code sender}, {@code nonce}),
     * which anyone can look up again ({@code ControlClient.appliedCommand}).
     *
     * @throws io.tusk.http.ApiException {@code INSUFFICIENT_BALANCE} (nothing moved), {@code INVALID_ARGUMENT}
     */
    public Event.Transferred transfer(String recipient, long amount, byte[] memo) {
        CommandOutcome outcome = submit(new Command.Transfer(recipient, amount, memo));
        return outcome.events().stream().filter(Event.Transferred.class::isInstance).map(Event.Transferred.class::cast)
                .findFirst().orElseThrow(() -> new IllegalStateException("the control plane accepted a transfer "
                        + "without its event"));
    }

    /** The blob objects this account owns. */
    public OwnedBlobs listBlobs() {
        return control.blobsOwnedBy(config.account().publicKey().address().toString());
    }

    /** The current committee's shard count (the committee is cached, as for reads). */
    public int shardCount() {
        return committee().shardCount();
    }

    public CommitteeInfo committeeInfo() {
        return control.committee();
    }

    /**
     * The committee, cached for {@link #COMMITTEE_TTL_NANOS}: reads of small blobs would otherwise spend a control-plane
     * round trip on it every time. Committees change only at epoch boundaries.
     */
    Committee committee() {
        CachedCommittee cached = committee;
        long now = System.nanoTime();
        if (cached == null || now - cached.fetchedAt() > COMMITTEE_TTL_NANOS) {
            cached = new CachedCommittee(new Committee(control.committee()), now);
            committee = cached;
            observeEpoch(cached.committee().epoch());
        }
        return cached.committee();
    }

    /** The committee as the control plane has it now, bypassing (and refreshing) the cache: for retries. */
    Committee freshCommittee() {
        CachedCommittee fetched = new CachedCommittee(new Committee(control.committee()), System.nanoTime());
        committee = fetched;
        observeEpoch(fetched.committee().epoch());
        return fetched.committee();
    }

    /** The control plane reported this epoch: cached blobs that ended by then have expired. */
    private void observeEpoch(int epoch) {
        if (cache != null) {
            cache.observeEpoch(epoch);
        }
    }

    private record CachedCommittee(Committee committee, long fetchedAt) {}

    private static final long COMMITTEE_TTL_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(1);
    private volatile CachedCommittee committee;

    BlobEncoder encoder(EncodingConfig encoding) {
        return encoders.computeIfAbsent(encoding.shardCount(), n -> new BlobEncoder(encoding));
    }

    /** The client of the node at {@code networkAddress} ({@code host:port}); one per node, reused. */
    StorageNodeClient node(String networkAddress) {
        return nodes.computeIfAbsent(networkAddress, address -> nodeDecorator.apply(new HttpStorageNodeClient(address, config.requestTimeout())));
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
        for (StorageNodeClient node : List.copyOf(nodes.values())) {
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
