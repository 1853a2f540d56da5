package io.tusk.spaces.manifest;

/**
 * Where an encrypted entry's data key is: key {@code index} of the key blob written by commit {@code commitVersion}
 * (found through the head's key index). In BCS: {@code struct KeyRef { commit_version: u64, index: u32 }}.
 */
public record KeyRef(long commitVersion, int index) {
    public KeyRef {
        if (commitVersion < 1 || index < 0) {
            throw new IllegalArgumentException("bad key reference: commit " + commitVersion + ", index " + index);
        }
    }
}
