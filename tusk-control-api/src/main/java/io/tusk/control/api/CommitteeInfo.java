package io.tusk.control.api;

import java.util.List;
import java.util.Objects;

/**
 * The committee of an epoch: {@code shardCount} shards held by {@code members}, sorted by node ID. Certificate signer
 * indices are positions in this list.
 */
public record CommitteeInfo(int epoch, int shardCount, List<CommitteeMember> members) {
    public CommitteeInfo {
        members = List.copyOf(Objects.requireNonNull(members, "members"));
    }
}
