package io.tusk.testkit;

import io.tusk.client.StoreResult;
import io.tusk.client.TuskClient;
import io.tusk.control.api.BlobObject;
import io.tusk.core.metadata.BlobId;

import java.time.Duration;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/** Small helpers shared by the integration tests. */
final class Blobs {
    private Blobs() {}

    static BlobId id(StoreResult result) {
        return BlobId.parse(result.blobId());
    }

    static BlobObject object(StoreResult result) {
        assertThat(result).isInstanceOf(StoreResult.NewlyCreated.class);
        return ((StoreResult.NewlyCreated) result).blobObject();
    }

    /** Reads {@code blobId} and checks every byte. */
    static void assertReads(TuskClient client, BlobId blobId, byte[] expected) {
        byte[] read = client.read(blobId);
        assertThat(read).as("bytes read of blob %s (%d bytes)", blobId, expected.length).isEqualTo(expected);
    }

    static long millisSince(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
    }

    /** Polls {@code condition} every 50 ms until it holds or {@code timeout} passes; returns whether it held. */
    static boolean eventually(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long end = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < end) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(50);
        }
        return condition.getAsBoolean();
    }
}
