package io.tusk.control.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tusk.control.api.ControlJson;
import io.tusk.core.messages.ObjectId;

import java.nio.charset.StandardCharsets;

/**
 * A network's chain ID: Blake2b-256 of a domain tag and the genesis as JSON ({@link ControlJson}: record components
 * in order, map entries sorted, so one genesis has one byte form), shown as {@code 0x} + 64 lowercase hex digits.
 * Two networks share a chain ID only if they share their genesis (keys, nodes, time and prices), and then they are
 * the same network.
 */
public final class ChainId {
    private static final byte[] DOMAIN = "tusk/chain".getBytes(StandardCharsets.US_ASCII);

    private ChainId() {}

    public static String of(GenesisConfig genesis) {
        try {
            return ObjectId.derive(DOMAIN, ControlJson.mapper().writeValueAsBytes(genesis)).toString();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a genesis", e);
        }
    }
}
