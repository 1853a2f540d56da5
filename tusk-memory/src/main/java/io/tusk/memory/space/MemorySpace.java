package io.tusk.memory.space;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a memory collection needs from the space that holds it: the slice of the spaces SDK
 * ({@code io.tusk.spaces.Space}) that memory uses, so the memory layer is written once against a small surface.
 * Versions are the space's commit versions (the "commit sequence" memory hands out); version 0 is empty.
 *
 * <p>Implementations are thread-safe; concurrent commits from several writers (processes) are serialized by the
 * space (compare-and-swap on its head, re-applied on conflict).
 */
public interface MemorySpace extends AutoCloseable {

    String name();

    /** Whether entries are encrypted on the client, so {@link #forget} makes their bytes unreadable. */
    boolean encrypted();

    /** The space's current version, fresh from its head. */
    long headVersion();

    /** Commits puts and deletes as one version. An empty change list commits nothing. */
    Committed commit(List<Change> changes);

    /**
     * Removes keys from the head and, in an encrypted space, destroys their data keys so that no version can be
     * read any more; in a plain space it is a delete (old versions stay readable to whoever holds their blobs).
     */
    Committed forget(List<String> keys);

    /** An entry's bytes at the head. */
    Optional<byte[]> read(String key);

    /** The keys under a prefix at the head, in key order. */
    List<String> keys(String prefix);

    /**
     * The versions after {@code afterVersion}, oldest first, at most {@code limit}, each with what it changed (bytes of
     * changed keys as of that version; a forgotten key's bytes are gone and it shows as deleted).
     */
    List<VersionChanges> changesSince(long afterVersion, int limit);

    /**
     * When version {@code version} was committed: with the space's name, it tells one space from another that was
     * created later under the same name (a local index must not be resumed against the wrong one).
     *
     * @throws IllegalArgumentException if the space has no such version
     */
    default Instant commitTime(long version) {
        List<VersionChanges> one = changesSince(version - 1, 1);
        if (one.isEmpty() || one.getFirst().version() != version) {
            throw new IllegalArgumentException("space " + name() + " has no version " + version);
        }
        return one.getFirst().commitTime();
    }

    @Override
    void close();

    /** A put or a delete. */
    sealed interface Change {
        String key();
    }

    record Put(String key, byte[] data, Map<String, String> metadata) implements Change {
        public Put(String key, byte[] data) {
            this(key, data, Map.of());
        }
    }

    record Delete(String key) implements Change {
    }

    /** The result of a commit: its version and commit time (the memories' recorded time). */
    record Committed(long version, Instant commitTime) {
    }

    /** What one version changed. */
    record VersionChanges(long version, Instant commitTime, Map<String, byte[]> puts, List<String> deletes) {
    }
}
