package io.tusk.node.service;

import io.tusk.core.api.ErrorReason;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.encoding.InconsistencyProof;
import io.tusk.core.encoding.SliverType;
import io.tusk.core.failpoint.FailPoints;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.InvalidBlobIdMessage;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.messages.SignedMessage;
import io.tusk.core.messages.StorageConfirmation;
import io.tusk.core.metadata.BlobId;
import io.tusk.core.metadata.BlobMetadata;
import io.tusk.node.store.BlobInfo;
import io.tusk.node.store.NodeStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Semaphore;

/**
 * What the node signs with its BLS key: storage confirmations ({@code GET …/confirmation/…}, long-polling for a
 * registration the node has not seen yet, a bounded number at once) and invalid-blob attestations, for an
 * inconsistency proof that checks out ({@code POST …/inconsistencyProof/{type}}) or for its own recovery. Thread-safe.
 */
public final class Confirmations {
    private static final Logger LOG = LoggerFactory.getLogger(Confirmations.class);

    private final NodeStore store;
    private final NodeState state;
    private final BlsKeyPair key;
    private final NodeMetrics metrics;
    private final BlobChecks checks;
    private final long maxWaitMillis;
    private final Semaphore longPolls;

    Confirmations(NodeStore store, NodeState state, BlsKeyPair key, NodeMetrics metrics, BlobChecks checks,
                  long maxWaitMillis, int maxLongPolls) {
        this.store = store;
        this.state = state;
        this.key = key;
        this.metrics = metrics;
        this.checks = checks;
        this.maxWaitMillis = maxWaitMillis;
        this.longPolls = new Semaphore(maxLongPolls);
    }

    /**
     * {@code GET …/confirmation/permanent} ({@code objectId == null}) or {@code …/deletable/{objectId}}: signs a
     * storage confirmation for the current epoch if the blob is registered with that persistence and every sliver of
     * every shard this node holds is stored. With {@code waitForRegistration} a NOT_REGISTERED outcome is retried
     * until the registration arrives or the wait ends.
     */
    public SignedMessage confirmation(BlobId blobId, ObjectId objectId, boolean waitForRegistration,
                                       long waitMillis) throws InterruptedException {
        try {
            return tryConfirmation(blobId, objectId);
        } catch (NodeException e) {
            if (e.reason() != ErrorReason.NOT_REGISTERED || !waitForRegistration) {
                throw e;
            }
            if (!longPolls.tryAcquire()) {
                throw e;
            }
            try {
                long wait = Math.min(Math.max(waitMillis, 0), maxWaitMillis);
                long deadline = System.nanoTime() + NodeState.millisToNanos(wait);
                while (true) {
                    long seen = state.version();
                    try {
                        return tryConfirmation(blobId, objectId);
                    } catch (NodeException again) {
                        long remaining = deadline - System.nanoTime();
                        if (again.reason() != ErrorReason.NOT_REGISTERED || remaining <= 0) {
                            throw again;
                        }
                        state.awaitChange(seen, remaining);
                    }
                }
            } finally {
                longPolls.release();
            }
        }
    }

    private SignedMessage tryConfirmation(BlobId blobId, ObjectId objectId) {
        CommitteeView view = checks.knownView();
        long epoch = view.epoch();
        BlobInfo info = store.blobInfo(blobId).orElse(BlobInfo.EMPTY);
        boolean registered = objectId == null ? info.hasLivePermanent(epoch)
                : info.liveDeletable(objectId.bytes(), epoch).isPresent();
        if (!registered) {
            throw BlobChecks.notRegistered();
        }
        if (!checks.storesAllSlivers(blobId, view)) {
            throw new NodeException(ErrorReason.MISSING_SLIVERS, "the node does not yet store all slivers of the blob for its shards");
        }
        BlobPersistence persistence = objectId == null ? BlobPersistence.PERMANENT : BlobPersistence.deletable(objectId);
        byte[] message = new StorageConfirmation(epoch, blobId, persistence).toBcs();
        FailPoints.hit("node.confirmation-sign");
        SignedMessage signed = new SignedMessage(message, key.sign(message));
        metrics.confirmationSigned();
        return signed;
    }

    /**
     * {@code POST /v1/blobs/{id}/inconsistencyProof/{type}}: checks the BCS {@code InconsistencyProof} against this
     * node's metadata and, if it shows an inconsistent encoding, signs an {@code InvalidBlobIdMessage} for the current
     * epoch (Walrus §2.11).
     */
    public SignedMessage inconsistencyProof(BlobId blobId, SliverType type, byte[] body) {
        CommitteeView view = checks.knownView();
        BlobMetadata metadata = store.metadata(blobId).orElseThrow(() -> new NodeException(ErrorReason.MISSING_METADATA,
                "the metadata of the blob is not stored at this node"));
        InconsistencyProof proof;
        try {
            proof = InconsistencyProof.fromBcs(type, body);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new NodeException(ErrorReason.INVALID_CONTENT_TYPE, "the body is not a BCS InconsistencyProof: "
                    + e.getMessage());
        }
        if (!proof.verify(view.encodingConfig(), metadata)) {
            throw new NodeException(ErrorReason.INVALID_PROOF, "the " + type.wireName()
                    + " inconsistency proof does not show an inconsistent encoding of the blob");
        }
        return signInvalidBlobId(blobId, view.epoch());
    }

    /** This node's attestation that {@code blobId} is invalid, for {@code epoch}. */
    public SignedMessage signInvalidBlobId(BlobId blobId, long epoch) {
        byte[] message = new InvalidBlobIdMessage(epoch, blobId).toBcs();
        LOG.info("attesting invalid blob blobId={} epoch={}", blobId, epoch);
        return new SignedMessage(message, key.sign(message));
    }
}
