package io.tusk.core.messages;

import io.tusk.core.bcs.BcsException;
import io.tusk.core.crypto.Address;
import io.tusk.core.crypto.BlsKeyPair;
import io.tusk.core.metadata.BlobId;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** BCS of the protocol messages against the hex examples of walrus-node-api.md section 1 and 2.7/2.11. */
class MessagesTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String BLOB_HEX = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
    private static final BlobId BLOB = BlobId.of(HEX.parseHex(BLOB_HEX));
    private static final ObjectId CD = new ObjectId(HEX.parseHex("cd".repeat(32)));

    @Test
    void shouldEncodeAPermanentConfirmationExactlyAsWalrus() {
        StorageConfirmation confirmation = new StorageConfirmation(21, BLOB, BlobPersistence.PERMANENT);
        byte[] bytes = confirmation.toBcs();

        assertThat(HEX.formatHex(bytes)).isEqualTo("010003" + "15000000" + BLOB_HEX + "00");
        assertThat(bytes).hasSize(40);
        assertThat(Base64.getEncoder().encodeToString(bytes))
                .isEqualTo("AQADFQAAAAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4fAA==");
        assertThat(StorageConfirmation.fromBcs(bytes)).isEqualTo(confirmation);
        assertThat(ProtocolMessage.fromBcs(bytes)).isEqualTo(confirmation);
    }

    @Test
    void shouldEncodeADeletableConfirmationExactlyAsWalrus() {
        StorageConfirmation confirmation = new StorageConfirmation(21, BLOB, BlobPersistence.deletable(CD));
        byte[] bytes = confirmation.toBcs();

        assertThat(HEX.formatHex(bytes)).isEqualTo("010003" + "15000000" + BLOB_HEX + "01" + "cd".repeat(32));
        assertThat(bytes).hasSize(72);
        assertThat(Base64.getEncoder().encodeToString(bytes))
                .startsWith("AQADFQAAAAAB").contains("HR4fAc3Nzc3N");
        assertThat(StorageConfirmation.fromBcs(bytes)).isEqualTo(confirmation);
    }

    @Test
    void shouldEncodeAnInvalidBlobIdMessageExactlyAsWalrus() {
        InvalidBlobIdMessage message = new InvalidBlobIdMessage(21, BLOB);
        byte[] bytes = message.toBcs();

        assertThat(Base64.getEncoder().encodeToString(bytes))
                .isEqualTo("AgADFQAAAAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f");
        assertThat(InvalidBlobIdMessage.fromBcs(bytes)).isEqualTo(message);
        assertThat(ProtocolMessage.fromBcs(bytes)).isEqualTo(message);
    }

    @Test
    void shouldEncodeTheProofOfPossession() {
        BlsKeyPair key = BlsKeyPair.fromSecret(HEX.parseHex("00".repeat(31) + "2a"));
        Address account = Address.parse("0x" + "ab".repeat(32));
        ProofOfPossessionMessage message = new ProofOfPossessionMessage(0, account, key.publicKey());
        byte[] bytes = message.toBcs();

        assertThat(HEX.formatHex(bytes)).isEqualTo("050003" + "00000000" + "ab".repeat(32)
                + HEX.formatHex(key.publicKey().bytes()));
        assertThat(bytes).hasSize(ProofOfPossessionMessage.LENGTH).hasSize(87);
        assertThat(ProofOfPossessionMessage.fromBcs(bytes)).isEqualTo(message);
        SignedMessage signed = message.sign(key);
        assertThat(signed.verify(key.publicKey())).isTrue();
        assertThat(signed.message()).isEqualTo(message);

        byte[] badKey = bytes.clone();
        badKey[40] ^= 1;
        assertThatThrownBy(() -> ProofOfPossessionMessage.fromBcs(badKey)).isInstanceOf(BcsException.class)
                .hasMessageContaining("offset 39");
    }

    @Test
    void shouldParseStrictly() {
        byte[] good = new StorageConfirmation(21, BLOB, BlobPersistence.PERMANENT).toBcs();

        byte[] wrongType = good.clone();
        wrongType[0] = 2;
        assertThatThrownBy(() -> StorageConfirmation.fromBcs(wrongType)).isInstanceOf(BcsException.class)
                .hasMessageContaining("expected intent (1, 0, 3), got (2, 0, 3)");
        byte[] wrongVersion = good.clone();
        wrongVersion[1] = 1;
        assertThatThrownBy(() -> StorageConfirmation.fromBcs(wrongVersion)).isInstanceOf(BcsException.class);
        byte[] wrongApp = good.clone();
        wrongApp[2] = 0;
        assertThatThrownBy(() -> StorageConfirmation.fromBcs(wrongApp)).isInstanceOf(BcsException.class);
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
        assertThatThrownBy(() -> StorageConfirmation.fromBcs(trailing)).isInstanceOf(BcsException.class)
                .hasMessageContaining("trailing");
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
        assertThatThrownBy(() -> StorageConfirmation.fromBcs(truncated)).isInstanceOf(BcsException.class);
        byte[] badTag = good.clone();
        badTag[39] = 2;
        assertThatThrownBy(() -> StorageConfirmation.fromBcs(badTag)).isInstanceOf(BcsException.class)
                .hasMessageContaining("variant 2");
        byte[] invalidAsConfirmation = new InvalidBlobIdMessage(21, BLOB).toBcs();
        assertThatThrownBy(() -> StorageConfirmation.fromBcs(invalidAsConfirmation)).isInstanceOf(BcsException.class);
        assertThatThrownBy(() -> InvalidBlobIdMessage.fromBcs(good)).isInstanceOf(BcsException.class);
        assertThatThrownBy(() -> ProtocolMessage.fromBcs(new byte[] {9, 0, 3, 0, 0, 0, 0}))
                .hasMessageContaining("unknown protocol message intent type 9");
        assertThatThrownBy(() -> ProtocolMessage.fromBcs(new byte[] {1})).isInstanceOf(BcsException.class);
    }

    @Test
    void shouldBoundEpochsToU32() {
        assertThat(new StorageConfirmation(0xFFFF_FFFFL, BLOB, BlobPersistence.PERMANENT).toBcs())
                .startsWith(HEX.parseHex("010003ffffffff"));
        assertThatThrownBy(() -> new InvalidBlobIdMessage(1L << 32, BLOB)).hasMessageContaining("u32");
        assertThatThrownBy(() -> new InvalidBlobIdMessage(-1, BLOB)).hasMessageContaining("u32");
    }

    @Test
    void intentShouldBeWalrusStorageApp() {
        assertThat(Intent.of(Intent.SYNC_SHARD)).isEqualTo(new Intent(3, 0, 3));
        assertThatThrownBy(() -> new Intent(256, 0, 3)).hasMessageContaining("u8");
    }

    @Test
    void objectIdShouldParseAndDerive() {
        assertThat(ObjectId.parse("0xcd" + "cd".repeat(31))).isEqualTo(CD);
        assertThat(ObjectId.parse("0x5").toString()).isEqualTo("0x" + "0".repeat(63) + "5");
        assertThat(CD.toString()).isEqualTo("0x" + "cd".repeat(32));
        ObjectId derived = ObjectId.derive("blob".getBytes(), BLOB.bytes());
        assertThat(derived).isEqualTo(ObjectId.derive("blob".getBytes(), BLOB.bytes()))
                .isNotEqualTo(ObjectId.derive("blob".getBytes()));
        byte[] joined = new byte[36];
        System.arraycopy("blob".getBytes(), 0, joined, 0, 4);
        System.arraycopy(BLOB.bytes(), 0, joined, 4, 32);
        assertThat(derived.bytes()).isEqualTo(io.tusk.core.hash.Blake2b256.hash(joined));
    }
}
