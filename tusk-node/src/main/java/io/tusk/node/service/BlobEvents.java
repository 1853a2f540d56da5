package io.tusk.node.service;

import io.tusk.core.failpoint.FailPoints;

import io.tusk.core.metadata.BlobId;
import io.tusk.node.store.BlobInfo;
import io.tusk.node.store.NodeStore;
import io.tusk.node.store.ObjectInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Applies control-plane blob events to {@code blob_info}, atomically with the event cursor: one {@link Page} per
 * page of events, committed in a single synced batch. A blob that has no live object left after a deletion, or that
 * is marked invalid, loses its metadata and slivers in the same batch. Pending uploads of newly registered blobs are
 * moved in after the commit.
 *
 * <p>Events must be applied in cursor order by one thread (the event follower).
 */
public final class BlobEvents {
    private static final Logger LOG = LoggerFactory.getLogger(BlobEvents.class);

    private final NodeStore store;
    private final NodeState state;
    private final StorageService service;
    private final NodeMetrics metrics;
    private volatile Consumer<List<BlobId>> certifiedListener = ids -> { };

    public BlobEvents(StorageService service, NodeMetrics metrics) {
        this.store = service.store();
        this.state = service.state();
        this.service = service;
        this.metrics = metrics;
    }

    /** Called after each committed page with the blobs certified or extended in it (recovery checks them). */
    public void setCertifiedListener(Consumer<List<BlobId>> listener) {
        this.certifiedListener = listener;
    }

    public Page page() {
        return new Page();
    }

    /** The changes of a run of events, applied together by {@link #commit}. */
    public final class Page {
        private final Map<BlobId, BlobInfo> changed = new LinkedHashMap<>();
        private final List<BlobId> collect = new ArrayList<>();
        private final List<BlobId> registered = new ArrayList<>();
        private final List<BlobId> certified = new ArrayList<>();
        private int events;

        private Page() {
        }

        private BlobInfo info(BlobId blobId) {
            BlobInfo info = changed.get(blobId);
            if (info == null) {
                info = store.blobInfo(blobId).orElse(BlobInfo.EMPTY);
            }
            return info;
        }

        public Page registered(long cursor, long epoch, BlobId blobId, byte[] objectId, long endEpoch, boolean deletable) {
            changed.put(blobId, info(blobId).withRegistered(new ObjectInfo(objectId, epoch, endEpoch, deletable, -1,
                    cursor)));
            registered.add(blobId);
            events++;
            return this;
        }

        public Page certified(long cursor, long epoch, BlobId blobId, byte[] objectId, long endEpoch, boolean deletable) {
            changed.put(blobId, info(blobId).withCertified(objectId, deletable, epoch, endEpoch, cursor));
            certified.add(blobId);
            events++;
            return this;
        }

        public Page deleted(long cursor, long epoch, BlobId blobId, byte[] objectId) {
            BlobInfo next = info(blobId).withDeleted(objectId);
            changed.put(blobId, next);
            if (!next.isRegistered(epoch)) {
                collect.add(blobId);
            }
            events++;
            return this;
        }

        public Page invalid(long cursor, long epoch, BlobId blobId) {
            changed.put(blobId, info(blobId).withInvalid(cursor));
            collect.add(blobId);
            events++;
            return this;
        }

        /** Counts an event that changes no blob (node registrations and the like). */
        public Page other() {
            events++;
            return this;
        }

        public int size() {
            return events;
        }

        /**
         * Writes every change and {@code nextCursor} in one synced batch, optionally with a new committee view, then
         * moves in pending uploads and wakes long polls.
         */
        public void commit(long nextCursor, Optional<CommitteeView> newView) {
            newView.ifPresent(v -> store.ensureShards(v.ownedShards()));
            FailPoints.hit("node.event-apply");
            try (NodeStore.Batch batch = store.batch()) {
                for (BlobId blobId : collect) {
                    batch.deleteBlobData(blobId);
                }
                changed.forEach(batch::putBlobInfo);
                newView.ifPresent(v -> batch.putNodeStatus(NodeStatusKeys.COMMITTEE, v.toBcs()));
                batch.setEventCursor(nextCursor);
                batch.commit();
            }
            newView.ifPresent(state::setView);
            if (!collect.isEmpty()) {
                LOG.info("collected blob data blobIds={}", collect);
            }
            for (BlobId blobId : registered) {
                if (info(blobId).isRegistered(state.view().epoch())) {
                    try {
                        service.writes().movePendingIn(blobId);
                    } catch (RuntimeException e) {
                        // The page is committed: what follows (waking confirmations, queueing recovery) must still
                        // run. The client re-sends what it sees unconfirmed; recovery rebuilds a certified blob's rest.
                        LOG.warn("cannot move the buffered uploads of blob {} in: {}", blobId, e.toString());
                    }
                }
            }
            metrics.eventsProcessed(events);
            state.signalChange();
            if (!certified.isEmpty()) {
                certifiedListener.accept(List.copyOf(certified));
            }
        }
    }
}
