package io.tusk.control.state;

import io.tusk.control.api.BucketInfo;
import io.tusk.control.api.Command;
import io.tusk.control.api.Event;
import io.tusk.core.crypto.Ed25519KeyPair;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static io.tusk.control.state.TestNetwork.address;
import static org.assertj.core.api.Assertions.assertThat;

/** The buckets concern on RocksDB: names unique in the network, owned by their creator, released by it; checkpoints
 * keep them. */
class BucketRegistryTest {
    private static final long FUNDS = 1_000_000_000_000L;

    @TempDir
    Path dir;

    private OpenStates states;
    private StateDriver driver;
    private ControlState state;
    private final Ed25519KeyPair alice = TestNetwork.account(1);
    private final Ed25519KeyPair bob = TestNetwork.account(2);

    @BeforeEach
    void setUp() {
        states = new OpenStates(dir);
        state = states.genesis(TestNetwork.standard().genesis);
        driver = new StateDriver(state);
        driver.accept(alice, new Command.Faucet(FUNDS));
        driver.accept(bob, new Command.Faucet(FUNDS));
    }

    @AfterEach
    void closeStates() {
        states.close();
    }

    @Test
    void shouldGiveABucketNameToTheFirstAccountThatClaimsIt() {
        var accepted = driver.accept(alice, new Command.CreateBucket("photos", 1_700_000_000_000L));
        assertThat(accepted.events()).singleElement().isInstanceOfSatisfying(Event.BucketCreated.class, e -> {
            assertThat(e.owner()).isEqualTo(address(alice));
            assertThat(e.name()).isEqualTo("photos");
        });
        BucketInfo bucket = state.bucket("photos").orElseThrow();
        assertThat(bucket).isEqualTo(new BucketInfo("photos", address(alice), 1_700_000_000_000L, 1));
        assertThat(state.bucketsOwnedBy(address(alice)).buckets()).containsExactly(bucket);
        assertThat(state.bucketsOwnedBy(address(bob)).buckets()).isEmpty();

        String before = state.digest();
        assertRefused(driver.submit(bob, new Command.CreateBucket("photos", 1)), "ALREADY_EXISTS");
        assertRefused(driver.submit(alice, new Command.CreateBucket("photos", 1)), "ALREADY_EXISTS");
        assertThat(state.digest()).isEqualTo(before);
    }

    @Test
    void shouldRefuseNamesS3RefusesChangingNothing() {
        String before = state.digest();
        for (String bad : new String[]{"", "ab", "x".repeat(64), "Photos", "a_b", "-ab", "ab-", "a..b", "192.168.5.4",
                "xn--abc", "abc-s3alias", "späce", "a b"}) {
            assertRefused(driver.submit(alice, new Command.CreateBucket(bad, 1)), "INVALID_ARGUMENT");
        }
        assertRefused(driver.submit(alice, new Command.CreateBucket("fine-name", -1)), "INVALID_ARGUMENT");
        assertThat(state.digest()).isEqualTo(before);
        driver.accept(alice, new Command.CreateBucket("a.b-c.1", 1));
        driver.accept(alice, new Command.CreateBucket("x".repeat(63), 1));
    }

    @Test
    void shouldLetOnlyTheOwnerReleaseANameWhichAnyoneMayThenClaim() {
        driver.accept(alice, new Command.CreateBucket("logs", 5));
        assertRefused(driver.submit(bob, new Command.DeleteBucket("logs")), "NOT_OWNER");
        assertRefused(driver.submit(alice, new Command.DeleteBucket("nothing")), "NOT_FOUND");
        var deleted = driver.accept(alice, new Command.DeleteBucket("logs"));
        assertThat(deleted.events()).singleElement().isInstanceOf(Event.BucketDeleted.class);
        assertThat(state.bucket("logs")).isEmpty();
        assertThat(state.bucketsOwnedBy(address(alice)).buckets()).isEmpty();
        driver.accept(bob, new Command.CreateBucket("logs", 6));
        assertThat(state.bucket("logs").orElseThrow().owner()).isEqualTo(address(bob));
    }

    @Test
    void shouldKeepBucketsInCheckpoints() {
        driver.accept(alice, new Command.CreateBucket("b-two", 2));
        driver.accept(alice, new Command.CreateBucket("a-one", 1));
        driver.accept(bob, new Command.CreateBucket("c-three", 3));
        driver.accept(bob, new Command.CreateBucket("d-four", 4));
        driver.accept(bob, new Command.DeleteBucket("d-four"));
        ControlState restored = states.copyOf(state);
        assertThat(restored.digest()).isEqualTo(state.digest());
        assertThat(restored.bucketsOwnedBy(address(alice)).buckets()).extracting(BucketInfo::name)
                .containsExactly("a-one", "b-two");
        assertThat(restored.bucket("c-three").orElseThrow().owner()).isEqualTo(address(bob));
        assertThat(restored.bucketsOwnedBy(address(bob)).buckets()).extracting(BucketInfo::name)
                .containsExactly("c-three");
        assertThat(restored.bucket("d-four")).isEmpty();
        assertThat(restored.bucket("NOT a bucket name")).isEmpty();
    }

    private static void assertRefused(CommandResult result, String reason) {
        assertThat(result).isInstanceOf(CommandResult.Refused.class);
        assertThat(((CommandResult.Refused) result).reason().reason()).as(((CommandResult.Refused) result).message())
                .isEqualTo(reason);
    }
}
