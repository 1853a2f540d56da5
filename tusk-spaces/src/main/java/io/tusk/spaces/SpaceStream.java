package io.tusk.spaces;

import io.tusk.control.api.Event;
import io.tusk.control.api.EventPage;
import io.tusk.control.client.ControlClient;
import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import io.tusk.spaces.tree.Keys;
import io.tusk.spaces.tree.TreeCursor;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A stream in a space (docs/spaces.md, "Streams"): an append-only sequence of records for logs and sensor or media
 * feeds. Each append is one commit that adds one segment entry, {@code streams/NAME/<end offset, 20 digits>},
 * holding the batch's records; small segments land in the commit's quilt, large ones in their own blobs, like any
 * entry. Offsets are assigned inside the commit, so concurrent appenders never share or skip one (the loser of a race
 * re-numbers its batch on the new head). Readers find the segment holding an offset with one O(log N) seek, and
 * follow the stream through the control plane's event stream (a long poll), not by polling the head.
 */
public final class SpaceStream {
    public static final String PREFIX = "streams/";
    public static final String CONTENT_TYPE = "application/vnd.tusk.stream-segment";
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
    private static final int OFFSET_DIGITS = 20;
    /** Most records one append may hold (a segment is read whole). */
    public static final int MAX_BATCH_RECORDS = 1 << 20;

    private final Space space;
    private final String name;
    private final byte[] prefix;

    SpaceStream(Space space, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidKeyException("stream name '" + name + "' must be 1 to 128 of A-Z a-z 0-9 . _ - and not start with '.'");
        }
        this.space = space;
        this.name = name;
        this.prefix = (PREFIX + name + "/").getBytes(StandardCharsets.UTF_8);
    }

    public String name() {
        return name;
    }

    /** The result of an append: the offsets given to the batch ({@code [firstOffset, firstOffset + count)}). */
    public record AppendResult(long firstOffset, int count, CommitResult commit) {
    }

    /**
     * Appends {@code records} as one segment in one commit.
     *
     * @throws IllegalArgumentException if there are no records or more than {@link #MAX_BATCH_RECORDS}
     */
    public AppendResult append(List<byte[]> records) {
        if (records.isEmpty() || records.size() > MAX_BATCH_RECORDS) {
            throw new IllegalArgumentException("an append holds 1 to " + MAX_BATCH_RECORDS + " records, got " + records.size());
        }
        long[] first = new long[1];
        CommitResult result = space.commit(tx -> {
            long next = nextOffset(tx.base());
            first[0] = next;
            long now = System.currentTimeMillis();
            byte[] segment = encode(next, records, now);
            tx.put(keyText(next + records.size()), segment, PutOptions.defaults().withContentType(CONTENT_TYPE));
        }, CommitOptions.message("append " + records.size() + " records to stream " + name));
        return new AppendResult(first[0], records.size(), result);
    }

    /** A batching appender: records are appended when {@code maxBatchBytes} are buffered or the oldest is {@code maxAge} old. */
    public StreamAppender appender(long maxBatchBytes, Duration maxAge) {
        return new StreamAppender(this, maxBatchBytes, maxAge);
    }

    /** The offset the next record will get. */
    public long nextOffset() {
        return nextOffset(space.snapshot());
    }

    long nextOffset(Snapshot at) {
        Object[] last = TreeCursor.lastBefore(at.root(), at.nodes(), Keys.prefixSuccessor(prefix));
        if (last == null || !Keys.startsWith((byte[]) last[0], prefix)) {
            return 0;
        }
        return parseOffset((byte[]) last[0]);
    }

    /** Up to {@code limit} records from {@code fromOffset} on, as of the head. */
    public List<Record> read(long fromOffset, int limit) {
        return read(space.snapshot(), fromOffset, limit);
    }

    List<Record> read(Snapshot at, long fromOffset, int limit) {
        if (fromOffset < 0 || limit < 1) {
            throw new IllegalArgumentException("read needs an offset >= 0 and a limit >= 1, got " + fromOffset + ", " + limit);
        }
        List<Record> out = new ArrayList<>();
        TreeCursor cursor = new TreeCursor(at.root(), at.nodes());
        cursor.seek(key(fromOffset + 1)); // the first segment ending after fromOffset holds it
        while (!cursor.atEnd() && Keys.startsWith(cursor.key(), prefix) && out.size() < limit) {
            String key = Keys.decode(cursor.key());
            for (Record r : decode(at.read(key))) {
                if (r.offset() >= fromOffset && out.size() < limit) {
                    out.add(r);
                }
            }
            cursor.next();
        }
        return out;
    }

    /**
     * Up to {@code limit} records from {@code fromOffset} on; if there are none yet, waits up to {@code wait} for a
     * commit that brings some (a long poll on the control plane's event stream), then reads again.
     */
    public List<Record> await(long fromOffset, int limit, Duration wait) {
        ControlClient control = space.spaces().client().control();
        long deadline = System.nanoTime() + wait.toNanos();
        long cursor = control.health().eventCount();
        List<Record> records = read(fromOffset, limit);
        while (records.isEmpty() && System.nanoTime() < deadline) {
            long left = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            EventPage page = control.events(cursor, 1000, Math.min(left, 30_000));
            boolean committed = page.events().stream().anyMatch(this::isCommitHere);
            cursor = page.next();
            if (committed) {
                records = read(fromOffset, limit);
            }
        }
        return records;
    }

    private boolean isCommitHere(Event event) {
        return event instanceof Event.SpaceCommitted c && c.owner().equals(space.owner()) && c.name().equals(space.name());
    }

    /**
     * Follows the stream from {@code fromOffset}, like {@code tail -f}: hands every record to {@code sink} in order as
     * it is appended, waiting for new commits on the control plane's event stream. Returns when {@code sink} returns
     * false (or the thread is interrupted).
     */
    public void follow(long fromOffset, Predicate<Record> sink) {
        ControlClient control = space.spaces().client().control();
        long cursor = control.health().eventCount();
        long next = fromOffset;
        long seenVersion = -1;
        while (!Thread.currentThread().isInterrupted()) {
            Snapshot head = space.snapshot();
            if (head.version() != seenVersion) {
                seenVersion = head.version();
                while (true) {
                    List<Record> batch = read(head, next, 10_000);
                    for (Record r : batch) {
                        if (!sink.test(r)) {
                            return;
                        }
                        next = r.offset() + 1;
                    }
                    if (batch.size() < 10_000) {
                        break;
                    }
                }
            }
            // Wait for this space's next commit (or time out and look again).
            boolean committed = false;
            while (!committed && !Thread.currentThread().isInterrupted()) {
                EventPage page = control.events(cursor, 1000, 10_000);
                committed = page.events().stream().anyMatch(this::isCommitHere);
                if (page.next() == cursor && page.events().isEmpty()) {
                    break; // the wait ended with nothing: check the head anyway
                }
                cursor = page.next();
            }
        }
    }

    /** Follows from the first record appended after {@code time}. */
    public void followSince(Instant time, Predicate<Record> sink) {
        follow(nextOffset(space.at(time)), sink);
    }

    private byte[] key(long endOffset) {
        byte[] digits = String.format("%0" + OFFSET_DIGITS + "d", endOffset).getBytes(StandardCharsets.US_ASCII);
        byte[] out = java.util.Arrays.copyOf(prefix, prefix.length + digits.length);
        System.arraycopy(digits, 0, out, prefix.length, digits.length);
        return out;
    }

    private String keyText(long endOffset) {
        return new String(key(endOffset), StandardCharsets.UTF_8);
    }

    private long parseOffset(byte[] key) {
        String digits = new String(key, prefix.length, key.length - prefix.length, StandardCharsets.US_ASCII);
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw new VerificationException("stream " + name + " holds an entry that is not a segment: "
                    + Keys.printable(Keys.decode(key)));
        }
    }

    /**
     * A segment's bytes: {@code struct Segment { first_offset: u64, records: vector<(appended_millis: u64,
     * data: vector<u8>)> }}.
     */
    static byte[] encode(long first, List<byte[]> records, long appendedMillis) {
        long size = 16;
        for (byte[] r : records) {
            size += r.length + 16;
        }
        BcsWriter out = new BcsWriter((int) Math.min(Integer.MAX_VALUE - 16, size)).u64(first).uleb128(records.size());
        for (byte[] r : records) {
            out.u64(appendedMillis).bytes(r);
        }
        return out.toByteArray();
    }

    static List<Record> decode(byte[] segment) {
        try {
            BcsReader in = new BcsReader(segment);
            long first = in.u64();
            int count = in.length(MAX_BATCH_RECORDS, "stream records");
            List<Record> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                long millis = in.u64();
                out.add(new Record(first + i, Instant.ofEpochMilli(millis), in.bytes(Integer.MAX_VALUE - 16)));
            }
            in.expectEnd();
            return out;
        } catch (IllegalArgumentException e) {
            throw new VerificationException("malformed stream segment: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "SpaceStream[" + space.name() + "/" + name + "]";
    }
}
