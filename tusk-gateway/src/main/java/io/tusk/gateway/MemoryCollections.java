package io.tusk.gateway;

import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.Address;
import io.tusk.http.ApiError;
import io.tusk.memory.MemoryOptions;
import io.tusk.memory.MemoryStore;
import io.tusk.memory.embedding.Embedder;
import io.tusk.memory.space.TuskMemorySpace;
import io.tusk.spaces.Spaces;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The memory collections the gateway serves: one {@link MemoryStore} (its recall index in this process) per space,
 * opened on first use and kept open, so a recall searches a warm index instead of rebuilding one per request. A
 * collection opens from the index segments published in its space plus the commits after them
 * ({@code MemoryOptions.coldStart}); the embedding model is loaded once, on the first memory request, so a gateway
 * that never serves memory does not pay for it.
 *
 * <p>Thread-safe: concurrent first requests for one collection share one opening.
 */
final class MemoryCollections implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(MemoryCollections.class);

    /** Collections held open at once; more are refused (429) rather than evicting an index in use. */
    static final int MAX_OPEN = 64;

    private record Key(String owner, String name) {
    }

    private final Spaces spaces;
    private final Supplier<Embedder> embedderFactory;
    private final MemoryOptions options;
    private final Map<Key, CompletableFuture<MemoryStore>> open = new ConcurrentHashMap<>();
    private Embedder embedder; // guarded by this
    private boolean closed; // guarded by this

    MemoryCollections(Spaces spaces, Supplier<Embedder> embedderFactory, MemoryOptions options) {
        this.spaces = spaces;
        this.embedderFactory = embedderFactory;
        this.options = options;
    }

    /** The gateway's account: the owner of the collections it may write. */
    String account() {
        return spaces.account();
    }

    /**
     * The collection in space {@code owner/name}.
     *
     * @param create whether to create the space (encrypted) when the gateway's account has none of that name
     * @throws io.tusk.spaces.SpaceNotFoundException if there is no such space (and {@code create} is false or the
     *                                               owner is another account)
     */
    MemoryStore collection(String owner, String name, boolean create) {
        Key key = new Key(Address.parse(owner).toString(), name);
        CompletableFuture<MemoryStore> existing = open.get(key);
        if (existing == null) {
            CompletableFuture<MemoryStore> mine = new CompletableFuture<>();
            synchronized (this) {
                if (closed) {
                    throw new ApiError(ErrorReason.UNAVAILABLE, "the gateway is shutting down");
                }
                existing = open.get(key);
                if (existing == null) {
                    if (open.size() >= MAX_OPEN) {
                        throw new ApiError(ErrorReason.TOO_MANY_REQUESTS, "this gateway holds " + MAX_OPEN
                                + " memory collections open, its limit; use fewer collections or another gateway");
                    }
                    open.put(key, mine);
                }
            }
            if (existing == null) {
                MemoryStore store;
                try {
                    store = openStore(key, create);
                } catch (RuntimeException e) {
                    open.remove(key, mine); // not cached: the next request tries again (the space may appear)
                    mine.completeExceptionally(e);
                    throw e;
                }
                synchronized (this) {
                    if (closed) { // close() ran while this one opened: it could not close what it did not see
                        store.close();
                        ApiError gone = new ApiError(ErrorReason.UNAVAILABLE, "the gateway is shutting down");
                        mine.completeExceptionally(gone);
                        throw gone;
                    }
                    mine.complete(store);
                }
                return store;
            }
        }
        try {
            return existing.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while opening memory collection " + name, e);
        }
    }

    private MemoryStore openStore(Key key, boolean create) {
        long t0 = System.nanoTime();
        Embedder model = embedder();
        long t1 = System.nanoTime();
        TuskMemorySpace space = create && key.owner().equals(spaces.account())
                ? TuskMemorySpace.openOrCreate(spaces, key.name(), true)
                : new TuskMemorySpace(spaces.open(key.owner(), key.name()));
        MemoryStore store = MemoryStore.open(space, model, options);
        LOG.info("memory collection {}/{} open in {} ms (embedding model {} ms): {} memories at sequence {}{}",
                key.owner(), key.name(), (System.nanoTime() - t0) / 1_000_000, (t1 - t0) / 1_000_000, store.size(),
                store.sequence(), store.restoredSequence() >= 0
                        ? ", started from the index published at sequence " + store.restoredSequence() : "");
        return store;
    }

    private synchronized Embedder embedder() {
        if (embedder == null) {
            embedder = embedderFactory.get();
        }
        return embedder;
    }

    @Override
    public void close() {
        List<CompletableFuture<MemoryStore>> stores;
        synchronized (this) {
            closed = true;
            stores = new ArrayList<>(open.values());
            open.clear();
        }
        RuntimeException failure = null;
        for (CompletableFuture<MemoryStore> future : stores) {
            MemoryStore store = future.getNow(null);
            if (store == null) {
                continue; // still opening (its request fails on the closed space) or failed
            }
            try {
                store.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
