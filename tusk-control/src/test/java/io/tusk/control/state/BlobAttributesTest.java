package io.tusk.control.state;

import io.tusk.control.api.BlobAttribute;
import io.tusk.control.api.Command;
import io.tusk.control.api.Event;
import io.tusk.core.crypto.Ed25519KeyPair;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The blob attributes concern on a real state (RocksDB): set, update and remove pairs as the owner; every refusal;
 * the bounds; the attribute goes with a deleted object and survives a checkpoint.
 */
class BlobAttributesTest extends FundedStateTest {
    private String registered(Ed25519KeyPair owner, int seed, boolean deletable, int epochs) {
        var accepted = driver.accept(owner, TestNetwork.registerBlob(seed, 1000, epochs, deletable));
        return ((Event.BlobRegistered) accepted.events().getFirst()).objectId();
    }

    private Map<String, String> pairs(String objectId) {
        return state.blobAttribute(objectId).map(BlobAttribute::pairs).orElseThrow();
    }

    private static void assertRefused(CommandResult result, String reason) {
        assertThat(result).isInstanceOf(CommandResult.Refused.class);
        assertThat(((CommandResult.Refused) result).reason().reason()).as(((CommandResult.Refused) result).message())
                .isEqualTo(reason);
    }

    @Test
    void shouldSetUpdateAndRemovePairsInOrderAsTheOwner() {
        String objectId = registered(alice, 1, true, 3);
        assertThat(state.blobAttribute(objectId)).isEmpty();
        Map<String, String> first = new LinkedHashMap<>();
        first.put("content-type", "text/html");
        first.put("lang", "en");
        var accepted = driver.accept(alice, new Command.SetBlobAttribute(objectId, first));
        assertThat(accepted.events()).isEmpty(); // as Walrus: no event
        assertThat(pairs(objectId)).containsExactly(Map.entry("content-type", "text/html"), Map.entry("lang", "en"));

        driver.accept(alice, new Command.SetBlobAttribute(objectId, Map.of("lang", "fr", "owner", "alice")));
        assertThat(pairs(objectId)).containsExactly(Map.entry("content-type", "text/html"), Map.entry("lang", "fr"),
                Map.entry("owner", "alice")); // an update keeps the key's place
        // Any form of the object ID names the same object.
        assertThat(state.blobAttribute(objectId.toUpperCase().replace("0X", "0x"))).isPresent();

        driver.accept(alice, new Command.RemoveBlobAttributeFields(objectId, List.of("lang", "owner")));
        assertThat(pairs(objectId)).containsExactly(Map.entry("content-type", "text/html"));
        assertRefused(driver.submit(alice, new Command.RemoveBlobAttributeFields(objectId, List.of("lang"))), "NOT_FOUND");
        assertThat(pairs(objectId)).containsKey("content-type"); // a refused removal changes nothing

        driver.accept(alice, new Command.RemoveBlobAttributeFields(objectId, List.of("content-type")));
        assertThat(state.blobAttribute(objectId)).hasValueSatisfying(a -> assertThat(a.pairs()).isEmpty());
        driver.accept(alice, new Command.RemoveBlobAttribute(objectId));
        assertThat(state.blobAttribute(objectId)).isEmpty();
        assertRefused(driver.submit(alice, new Command.RemoveBlobAttribute(objectId)), "NOT_FOUND");
    }

    @Test
    void shouldRefuseOthersUnknownOrExpiredObjectsAndOversizedPairs() {
        String objectId = registered(alice, 1, false, 1);
        assertRefused(driver.submit(bob, new Command.SetBlobAttribute(objectId, Map.of("k", "v"))), "NOT_OWNER");
        assertRefused(driver.submit(bob, new Command.RemoveBlobAttribute(objectId)), "NOT_OWNER");
        assertRefused(driver.submit(alice, new Command.SetBlobAttribute("0x" + "ab".repeat(32), Map.of("k", "v"))),
                "NOT_FOUND");
        assertRefused(driver.submit(alice, new Command.SetBlobAttribute("nope", Map.of("k", "v"))), "INVALID_ARGUMENT");
        assertRefused(driver.submit(alice, new Command.SetBlobAttribute(objectId, Map.of())), "INVALID_ARGUMENT");
        assertRefused(driver.submit(alice, new Command.SetBlobAttribute(objectId, Map.of("", "v"))), "INVALID_ARGUMENT");
        assertRefused(driver.submit(alice, new Command.SetBlobAttribute(objectId,
                Map.of("k".repeat(BlobAttributes.MAX_KEY_BYTES + 1), "v"))), "INVALID_ARGUMENT");
        assertRefused(driver.submit(alice, new Command.SetBlobAttribute(objectId,
                Map.of("k", "é".repeat(BlobAttributes.MAX_VALUE_BYTES / 2 + 1)))), "INVALID_ARGUMENT"); // UTF-8 bytes
        driver.accept(alice, new Command.SetBlobAttribute(objectId, Map.of("k", "v".repeat(BlobAttributes.MAX_VALUE_BYTES))));
        Map<String, String> many = new LinkedHashMap<>();
        for (int i = 0; i < BlobAttributes.MAX_PAIRS; i++) {
            many.put("key-" + i, "v");
        }
        assertRefused(driver.submit(alice, new Command.SetBlobAttribute(objectId, many)), "INVALID_ARGUMENT");
        assertThat(pairs(objectId)).containsOnlyKeys("k");

        driver.accept(net.admin, new Command.AdvanceEpoch(state.epochInfo().startTimeMillis() + 1000));
        assertRefused(driver.submit(alice, new Command.SetBlobAttribute(objectId, Map.of("k", "w"))),
                "ILLEGAL_TRANSITION"); // expired
    }

    @Test
    void shouldDropTheAttributeWithItsDeletedObjectAndKeepItInACheckpoint() {
        String kept = registered(alice, 1, true, 3);
        String deleted = registered(alice, 2, true, 3);
        driver.accept(alice, new Command.SetBlobAttribute(kept, Map.of("content-type", "image/png")));
        driver.accept(alice, new Command.SetBlobAttribute(deleted, Map.of("content-type", "text/plain")));
        driver.accept(alice, new Command.DeleteBlob(deleted));
        assertThat(state.blobAttribute(deleted)).isEmpty();

        ControlState copy = states.copyOf(state);
        assertThat(copy.blobAttribute(kept).map(BlobAttribute::pairs)).hasValue(Map.of("content-type", "image/png"));
        assertThat(copy.blobAttribute(deleted)).isEmpty();
        assertThat(copy.digest()).isEqualTo(state.digest());
    }
}
