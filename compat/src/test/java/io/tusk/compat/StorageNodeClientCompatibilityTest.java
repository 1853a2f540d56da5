package io.tusk.compat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.tusk.client.TuskClient;
import io.tusk.control.api.Certificate;
import io.tusk.control.api.Command;
import io.tusk.control.api.CommandOutcome;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.CommitteeMember;
import io.tusk.control.api.Event;
import io.tusk.control.client.ControlClient;
import io.tusk.core.crypto.BlsSignature;
import io.tusk.core.messages.BlobPersistence;
import io.tusk.core.messages.ConfirmationCertificate;
import io.tusk.core.messages.ObjectId;
import io.tusk.core.messages.SignedMessage;
import io.tusk.core.messages.StorageConfirmation;
import io.tusk.core.metadata.BlobId;
import io.tusk.testkit.LocalCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walrus's own TypeScript {@code StorageNodeClient} ({@code @mysten/walrus} 1.2.13, run by the oracle process)
 * against Tusk storage nodes of a {@link LocalCluster} on loopback: it stores metadata and every sliver pair
 * (each node only the pairs of its shards), reads them back byte for byte, reads the blob, metadata and sliver
 * statuses in the JSON shapes it parses, and gets confirmations that pass the SDK's own acceptance test (string
 * equality of the serialized message, {@code bls12381_min_pk_verify} of {@code @mysten/walrus-wasm}). It also
 * checks which SDK error class and reason Tusk's errors become. Finally Tusk certifies the blobs with the
 * confirmations the TS client fetched, and Tusk's reader reads back what the TS client stored.
 */
class StorageNodeClientCompatibilityTest {
    private static final long SEED = Long.getLong("tusk.test.seed", System.nanoTime());
    private static final int NODES = 4;
    private static final int SHARDS = 10;
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void shouldStoreReadAndConfirmThroughTheWalrusTypeScriptClient() throws Exception {
        System.out.println("StorageNodeClientCompatibilityTest seed: " + SEED + " (replay with -Dtusk.test.seed="
                + SEED + ")");
        WalrusOracle oracle = WalrusOracle.shared();
        Random random = new Random(SEED);
        try (LocalCluster cluster = LocalCluster.start(dir, NODES, SHARDS, 0, 0);
             ControlClient control = new ControlClient(cluster.controlUrl());
             TuskClient tusk = cluster.client()) {
            CommitteeInfo committee = control.committee();
            assertThat(committee.shardCount()).isEqualTo(SHARDS);
            assertThat(committee.members()).hasSize(NODES);
            checkMembersAreTheClusterNodes(cluster, committee);
            long epoch = committee.epoch();
            List<TsStorageNodeClient> ts = committee.members().stream()
                    .map(m -> new TsStorageNodeClient(oracle, m.networkAddress())).toList();

            // ---- Blob A: permanent and deletable objects of the same blob ID. ----
            byte[] blobA = TestBytes.random(random, 20_000 + random.nextInt(60_000));
            OracleEncoding a = oracle.encode(SHARDS, blobA);
            BlobId idA = BlobId.of(a.metadata().blobId());
            String textA = idA.toString();
            System.out.println("blob A: " + textA + ", " + blobA.length + " bytes");

            checkErrorsForAnUnknownBlob(ts.get(0), committee.members().get(0), a, textA);

            String permanentA = register(control, cluster, a, false);
            awaitStatus(ts, textA, s -> "permanent".equals(s.get("type")));
            String deletableA = register(control, cluster, a, true);
            awaitStatus(ts, textA, s -> "permanent".equals(s.get("type"))
                    && Long.valueOf(1).equals(counts(s).get("count_deletable_total")));
            for (TsStorageNodeClient node : ts) {
                checkPermanentStatus(node.getBlobStatus(textA), false, null, 1, 0);
            }

            // Metadata is needed before slivers, and a confirmation needs every sliver.
            CommitteeMember first = committee.members().get(0);
            int ownedPair = idA.pairForShard(first.shards().get(0), SHARDS);
            TsStorageNodeClient.Outcome early = ts.get(0).storeSliver(textA, ownedPair, "primary",
                    a.primaryBuffers().get(ownedPair));
            assertError(early, "BadRequestError", 400, "METADATA_NOT_FOUND");

            storeEverything(ts, committee, a, textA, null);
            checkWriteErrors(ts, committee, a, textA);
            readEverythingBack(ts, committee, a, textA);

            List<SignedMessage> permanent = confirmations(oracle, ts, committee, textA, null, epoch,
                    new BlobPersistence.Permanent());
            List<SignedMessage> deletable = confirmations(oracle, ts, committee, textA, deletableA, epoch,
                    new BlobPersistence.Deletable(ObjectId.parse(deletableA)));

            certify(oracle, control, cluster, committee, permanentA, permanent);
            awaitStatus(ts, textA, s -> Boolean.TRUE.equals(s.get("isCertified")));
            for (TsStorageNodeClient node : ts) {
                checkPermanentStatus(node.getBlobStatus(textA), true, epoch, 1, 0);
            }
            assertThat(tusk.read(idA)).as("Tusk reads blob A stored by the TS client (seed %s)", SEED)
                    .isEqualTo(blobA);

            certify(oracle, control, cluster, committee, deletableA, deletable);
            awaitStatus(ts, textA, s -> Long.valueOf(1).equals(counts(s).get("count_deletable_certified")));
            for (TsStorageNodeClient node : ts) {
                checkPermanentStatus(node.getBlobStatus(textA), true, epoch, 1, 1);
            }

            // ---- Blob B: only a deletable object (the node's "deletable" status variant). ----
            byte[] blobB = TestBytes.random(random, 1 + random.nextInt(5_000));
            OracleEncoding b = oracle.encode(SHARDS, blobB);
            String textB = BlobId.of(b.metadata().blobId()).toString();
            System.out.println("blob B: " + textB + ", " + blobB.length + " bytes");
            String deletableB = register(control, cluster, b, true);
            awaitStatus(ts, textB, s -> "deletable".equals(s.get("type")));
            for (TsStorageNodeClient node : ts) {
                checkDeletableStatus(node.getBlobStatus(textB), null, 1, 0);
            }
            storeEverything(ts, committee, b, textB, deletableB);
            readEverythingBack(ts, committee, b, textB);
            List<SignedMessage> deletableBConfirmations = confirmations(oracle, ts, committee, textB, deletableB,
                    epoch, new BlobPersistence.Deletable(ObjectId.parse(deletableB)));
            certify(oracle, control, cluster, committee, deletableB, deletableBConfirmations);
            awaitStatus(ts, textB, s -> s.get("initialCertifiedEpoch") != null);
            for (TsStorageNodeClient node : ts) {
                checkDeletableStatus(node.getBlobStatus(textB), epoch, 1, 1);
            }
            assertThat(tusk.read(BlobId.parse(textB))).as("Tusk reads blob B (seed %s)", SEED).isEqualTo(blobB);
        }
    }

    // ---- steps ----

    private static void checkMembersAreTheClusterNodes(LocalCluster cluster, CommitteeInfo committee) {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < cluster.nodeCount(); i++) {
            keys.add(Base64.getEncoder().encodeToString(cluster.node(i).publicKey().bytes()));
        }
        Set<Integer> shards = new HashSet<>();
        for (CommitteeMember member : committee.members()) {
            assertThat(keys).contains(Base64.getEncoder().encodeToString(member.blsPublicKey()));
            shards.addAll(member.shards());
        }
        assertThat(shards).hasSize(SHARDS);
    }

    /** Before registration: what the TS client makes of Tusk's answers for a blob the node has never heard of. */
    private static void checkErrorsForAnUnknownBlob(TsStorageNodeClient node, CommitteeMember member, OracleEncoding a,
                                                    String blobId) {
        TsStorageNodeClient.Outcome status = node.getBlobStatus(blobId);
        assertThat(status.returned()).as("%s", status).isTrue();
        assertThat(status.resultMap()).isEqualTo(Map.of("type", "nonexistent"));

        assertError(node.getBlobMetadata(blobId), "NotFoundError", 404, "METADATA_NOT_FOUND");
        int pair = BlobId.parse(blobId).pairForShard(member.shards().get(0), SHARDS);
        assertError(node.getSliver(blobId, pair, "primary"), "NotFoundError", 404, "SLIVER_NOT_FOUND");
        assertReturned(node.getMetadataStatus(blobId), "nonexistent");
        assertReturned(node.getSliverStatus(blobId, pair, "primary"), "nonexistent");

        // The SDK retries storeBlobMetadata only on this class (BlobNotRegisteredError, from reason NOT_REGISTERED).
        assertError(node.storeBlobMetadata(blobId, blobMetadata(a)), "BlobNotRegisteredError", 400, "NOT_REGISTERED");
        assertError(node.getPermanentBlobConfirmation(blobId, 1, member.blsPublicKey()), "BlobNotRegisteredError",
                400, "NOT_REGISTERED");
    }

    /**
     * Every node: metadata, then primary and secondary slivers of the pairs of its shards, each answered 201; before
     * the slivers, the confirmation (deletable if an object ID is given) is refused with MISSING_SLIVERS.
     */
    private static void storeEverything(List<TsStorageNodeClient> ts, CommitteeInfo committee, OracleEncoding e,
                                        String blobId, String deletableObjectId) {
        BlobId id = BlobId.parse(blobId);
        for (int i = 0; i < ts.size(); i++) {
            TsStorageNodeClient node = ts.get(i);
            TsStorageNodeClient.Outcome stored = node.storeBlobMetadata(blobId, blobMetadata(e));
            assertEnvelope(stored, 201, "metadata successfully stored");
            assertEnvelope(node.storeBlobMetadata(blobId, blobMetadata(e)), 200, "metadata already stored");
            // Lowercase, as Walrus's serde emits it. The SDK 1.2.13 compares with "Stored"/"Buffered" and so never
            // sees a match (walrus-node-api.md §5.1); its only effect is a re-upload, answered 200 "already stored".
            assertReturned(node.getMetadataStatus(blobId), "stored");

            CommitteeMember member = committee.members().get(i);
            int pair0 = id.pairForShard(member.shards().get(0), SHARDS);
            // Metadata alone does not earn a confirmation.
            TsStorageNodeClient.Outcome early = deletableObjectId == null
                    ? node.getPermanentBlobConfirmation(blobId, committee.epoch(), member.blsPublicKey())
                    : node.getDeletableBlobConfirmation(blobId, deletableObjectId, committee.epoch(),
                            member.blsPublicKey());
            assertError(early, "BadRequestError", 400, "MISSING_SLIVERS");
            for (int shard : member.shards()) {
                int pair = id.pairForShard(shard, SHARDS);
                assertReturned(node.getSliverStatus(blobId, pair, "primary"), "nonexistent");
                assertEnvelope(node.storeSliver(blobId, pair, "primary", e.primaryBuffers().get(pair)), 201,
                        "sliver stored successfully");
                assertEnvelope(node.storeSliver(blobId, pair, "secondary", e.secondaryBuffers().get(pair)), 201,
                        "sliver stored successfully");
            }
            assertEnvelope(node.storeSliver(blobId, pair0, "primary", e.primaryBuffers().get(pair0)), 200,
                    "sliver already stored");
        }
    }

    /** The TS client's view of Tusk's write errors. */
    private static void checkWriteErrors(List<TsStorageNodeClient> ts, CommitteeInfo committee, OracleEncoding e,
                                         String blobId) {
        BlobId id = BlobId.parse(blobId);
        TsStorageNodeClient node = ts.get(0);
        CommitteeMember member = committee.members().get(0);
        int foreignShard = committee.members().get(1).shards().get(0);
        int foreignPair = id.pairForShard(foreignShard, SHARDS);
        assertError(node.storeSliver(blobId, foreignPair, "primary", e.primaryBuffers().get(foreignPair)),
                "BadRequestError", 400, "SHARD_NOT_ASSIGNED");
        assertError(node.getSliver(blobId, foreignPair, "primary"), "BadRequestError", 400, "SHARD_NOT_ASSIGNED");
        assertError(node.getSliverStatus(blobId, foreignPair, "secondary"), "BadRequestError", 400,
                "SHARD_NOT_ASSIGNED");
        int pair = id.pairForShard(member.shards().get(0), SHARDS);
        int otherPair = (pair + 1) % SHARDS;
        // A sliver whose index field is not the one the path implies.
        assertError(node.storeSliver(blobId, pair, "primary", e.primaryBuffers().get(otherPair)), "BadRequestError",
                400, "SLIVER_INDEX_MISMATCH");
        assertError(node.getSliver(blobId, SHARDS, "primary"), "BadRequestError", 400, "INDEX_OUT_OF_RANGE");
        // A sliver with the right index and length but other bytes does not verify against the metadata.
        byte[] corrupt = e.primaryBuffers().get(pair).clone();
        corrupt[corrupt.length / 2] ^= 1;
        assertError(node.storeSliver(blobId, pair, "primary", corrupt), "BadRequestError", 400, "INVALID_SLIVER");

        // Framework rejections are text, not AIP-193: the SDK keeps the text as the message and has no reason.
        TsStorageNodeClient.Outcome badType = node.getSliver(blobId, pair, "Primary");
        assertError(badType, "BadRequestError", 400, null);
        assertThat(badType.reason()).as("%s", badType).isNull();
        assertThat(badType.fields().get("errorBody")).as("%s", badType).isNull();
        assertThat(badType.message()).as("%s", badType).startsWith("400 ").contains("sliver_type");
        TsStorageNodeClient.Outcome badId = node.getBlobStatus(blobId + "=");
        assertError(badId, "BadRequestError", 400, null);
        assertThat(badId.reason()).as("%s", badId).isNull();
    }

    /** Metadata and every sliver each node holds, read by the TS client, equal what it stored. */
    private static void readEverythingBack(List<TsStorageNodeClient> ts, CommitteeInfo committee, OracleEncoding e,
                                           String blobId) {
        BlobId id = BlobId.parse(blobId);
        for (int i = 0; i < ts.size(); i++) {
            TsStorageNodeClient node = ts.get(i);
            TsStorageNodeClient.Outcome metadata = node.getBlobMetadata(blobId);
            assertThat(metadata.returned()).as("%s", metadata).isTrue();
            assertThat(metadata.resultMap()).containsEntry("blobId", blobId).containsEntry("encodingType", "RS2")
                    .containsEntry("unencodedLength", String.valueOf(e.metadata().unencodedLength()))
                    .containsEntry("pairs", (long) SHARDS);
            assertThat(metadata.bytes()).as("BlobMetadataWithId from %s", node.node())
                    .isEqualTo(e.metadata().metadataWithIdBcs().orElseThrow());
            for (int shard : committee.members().get(i).shards()) {
                int pair = id.pairForShard(shard, SHARDS);
                for (String type : List.of("primary", "secondary")) {
                    TsStorageNodeClient.Outcome sliver = node.getSliver(blobId, pair, type);
                    assertThat(sliver.returned()).as("%s", sliver).isTrue();
                    byte[] expected = type.equals("primary") ? e.primaryBuffers().get(pair)
                            : e.secondaryBuffers().get(pair);
                    assertThat(sliver.bytes()).as("%s sliver of pair %s from %s (seed %s)", type, pair, node.node(),
                            SEED).isEqualTo(expected);
                    assertReturned(node.getSliverStatus(blobId, pair, type), "stored");
                }
            }
        }
    }

    /**
     * A confirmation from every node through the TS client: accepted by the SDK's own check, equal to Tusk's
     * StorageConfirmation bytes, and verified by {@code bls12381_min_pk_verify} against the member's key.
     */
    private static List<SignedMessage> confirmations(WalrusOracle oracle, List<TsStorageNodeClient> ts,
                                                     CommitteeInfo committee, String blobId, String objectId,
                                                     long epoch, BlobPersistence persistence) {
        byte[] expected = new StorageConfirmation(epoch, BlobId.parse(blobId), persistence).toBcs();
        List<SignedMessage> out = new ArrayList<>();
        for (int i = 0; i < ts.size(); i++) {
            byte[] key = committee.members().get(i).blsPublicKey();
            TsStorageNodeClient.Outcome outcome = objectId == null
                    ? ts.get(i).getPermanentBlobConfirmation(blobId, epoch, key)
                    : ts.get(i).getDeletableBlobConfirmation(blobId, objectId, epoch, key);
            assertThat(outcome.returned()).as("%s", outcome).isTrue();
            assertThat(outcome.sdkCheck()).as("SDK acceptance of %s", outcome)
                    .containsEntry("hasSigned", true).containsEntry("messageMatches", true)
                    .containsEntry("signatureValid", true);
            Map<String, Object> success = submap(outcome.resultMap(), "success");
            assertThat(success).containsEntry("code", 200L);
            Map<String, Object> signed = submap(submap(success, "data"), "signed");
            assertThat(signed.keySet()).containsExactlyInAnyOrder("serializedMessage", "signature");
            byte[] message = Base64.getDecoder().decode((String) signed.get("serializedMessage"));
            byte[] signature = Base64.getDecoder().decode((String) signed.get("signature"));
            assertThat(message).as("confirmation message of %s", ts.get(i).node()).isEqualTo(expected);
            assertThat(signed.get("serializedMessage")).isEqualTo(outcome.sdkCheck().get("expectedMessage"));
            assertThat(signature).hasSize(BlsSignature.LENGTH);
            assertThat(oracle.blsVerify(signature, key, message)).as("bls12381_min_pk_verify, node %s",
                    ts.get(i).node()).isTrue();
            out.add(SignedMessage.fromBase64((String) signed.get("serializedMessage"), (String) signed.get("signature")));
        }
        return out;
    }

    /** Aggregates with Tusk, checks the aggregate against the WASM's, and certifies through the control plane. */
    private static void certify(WalrusOracle oracle, ControlClient control, LocalCluster cluster,
                                CommitteeInfo committee, String objectId, List<SignedMessage> confirmations) {
        List<Integer> signers = new ArrayList<>();
        List<byte[]> keys = new ArrayList<>();
        List<byte[]> signatures = new ArrayList<>();
        for (int i = 0; i < confirmations.size(); i++) {
            signers.add(i);
            keys.add(committee.members().get(i).blsPublicKey());
            signatures.add(confirmations.get(i).signature().bytes());
        }
        ConfirmationCertificate certificate = ConfirmationCertificate.aggregate(signers, confirmations);
        byte[] aggregate = certificate.aggregateSignature().bytes();
        assertThat(aggregate).as("Tusk's aggregate = bls12381_min_pk_aggregate")
                .isEqualTo(oracle.blsAggregate(signatures));
        assertThat(oracle.blsVerifyAggregate(keys, certificate.serializedMessage(), aggregate))
                .as("bls12381_min_pk_verify_aggregate").isTrue();
        CommandOutcome outcome = control.submit(new Command.CertifyBlob(objectId, new Certificate(certificate.signers(),
                certificate.serializedMessage(), aggregate)), cluster.wallet());
        assertThat(outcome.events()).anyMatch(Event.BlobCertified.class::isInstance);
    }

    private static String register(ControlClient control, LocalCluster cluster, OracleEncoding e, boolean deletable) {
        CommandOutcome outcome = control.submit(new Command.RegisterBlob(BlobId.of(e.metadata().blobId()).toString(),
                e.metadata().rootHash(), e.metadata().unencodedLength(), "RS2", 3, deletable), cluster.wallet());
        return outcome.events().stream().filter(Event.BlobRegistered.class::isInstance)
                .map(Event.BlobRegistered.class::cast).findFirst().orElseThrow().objectId();
    }

    /** Polls every node's status through the TS client until it satisfies {@code done}. */
    private static void awaitStatus(List<TsStorageNodeClient> ts, String blobId, Predicate<Map<String, Object>> done) {
        for (TsStorageNodeClient node : ts) {
            await("the status of " + blobId + " at " + node.node()).atMost(WAIT).until(() -> {
                TsStorageNodeClient.Outcome status = node.getBlobStatus(blobId);
                assertThat(status.returned()).as("%s", status).isTrue();
                return done.test(status.resultMap());
            });
        }
    }

    // ---- checks of the JSON the TS client hands its callers ----

    /** The TS client's {@code {type: "permanent", ...blobStatus.permanent}}: exactly the Walrus fields. */
    private static void checkPermanentStatus(TsStorageNodeClient.Outcome outcome, boolean certified,
                                             Long certifiedEpoch, long deletableTotal, long deletableCertified) {
        assertThat(outcome.returned()).as("%s", outcome).isTrue();
        Map<String, Object> status = outcome.resultMap();
        assertThat(status.keySet()).as("%s", outcome).containsExactlyInAnyOrder("type", "endEpoch", "isCertified",
                "statusEvent", "deletableCounts", "initialCertifiedEpoch");
        assertThat(status).containsEntry("type", "permanent").containsEntry("isCertified", certified)
                .containsEntry("initialCertifiedEpoch", certifiedEpoch);
        assertThat(status.get("endEpoch")).isInstanceOf(Long.class);
        checkEventId(submap(status, "statusEvent"));
        assertThat(counts(status)).isEqualTo(Map.of("count_deletable_total", deletableTotal,
                "count_deletable_certified", deletableCertified));
    }

    private static void checkDeletableStatus(TsStorageNodeClient.Outcome outcome, Long certifiedEpoch,
                                             long deletableTotal, long deletableCertified) {
        assertThat(outcome.returned()).as("%s", outcome).isTrue();
        Map<String, Object> status = outcome.resultMap();
        assertThat(status.keySet()).as("%s", outcome)
                .containsExactlyInAnyOrder("type", "deletableCounts", "initialCertifiedEpoch");
        assertThat(status).containsEntry("type", "deletable").containsEntry("initialCertifiedEpoch", certifiedEpoch);
        assertThat(counts(status)).isEqualTo(Map.of("count_deletable_total", deletableTotal,
                "count_deletable_certified", deletableCertified));
    }

    /** Sui's EventID: a base58 transaction digest (32 bytes) and the sequence number as a decimal string. */
    private static void checkEventId(Map<String, Object> event) {
        assertThat(event.keySet()).containsExactlyInAnyOrder("txDigest", "eventSeq");
        assertThat((String) event.get("txDigest")).matches("[1-9A-HJ-NP-Za-km-z]{32,44}");
        assertThat((String) event.get("eventSeq")).matches("0|[1-9][0-9]*");
    }

    private static Map<String, Object> counts(Map<String, Object> status) {
        return submap(status, "deletableCounts");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> submap(Map<String, Object> map, String key) {
        Object value = map.get(key);
        assertThat(value).as("%s in %s", key, map).isInstanceOf(Map.class);
        return (Map<String, Object>) value;
    }

    private static void assertReturned(TsStorageNodeClient.Outcome outcome, Object expected) {
        assertThat(outcome.returned()).as("%s", outcome).isTrue();
        assertThat(outcome.result()).as("%s", outcome).isEqualTo(expected);
    }

    /** A store call's answer: the whole success envelope, {"success":{"code":…,"data":message}}. */
    private static void assertEnvelope(TsStorageNodeClient.Outcome outcome, long code, String data) {
        assertThat(outcome.returned()).as("%s", outcome).isTrue();
        assertThat(outcome.result()).as("%s", outcome)
                .isEqualTo(Map.of("success", Map.of("code", code, "data", data)));
    }

    /** The SDK error the call threw: its class, the HTTP status it kept and {@code error.details[0].reason}. */
    private static void assertError(TsStorageNodeClient.Outcome outcome, String errorClass, long status, String reason) {
        assertThat(outcome.returned()).as("%s", outcome).isFalse();
        assertThat(outcome.errorClass()).as("%s", outcome).isEqualTo(errorClass);
        assertThat(outcome.status()).as("%s", outcome).isEqualTo(status);
        if (reason != null) {
            assertThat(outcome.reason()).as("%s", outcome).isEqualTo(reason);
            assertThat(outcome.message()).as("%s", outcome).startsWith(status + " ");
        }
    }

    /** BCS BlobMetadata: BlobMetadataWithId without its leading 32-byte blob ID (the PUT metadata body). */
    private static byte[] blobMetadata(OracleEncoding e) {
        byte[] withId = e.metadata().metadataWithIdBcs().orElseThrow();
        return Arrays.copyOfRange(withId, BlobId.LENGTH, withId.length);
    }
}
