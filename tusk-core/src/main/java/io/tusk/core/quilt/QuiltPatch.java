package io.tusk.core.quilt;

import java.util.Arrays;
import java.util.Map;
import java.util.Objects;

/**
 * One item of a quilt: its identifier (unique in the quilt, see {@link QuiltIdentifiers}), its bytes and optional
 * tags (string key/value pairs, kept in canonical BCS order). Used both to build a quilt and as what a read returns.
 * Immutable: {@link #data()} returns a copy; {@link #size()} is the data length.
 */
public final class QuiltPatch {
    private final String identifier;
    private final byte[] data;
    private final Map<String, String> tags;

    /**
     * @throws InvalidIdentifierException if the identifier breaks Walrus's rules
     * @throws InvalidTagsException       if a tag is not valid Unicode
     */
    public QuiltPatch(String identifier, byte[] data, Map<String, String> tags) {
        QuiltIdentifiers.validate(identifier);
        this.identifier = identifier;
        this.data = Objects.requireNonNull(data, "data").clone();
        this.tags = QuiltTags.canonical(tags);
    }

    /** A patch parsed from a quilt: the identifier is only required to be non-empty (see {@link QuiltIndex}). */
    private QuiltPatch(String identifier, byte[] data, Map<String, String> tags, boolean read) {
        if (identifier.isEmpty()) {
            throw new MalformedQuiltException("a quilt patch item has an empty identifier");
        }
        this.identifier = identifier;
        this.data = data;
        this.tags = QuiltTags.canonical(tags);
    }

    static QuiltPatch read(String identifier, byte[] data, Map<String, String> tags) {
        return new QuiltPatch(identifier, data, tags, true);
    }

    /** A patch without tags. */
    public static QuiltPatch of(String identifier, byte[] data) {
        return new QuiltPatch(identifier, data, Map.of());
    }

    public String identifier() {
        return identifier;
    }

    /** A copy of the patch's bytes. */
    public byte[] data() {
        return data.clone();
    }

    /** The patch's bytes without copying: callers must not modify them. */
    byte[] dataUnsafe() {
        return data;
    }

    public int size() {
        return data.length;
    }

    /** The tags in canonical order (possibly empty), unmodifiable. */
    public Map<String, String> tags() {
        return tags;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuiltPatch p && identifier.equals(p.identifier) && Arrays.equals(data, p.data)
                && tags.equals(p.tags);
    }

    @Override
    public int hashCode() {
        return Objects.hash(identifier, Arrays.hashCode(data), tags);
    }

    @Override
    public String toString() {
        return "QuiltPatch[" + QuiltIdentifiers.printable(identifier) + ", " + data.length + " bytes, tags=" + tags + "]";
    }
}
