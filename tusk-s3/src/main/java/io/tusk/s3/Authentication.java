package io.tusk.s3;

/**
 * Who sent a request, and how its body is signed.
 *
 * @param account     the account whose credentials signed it, or null for an anonymous request
 * @param payloadHash the signed {@code x-amz-content-sha256}: a hex SHA-256, {@code UNSIGNED-PAYLOAD} or one of the
 *                    {@code STREAMING-*} modes (null when anonymous)
 * @param chunks      for {@code STREAMING-AWS4-HMAC-SHA256-PAYLOAD(-TRAILER)}: what chunk signatures chain from
 */
record Authentication(S3Account account, String payloadHash, ChunkSigning chunks) {
    static final Authentication ANONYMOUS = new Authentication(null, null, null);

    boolean anonymous() {
        return account == null;
    }

    /**
     * What signs the chunks of a streaming upload: the signing key and scope of the request, and its signature, the
     * seed each chunk signature chains from.
     */
    record ChunkSigning(byte[] signingKey, String amzDate, String scope, String seedSignature) {
    }
}
