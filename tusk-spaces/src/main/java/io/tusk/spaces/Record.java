package io.tusk.spaces;

import java.time.Instant;

/** One record of a stream: its offset (records are numbered from 0), when it was appended, and its bytes. */
public record Record(long offset, Instant appended, byte[] data) {
}
