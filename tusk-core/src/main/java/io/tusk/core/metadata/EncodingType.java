package io.tusk.core.metadata;

/**
 * Walrus's encoding type, a BCS enum. Variant 0 (RedStuff over RaptorQ) is deprecated and refused, as Walrus does;
 * variant 1 is RS2 (RedStuff over Reed-Solomon), the only one Tusk encodes.
 */
public enum EncodingType {
    RS2(1);

    private final int tag;

    EncodingType(int tag) {
        this.tag = tag;
    }

    public int tag() {
        return tag;
    }

    /** The name Walrus prints in JSON ({@code "RS2"}). */
    public String wireName() {
        return name();
    }

    public static EncodingType fromTag(int tag) {
        if (tag == RS2.tag) {
            return RS2;
        }
        if (tag == 0) {
            throw new IllegalArgumentException("encoding type 0 (RedStuff over RaptorQ) is deprecated and not supported");
        }
        throw new IllegalArgumentException("unknown encoding type tag " + tag);
    }
}
