package io.tusk.spaces.manifest;

import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.spaces.VerificationException;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What a commit says about itself, for history: its message and what it changed. The keys changed are listed up to
 * {@link #MAX_KEYS} ({@code truncated} tells if there were more; a diff of the two versions gives them all). Sealed
 * with the space key in an encrypted space, since keys and messages are content. In BCS:
 * <pre>
 * struct CommitDetails { message: String, puts: u64, deletes: u64, keys: vector&lt;String&gt;, truncated: bool }
 * </pre>
 */
public record CommitDetails(String message, long puts, long deletes, List<String> keys, boolean truncated) {
    public static final int MAX_KEYS = 1000;
    public static final int MAX_MESSAGE_BYTES = 4096;

    public CommitDetails {
        Objects.requireNonNull(message, "message");
        keys = List.copyOf(keys);
        if (keys.size() > MAX_KEYS) {
            throw new IllegalArgumentException("commit details list at most " + MAX_KEYS + " keys, got " + keys.size());
        }
    }

    public byte[] toBytes() {
        BcsWriter out = new BcsWriter(64 + message.length() + keys.size() * 32);
        out.string(message).u64(puts).u64(deletes).uleb128(keys.size());
        keys.forEach(out::string);
        return out.bool(truncated).toByteArray();
    }

    /** @throws VerificationException if malformed */
    public static CommitDetails parse(byte[] bytes) {
        try {
            BcsReader in = new BcsReader(bytes);
            String message = in.string(MAX_MESSAGE_BYTES);
            long puts = in.u64();
            long deletes = in.u64();
            int count = in.length(MAX_KEYS, "changed keys");
            List<String> keys = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                keys.add(in.string(io.tusk.spaces.tree.Keys.MAX_KEY_BYTES));
            }
            boolean truncated = in.bool();
            in.expectEnd();
            return new CommitDetails(message, puts, deletes, keys, truncated);
        } catch (IllegalArgumentException e) {
            throw new VerificationException("malformed commit details: " + e.getMessage(), e);
        }
    }
}
