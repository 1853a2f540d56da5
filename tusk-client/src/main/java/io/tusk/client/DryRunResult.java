package io.tusk.client;

/**
 * What {@code store --dry-run} reports (Walrus's {@code DryRunOutput}): the blob ID a store would give, its sizes
 * and what registering it would cost, with nothing sent to the nodes or the control plane's state.
 *
 * @param blobId        the Walrus blob ID
 * @param unencodedSize the file's bytes
 * @param encodedSize   the bytes the network stores for it (all slivers and metadata)
 * @param storageCost   what registering it for the asked epochs would cost now
 * @param encodingType  {@code RS2}
 */
public record DryRunResult(String blobId, long unencodedSize, long encodedSize, long storageCost, String encodingType) {
}
