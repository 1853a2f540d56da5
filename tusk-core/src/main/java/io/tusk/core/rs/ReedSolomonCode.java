package io.tusk.core.rs;

import static io.tusk.core.rs.GaloisField.MODULUS;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One systematic Reed-Solomon code over GF(2^16) with k original and r recovery shards, byte-identical to
 * reed-solomon-simd 3.1.0 (the Leopard algorithm, leopard-rs.md), hence to Walrus slivers.
 *
 * <p>A shard is an even number of bytes holding one field element per pair of bytes ("lane"), laid out per
 * leopard-rs.md section 6: in each full 64-byte block the 32 low bytes come first, then the 32 high bytes; a
 * shorter tail of t bytes is split at t/2. Lanes are independent, so a shard may be any concatenation of blocks,
 * e.g. many Walrus symbols batched into one long shard.
 *
 * <p>Large batches can be split across threads by byte range: {@link #encode(byte[][], byte[][], int, int)} and
 * {@link #reconstruct(byte[][], boolean[], byte[][], int, int)} work on [from, to) only, and ranges are independent.
 *
 * <p>Instances are immutable and thread-safe. Operations use a per-thread scratch buffer (up to about 1 MiB)
 * and do not allocate on the hot path apart from small per-call bookkeeping arrays.
 */
public final class ReedSolomonCode {
    private static final ConcurrentHashMap<Long, ReedSolomonCode> CACHE = new ConcurrentHashMap<>();

    /**
     * Target size of the work buffer of one stripe: it should stay in the core's L2 cache (1 MiB on the reference
     * Zen 5). Tunable with the system property {@code tusk.rs.stripeBytes} for experiments.
     */
    static final int STRIPE_TARGET_BYTES = Integer.getInteger("tusk.rs.stripeBytes", 1 << 19);
    /** Largest stride (bytes per position in one stripe). */
    static final int MAX_STRIDE = 1 << 14;
    /** Shards with fewer lanes than this use the compact layout when the scalar engine runs. */
    private static final int COMPACT_MAX_LANES = 64;

    private static final ThreadLocal<byte[][]> SCRATCH = ThreadLocal.withInitial(() -> new byte[1][0]);

    private final int originalCount;
    private final int recoveryCount;
    private final Rate rate;
    /** P = npow2(k) for the low rate, M = npow2(r) for the high rate. */
    private final int chunkSize;
    /** N of the decoder: npow2(P + r) (low) or npow2(M + k) (high). */
    private final int decodeSize;

    private ReedSolomonCode(int originalCount, int recoveryCount, Rate rate) {
        this.originalCount = originalCount;
        this.recoveryCount = recoveryCount;
        this.rate = rate;
        this.chunkSize = rate == Rate.LOW ? nextPowerOfTwo(originalCount) : nextPowerOfTwo(recoveryCount);
        this.decodeSize = nextPowerOfTwo(chunkSize + (rate == Rate.LOW ? recoveryCount : originalCount));
    }

    /**
     * The code with k = {@code originalCount} and r = {@code recoveryCount}, with the rate reed-solomon-simd picks
     * (leopard-rs.md section 4.1). Instances are cached.
     *
     * @throws IllegalArgumentException unless 1 <= k, 1 <= r and min(npow2(k), npow2(r)) + max(k, r) <= 65536
     */
    public static ReedSolomonCode of(int originalCount, int recoveryCount) {
        if (originalCount < 1 || recoveryCount < 1 || originalCount > GaloisField.ORDER
                || recoveryCount > GaloisField.ORDER
                || Math.min(nextPowerOfTwo(originalCount), nextPowerOfTwo(recoveryCount))
                        + Math.max(originalCount, recoveryCount) > GaloisField.ORDER) {
            throw new IllegalArgumentException("unsupported Reed-Solomon code: original count " + originalCount
                    + ", recovery count " + recoveryCount
                    + " (need both >= 1 and min(npow2(k), npow2(r)) + max(k, r) <= 65536)");
        }
        return of(originalCount, recoveryCount, defaultRate(originalCount, recoveryCount));
    }

    /** The code with a forced rate (the crate's HighRate/LowRate encoders); package-private for tests. */
    static ReedSolomonCode of(int originalCount, int recoveryCount, Rate rate) {
        int chunk = rate == Rate.LOW ? nextPowerOfTwo(originalCount) : nextPowerOfTwo(recoveryCount);
        int other = rate == Rate.LOW ? recoveryCount : originalCount;
        if (originalCount < 1 || recoveryCount < 1 || originalCount > GaloisField.ORDER
                || recoveryCount > GaloisField.ORDER || (long) chunk + other > GaloisField.ORDER) {
            throw new IllegalArgumentException("unsupported " + rate + " rate Reed-Solomon code: original count "
                    + originalCount + ", recovery count " + recoveryCount);
        }
        long key = (long) originalCount << 32 | (long) recoveryCount << 1 | rate.ordinal();
        return CACHE.computeIfAbsent(key, unused -> new ReedSolomonCode(originalCount, recoveryCount, rate));
    }

    /** Rate rule of rate_default.rs: smaller power of two wins; on a tie, high rate iff k <= r. */
    static Rate defaultRate(int originalCount, int recoveryCount) {
        int k = nextPowerOfTwo(originalCount);
        int r = nextPowerOfTwo(recoveryCount);
        if (k != r) {
            return k < r ? Rate.LOW : Rate.HIGH;
        }
        return originalCount <= recoveryCount ? Rate.HIGH : Rate.LOW;
    }

    public int originalCount() {
        return originalCount;
    }

    public int recoveryCount() {
        return recoveryCount;
    }

    public Rate rate() {
        return rate;
    }

    @Override
    public String toString() {
        return "ReedSolomonCode[k=" + originalCount + ", r=" + recoveryCount + ", " + rate + "]";
    }

    // ------------------------------------------------------------------------------------------------ encoding

    /**
     * Computes the r recovery shards from the k originals. {@code recovery[j]} is overwritten (allocated if null).
     * All shards have the same even length >= 2.
     *
     * @throws IllegalArgumentException on wrong array counts or shard lengths (the message names the numbers)
     */
    public void encode(byte[][] originals, byte[][] recovery) {
        encode(originals, recovery, Kernel.current());
    }

    /**
     * Like {@link #encode(byte[][], byte[][])} but only over bytes [from, to) of every shard, which lets callers
     * split one batch across threads (each range is independent). The shard length, from and to must be
     * multiples of 64 and recovery shards must be allocated.
     */
    public void encode(byte[][] originals, byte[][] recovery, int from, int to) {
        encode(originals, recovery, from, to, Kernel.current());
    }

    void encode(byte[][] originals, byte[][] recovery, Kernel kernel) {
        int length = checkEncodeArrays(originals, recovery);
        for (int j = 0; j < recoveryCount; j++) {
            if (recovery[j] == null) {
                recovery[j] = new byte[length];
            } else if (recovery[j].length != length) {
                throw new IllegalArgumentException("recovery shard " + j + " has " + recovery[j].length
                        + " bytes, original shards have " + length);
            }
        }
        encodeBlocks(originals, recovery, length, 0, (length + 63) >>> 6, kernel);
    }

    void encode(byte[][] originals, byte[][] recovery, int from, int to, Kernel kernel) {
        int length = checkEncodeArrays(originals, recovery);
        for (int j = 0; j < recoveryCount; j++) {
            if (recovery[j] == null || recovery[j].length != length) {
                throw new IllegalArgumentException("recovery shard " + j + " has "
                        + (recovery[j] == null ? "no array" : recovery[j].length + " bytes")
                        + ", original shards have " + length);
            }
        }
        checkRange(length, from, to);
        encodeBlocks(originals, recovery, length, from >>> 6, to >>> 6, kernel);
    }

    private int checkEncodeArrays(byte[][] originals, byte[][] recovery) {
        if (originals.length != originalCount || recovery.length != recoveryCount) {
            throw new IllegalArgumentException("got " + originals.length + " original and " + recovery.length
                    + " recovery shard slots, code has k = " + originalCount + ", r = " + recoveryCount);
        }
        int length = -1;
        for (int i = 0; i < originalCount; i++) {
            if (originals[i] == null) {
                throw new IllegalArgumentException("original shard " + i + " is null");
            }
            if (length < 0) {
                length = originals[0].length;
                checkShardLength(length);
            } else if (originals[i].length != length) {
                throw new IllegalArgumentException("original shard " + i + " has " + originals[i].length
                        + " bytes, original shard 0 has " + length);
            }
        }
        return length;
    }

    private static void checkShardLength(int length) {
        if (length < 2 || (length & 1) != 0) {
            throw new IllegalArgumentException("shard length " + length + " is not an even number >= 2");
        }
    }

    private static void checkRange(int length, int from, int to) {
        if ((length & 63) != 0 || (from & 63) != 0 || (to & 63) != 0 || from < 0 || from > to || to > length) {
            throw new IllegalArgumentException("range [" + from + ", " + to + ") of shards of " + length
                    + " bytes: length, from and to must be multiples of 64 with 0 <= from <= to <= length");
        }
    }

    private void encodeBlocks(byte[][] originals, byte[][] recovery, int length, int firstBlock, int endBlock,
            Kernel kernel) {
        if (firstBlock >= endBlock) {
            return;
        }
        int chunks = rate == Rate.LOW ? ceilDiv(recoveryCount, chunkSize) : ceilDiv(originalCount, chunkSize);
        int positions = chunks > 1 ? 2 * chunkSize : chunkSize;
        Stripes s = new Stripes(kernel, positions, length, firstBlock, endBlock);
        byte[] buf = scratch(positions * s.maxStride);
        for (int block = firstBlock; block < endBlock; block += s.blocksPerStripe) {
            int blocks = Math.min(s.blocksPerStripe, endBlock - block);
            int stride = s.stride(blocks);
            if (rate == Rate.LOW) {
                encodeLowStripe(s.engine, buf, stride, s.unit, originals, recovery, length, block, blocks);
            } else {
                encodeHighStripe(s.engine, buf, stride, s.unit, originals, recovery, length, block, blocks);
            }
        }
    }

    private void encodeLowStripe(Engine engine, byte[] buf, int stride, int unit, byte[][] originals,
            byte[][] recovery, int length, int block, int blocks) {
        int p = chunkSize;
        for (int i = 0; i < originalCount; i++) {
            engine.load(originals[i], length, block, blocks, buf, i * stride, unit);
        }
        Arrays.fill(buf, originalCount * stride, p * stride, (byte) 0);
        engine.ifft(buf, 0, stride, unit, p, originalCount, 0);
        int chunks = ceilDiv(recoveryCount, p);
        for (int q = 0; q < chunks; q++) {
            int count = Math.min(p, recoveryCount - q * p);
            int off = 0;
            if (q < chunks - 1) { // keep the coefficients for the next chunk
                off = p * stride;
                System.arraycopy(buf, 0, buf, off, p * stride);
            }
            engine.fft(buf, off, stride, unit, p, count, (q + 1) * p);
            for (int j = 0; j < count; j++) {
                engine.store(buf, off + j * stride, unit, recovery[q * p + j], length, block, blocks);
            }
        }
    }

    private void encodeHighStripe(Engine engine, byte[] buf, int stride, int unit, byte[][] originals,
            byte[][] recovery, int length, int block, int blocks) {
        int m = chunkSize;
        int chunks = ceilDiv(originalCount, m);
        for (int q = 0; q < chunks; q++) {
            int count = Math.min(m, originalCount - q * m);
            int off = q == 0 ? 0 : m * stride;
            for (int i = 0; i < count; i++) {
                engine.load(originals[q * m + i], length, block, blocks, buf, off + i * stride, unit);
            }
            Arrays.fill(buf, off + count * stride, off + m * stride, (byte) 0);
            engine.ifft(buf, off, stride, unit, m, count, (q + 1) * m);
            if (q > 0) {
                engine.xor(buf, 0, off, m * stride);
            }
        }
        engine.fft(buf, 0, stride, unit, m, recoveryCount, 0);
        for (int j = 0; j < recoveryCount; j++) {
            engine.store(buf, j * stride, unit, recovery[j], length, block, blocks);
        }
    }

    // ------------------------------------------------------------------------------------------------ decoding

    /**
     * Reconstructs the missing originals in place. {@code originals[i] == null} marks original i missing and
     * {@code recovery[j] == null} marks recovery j missing; missing originals are allocated and filled, nothing
     * else is written. Present shards must all have the same even length.
     *
     * @throws NotEnoughShardsException if fewer than k shards are present
     * @throws IllegalArgumentException on wrong array counts or shard lengths
     */
    public void reconstruct(byte[][] originals, byte[][] recovery) {
        reconstruct(originals, recovery, Kernel.current());
    }

    /**
     * Range form of {@link #reconstruct(byte[][], byte[][])} for splitting one reconstruction across threads:
     * decodes bytes [from, to) only (shard length, from and to multiples of 64). It does not allocate: the caller
     * marks the missing originals in {@code missing} (length k) and provides arrays for them in {@code originals}
     * (no entry of {@code originals} may be null); only bytes [from, to) of those arrays are written. Entries of
     * {@code recovery} that are null are missing. Calls on disjoint ranges are independent.
     *
     * @throws NotEnoughShardsException if fewer than k shards are present
     */
    public void reconstruct(byte[][] originals, boolean[] missing, byte[][] recovery, int from, int to) {
        reconstruct(originals, missing, recovery, from, to, Kernel.current());
    }

    void reconstruct(byte[][] originals, byte[][] recovery, Kernel kernel) {
        boolean[] missing = missingAndAllocate(originals, recovery);
        if (missing == null) {
            return;
        }
        int length = presentLength(originals, recovery, missing);
        decodeBlocks(originals, missing, recovery, length, 0, (length + 63) >>> 6, kernel);
    }

    void reconstruct(byte[][] originals, boolean[] missing, byte[][] recovery, int from, int to, Kernel kernel) {
        checkDecodeArrays(originals, recovery);
        if (missing.length != originalCount) {
            throw new IllegalArgumentException("missing has " + missing.length + " entries, k = " + originalCount);
        }
        int present = 0;
        for (int i = 0; i < originalCount; i++) {
            if (!missing[i]) {
                present++;
            }
            if (originals[i] == null) {
                throw new IllegalArgumentException("original shard " + i + " is null; the range form needs arrays"
                        + " for missing originals too");
            }
        }
        for (byte[] shard : recovery) {
            if (shard != null) {
                present++;
            }
        }
        if (noneMissing(missing)) {
            return;
        }
        if (present < originalCount) {
            throw new NotEnoughShardsException(originalCount, present);
        }
        int length = presentLength(originals, recovery, new boolean[originalCount]);
        checkRange(length, from, to);
        decodeBlocks(originals, missing, recovery, length, from >>> 6, to >>> 6, kernel);
    }

    private static boolean noneMissing(boolean[] missing) {
        for (boolean m : missing) {
            if (m) {
                return false;
            }
        }
        return true;
    }

    /** Returns the missing-originals mask after allocating them, or null when no original is missing. */
    private boolean[] missingAndAllocate(byte[][] originals, byte[][] recovery) {
        checkDecodeArrays(originals, recovery);
        boolean[] missing = new boolean[originalCount];
        int present = 0;
        int missingCount = 0;
        for (int i = 0; i < originalCount; i++) {
            if (originals[i] == null) {
                missing[i] = true;
                missingCount++;
            } else {
                present++;
            }
        }
        if (missingCount == 0) {
            return null;
        }
        for (byte[] shard : recovery) {
            if (shard != null) {
                present++;
            }
        }
        if (present < originalCount) {
            throw new NotEnoughShardsException(originalCount, present);
        }
        int length = presentLength(originals, recovery, missing);
        for (int i = 0; i < originalCount; i++) {
            if (missing[i]) {
                originals[i] = new byte[length];
            }
        }
        return missing;
    }

    private void checkDecodeArrays(byte[][] originals, byte[][] recovery) {
        if (originals.length != originalCount || recovery.length != recoveryCount) {
            throw new IllegalArgumentException("got " + originals.length + " original and " + recovery.length
                    + " recovery shard slots, code has k = " + originalCount + ", r = " + recoveryCount);
        }
    }

    /** The common length of the present shards (skipping originals marked missing). */
    private static int presentLength(byte[][] originals, byte[][] recovery, boolean[] missing) {
        int length = -1;
        for (int i = 0; i < originals.length + recovery.length; i++) {
            boolean isOriginal = i < originals.length;
            byte[] shard = isOriginal ? (missing[i] ? null : originals[i]) : recovery[i - originals.length];
            if (shard == null) {
                continue;
            }
            if (length < 0) {
                length = shard.length;
                checkShardLength(length);
            } else if (shard.length != length) {
                throw new IllegalArgumentException((isOriginal ? "original shard " + i : "recovery shard "
                        + (i - originals.length)) + " has " + shard.length + " bytes, other shards have " + length);
            }
        }
        return length;
    }

    private void decodeBlocks(byte[][] originals, boolean[] missing, byte[][] recovery, int length, int firstBlock,
            int endBlock, Kernel kernel) {
        if (firstBlock >= endBlock) {
            return;
        }
        // Any k shards determine the code word (MDS), so use only the first recovery shards needed and treat
        // the others as erased: fewer shards to read and multiply, and a shorter truncated IFFT.
        int needed = 0;
        for (boolean m : missing) {
            if (m) {
                needed++;
            }
        }
        boolean[] useRecovery = new boolean[recoveryCount];
        int lastUsedRecovery = -1;
        for (int j = 0; j < recoveryCount && needed > 0; j++) {
            if (recovery[j] != null) {
                useRecovery[j] = true;
                lastUsedRecovery = j;
                needed--;
            }
        }
        // Section 7 uses N = npow2(P + r) for the low rate. The low-rate code word is a polynomial of degree < P
        // evaluated at every position, so any power of two covering the positions in use works as well; when
        // only the first recovery shards are used this often halves the transforms (e.g. 1024 instead of 2048 for
        // Walrus's (334, 666) primary code). The high-rate code word's degree bound depends on N, so it stays.
        int n = rate == Rate.LOW ? nextPowerOfTwo(chunkSize + lastUsedRecovery + 1) : decodeSize;
        // Position map (section 7 step 1) and erasures (step 2).
        byte[][] source = new byte[n][];
        boolean[] erased = new boolean[n];
        int recoveryBase = rate == Rate.LOW ? chunkSize : 0;
        int originalBase = rate == Rate.LOW ? 0 : chunkSize;
        Arrays.fill(erased, true);
        if (rate == Rate.LOW) {
            Arrays.fill(erased, originalCount, chunkSize, false); // known zeros
        } else {
            Arrays.fill(erased, chunkSize + originalCount, n, false); // known zeros
        }
        int fftEnd = 0;
        for (int i = 0; i < originalCount; i++) {
            if (missing[i]) {
                fftEnd = originalBase + i + 1;
            } else {
                source[originalBase + i] = originals[i];
                erased[originalBase + i] = false;
            }
        }
        for (int j = 0; j <= lastUsedRecovery; j++) {
            if (useRecovery[j]) {
                source[recoveryBase + j] = recovery[j];
                erased[recoveryBase + j] = false;
            }
        }
        int ifftEnd = 0;
        for (int p = 0; p < n; p++) {
            if (source[p] != null) {
                ifftEnd = p + 1;
            }
        }
        int[] logs = ErasureLocator.logs(erased, n);

        Stripes s = new Stripes(kernel, n, length, firstBlock, endBlock);
        byte[] buf = scratch(n * s.maxStride);
        Engine engine = s.engine;
        int unit = s.unit;
        for (int block = firstBlock; block < endBlock; block += s.blocksPerStripe) {
            int blocks = Math.min(s.blocksPerStripe, endBlock - block);
            int stride = s.stride(blocks);
            for (int p = 0; p < ifftEnd; p++) {
                int off = p * stride;
                if (source[p] == null) {
                    Arrays.fill(buf, off, off + stride, (byte) 0);
                } else {
                    engine.load(source[p], length, block, blocks, buf, off, unit);
                    if (logs[p] != 0) {
                        engine.mulLog(buf, off, stride, unit, logs[p]);
                    }
                }
            }
            Arrays.fill(buf, ifftEnd * stride, n * stride, (byte) 0);
            engine.ifft(buf, 0, stride, unit, n, ifftEnd, 0);
            engine.formalDerivative(buf, 0, stride, n);
            engine.fft(buf, 0, stride, unit, n, fftEnd, 0);
            for (int i = 0; i < originalCount; i++) {
                if (missing[i]) {
                    int p = originalBase + i;
                    int log = logs[p] == 0 ? 0 : MODULUS - logs[p];
                    if (log != 0) {
                        engine.mulLog(buf, p * stride, stride, unit, log);
                    }
                    engine.store(buf, p * stride, unit, originals[i], length, block, blocks);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /** How one operation splits its 64-byte blocks into stripes that fit the work buffer. */
    private static final class Stripes {
        final Engine engine;
        /** Lanes per unit of the work layout (64, or all lanes of the shard in the compact layout). */
        final int unit;
        final int blocksPerStripe;
        final int maxStride;

        Stripes(Kernel kernel, int positions, int length, int firstBlock, int endBlock) {
            int blockCount = endBlock - firstBlock;
            int lanes = Math.min(length, endBlock * 64) / 2 - firstBlock * 32;
            Engine unitEngine = kernel.unitEngine();
            // The vector engine on one 64-lane unit beats the scalar engine even for a single lane, so the compact
            // layout only serves the scalar engine (no Vector API, or forced).
            boolean compact = lanes < COMPACT_MAX_LANES && unitEngine == ScalarEngine.INSTANCE;
            if (compact) {
                // Compact: one unit holding exactly the shard's lanes, one stripe.
                engine = ScalarEngine.INSTANCE;
                unit = lanes;
                blocksPerStripe = blockCount;
                maxStride = 2 * lanes;
                return;
            }
            engine = unitEngine;
            unit = 64;
            int stride = Math.max(128, Math.min(MAX_STRIDE, (STRIPE_TARGET_BYTES / positions) & ~127));
            stride = Math.min(stride, (blockCount * 64 + 127) & ~127);
            blocksPerStripe = stride / 64;
            maxStride = stride;
        }

        /** Bytes per position for a stripe of {@code blocks} blocks: whole units. */
        int stride(int blocks) {
            if (unit != 64) {
                return maxStride;
            }
            int unitBytes = 2 * unit;
            return (blocks * 64 + unitBytes - 1) / unitBytes * unitBytes;
        }
    }

    private static byte[] scratch(int size) {
        byte[][] holder = SCRATCH.get();
        if (holder[0].length < size) {
            holder[0] = new byte[size];
        }
        return holder[0];
    }

    static int nextPowerOfTwo(int x) {
        return x <= 1 ? 1 : Integer.highestOneBit(x - 1) << 1;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
