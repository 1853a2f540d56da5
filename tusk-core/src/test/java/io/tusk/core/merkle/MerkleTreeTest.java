package io.tusk.core.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.core.hash.Blake2b256;
import io.tusk.core.hash.Blake2b256Batch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class MerkleTreeTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final long SEED = Long.getLong("tusk.test.seed", 0x7A5C_B1A4_E2B2L);

    /** Leaf i = i as a 4-byte u32 little-endian (the convention of walrus-protocol §15). */
    static List<byte[]> u32Leaves(int m) {
        List<byte[]> leaves = new ArrayList<>(m);
        for (int i = 0; i < m; i++) {
            leaves.add(new byte[] {(byte) i, (byte) (i >>> 8), (byte) (i >>> 16), (byte) (i >>> 24)});
        }
        return leaves;
    }

    static Stream<Blake2b256Batch> allImplementations() {
        return Arrays.stream(Blake2b256Batch.values()).filter(Blake2b256Batch::isAvailable);
    }

    /** Generic Merkle roots, walrus-protocol §15, checked against the Walrus oracle. */
    @ParameterizedTest(name = "m = {0}")
    @CsvSource({
        "1, 569ed9e4a5463896190447e6ffe37c394c4d77ce470aa29ad762e0286b896832",
        "2, c92f42946e74d7036e42ec409ecec0d258ca77efbdd2f759880337eab956bac4",
        "3, fd5001954c5773fef2abf0cbbe00783b57d893759d6e60f1f7a049b7d18fcc5c",
        "4, 138b0d3ce8922cb9872bd6db07640b56fc1fb64e14041c76cd1d030c3a71a779",
        "5, 9ab98a4368478eb45c850613865319930458f9a10e3603509b6caab154ee9502",
        "7, 7c44eb9c8eb4e843198f50aa3d833efdfe1453579ae09414faaea6bb2d1e335f",
        "10, b0d516e344cf1e17d40480fdf9f810cb0086c580c5a1b2b4d7cc122e40d06abc",
        "13, b82c0b3d2ba8a76e57a5530c846fb17daa7020729649cca36d3278cfc68e6656",
        "100, 9c5b8705d438a3020ec8b88772a0657a193a2a2fc753a53304a022596fb356c7",
        "1000, c8b010a717aaaf16ff4541d4807833633d7c22e3c264c8aac61cc462c2c74d7c",
    })
    void shouldMatchWalrusGenericRoots(int m, String rootHex) {
        List<byte[]> leaves = u32Leaves(m);
        MerkleTree tree = MerkleTree.of(leaves);
        assertThat(tree.root().toString())
                .as("Walrus Merkle root for %d leaves: a mismatch breaks blob-ID compatibility", m)
                .isEqualTo(rootHex);
        assertThat(tree.leafCount()).isEqualTo(m);
        byte[] packed = new byte[4 * m];
        for (int i = 0; i < m; i++) {
            System.arraycopy(leaves.get(i), 0, packed, 4 * i, 4);
        }
        allImplementations().forEach(hasher -> assertThat(
                HEX.formatHex(MerkleTree.rootOfEqualLeaves(packed, 0, 4, m, hasher))).as("%s", hasher)
                .isEqualTo(rootHex));
        assertThat(HEX.formatHex(MerkleTree.rootOfEqualLeaves(packed, 0, 4, m))).isEqualTo(rootHex);
    }

    /** The wrong rule (pad the leaves to a power of two with Empty, then hash Empty pairs) gives these roots. */
    @ParameterizedTest(name = "m = {0}")
    @CsvSource({"5, 434b547c", "10, 1e97aaca", "13, dce4f2ff", "100, 52258561", "1000, cfc0ae31"})
    void shouldNotPadToPowerOfTwo(int m, String wrongRootPrefix) {
        List<byte[]> leaves = u32Leaves(m);
        assertThat(HEX.formatHex(powerOfTwoPaddedRoot(leaves))).as("the test's wrong-rule model")
                .startsWith(wrongRootPrefix);
        assertThat(MerkleTree.of(leaves).root().toString()).doesNotStartWith(wrongRootPrefix);
    }

    private static byte[] powerOfTwoPaddedRoot(List<byte[]> leaves) {
        int width = Integer.highestOneBit(leaves.size() - 1) << 1;
        List<byte[]> level = new ArrayList<>();
        for (int i = 0; i < width; i++) {
            level.add(i < leaves.size() ? MerkleTree.leafHash(leaves.get(i), 0, 4) : new byte[32]);
        }
        while (level.size() > 1) {
            List<byte[]> next = new ArrayList<>();
            for (int i = 0; i < level.size(); i += 2) {
                next.add(new Blake2b256().update((byte) 1).update(level.get(i)).update(level.get(i + 1)).digest());
            }
            level = next;
        }
        return level.get(0);
    }

    @Test
    void shouldGiveEmptyRootForNoLeaves() {
        MerkleTree tree = MerkleTree.of(List.of());
        assertThat(tree.root()).isEqualTo(MerkleNode.EMPTY);
        assertThat(tree.leafCount()).isZero();
        assertThat(MerkleTree.rootOfEqualLeaves(new byte[0], 0, 10, 0)).isEqualTo(new byte[32]);
        assertThatThrownBy(() -> tree.proof(0)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void shouldUseLeafHashAsRootOfOneLeaf() {
        byte[] leaf = {1, 2, 3};
        byte[] expected = new Blake2b256().update((byte) 0).update(leaf).digest();
        assertThat(MerkleTree.leafHash(leaf, 0, 3)).isEqualTo(expected);
        MerkleTree tree = MerkleTree.of(List.of(leaf));
        assertThat(tree.root()).isEqualTo(MerkleNode.digest(expected));
        assertThat(tree.proof(0).path()).isEmpty();
        assertThat(tree.proof(0).verify(expected, leaf, 0)).isTrue();
        assertThat(tree.proof(0).verify(expected, leaf, 1)).isFalse();
    }

    @Test
    void shouldPadLeaf999Of1000WithEmptyAtLevels3And4() {
        MerkleProof proof = MerkleTree.of(u32Leaves(1000)).proof(999);
        assertThat(proof.path()).hasSize(10);
        for (int level = 0; level < 10; level++) {
            assertThat(proof.path().get(level).isEmpty()).as("level %d", level).isEqualTo(level == 3 || level == 4);
        }
    }

    @Test
    void shouldBuildSameTreeFromLeafHashes() {
        List<byte[]> leaves = u32Leaves(37);
        List<byte[]> hashes = leaves.stream().map(leaf -> MerkleTree.leafHash(leaf, 0, leaf.length)).toList();
        MerkleTree fromHashes = MerkleTree.ofLeafHashes(hashes);
        MerkleTree fromLeaves = MerkleTree.of(leaves);
        assertThat(fromHashes.root()).isEqualTo(fromLeaves.root());
        assertThat(fromHashes.proof(36)).isEqualTo(fromLeaves.proof(36));
        assertThatThrownBy(() -> MerkleTree.ofLeafHashes(List.of(new byte[32], new byte[31])))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1").hasMessageContaining("31");
    }

    @Test
    void shouldVerifyEveryProofAndRejectTampering() {
        List<Integer> sizes = new ArrayList<>();
        for (int m = 1; m <= 70; m++) {
            sizes.add(m);
        }
        sizes.add(1000);
        for (int m : sizes) {
            List<byte[]> leaves = u32Leaves(m);
            MerkleTree tree = MerkleTree.of(leaves);
            byte[] root = tree.root().bytes();
            int depth = 32 - Integer.numberOfLeadingZeros(m - 1);
            for (int i = 0; i < m; i++) {
                MerkleProof proof = tree.proof(i);
                byte[] leaf = leaves.get(i);
                String at = "m=" + m + " leaf=" + i;
                assertThat(proof.path()).as(at).hasSize(depth);
                assertThat(proof.verify(root, leaf, i)).as(at).isTrue();

                byte[] flippedLeaf = leaf.clone();
                flippedLeaf[i % 4] ^= 0x01;
                assertThat(proof.verify(root, flippedLeaf, i)).as(at + " flipped leaf").isFalse();
                byte[] flippedRoot = root.clone();
                flippedRoot[31] ^= (byte) 0x80;
                assertThat(proof.verify(flippedRoot, leaf, i)).as(at + " wrong root").isFalse();
                if (m > 1) {
                    assertThat(proof.verify(root, leaf, i ^ 1)).as(at + " wrong index").isFalse();
                }
                assertThat(proof.verify(root, leaf, i + (1 << depth))).as(at + " index + 2^depth").isFalse();
                assertThat(proof.verify(root, leaf, -1)).as(at + " negative index").isFalse();
                if (depth > 0) {
                    List<MerkleNode> path = new ArrayList<>(proof.path());
                    int level = i % depth;
                    byte[] node = path.get(level).bytes();
                    node[i % 32] ^= 0x04;
                    path.set(level, MerkleNode.digest(node));
                    assertThat(new MerkleProof(path).verify(root, leaf, i)).as(at + " flipped path node").isFalse();
                    assertThat(new MerkleProof(proof.path().subList(0, depth - 1)).verify(root, leaf, i))
                            .as(at + " truncated path").isFalse();
                }
                List<MerkleNode> extended = new ArrayList<>(proof.path());
                extended.add(MerkleNode.EMPTY);
                assertThat(new MerkleProof(extended).verify(root, leaf, i)).as(at + " extended path").isFalse();
            }
        }
    }

    @Test
    void shouldRejectBadProofIndexWithNumbers() {
        MerkleTree tree = MerkleTree.of(u32Leaves(5));
        assertThatThrownBy(() -> tree.proof(5)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("5");
        assertThatThrownBy(() -> tree.proof(-1)).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessageContaining("-1");
    }

    @Test
    void shouldRejectRootsOfWrongLength() {
        MerkleProof proof = MerkleTree.of(u32Leaves(3)).proof(1);
        assertThatThrownBy(() -> proof.verify(new byte[31], new byte[4], 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("31");
    }

    @Property(tries = 60)
    void rootOfEqualLeavesShouldEqualTreeRoot(@ForAll @IntRange(min = 0, max = 140) int count,
                                              @ForAll @IntRange(min = 0, max = 700) int leafSize,
                                              @ForAll @IntRange(min = 0, max = 9) int offset,
                                              @ForAll long seed) {
        byte[] data = new byte[offset + count * leafSize + 5];
        new Random(seed).nextBytes(data);
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            leaves.add(Arrays.copyOfRange(data, offset + i * leafSize, offset + (i + 1) * leafSize));
        }
        byte[] expected = MerkleTree.of(leaves).root().bytes();
        allImplementations().forEach(hasher -> assertThat(
                MerkleTree.rootOfEqualLeaves(data, offset, leafSize, count, hasher))
                .as("%s count %d leafSize %d seed %d", hasher, count, leafSize, seed).isEqualTo(expected));
    }

    @Test
    void rootOfEqualLeavesShouldRejectBadRanges() {
        assertThatThrownBy(() -> MerkleTree.rootOfEqualLeaves(new byte[100], 1, 10, 10))
                .isInstanceOf(IndexOutOfBoundsException.class).hasMessageContaining("100");
        assertThatThrownBy(() -> MerkleTree.rootOfEqualLeaves(new byte[100], 0, -2, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-2");
    }

    @Test
    void shouldAgreeAcrossImplementationsForLargeTrees() {
        Random random = new Random(SEED);
        for (int[] shape : new int[][] {{1000, 302}, {1000, 2}, {667, 6}, {334, 70}, {999, 129}}) {
            int count = shape[0];
            int leafSize = shape[1];
            byte[] data = new byte[count * leafSize];
            random.nextBytes(data);
            byte[] expected = MerkleTree.rootOfEqualLeaves(data, 0, leafSize, count, Blake2b256Batch.SCALAR);
            List<byte[]> leaves = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                leaves.add(Arrays.copyOfRange(data, i * leafSize, (i + 1) * leafSize));
            }
            assertThat(MerkleTree.of(leaves).root().bytes()).isEqualTo(expected);
            allImplementations().forEach(hasher -> assertThat(
                    MerkleTree.rootOfEqualLeaves(data, 0, leafSize, count, hasher))
                    .as("%s %d x %d seed %d", hasher, count, leafSize, SEED).isEqualTo(expected));
        }
    }

    /** Many trees hashed level by level together give each tree's own root, odd levels padded per tree. */
    @Property(tries = 60)
    void shouldGiveEachTreesRootWhenHashingManyTreesTogether(@ForAll @IntRange(min = 1, max = 40) int trees,
                                                             @ForAll @IntRange(min = 1, max = 130) int leaves) {
        byte[] hashes = new byte[trees * leaves * 32];
        new Random(SEED + 31L * trees + leaves).nextBytes(hashes);
        byte[][] roots = MerkleTree.rootsOfLeafHashes(hashes, trees, leaves);
        assertThat(roots.length).isEqualTo(trees);
        for (int t = 0; t < trees; t++) {
            assertThat(roots[t]).isEqualTo(MerkleTree.rootOfLeafHashes(hashes, t * leaves * 32, leaves));
        }
    }
}
