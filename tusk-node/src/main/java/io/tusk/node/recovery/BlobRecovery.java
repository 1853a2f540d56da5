package io.tusk.node.recovery;

import io.tusk.core.failpoint.FailPoints;

import io.tusk.core.encoding.EncodingConfig;
import io.tusk.core.encoding.InconsistencyProof;
import io.tusk.core.encoding.InconsistentEncodingException;
import io.tusk.core.encoding.InvalidSliverException;
import io.tusk.core.encoding.NotEnoughSliversException;
import io.tusk.core.encoding.RecoverySymbol;
import io.tusk.core.encoding.Sliver;
import io.tusk.core.encoding.SliverExpansion;
import io.tusk.core.encoding.SliverRecovery;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadata;
import io.tusk.core.metadata.BlobMetadataWithId;
import io.tusk.core.metadata.MetadataVerificationException;
import io.tusk.node.recovery.Peers.Peer;
import io.tusk.node.service.CommitteeView;
import io.tusk.node.store.BlobInfo;
import io.tusk.node.store.NodeStore;
import io.tusk.node.store.ObjectInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Rebuilds the slivers one node lacks for one certified blob (Walrus's blob sync): verified metadata from the store
 * or from other nodes, then for every missing sliver the recovery symbols of other nodes' orthogonal slivers.
 * Secondary slivers first ({@code p = n - 2f} symbols each), then primary ones ({@code s = n - f}), which can then use
 * the node's own secondary slivers as sources, as Red Stuff's worst case needs.
 *
 * <p>Traffic: for each target sliver exactly the needed number of symbols is requested, one per source sliver, from the
 * nodes holding those sources, all targets of the blob and axis in one request per node. Only when an answer fails
 * or a symbol does not verify are further sources asked. Every symbol is verified against the metadata before use.
 */
final class BlobRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(BlobRecovery.class);

    enum Outcome { DONE, RETRY, INCONSISTENT }

    /** One sliver to rebuild. */
    private record Target(int shard, SliverType type, int index) {
        int pair(int n) {
            return type.pairIndex(index, n);
        }
    }

    private final NodeStore store;
    private final RecoveryMetrics metrics;
    private final ExecutorService executor;
    private final InvalidBlobReporter reporter;

    BlobRecovery(NodeStore store, RecoveryMetrics metrics, ExecutorService executor, InvalidBlobReporter reporter) {
        this.store = store;
        this.metrics = metrics;
        this.executor = executor;
        this.reporter = reporter;
    }

    /** Whether the blob has a certified object live in {@code epoch} and is not invalid. */
    static boolean needsData(Optional<BlobInfo> info, long epoch) {
        if (info.isEmpty() || info.get().isInvalid()) {
            return false;
        }
        for (ObjectInfo o : info.get().objects()) {
            if (o.isCertified() && o.isLive(epoch)) {
                return true;
            }
        }
        return false;
    }

    /** The (shard, type) slivers of owned shards that are absent, or present but wrong when {@code verify}. */
    List<int[]> missing(BlobId blobId, CommitteeView view, BlobMetadata metadata, boolean verify) {
        List<int[]> out = new ArrayList<>();
        int n = view.shardCount();
        EncodingConfig config = view.encodingConfig();
        for (int shard : view.ownedShards()) {
            int pair = blobId.pairForShard(shard, n);
            for (SliverType type : SliverType.values()) {
                Optional<byte[]> bcs = verify ? store.sliver(shard, type, blobId) : Optional.empty();
                boolean ok;
                if (!verify) {
                    ok = store.hasSliver(shard, type, blobId);
                } else if (bcs.isEmpty()) {
                    ok = false;
                } else {
                    ok = isGood(config, metadata, type, pair, n, bcs.get());
                    if (!ok) {
                        LOG.warn("stored sliver does not match the metadata blobId={} shard={} type={}", blobId, shard,
                                type.wireName());
                    }
                }
                if (!ok) {
                    out.add(new int[] {shard, type.tag()});
                }
            }
        }
        return out;
    }

    private static boolean isGood(EncodingConfig config, BlobMetadata metadata, SliverType type, int pair, int n,
                                  byte[] bcs) {
        try {
            Sliver sliver = Sliver.fromBcs(type, bcs);
            int expectedIndex = type.sliverIndex(pair, n);
            if (sliver.index() != expectedIndex) {
                return false;
            }
            sliver.verify(config, metadata);
            return true;
        } catch (RuntimeException bad) {
            return false;
        }
    }

    /** Metadata from the store if it verifies, else from other nodes (stored once verified); empty if nobody has it. */
    Optional<BlobMetadata> metadata(BlobId blobId, EncodingConfig config, Peers.Snapshot peers) {
        try {
            Optional<BlobMetadata> local = store.metadata(blobId);
            if (local.isPresent()) {
                new BlobMetadataWithId(blobId, local.get()).verify(config);
                return local;
            }
        } catch (RuntimeException corrupt) {
            LOG.warn("stored metadata is unusable, fetching it again blobId={}: {}", blobId, corrupt.getMessage());
        }
        List<Peer> order = new ArrayList<>(peers.members());
        Collections.shuffle(order);
        for (Peer peer : order) {
            if (peer.self()) {
                continue;
            }
            try {
                BlobMetadataWithId fetched = Peers.metadata(peer, blobId).verify(config);
                store.batch().putMetadata(blobId, fetched.metadata()).commit();
                return Optional.of(fetched.metadata());
            } catch (MetadataVerificationException e) {
                LOG.warn("{} served metadata that does not verify for blob {}: {}", peer, blobId, e.getMessage());
            } catch (RuntimeException e) {
                LOG.debug("{} did not serve metadata of {}: {}", peer, blobId, e.toString());
            }
        }
        return Optional.empty();
    }

    /**
     * Rebuilds what is missing. {@code stillWanted} is checked before each store, so that a blob invalidated or
     * deleted meanwhile is not written back.
     */
    Outcome recover(BlobId blobId, CommitteeView view, Peers.Snapshot peers, BlobMetadata metadata, List<int[]> missing,
                    java.util.function.BooleanSupplier stillWanted) throws InterruptedException {
        EncodingConfig config = view.encodingConfig();
        int n = view.shardCount();
        boolean complete = true;
        for (SliverType type : List.of(SliverType.SECONDARY, SliverType.PRIMARY)) {
            List<Target> targets = new ArrayList<>();
            for (int[] m : missing) {
                if (m[1] == type.tag()) {
                    int pair = blobId.pairForShard(m[0], n);
                    targets.add(new Target(m[0], type, type.sliverIndex(pair, n)));
                }
            }
            if (targets.isEmpty()) {
                continue;
            }
            Outcome outcome = recoverAxis(blobId, config, peers, metadata, type, targets, stillWanted);
            if (outcome == Outcome.INCONSISTENT) {
                return outcome;
            }
            complete &= outcome == Outcome.DONE;
        }
        return complete ? Outcome.DONE : Outcome.RETRY;
    }

    private Outcome recoverAxis(BlobId blobId, EncodingConfig config, Peers.Snapshot peers, BlobMetadata metadata,
                                SliverType type, List<Target> targets, java.util.function.BooleanSupplier stillWanted)
            throws InterruptedException {
        int n = config.shardCount();
        int needed = SliverRecovery.symbolsNeeded(config, type);
        SliverType sourceAxis = type.orthogonal();
        Random random = new Random(java.util.Arrays.hashCode(blobId.bytes()) * 31L + type.tag());

        // Sources per target: local slivers of the other axis first (free), then remote ones in random order.
        Map<Target, List<RecoverySymbol>> good = new LinkedHashMap<>();
        Map<Target, List<Integer>> remaining = new HashMap<>();
        Map<Integer, SliverExpansion> localExpansions = new HashMap<>();
        for (Target t : targets) {
            List<RecoverySymbol> symbols = new ArrayList<>(needed);
            List<Integer> remote = new ArrayList<>();
            for (int source = 0; source < n; source++) {
                int sourcePair = sourceAxis.pairIndex(source, n);
                int shard = blobId.shardForPair(sourcePair, n);
                Peer owner = peers.owner(shard);
                if (owner == null) {
                    continue;
                }
                if (owner.self()) {
                    RecoverySymbol local = localSymbol(blobId, config, metadata, sourceAxis, shard, source, t.index(),
                            localExpansions);
                    if (local != null && symbols.size() < needed) {
                        symbols.add(local);
                    }
                } else {
                    remote.add(source);
                }
            }
            Collections.shuffle(remote, random);
            good.put(t, symbols);
            remaining.put(t, remote);
        }
        localExpansions.clear();

        // Rounds: ask for exactly what each target still lacks, from sources not yet asked.
        while (true) {
            Map<Peer, List<String>> ask = new LinkedHashMap<>();
            Map<String, Target> targetOfId = new HashMap<>();
            for (Target t : targets) {
                int lacking = needed - good.get(t).size();
                List<Integer> sources = remaining.get(t);
                while (lacking > 0 && !sources.isEmpty()) {
                    int source = sources.removeLast();
                    int sourcePair = sourceAxis.pairIndex(source, n);
                    Peer owner = peers.owner(blobId.shardForPair(sourcePair, n));
                    String id = type == SliverType.PRIMARY ? t.index() + "-" + source : source + "-" + t.index();
                    ask.computeIfAbsent(owner, k -> new ArrayList<>()).add(id);
                    targetOfId.put(id, t);
                    lacking--;
                }
            }
            if (ask.isEmpty()) {
                break;
            }
            List<Future<List<RecoverySymbol>>> answers = new ArrayList<>();
            List<Peer> asked = new ArrayList<>(ask.keySet());
            for (Peer peer : asked) {
                List<String> ids = ask.get(peer);
                answers.add(executor.submit(() -> Peers.symbols(peer, blobId, ids, sourceAxis)));
            }
            for (int i = 0; i < answers.size(); i++) {
                List<RecoverySymbol> symbols;
                try {
                    symbols = answers.get(i).get();
                } catch (java.util.concurrent.ExecutionException e) {
                    LOG.debug("{} did not serve recovery symbols of {}: {}", asked.get(i), blobId, e.getCause().toString());
                    continue;
                }
                for (RecoverySymbol symbol : symbols) {
                    String id = symbol.primaryIndex() + "-" + symbol.secondaryIndex();
                    Target t = targetOfId.get(id);
                    if (t == null || symbol.targetType() != type || symbol.targetIndex() != t.index()) {
                        continue; // not what was asked
                    }
                    try {
                        symbol.verify(config, metadata);
                    } catch (InvalidSliverException bad) {
                        LOG.warn("{} served a recovery symbol that does not verify for blob {}: {}", asked.get(i), blobId,
                                bad.getMessage());
                        continue;
                    }
                    List<RecoverySymbol> list = good.get(t);
                    if (list.size() < needed) {
                        list.add(symbol);
                    }
                }
            }
        }

        boolean complete = true;
        for (Target t : targets) {
            List<RecoverySymbol> symbols = good.get(t);
            if (symbols.size() < needed) {
                LOG.info("not enough recovery symbols yet blobId={} {} sliver {}: {} of {}", blobId, type.wireName(),
                        t.index(), symbols.size(), needed);
                complete = false;
                continue;
            }
            Sliver sliver;
            try {
                sliver = SliverRecovery.recover(config, metadata, type, t.index(), symbols);
            } catch (InconsistentEncodingException e) {
                InconsistencyProof proof = e.proof();
                LOG.warn("blob is inconsistently encoded blobId={}: rebuilt {} sliver {} does not match its hash", blobId,
                        type.wireName(), t.index());
                metrics.inconsistent();
                reporter.report(blobId, proof);
                return Outcome.INCONSISTENT;
            } catch (NotEnoughSliversException e) {
                LOG.info("cannot rebuild {} sliver {} of blob {} yet: {}", type.wireName(), t.index(), blobId,
                        e.getMessage());
                complete = false;
                continue;
            }
            good.put(t, List.of()); // free the symbols
            if (!stillWanted.getAsBoolean()) {
                return Outcome.DONE;
            }
            store.ensureShards(List.of(t.shard()));
            FailPoints.hit("node.recovery-store");
            store.batch().putSliver(t.shard(), type, blobId, sliver.toBcs()).commit();
            metrics.sliverRecovered(sliver.length());
            LOG.debug("recovered sliver blobId={} shard={} {} sliver {}", blobId, t.shard(), type.wireName(), t.index());
        }
        return complete ? Outcome.DONE : Outcome.RETRY;
    }

    /** A symbol computed from this node's own stored sliver of the source axis, if it has a good one. */
    private RecoverySymbol localSymbol(BlobId blobId, EncodingConfig config, BlobMetadata metadata, SliverType sourceAxis,
                                       int shard, int source, int targetIndex, Map<Integer, SliverExpansion> cache) {
        SliverExpansion expansion = cache.computeIfAbsent(shard, s -> {
            Optional<byte[]> bcs = store.sliver(s, sourceAxis, blobId);
            if (bcs.isEmpty()) {
                return null;
            }
            try {
                Sliver sliver = Sliver.fromBcs(sourceAxis, bcs.get());
                return sliver.index() == source ? new SliverExpansion(config, sliver) : null;
            } catch (RuntimeException e) {
                return null;
            }
        });
        if (expansion == null) {
            return null;
        }
        RecoverySymbol symbol = expansion.recoverySymbol(targetIndex);
        try {
            return symbol.verify(config, metadata);
        } catch (InvalidSliverException e) {
            return null; // our own copy is wrong: it is rebuilt too
        }
    }
}
