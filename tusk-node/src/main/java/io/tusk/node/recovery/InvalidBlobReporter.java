package io.tusk.node.recovery;

import io.tusk.control.api.Certificate;
import io.tusk.control.api.Command;
import io.tusk.core.Bft;
import io.tusk.core.crypto.Ed25519KeyPair;
import io.tusk.core.encoding.InconsistencyProof;
import io.tusk.core.messages.ConfirmationCertificate;
import io.tusk.core.messages.InvalidBlobIdMessage;
import io.tusk.core.messages.SignedMessage;
import io.tusk.core.metadata.BlobId;
import io.tusk.node.events.ControlSource;
import io.tusk.node.service.StorageService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * Has an inconsistently encoded blob marked invalid: posts the inconsistency proof to the other committee members,
 * keeps the attestations ({@code InvalidBlobIdMessage}s for the current epoch) whose signatures verify, adds this
 * node's own, and once they hold more than f shards aggregates them and submits {@code invalidateBlob} to the
 * control plane.
 */
final class InvalidBlobReporter {
    private static final Logger LOG = LoggerFactory.getLogger(InvalidBlobReporter.class);

    private final StorageService service;
    private final ControlSource control;
    private final Ed25519KeyPair account;
    private final ExecutorService executor;
    private final Supplier<Peers.Snapshot> peers;

    InvalidBlobReporter(StorageService service, ControlSource control, Ed25519KeyPair account, ExecutorService executor,
                        Supplier<Peers.Snapshot> peers) {
        this.service = service;
        this.control = control;
        this.account = account;
        this.executor = executor;
        this.peers = peers;
    }

    /**
     * Gathers attestations and submits the invalidation. Returns true if the control plane accepted it (or the blob
     * was already invalid); false if there were not enough attestations or the submission failed (the caller retries).
     */
    boolean report(BlobId blobId, InconsistencyProof proof) throws InterruptedException {
        Peers.Snapshot committee = peers.get();
        long epoch = committee.epoch();
        byte[] expected = new InvalidBlobIdMessage(epoch, blobId).toBcs();
        List<Integer> signers = new ArrayList<>();
        List<SignedMessage> attestations = new ArrayList<>();
        int weight = 0;
        ExecutorCompletionService<Object[]> done = new ExecutorCompletionService<>(executor);
        List<Future<Object[]>> pending = new ArrayList<>();
        for (Peers.Peer peer : committee.members()) {
            if (peer.self()) {
                signers.add(peer.index());
                attestations.add(service.confirmations().signInvalidBlobId(blobId, epoch));
                weight += peer.weight();
                continue;
            }
            pending.add(done.submit(() -> new Object[] {peer, Peers.postProof(peer, blobId, proof)}));
        }
        for (int i = 0; i < pending.size() && !Bft.isValidity(weight, committee.shardCount()); i++) {
            Peers.Peer peer = null;
            try {
                Object[] answer = done.take().get();
                peer = (Peers.Peer) answer[0];
                SignedMessage signed = (SignedMessage) answer[1];
                if (!Arrays.equals(signed.serializedMessage(), expected) || !signed.verify(peer.key())) {
                    LOG.warn("{} answered an attestation that is not a valid invalid-blob-ID message for {} in epoch {}",
                            peer, blobId, epoch);
                    continue;
                }
                signers.add(peer.index());
                attestations.add(signed);
                weight += peer.weight();
            } catch (ExecutionException e) {
                LOG.info("a node refused or failed to attest blob {} invalid: {}", blobId, e.getCause().toString());
            }
        }
        pending.forEach(f -> f.cancel(true));
        if (!Bft.isValidity(weight, committee.shardCount())) {
            LOG.warn("attestations for invalid blob {} hold {} shards, need {}; will retry", blobId, weight,
                    Bft.validityThreshold(committee.shardCount()));
            return false;
        }
        ConfirmationCertificate certificate = ConfirmationCertificate.aggregate(signers, attestations);
        Command.InvalidateBlob command = new Command.InvalidateBlob(blobId.toString(), new Certificate(
                certificate.signers(), certificate.serializedMessage(), certificate.aggregateSignature().bytes()));
        try {
            synchronized (this) { // one account, one nonce sequence
                control.submit(command, account);
            }
            LOG.info("blob marked invalid blobId={} attestingShards={}", blobId, weight);
            return true;
        } catch (io.tusk.http.ApiException e) {
            if (e.getMessage() != null && e.getMessage().contains("already marked invalid")) {
                return true;
            }
            LOG.warn("the control plane refused invalidating blob {}: {}", blobId, e.getMessage());
            return false;
        } catch (Exception e) {
            LOG.warn("submitting the invalidation of blob {} failed: {}", blobId, e.toString());
            return false;
        }
    }
}
