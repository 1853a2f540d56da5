package io.tusk.spaces.crypto;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Encrypts an entry's content with its own data key, in segments so that large entries stream with bounded memory:
 * segment i (64 KiB of plaintext, the last one shorter, at least one segment) is AES-256-GCM with nonce i (u64 BE,
 * then four zero bytes) and associated data {@code [1]} for the last segment, {@code [0]} otherwise, so segments
 * cannot be reordered, dropped or cut short. A data key encrypts one content only, so fixed nonces are safe.
 */
public final class EntryCipher {
    public static final int SEGMENT_BYTES = 64 * 1024;

    private EntryCipher() {
    }

    /** Segments of a plaintext of {@code length} bytes. */
    static long segments(long length) {
        return Math.max(1, (length + SEGMENT_BYTES - 1) / SEGMENT_BYTES);
    }

    /** Stored bytes of a plaintext of {@code length}. */
    public static long encryptedLength(long length) {
        return length + segments(length) * Aead.TAG_BYTES;
    }

    /** Plaintext bytes of a stored length. @throws IllegalArgumentException if no plaintext length gives it */
    public static long plainLength(long stored) {
        long segments = Math.max(1, (stored + SEGMENT_BYTES + Aead.TAG_BYTES - 1) / (SEGMENT_BYTES + Aead.TAG_BYTES));
        long plain = stored - segments * Aead.TAG_BYTES;
        if (plain < 0 || encryptedLength(plain) != stored) {
            throw new IllegalArgumentException("no plaintext encrypts to " + stored + " bytes");
        }
        return plain;
    }

    private static byte[] nonce(long segment) {
        byte[] nonce = new byte[Aead.NONCE_BYTES];
        for (int i = 0; i < 8; i++) {
            nonce[i] = (byte) (segment >>> (56 - 8 * i));
        }
        return nonce;
    }

    private static byte[] aad(boolean last) {
        return new byte[]{(byte) (last ? 1 : 0)};
    }

    public static byte[] encrypt(byte[] dataKey, byte[] plain) {
        long segments = segments(plain.length);
        byte[] out = new byte[(int) encryptedLength(plain.length)];
        int at = 0;
        for (long s = 0; s < segments; s++) {
            int start = (int) (s * SEGMENT_BYTES);
            int length = Math.min(SEGMENT_BYTES, plain.length - start);
            byte[] sealed = Aead.seal(dataKey, nonce(s), aad(s == segments - 1), plain, start, length);
            System.arraycopy(sealed, 0, out, at, sealed.length);
            at += sealed.length;
        }
        return out;
    }

    /** @throws io.tusk.spaces.SpaceKeyException if the key is wrong or the bytes were altered */
    public static byte[] decrypt(byte[] dataKey, byte[] stored) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) plainLength(stored.length));
        try (OutputStream decrypting = decrypting(dataKey, stored.length, out)) {
            decrypting.write(stored);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The stored form of {@code length} plaintext bytes read from {@code in}, produced as it is read. */
    public static InputStream encrypting(byte[] dataKey, InputStream in, long length) {
        return new InputStream() {
            private final long segments = segments(length);
            private long segment;
            private byte[] buffer = new byte[0];
            private int position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                if (position == buffer.length && !fill()) {
                    return -1;
                }
                int n = Math.min(len, buffer.length - position);
                System.arraycopy(buffer, position, b, off, n);
                position += n;
                return n;
            }

            private boolean fill() throws IOException {
                if (segment == segments) {
                    return false;
                }
                int plainLength = (int) Math.min(SEGMENT_BYTES, length - segment * SEGMENT_BYTES);
                byte[] plain = in.readNBytes(plainLength);
                if (plain.length != plainLength) {
                    throw new IOException("the content ended after " + (segment * SEGMENT_BYTES + plain.length)
                            + " of " + length + " bytes");
                }
                buffer = Aead.seal(dataKey, nonce(segment), aad(segment == segments - 1), plain, 0, plain.length);
                position = 0;
                segment++;
                return true;
            }

            @Override
            public void close() throws IOException {
                in.close();
            }
        };
    }

    /**
     * A stream that takes the {@code storedLength} stored bytes and writes the plaintext to {@code out}, a segment at a
     * time. Closing it checks that every stored byte came.
     */
    public static OutputStream decrypting(byte[] dataKey, long storedLength, OutputStream out) {
        long plain = plainLength(storedLength);
        long segments = segments(plain);
        return new FilterOutputStream(out) {
            private final byte[] buffer = new byte[SEGMENT_BYTES + Aead.TAG_BYTES];
            private int filled;
            private long segment;
            private long received;

            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (received + len > storedLength) {
                    throw new IOException("more than the " + storedLength + " stored bytes of the entry");
                }
                received += len;
                while (len > 0) {
                    int want = segmentLength(segment) - filled;
                    int n = Math.min(want, len);
                    System.arraycopy(b, off, buffer, filled, n);
                    filled += n;
                    off += n;
                    len -= n;
                    if (filled == segmentLength(segment)) {
                        flushSegment();
                    }
                }
            }

            private int segmentLength(long s) {
                long plainHere = Math.min(SEGMENT_BYTES, plain - s * SEGMENT_BYTES);
                return (int) plainHere + Aead.TAG_BYTES;
            }

            private void flushSegment() throws IOException {
                byte[] opened = Aead.open(dataKey, nonce(segment), aad(segment == segments - 1), buffer, 0, filled);
                out.write(opened);
                segment++;
                filled = 0;
            }

            @Override
            public void close() throws IOException {
                if (segment != segments || filled != 0) {
                    throw new IOException("the entry's stored bytes ended early: " + received + " of " + storedLength);
                }
                out.flush();
            }
        };
    }

    static byte[] zeros() {
        return new byte[Aead.KEY_BYTES];
    }

    /** Whether a data key was destroyed (forgotten entries' keys are overwritten with zeros). */
    public static boolean destroyed(byte[] dataKey) {
        return Arrays.equals(dataKey, zeros());
    }
}
