package io.tusk.control.server;

import java.io.IOException;

/**
 * The journal holds a damaged record that is not its last one (so not a torn write): the data after it cannot be
 * trusted to follow it, and the control plane refuses to start rather than silently drop accepted commands.
 */
public final class CorruptJournalException extends IOException {
    private final long offset;

    public CorruptJournalException(String message, long offset) {
        super(message + " (at byte offset " + offset + ")");
        this.offset = offset;
    }

    public long offset() {
        return offset;
    }
}
