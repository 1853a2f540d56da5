package io.tusk.node.service;

/** Walrus {@code StoredOnNodeStatus}: what {@code …/status} of metadata or a sliver reports. */
public enum StoredState {
    NONEXISTENT, BUFFERED, STORED;

    /** The lowercase serde name ({@code "stored"}). */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
