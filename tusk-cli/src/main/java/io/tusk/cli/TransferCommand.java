package io.tusk.cli;

import io.tusk.client.TuskClient;
import io.tusk.control.api.Command;
import io.tusk.control.api.Event;
import io.tusk.core.crypto.Address;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code tusk transfer --to ADDRESS --amount N [--memo TEXT | --memo-hex HEX]}: pays from this account's balance
 * (the control plane's {@code transfer} command). Prints the payment's ID {@code SENDER:NONCE}, by which anyone can
 * look it up ({@code GET /v1/accounts/{sender}/commands/{nonce}}), as an upload relay does with a tip.
 */
@picocli.CommandLine.Command(name = "transfer", mixinStandardHelpOptions = true,
        description = "Pay an amount of this account's balance to an address, with an optional short memo.")
final class TransferCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ClientOptions options;
    @Option(names = "--to", required = true, paramLabel = "ADDRESS", description = "The recipient (0x… address).")
    String recipient;
    @Option(names = "--amount", required = true, paramLabel = "N", description = "The amount (at least 1).")
    long amount;
    @Option(names = "--memo", paramLabel = "TEXT", description = "A memo (UTF-8, at most "
            + Command.Transfer.MAX_MEMO_BYTES + " bytes) the recipient can read.")
    String memo;
    @Option(names = "--memo-hex", paramLabel = "HEX", description = "A memo given as hex bytes.")
    String memoHex;

    @Override
    public Integer call() throws java.io.IOException {
        String to;
        try {
            to = Address.parse(recipient).toString();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--to: '" + recipient + "' is not an address: " + e.getMessage(), e);
        }
        if (amount < 1) {
            throw new IllegalArgumentException("--amount must be at least 1, got " + amount);
        }
        if (memo != null && memoHex != null) {
            throw new IllegalArgumentException("give --memo or --memo-hex, not both");
        }
        byte[] memoBytes = memo != null ? memo.getBytes(StandardCharsets.UTF_8) : memoHex != null ? hex(memoHex) : null;
        if (memoBytes != null && memoBytes.length > Command.Transfer.MAX_MEMO_BYTES) {
            throw new IllegalArgumentException("the memo has " + memoBytes.length + " bytes, at most "
                    + Command.Transfer.MAX_MEMO_BYTES + " are allowed");
        }
        Event.Transferred paid;
        try (TuskClient client = options.connect()) {
            paid = client.transfer(to, amount, memoBytes);
        }
        PrintWriter out = spec.commandLine().getOut();
        if (options.json) {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("txId", paid.sender() + ":" + paid.nonce());
            result.put("sender", paid.sender());
            result.put("nonce", paid.nonce());
            result.put("recipient", paid.recipient());
            result.put("amount", paid.amount());
            out.println(ClientOptions.toJson(result));
        } else {
            out.println("paid " + paid.amount() + " to " + paid.recipient() + " (payment " + paid.sender() + ":"
                    + paid.nonce() + ")");
        }
        return 0;
    }

    private static byte[] hex(String text) {
        try {
            return HexFormat.of().parseHex(text.startsWith("0x") ? text.substring(2) : text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--memo-hex: not hex: " + e.getMessage(), e);
        }
    }
}
