package io.tusk.node.events;

import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.control.api.Event;
import io.tusk.control.api.EventPage;
import io.tusk.core.crypto.BlsPublicKey;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.metadata.BlobId;
import io.tusk.node.service.BlobEvents;
import io.tusk.node.service.CommitteeView;
import io.tusk.node.service.NodeState;
import io.tusk.node.store.NodeStore;
import io.tusk.http.BackgroundLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Follows the control plane's event stream from the cursor persisted in the store, applying each page of events to
 * {@code blob_info} atomically with the new cursor. On start, and at every {@code epochChange}, it fetches the
 * committee and records which shards this node holds (matched by its BLS public key).
 *
 * <p>Runs on one thread of its own; failures of the control plane are logged and retried after a pause, so the node
 * keeps serving what it has.
 */
public final class EventFollower implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventFollower.class);

    private final ControlSource source;
    private final BlobEvents events;
    private final NodeState state;
    private final NodeStore store;
    private final BlsPublicKey publicKey;
    private final int pageSize;
    private final long waitMillis;
    private final BackgroundLoop loop;
    private volatile boolean committeeFetched;
    private volatile io.tusk.node.shards.EpochListener epochListener = io.tusk.node.shards.EpochListener.NONE;

    public EventFollower(ControlSource source, BlobEvents events, NodeState state, NodeStore store,
                         BlsPublicKey publicKey, int pageSize, long waitMillis, long retryMillis) {
        this.source = source;
        this.events = events;
        this.state = state;
        this.store = store;
        this.publicKey = publicKey;
        this.pageSize = pageSize;
        this.waitMillis = waitMillis;
        // Back to back: each pass is a long poll that waits for events by itself.
        this.loop = BackgroundLoop.named("tusk-node-events", this::pass).every(Duration.ZERO)
                .retryAfter(Duration.ofMillis(retryMillis), Duration.ofMillis(retryMillis)).build();
    }

    /** Set before {@link #start()}. */
    public void setEpochListener(io.tusk.node.shards.EpochListener listener) {
        this.epochListener = listener;
    }

    public void start() {
        loop.start();
    }

    /** True once the committee has been fetched at least once since start. */
    public boolean hasCommittee() {
        return committeeFetched;
    }

    /** Learns the committee once, then applies the next page of events. */
    private void pass() throws Exception {
        if (!committeeFetched) {
            CommitteeView view = fetchView();
            events.page().commit(store.eventCursor(), Optional.of(view));
            committeeFetched = true;
            LOG.info("learnt committee epoch={} shards={} owned={}", view.epoch(), view.shardCount(),
                    view.ownedShards().size());
        }
        pollOnce();
    }

    /** Reads one page of events and applies it. Visible for tests that drive the follower by hand. */
    public void pollOnce() throws Exception {
        long cursor = store.eventCursor();
        EventPage page = source.events(cursor, pageSize, waitMillis);
        BlobEvents.Page batch = events.page();
        for (Event event : page.events()) {
            if (event.cursor() < cursor) {
                continue; // already applied
            }
            if (event.cursor() != cursor) {
                throw new IllegalStateException("event stream skipped from cursor " + cursor + " to " + event.cursor());
            }
            switch (event) {
                case Event.BlobRegistered r -> batch.registered(r.cursor(), r.epoch(), BlobId.parse(r.blobId()),
                        ObjectId.parse(r.objectId()).bytes(), r.endEpoch(), r.deletable());
                case Event.BlobCertified c -> batch.certified(c.cursor(), c.epoch(), BlobId.parse(c.blobId()),
                        ObjectId.parse(c.objectId()).bytes(), c.endEpoch(), c.deletable());
                case Event.BlobDeleted d -> batch.deleted(d.cursor(), d.epoch(), BlobId.parse(d.blobId()),
                        ObjectId.parse(d.objectId()).bytes());
                case Event.InvalidBlobId i -> batch.invalid(i.cursor(), i.epoch(), BlobId.parse(i.blobId()));
                case Event.BlobShared n -> batch.other(); // the blob's object changes owner, its data nothing
                case Event.Transferred t -> batch.other(); // balances: nothing for a node
                case Event.EpochChange change -> {
                    batch.commit(change.cursor(), Optional.empty());
                    CommitteeView view = fetchView();
                    events.page().other().commit(change.cursor() + 1, Optional.of(view));
                    LOG.info("epoch change epoch={} owned={}", view.epoch(), view.ownedShards());
                    epochListener.onEpochStart(view.epoch());
                    epochListener.onCommitteeEvent();
                    batch = events.page();
                }
                case Event.NodeRegistered n -> batch.other();
                case Event.ShardsSynced n -> {
                    batch.other();
                    epochListener.onCommitteeEvent();
                }
                case Event.NodeLeft n -> batch.other();
                case Event.StakeChanged n -> batch.other();
                case Event.SpaceCreated n -> batch.other(); // spaces are the clients' business
                case Event.SpaceCommitted n -> batch.other();
                case Event.SpaceFolded n -> batch.other();
                case Event.BucketCreated n -> batch.other(); // so are S3 buckets
                case Event.BucketDeleted n -> batch.other();
                case Event.EpochChangeDone done -> {
                    batch.other();
                    epochListener.onCommitteeEvent();
                }
            }
            cursor = event.cursor() + 1;
        }
        if (batch.size() > 0 || cursor > store.eventCursor()) {
            batch.commit(cursor, Optional.empty());
        }
    }

    private CommitteeView fetchView() throws Exception {
        CommitteeInfo committee = source.committee();
        byte[] key = publicKey.bytes();
        Set<Integer> owned = new TreeSet<>();
        for (CommitteeMember member : committee.members()) {
            if (Arrays.equals(member.blsPublicKey(), key)) {
                owned.addAll(member.shards());
            }
        }
        return new CommitteeView(committee.epoch(), committee.shardCount(), owned);
    }

    /** Stops following and waits for the pass in progress, which writes to the store, to end. */
    @Override
    public void close() {
        loop.close();
    }
}
