package io.tusk.core.encoding;

/**
 * How much a reader checks that a decoded blob is the one its ID names, given verified primary slivers.
 * A malicious writer can encode inconsistently, so that different sets of slivers decode to different bytes.
 */
public enum ConsistencyCheck {
    /** Trust the verified slivers; the fastest, and what Walrus's {@code skip_consistency_check} does. */
    SKIP,
    /**
     * Walrus's default: recompute the hashes of the systematic primary slivers that were decoded rather than
     * received, and compare them with the metadata.
     */
    DEFAULT,
    /** Re-encode the whole blob and compare its blob ID ({@code strict_consistency_check}). */
    STRICT
}
