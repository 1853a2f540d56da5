package io.tusk.node.service;

/** Keys of the {@code node_status} column family. */
public final class NodeStatusKeys {
    /** The {@link CommitteeView} of the current epoch, BCS. */
    public static final String COMMITTEE = "committee";

    private NodeStatusKeys() {
    }
}
