package io.tusk.spaces;

import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.client.TuskClient;
import io.tusk.control.api.Command;
import io.tusk.control.api.SpaceHead;
import io.tusk.core.crypto.Address;
import io.tusk.core.encoding.BlobEncoder;
import io.tusk.core.encoding.EncodedBlob;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.quilt.QuiltEncoder;
import io.tusk.core.quilt.QuiltPatchId;
import io.tusk.http.ApiException;
import io.tusk.spaces.crypto.OwnerKey;
import io.tusk.spaces.crypto.Sealer;
import io.tusk.spaces.manifest.SpaceManifest;
import io.tusk.spaces.store.BlobSource;
import io.tusk.spaces.store.ClientBlobSource;
import io.tusk.spaces.store.Lru;
import io.tusk.spaces.store.NodeLoader;
import io.tusk.spaces.tree.Node;
import io.tusk.spaces.tree.NodeCodec;
import io.tusk.core.api.ErrorReason;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The spaces SDK for one account (docs/spaces.md): creates and opens spaces. A space is owned by an account, named
 * (unique per account), and maps keys to entries; each commit makes a version whose manifest is a blob naming the
 * previous one, and the control plane keeps only the head. The account of the {@link TuskClient} owns the spaces it
 * creates and pays for what they store; other accounts' spaces open read-only.
 *
 * <p>Thread-safe; one instance per client. Caches decoded tree nodes, patches and manifests (all immutable).
 */
public final class Spaces implements AutoCloseable {
    static final Pattern NAME = SpaceManifest.NAME;

    private final TuskClient client;
    private final SpacesOptions options;
    private final Address account;
    private final OwnerKey ownerKey;
    private final BlobSource source;
    private final Lru<ByteBuffer, Node> nodeCache;
    private final Lru<QuiltPatchId, byte[]> patchCache;
    private final Lru<BlobId, SpaceManifest> manifests;
    private final Lru<BlobId, byte[]> keyBlobs = new Lru<>(256, b -> 1);
    private volatile int shardCount;
    private volatile BlobEncoder encoder;

    public Spaces(TuskClient client) {
        this(client, SpacesOptions.defaults());
    }

    public Spaces(TuskClient client, SpacesOptions options) {
        this(client, options, new ClientBlobSource(client));
    }

    /** A client that reads through {@code source} (e.g. an untrusted gateway) instead of the storage nodes. */
    public Spaces(TuskClient client, SpacesOptions options, BlobSource source) {
        this.client = client;
        this.options = options;
        this.account = client.config().account().publicKey().address();
        this.ownerKey = options.ownerKey() != null ? options.ownerKey() : OwnerKey.derive(client.config().account());
        this.source = source;
        this.nodeCache = new Lru<>(options.nodeCacheBytes() / 2, n -> 64L + 160L * n.size());
        this.patchCache = new Lru<>(options.nodeCacheBytes() / 2, b -> b.length + 64L);
        this.manifests = new Lru<>(1024, m -> 1);
    }

    /** The account that owns the spaces this client creates. */
    public String account() {
        return account.toString();
    }

    /**
     * Creates a space owned by this account, at version 0 (empty).
     *
     * @throws SpaceExistsException   if the account already has a space of that name
     * @throws InvalidKeyException    if the name is not 1 to 64 of {@code A-Z a-z 0-9 . _ -} (not starting with '.')
     */
    public Space create(String name, boolean encrypted) {
        checkName(name);
        try {
            client.submit(new Command.CreateSpace(name, encrypted));
        } catch (ApiException e) {
            if (e.is(ErrorReason.ALREADY_EXISTS)) {
                throw new SpaceExistsException("account " + account + " already has a space named '" + name + "'");
            }
            throw e;
        }
        return open(name);
    }

    /** Opens this account's space. @throws SpaceNotFoundException if there is none of that name */
    public Space open(String name) {
        return open(account.toString(), name);
    }

    /** Opens any account's space; another account's space is read-only. @throws SpaceNotFoundException */
    public Space open(String owner, String name) {
        return find(owner, name).orElseThrow(() -> new SpaceNotFoundException(owner + " has no space named '" + name + "'"));
    }

    public Optional<Space> find(String owner, String name) {
        checkName(name);
        Address ownerAddress = Address.parse(owner);
        return client.control().space(ownerAddress.toString(), name)
                .map(head -> new Space(this, ownerAddress, name, head.encrypted()));
    }

    /** This account's spaces (their heads), by name. */
    public List<SpaceHead> list() {
        return list(account.toString());
    }

    public List<SpaceHead> list(String owner) {
        return client.control().spaces(Address.parse(owner).toString()).spaces();
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidKeyException("space name '" + name + "' must be 1 to 64 of A-Z a-z 0-9 . _ - and not start with '.'");
        }
    }

    // ------------------------------------------------------------------------------------------------ for spaces

    TuskClient client() {
        return client;
    }

    SpacesOptions options() {
        return options;
    }

    Address accountAddress() {
        return account;
    }

    OwnerKey ownerKey() {
        return ownerKey;
    }

    BlobSource source() {
        return source;
    }

    NodeLoader nodeLoader(NodeCodec codec, Sealer sealer) {
        return new NodeLoader(source, codec, sealer, nodeCache, patchCache);
    }

    /** Stored bytes at a location in a pack (not checked: callers check them against what refers to them). */
    byte[] slice(io.tusk.spaces.tree.Location location) {
        return nodeLoader(Snapshot.ENTRY_NODES, Sealer.plain()).slice(location);
    }

    int shardCount() {
        int n = shardCount;
        if (n == 0) {
            n = client.committeeInfo().shardCount();
            shardCount = n;
        }
        return n;
    }

    BlobEncoder encoder() {
        BlobEncoder e = encoder;
        if (e == null) {
            e = new BlobEncoder(shardCount());
            encoder = e;
        }
        return e;
    }

    QuiltEncoder quiltEncoder() {
        return new QuiltEncoder(shardCount());
    }

    /** A manifest blob, parsed (and cached: manifests never change). */
    SpaceManifest manifest(BlobId blobId) {
        return manifests.computeIfAbsent(blobId, id -> {
            byte[] bytes = source.blob(id);
            if (!source.verifies()) {
                // An untrusted source (a gateway) could serve any manifest: its blob ID is re-derived. Everything else
                // is checked from the manifest down (node hashes, etags, authenticated encryption).
                BlobId derived = encoder().computeMetadata(bytes).blobId();
                if (!derived.equals(id)) {
                    throw new VerificationException("manifest " + id + ": the bytes served have blob ID " + derived);
                }
            }
            return SpaceManifest.parse(bytes);
        });
    }

    /** A key blob's bytes (cached; a forgotten entry's commit gets a new key blob, under a new ID). */
    byte[] keyBlob(BlobId blobId) {
        return keyBlobs.computeIfAbsent(blobId, source::blob);
    }

    /** A blob stored for a space: deletable (retention deletes it), for the configured epochs. */
    record Stored(BlobId blobId, ObjectId createdObject, long cost) {
    }

    EncodedBlob encode(byte[] blob) {
        return encoder().encode(blob);
    }

    Stored store(EncodedBlob encoded) {
        StoreResult result = client.storeEncoded(encoded, new StoreOptions(options.epochs(), true, false));
        return switch (result) {
            case StoreResult.NewlyCreated created -> new Stored(encoded.blobId(),
                    ObjectId.parse(created.blobObject().id()), created.cost());
            case StoreResult.AlreadyCertified already -> new Stored(encoded.blobId(), null, 0);
        };
    }

    @Override
    public void close() {
        nodeCache.clear();
        patchCache.clear();
        manifests.clear();
    }
}
