package io.tusk.s3;

import io.tusk.client.TuskClient;

import java.util.Objects;

/**
 * A Tusk account the S3 API acts for: requests signed with its credentials create buckets (spaces) it owns and are
 * paid by it. The server holds the account's client (and so its key): an S3 server signs commits for the accounts it
 * serves, as a publisher does for its own.
 */
public record S3Account(Credentials credentials, TuskClient client) {
    public S3Account {
        Objects.requireNonNull(credentials, "credentials");
        Objects.requireNonNull(client, "client");
    }

    /** The account of {@code client} with credentials derived from its key ({@link AccessKeys}). */
    public static S3Account of(TuskClient client) {
        return new S3Account(AccessKeys.derive(client.config().account()), client);
    }

    /** The account's address (the owner of its buckets). */
    public String address() {
        return client.config().account().publicKey().address().toString();
    }

    @Override
    public String toString() {
        return "S3Account[" + credentials.accessKeyId() + " -> " + address() + "]";
    }
}
