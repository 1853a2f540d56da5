package io.tusk.spaces;

/** One difference between two versions: {@code before} is null for an added entry, {@code after} for a removed one. */
public record Change(String key, Entry before, Entry after) {
    public enum Kind { ADDED, REMOVED, CHANGED }

    public Kind kind() {
        return before == null ? Kind.ADDED : after == null ? Kind.REMOVED : Kind.CHANGED;
    }
}
