package io.tusk.control.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * An append-only file of records, each {@code length u32 BE | CRC32C(payload) u32 BE | payload}; record {@code i} is
 * the {@code i}-th accepted command. {@link #append} returns only after the record is on disk ({@code fsync}).
 *
 * <p>Opening scans every record. A damaged record at the end of the file (a header or payload cut short, or a bad
 * checksum on the last record, or a zero-filled tail) is a torn write from a crash before the fsync returned, so
 * nobody was told it was accepted: it is cut off. A damaged record with more data after it is corruption and fails
 * with {@link CorruptJournalException}.
 *
 * <p>Not thread-safe; the control plane appends under its lock.
 */
public final class Journal implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    public static final int HEADER_BYTES = 8;
    /** No record is larger: commands are at most 64 KiB of payload plus JSON and base64 overhead. */
    public static final int MAX_RECORD_BYTES = 1 << 20;

    private final Path file;
    private final FileChannel channel;
    private long size;
    private long recordCount;

    /** Receives each record found when the journal is opened. */
    @FunctionalInterface
    public interface RecordConsumer {
        void accept(long index, byte[] payload) throws IOException;
    }

    private Journal(Path file, FileChannel channel, long size, long recordCount) {
        this.file = file;
        this.channel = channel;
        this.size = size;
        this.recordCount = recordCount;
    }

    /**
     * Opens (creating if absent) the journal, hands every intact record to {@code consumer} in order, and cuts off a
     * torn tail.
     *
     * @throws CorruptJournalException if a damaged record is followed by more data
     */
    public static Journal open(Path file, RecordConsumer consumer) throws IOException {
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            long fileSize = channel.size();
            long offset = 0;
            long index = 0;
            ByteBuffer header = ByteBuffer.allocate(HEADER_BYTES);
            while (offset < fileSize) {
                String torn = null;
                long remaining = fileSize - offset;
                if (remaining < HEADER_BYTES) {
                    torn = "a header cut short (" + remaining + " of " + HEADER_BYTES + " bytes)";
                } else {
                    header.clear();
                    readFully(channel, header, offset);
                    header.flip();
                    long length = Integer.toUnsignedLong(header.getInt());
                    int crc = header.getInt();
                    if (length == 0 || length > MAX_RECORD_BYTES) {
                        if (allZero(channel, offset, fileSize)) {
                            torn = "a zero-filled tail of " + remaining + " bytes";
                        } else if (offset + HEADER_BYTES + Math.min(length, MAX_RECORD_BYTES) >= fileSize) {
                            torn = "a record with an impossible length " + length + " at the end";
                        } else {
                            throw new CorruptJournalException(file + ": record " + index + " has length " + length
                                    + ", outside [1, " + MAX_RECORD_BYTES + "], and data follows it", offset);
                        }
                    } else if (offset + HEADER_BYTES + length > fileSize) {
                        torn = "a payload cut short (" + (remaining - HEADER_BYTES) + " of " + length + " bytes)";
                    } else {
                        ByteBuffer payload = ByteBuffer.allocate((int) length);
                        readFully(channel, payload, offset + HEADER_BYTES);
                        byte[] bytes = payload.array();
                        if (crc32c(bytes) != crc) {
                            if (offset + HEADER_BYTES + length == fileSize) {
                                torn = "a last record with a bad checksum";
                            } else {
                                throw new CorruptJournalException(file + ": record " + index
                                        + " has a bad CRC32C and data follows it", offset);
                            }
                        } else {
                            consumer.accept(index, bytes);
                            index++;
                            offset += HEADER_BYTES + length;
                            continue;
                        }
                    }
                }
                LOG.warn("journal {}: cutting off a torn tail at byte {} after {} records: {}", file, offset, index, torn);
                channel.truncate(offset);
                channel.force(true);
                break;
            }
            channel.position(offset);
            return new Journal(file, channel, offset, index);
        } catch (IOException | RuntimeException e) {
            try {
                channel.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    /** Appends one record and forces it to disk; returns its index. */
    public long append(byte[] payload) throws IOException {
        if (payload.length == 0 || payload.length > MAX_RECORD_BYTES) {
            throw new IllegalArgumentException("journal record must be 1.." + MAX_RECORD_BYTES + " bytes, got "
                    + payload.length);
        }
        ByteBuffer record = ByteBuffer.allocate(HEADER_BYTES + payload.length);
        record.putInt(payload.length).putInt(crc32c(payload)).put(payload).flip();
        long position = size;
        while (record.hasRemaining()) {
            position += channel.write(record, position);
        }
        channel.force(false);
        size = position;
        return recordCount++;
    }

    /** Records in the journal, which is the index the next append gets. */
    public long recordCount() {
        return recordCount;
    }

    public long sizeBytes() {
        return size;
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }

    static int crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, 0, bytes.length);
        return (int) crc.getValue();
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long at = position;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, at);
            if (n < 0) {
                throw new IOException("unexpected end of journal at byte " + at);
            }
            at += n;
        }
    }

    private static boolean allZero(FileChannel channel, long from, long to) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
        long at = from;
        while (at < to) {
            buffer.clear();
            buffer.limit((int) Math.min(buffer.capacity(), to - at));
            readFully(channel, buffer, at);
            buffer.flip();
            while (buffer.hasRemaining()) {
                if (buffer.get() != 0) {
                    return false;
                }
            }
            at += buffer.limit();
        }
        return true;
    }
}
