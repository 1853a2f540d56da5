package io.tusk.core.bcs;

import java.io.Serial;

/**
 * Malformed BCS input: truncated or trailing bytes, a non-canonical ULEB128, an out-of-range value or length,
 * an unknown enum tag, invalid UTF-8. The message names what was being read, the offset (relative to the
 * start of the reader's range) and the numbers involved.
 */
public final class BcsException extends IllegalArgumentException {

    @Serial
    private static final long serialVersionUID = 1L;

    private final int offset;

    public BcsException(String message, int offset) {
        super(message);
        this.offset = offset;
    }

    /** Offset of the offending input, relative to the start of the reader's range. */
    public int offset() {
        return offset;
    }
}
