package io.tusk.core.merkle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tusk.core.bcs.BcsException;
import io.tusk.core.bcs.BcsReader;
import io.tusk.core.bcs.BcsWriter;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class MerkleBcsTest {

    private static final HexFormat HEX = HexFormat.of();

    private static byte[] cc32() {
        byte[] b = new byte[32];
        Arrays.fill(b, (byte) 0xcc);
        return b;
    }

    @Test
    void shouldEncodeProofLikeWalrusNodeApiExample() {
        // walrus-node-api §2.9: proof [Digest cc…, Empty] = 02 | 01 cc×32 | 00
        MerkleProof proof = new MerkleProof(List.of(MerkleNode.digest(cc32()), MerkleNode.EMPTY));
        BcsWriter w = new BcsWriter();
        proof.writeBcs(w);
        String expected = "02" + "01" + "cc".repeat(32) + "00";
        assertThat(HEX.formatHex(w.toByteArray())).isEqualTo(expected);

        BcsReader r = new BcsReader(HEX.parseHex(expected));
        MerkleProof read = MerkleProof.readBcs(r);
        r.expectEnd();
        assertThat(read).isEqualTo(proof);
        assertThat(read.path().get(1).isEmpty()).isTrue();
    }

    @Test
    void shouldRoundTripTreeProofs() {
        MerkleTree tree = MerkleTree.of(MerkleTreeTest.u32Leaves(1000));
        for (int i : new int[] {0, 1, 500, 998, 999}) {
            BcsWriter w = new BcsWriter();
            tree.proof(i).writeBcs(w);
            BcsReader r = new BcsReader(w.toByteArray());
            MerkleProof read = MerkleProof.readBcs(r);
            r.expectEnd();
            assertThat(read).isEqualTo(tree.proof(i));
            assertThat(read.verify(tree.root().bytes(), MerkleTreeTest.u32Leaves(1000).get(i), i)).isTrue();
        }
    }

    @Test
    void shouldRejectBadNodesAndPaths() {
        assertThatThrownBy(() -> MerkleNode.readBcs(new BcsReader(new byte[] {2})))
                .isInstanceOf(BcsException.class).hasMessageContaining("MerkleNode").hasMessageContaining("2");
        assertThatThrownBy(() -> MerkleNode.readBcs(new BcsReader(new byte[] {1, 5, 5})))
                .isInstanceOf(BcsException.class).hasMessageContaining("need 32 bytes").hasMessageContaining("have 2");
        byte[] tooLong = new byte[1 + 65];
        tooLong[0] = 65;
        assertThatThrownBy(() -> MerkleProof.readBcs(new BcsReader(tooLong)))
                .isInstanceOf(BcsException.class).hasMessageContaining("65").hasMessageContaining("64");
        assertThatThrownBy(() -> MerkleNode.digest(new byte[33]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("33");
    }

    @Test
    void shouldDistinguishEmptyFromZeroDigest() {
        MerkleNode zeros = MerkleNode.digest(new byte[32]);
        assertThat(zeros).isNotEqualTo(MerkleNode.EMPTY);
        assertThat(zeros.bytes()).isEqualTo(MerkleNode.EMPTY.bytes());
        assertThat(MerkleNode.EMPTY.toString()).isEqualTo("Empty");
        assertThat(MerkleNode.digest(cc32()).toString()).isEqualTo("cc".repeat(32));
        assertThat(MerkleNode.digest(cc32())).isEqualTo(MerkleNode.digest(cc32()))
                .hasSameHashCodeAs(MerkleNode.digest(cc32()));
        byte[] copy = MerkleNode.digest(cc32()).bytes();
        copy[0] = 0;
        assertThat(MerkleNode.digest(cc32()).bytes()[0]).isEqualTo((byte) 0xcc);
    }
}
