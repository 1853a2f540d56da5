package io.tusk.spaces.tree;

/**
 * Loads stored nodes. Implementations check that the stored bytes hash to the reference's hash before parsing them,
 * so a tree read through any source is authenticated by its root.
 */
public interface NodeSource {
    /**
     * The node {@code ref} points to.
     *
     * @throws io.tusk.spaces.VerificationException if the bytes found do not hash to {@code ref.hash()} or do not parse
     */
    Node load(ChildRef.Stored ref);

    /** Loads any child: a fresh one is at hand; a stored one is loaded and checked against what its parent says. */
    default Node load(ChildRef ref, byte[] parentKey, int parentLevel) {
        return switch (ref) {
            case ChildRef.Fresh fresh -> fresh.node();
            case ChildRef.Stored stored -> {
                Node node = load(stored);
                if (node.level() != parentLevel - 1 || !java.util.Arrays.equals(node.lastKey(), parentKey)
                        || node.count() != stored.count()) {
                    throw new io.tusk.spaces.VerificationException("a stored node does not match its parent's reference: level "
                            + node.level() + " under level " + parentLevel + ", " + node.count() + " entries for "
                            + stored.count() + ", or another last key");
                }
                yield node;
            }
        };
    }
}
