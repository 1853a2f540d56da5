package io.tusk.s3;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * The additional checksums S3 clients send ({@code x-amz-checksum-<name>} headers or trailers,
 * {@code x-amz-sdk-checksum-algorithm}): values are base64 of the big-endian checksum, as S3 writes them.
 */
enum ChecksumAlgorithm {
    CRC32("crc32"), CRC32C("crc32c"), CRC64NVME("crc64nvme"), SHA1("sha1"), SHA256("sha256");

    private final String lowerName;

    ChecksumAlgorithm(String lowerName) {
        this.lowerName = lowerName;
    }

    /** The header that carries it: {@code x-amz-checksum-crc32}, ... */
    String header() {
        return "x-amz-checksum-" + lowerName;
    }

    /** The element name in XML: {@code ChecksumCRC32}, ... */
    String xmlName() {
        return "Checksum" + name();
    }

    String lowerName() {
        return lowerName;
    }

    /** The algorithm named {@code name} in any case ({@code CRC32}, {@code crc32c}), if S3 knows it. */
    static Optional<ChecksumAlgorithm> named(String name) {
        for (ChecksumAlgorithm a : values()) {
            if (a.lowerName.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** The algorithm a {@code x-amz-checksum-*} header name stands for. */
    static Optional<ChecksumAlgorithm> ofHeader(String header) {
        String lower = header.toLowerCase(Locale.ROOT);
        return lower.startsWith("x-amz-checksum-") ? named(lower.substring("x-amz-checksum-".length())) : Optional.empty();
    }

    /** Bytes of the checksum: what a valid base64 value decodes to. */
    int length() {
        return switch (this) {
            case CRC32, CRC32C -> 4;
            case CRC64NVME -> 8;
            case SHA1 -> 20;
            case SHA256 -> 32;
        };
    }

    Hasher newHasher() {
        return switch (this) {
            case CRC32 -> new ChecksumHasher(new CRC32(), 4);
            case CRC32C -> new ChecksumHasher(new CRC32C(), 4);
            case CRC64NVME -> new Crc64Nvme();
            case SHA1 -> new DigestHasher("SHA-1");
            case SHA256 -> new DigestHasher("SHA-256");
        };
    }

    /** Whether {@code value} is well-formed for this algorithm (base64 of the right length). */
    boolean wellFormed(String value) {
        try {
            return Base64.getDecoder().decode(value.trim()).length == length();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** An incremental checksum. */
    interface Hasher {
        void update(byte[] b, int off, int len);

        byte[] digest();

        default String base64() {
            return Base64.getEncoder().encodeToString(digest());
        }
    }

    private static final class ChecksumHasher implements Hasher {
        private final java.util.zip.Checksum checksum;
        private final int bytes;

        ChecksumHasher(java.util.zip.Checksum checksum, int bytes) {
            this.checksum = checksum;
            this.bytes = bytes;
        }

        @Override
        public void update(byte[] b, int off, int len) {
            checksum.update(b, off, len);
        }

        @Override
        public byte[] digest() {
            byte[] out = ByteBuffer.allocate(8).putLong(checksum.getValue()).array();
            return java.util.Arrays.copyOfRange(out, 8 - bytes, 8);
        }
    }

    private static final class DigestHasher implements Hasher {
        private final MessageDigest digest;

        DigestHasher(String algorithm) {
            try {
                digest = MessageDigest.getInstance(algorithm);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(algorithm + " is missing from the JDK", e);
            }
        }

        @Override
        public void update(byte[] b, int off, int len) {
            digest.update(b, off, len);
        }

        @Override
        public byte[] digest() {
            return digest.digest();
        }
    }

    /**
     * CRC-64/NVME (reflected polynomial 0x9a6c9329ac4bc9b5, initial value and final xor all ones), the checksum
     * newer AWS SDKs default to; check value of "123456789" is 0xae8b14860a799888.
     */
    static final class Crc64Nvme implements Hasher {
        private static final long[] TABLE = new long[256];

        static {
            for (int i = 0; i < 256; i++) {
                long crc = i;
                for (int k = 0; k < 8; k++) {
                    crc = (crc & 1) != 0 ? (crc >>> 1) ^ 0x9a6c9329ac4bc9b5L : crc >>> 1;
                }
                TABLE[i] = crc;
            }
        }

        private long crc = -1L;

        @Override
        public void update(byte[] b, int off, int len) {
            long c = crc;
            for (int i = off; i < off + len; i++) {
                c = TABLE[(int) ((c ^ b[i]) & 0xff)] ^ (c >>> 8);
            }
            crc = c;
        }

        @Override
        public byte[] digest() {
            return ByteBuffer.allocate(8).putLong(~crc).array();
        }
    }
}
