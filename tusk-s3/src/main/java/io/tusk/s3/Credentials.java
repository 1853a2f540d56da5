package io.tusk.s3;

import java.util.Objects;

/** An S3 access key pair: the access key ID names it, the secret signs requests (SigV4). */
public record Credentials(String accessKeyId, String secretAccessKey) {
    public Credentials {
        Objects.requireNonNull(accessKeyId, "accessKeyId");
        Objects.requireNonNull(secretAccessKey, "secretAccessKey");
        if (accessKeyId.isBlank() || secretAccessKey.isBlank()) {
            throw new IllegalArgumentException("an access key ID and its secret must not be blank");
        }
    }

    @Override
    public String toString() {
        return "Credentials[" + accessKeyId + ", secret hidden]";
    }
}
