package io.tusk.core.encoding;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class LaneBatchTest {
    /** The byte positions (low, high) of lane {@code lane} in a symbol of {@code sym} bytes (leopard-rs.md section 6). */
    private static int[] lanePositions(int sym, int lane) {
        int fullBlocks = sym / 64;
        if (lane < fullBlocks * 32) {
            int block = lane / 32 * 64;
            return new int[] {block + lane % 32, block + 32 + lane % 32};
        }
        int tail = sym % 64;
        int i = lane - fullBlocks * 32;
        return new int[] {fullBlocks * 64 + i, fullBlocks * 64 + tail / 2 + i};
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 6, 62, 64, 66, 128, 130, 302, 1000, 65534})
    void shouldPlaceEveryLaneOfEverySymbolInItsSlot(int sym) {
        int count = 5;
        byte[] src = new byte[sym * count];
        new Random(sym).nextBytes(src);
        int slot = LaneBatch.slotLanes(sym);
        assertThat(slot).isGreaterThanOrEqualTo(sym / 2);
        byte[] batch = new byte[LaneBatch.shardBytes((long) slot * count)];
        LaneBatch.pack(src, 0, sym, sym, count, batch, 0);
        for (int k = 0; k < count; k++) {
            for (int lane = 0; lane < sym / 2; lane++) {
                int[] at = lanePositions(sym, lane);
                int batchLane = k * slot + lane;
                assertThat(batch[batchLane / 32 * 64 + batchLane % 32]).isEqualTo(src[k * sym + at[0]]);
                assertThat(batch[batchLane / 32 * 64 + 32 + batchLane % 32]).isEqualTo(src[k * sym + at[1]]);
            }
            for (int lane = sym / 2; lane < slot; lane++) { // slot padding stays zero
                int batchLane = k * slot + lane;
                assertThat(batch[batchLane / 32 * 64 + batchLane % 32]).isZero();
            }
        }
    }

    @Property(tries = 200)
    void shouldRoundTripStridedSymbols(@ForAll @IntRange(min = 1, max = 700) int halfSym, @ForAll @IntRange(min = 1, max = 9) int count,
                                       @ForAll @IntRange(max = 3) int gap, @ForAll @IntRange(max = 40) int firstSlot, @ForAll long seed) {
        int sym = halfSym * 2;
        int stride = sym + gap * 2;
        byte[] src = new byte[stride * count];
        new Random(seed).nextBytes(src);
        int slot = LaneBatch.slotLanes(sym);
        byte[] batch = new byte[LaneBatch.shardBytes((long) slot * (firstSlot + count))];
        LaneBatch.pack(src, 0, stride, sym, count, batch, firstSlot * slot);
        byte[] back = new byte[stride * count];
        LaneBatch.unpack(batch, firstSlot * slot, sym, count, back, 0, stride);
        for (int k = 0; k < count; k++) {
            for (int b = 0; b < sym; b++) {
                assertThat(back[k * stride + b]).isEqualTo(src[k * stride + b]);
            }
        }
    }
}
