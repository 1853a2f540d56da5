package io.tusk.core.quilt;

import io.tusk.core.bcs.BcsException;
import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A patch's tags as a BCS {@code map<String, String>}: ULEB128 count ‖ (key ‖ value)*, each a BCS string, entries
 * sorted by the BCS bytes of the key (ULEB128 length prefix included, so "k" sorts before "color"), as the Rust bcs
 * crate and {@code @mysten/bcs} do. Reading is strict: keys must be in that order and unique.
 */
public final class QuiltTags {
    /** The most bytes BCS(tags) may take: its size is written as a u16. */
    public static final int MAX_TAGS_BYTES = 65_535;

    private QuiltTags() {}

    /** The tags in canonical (BCS key byte) order, unmodifiable; checks they are valid Unicode. */
    public static Map<String, String> canonical(Map<String, String> tags) {
        if (tags == null || tags.isEmpty()) {
            return Map.of();
        }
        List<Map.Entry<byte[], Map.Entry<String, String>>> entries = new ArrayList<>(tags.size());
        for (Map.Entry<String, String> entry : tags.entrySet()) {
            if (entry.getKey() == null || entry.getValue() == null) {
                throw new InvalidTagsException("tag keys and values must not be null");
            }
            byte[] key = QuiltIdentifiers.utf8(entry.getKey(), "tag key");
            if (key == null || QuiltIdentifiers.utf8(entry.getValue(), "tag value") == null) {
                throw new InvalidTagsException("tag '" + QuiltIdentifiers.printable(entry.getKey())
                        + "' is not valid Unicode (unpaired surrogate)");
            }
            entries.add(Map.entry(new BcsWriter().bytes(key).toByteArray(), Map.entry(entry.getKey(), entry.getValue())));
        }
        entries.sort((a, b) -> Arrays.compareUnsigned(a.getKey(), b.getKey()));
        Map<String, String> out = new LinkedHashMap<>();
        for (var entry : entries) {
            out.put(entry.getValue().getKey(), entry.getValue().getValue());
        }
        return Collections.unmodifiableMap(out);
    }

    /** Writes canonical tags (as returned by {@link #canonical}) as a BCS map. */
    static void write(BcsWriter w, Map<String, String> canonicalTags) {
        w.uleb128(canonicalTags.size());
        canonicalTags.forEach((key, value) -> {
            w.string(key);
            w.string(value);
        });
    }

    /** BCS(tags), checked against the 65535-byte limit. */
    static byte[] bcs(Map<String, String> canonicalTags) {
        BcsWriter w = new BcsWriter();
        write(w, canonicalTags);
        if (w.size() > MAX_TAGS_BYTES) {
            throw new InvalidTagsException("tags take " + w.size() + " bytes in BCS, at most " + MAX_TAGS_BYTES + " allowed");
        }
        return w.toByteArray();
    }

    /** Reads a BCS map strictly: keys in ascending BCS byte order, no duplicates, valid UTF-8. */
    static Map<String, String> read(BcsReader r) {
        int count = r.length(Integer.MAX_VALUE, "tag map");
        Map<String, String> out = new LinkedHashMap<>();
        byte[] previous = null;
        for (int i = 0; i < count; i++) {
            int at = r.position();
            String key = r.string(Integer.MAX_VALUE);
            byte[] keyBcs = new BcsWriter().string(key).toByteArray();
            if (previous != null && Arrays.compareUnsigned(previous, keyBcs) >= 0) {
                throw new BcsException("tag map key '" + QuiltIdentifiers.printable(key) + "' at offset " + at
                        + " is not after the previous key in BCS byte order (non-canonical map)", at);
            }
            previous = keyBcs;
            out.put(key, r.string(Integer.MAX_VALUE));
        }
        return Collections.unmodifiableMap(out);
    }
}
