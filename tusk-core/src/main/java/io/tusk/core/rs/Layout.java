package io.tusk.core.rs;

/**
 * Moves lanes between the shard byte layout of leopard-rs.md section 6 and the engines' work layout (see
 * {@link Engine}). Block j of a stripe holds lanes 32j.. of the stripe: a full block has 32 low bytes then 32 high
 * bytes; the shard's last block may be a tail of t < 64 bytes, t/2 low then t/2 high. Lanes past the tail are left
 * as they are in the work buffer: they are never written back, and lanes never mix.
 */
final class Layout {
    private Layout() {
    }

    /** Copies blocks [block, block + blocks) of {@code shard} into the position at {@code off}. */
    static void load(byte[] shard, int length, int block, int blocks, byte[] buf, int off, int unit) {
        for (int j = 0; j < blocks; j++) {
            int ext = (block + j) << 6;
            int half = Math.min(32, (length - ext) >>> 1);
            int lane = j << 5;
            int base = off + (lane / unit) * 2 * unit + lane % unit;
            System.arraycopy(shard, ext, buf, base, half);
            System.arraycopy(shard, ext + half, buf, base + unit, half);
        }
    }

    /** Copies the position at {@code off} back into blocks [block, block + blocks) of {@code shard}. */
    static void store(byte[] buf, int off, int unit, byte[] shard, int length, int block, int blocks) {
        for (int j = 0; j < blocks; j++) {
            int ext = (block + j) << 6;
            int half = Math.min(32, (length - ext) >>> 1);
            int lane = j << 5;
            int base = off + (lane / unit) * 2 * unit + lane % unit;
            System.arraycopy(buf, base, shard, ext, half);
            System.arraycopy(buf, base + unit, shard, ext + half, half);
        }
    }
}
