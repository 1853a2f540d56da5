package io.tusk.control.state;

/** A registered storage node; it is in every committee from the epoch after {@code registeredEpoch} on. */
record NodeEntry(String nodeId, String owner, String name, String networkAddress, byte[] blsPublicKey, long stake,
                 int registeredEpoch) {
    NodeEntry {
        blsPublicKey = blsPublicKey.clone();
    }

    @Override
    public byte[] blsPublicKey() {
        return blsPublicKey.clone();
    }

    NodeEntry withStake(long newStake) {
        return new NodeEntry(nodeId, owner, name, networkAddress, blsPublicKey, newStake, registeredEpoch);
    }
}
