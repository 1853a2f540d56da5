package io.tusk.spaces;

import io.tusk.spaces.store.BlobSource;

/**
 * How {@link Space#verify} runs.
 *
 * @param source   where to read (null: the client's own source); a gateway's {@code AggregatorBlobSource} is
 *                 checked as strictly as the nodes, since every blob ID is re-derived either way
 * @param entries  whether to read and check every entry's bytes (else manifests and tree nodes only)
 * @param versions most versions to check from the head down (Long.MAX_VALUE: all)
 */
public record VerifyOptions(BlobSource source, boolean entries, long versions) {
    public static VerifyOptions defaults() {
        return new VerifyOptions(null, true, Long.MAX_VALUE);
    }

    public VerifyOptions withSource(BlobSource value) {
        return new VerifyOptions(value, entries, versions);
    }

    public VerifyOptions withEntries(boolean value) {
        return new VerifyOptions(source, value, versions);
    }

    public VerifyOptions withVersions(long value) {
        return new VerifyOptions(source, entries, value);
    }
}
