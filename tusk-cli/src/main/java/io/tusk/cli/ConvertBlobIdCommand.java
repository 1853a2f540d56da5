package io.tusk.cli;

import io.tusk.core.metadata.BlobId;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.math.BigInteger;
import java.util.concurrent.Callable;

/**
 * {@code tusk convert-blob-id DECIMAL}: Walrus's command. Sui events and Move code show a blob ID as a {@code u256}
 * in decimal; its 32 little-endian bytes (BCS) are the blob ID, printed in URL-safe base64 as everywhere else.
 * Given a blob ID instead, it prints the decimal (the other way round, for looking a blob up in Sui-shaped output).
 */
@Command(name = "convert-blob-id", mixinStandardHelpOptions = true,
        description = "Convert a blob ID in decimal (a u256, as Sui shows it) to its URL-safe base64 form, or back.")
final class ConvertBlobIdCommand implements Callable<Integer> {
    private static final BigInteger MAX = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "BLOB_ID", description = "A decimal u256, or a base64url blob ID.")
    String value;

    @Override
    public Integer call() {
        spec.commandLine().getOut().println(convert(value.strip()));
        return 0;
    }

    static String convert(String text) {
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit)) {
            BigInteger number = new BigInteger(text);
            if (number.compareTo(MAX) > 0) {
                throw new IllegalArgumentException("'" + text + "' is larger than a u256");
            }
            byte[] bigEndian = number.toByteArray(); // may have a leading sign byte, or fewer than 32 bytes
            byte[] little = new byte[BlobId.LENGTH];
            for (int i = 0; i < BlobId.LENGTH && i < bigEndian.length; i++) {
                little[i] = bigEndian[bigEndian.length - 1 - i];
            }
            return BlobId.of(little).toString();
        }
        BlobId blobId;
        try {
            blobId = BlobId.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is neither a decimal u256 nor a blob ID: " + e.getMessage());
        }
        byte[] little = blobId.bytes();
        byte[] bigEndian = new byte[BlobId.LENGTH];
        for (int i = 0; i < BlobId.LENGTH; i++) {
            bigEndian[i] = little[BlobId.LENGTH - 1 - i];
        }
        return new BigInteger(1, bigEndian).toString();
    }
}
