package io.tusk.spaces;

import java.time.Instant;

/**
 * A landed commit: the new version, its manifest blob (null for a version held inline by the control plane), its
 * commit time, how many entries it changed and how many
 * attempts it took. A commit whose changes changed nothing lands nothing: {@code changed} is 0 and {@code version} is
 * the version it found.
 */
public record CommitResult(long version, String manifestBlobId, Instant commitTime, int changed, int attempts) {
}
