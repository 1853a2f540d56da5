package io.tusk.compat;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Blob metadata as Walrus's WASM encoder computed it.
 *
 * <p>From {@code compute_metadata} only the blob ID, root hash, length and encoding type are known;
 * {@code encode} also yields every sliver hash and the BCS {@code BlobMetadataWithId}.
 *
 * @param blobId             the 32 raw blob-ID bytes (Blake2b output order)
 * @param rootHash           the 32-byte Merkle root over the sliver-pair hashes
 * @param unencodedLength    the blob length in bytes
 * @param encodingType       the oracle's name for the encoding type, {@code "RS2"} for Red Stuff over RS
 * @param primaryHashes      by pair index q: the hash of primary sliver q (empty if not known)
 * @param secondaryHashes    by pair index q: the hash of secondary sliver n-1-q (empty if not known)
 * @param metadataWithIdBcs  BCS of BlobMetadataWithId, built by oracle.mjs from the value encode returned
 *                           (blob_id, V1 tag, encoding type, length, and every hash as a Merkle Node)
 */
public record OracleMetadata(
        byte[] blobId,
        byte[] rootHash,
        long unencodedLength,
        String encodingType,
        List<byte[]> primaryHashes,
        List<byte[]> secondaryHashes,
        Optional<byte[]> metadataWithIdBcs) {

    public OracleMetadata {
        Objects.requireNonNull(blobId, "blobId");
        Objects.requireNonNull(rootHash, "rootHash");
        Objects.requireNonNull(encodingType, "encodingType");
        primaryHashes = List.copyOf(primaryHashes);
        secondaryHashes = List.copyOf(secondaryHashes);
        Objects.requireNonNull(metadataWithIdBcs, "metadataWithIdBcs");
        if (blobId.length != 32 || rootHash.length != 32) {
            throw new IllegalArgumentException(
                    "blobId and rootHash must be 32 bytes, got " + blobId.length + " and " + rootHash.length);
        }
        if (primaryHashes.size() != secondaryHashes.size()) {
            throw new IllegalArgumentException("primaryHashes=" + primaryHashes.size()
                    + " secondaryHashes=" + secondaryHashes.size());
        }
    }

    /** The blob ID as Walrus prints it: URL-safe base64 without padding (43 characters). */
    public String blobIdBase64() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(blobId);
    }

    public String rootHashHex() {
        return HexFormat.of().formatHex(rootHash);
    }

    /** True if this came from {@code encode}, which exposes all 2n sliver hashes. */
    public boolean hasSliverHashes() {
        return !primaryHashes.isEmpty();
    }

    @Override
    public String toString() {
        return "OracleMetadata[blobId=" + blobIdBase64() + ", rootHash=" + rootHashHex() + ", unencodedLength="
                + unencodedLength + ", encodingType=" + encodingType + ", pairs=" + primaryHashes.size() + "]";
    }
}
