package io.tusk.http;

import io.tusk.core.api.ErrorReason;

import java.util.List;
import java.util.stream.Collectors;

/**
 * How a server refuses a path parameter or query it cannot parse. Walrus's storage nodes answer such requests as
 * their framework (axum) does: 400 {@code text/plain}, worded as axum and serde word them; Tusk's JSON services (the
 * control plane, the gateway) answer AIP-193 JSON with one reason instead. Each refusal is worded for its form.
 */
final class ParameterErrors {
    static final ParameterErrors TEXT = new ParameterErrors(null);

    private final ErrorReason reason; // null: 400 text/plain

    private ParameterErrors(ErrorReason reason) {
        this.reason = reason;
    }

    static ParameterErrors json(ErrorReason reason) {
        if (reason.httpStatus() != 400) {
            throw new IllegalArgumentException("parameter errors must answer 400, " + reason + " answers "
                    + reason.httpStatus());
        }
        return new ParameterErrors(reason);
    }

    RuntimeException badPath(String name, String value, String detail) {
        return refuse("Invalid URL: Cannot parse `" + name + "`: " + detail,
                "path parameter " + name + " '" + abbreviate(value) + "' is invalid: " + detail);
    }

    RuntimeException badPathU16(String name, String value) {
        return refuse("Invalid URL: Cannot parse `" + name + "` with value `" + value + "` to a `u16`",
                "path parameter " + name + " must be an integer in [0, 65535], got '" + abbreviate(value) + "'");
    }

    RuntimeException badQuery(String name, String value, String detail) {
        return refuse("Failed to deserialize query string: " + name + ": " + detail,
                "query parameter " + name + " '" + abbreviate(value) + "' is invalid: " + detail);
    }

    RuntimeException badQueryBoolean(String name, String value) {
        return refuse("Failed to deserialize query string: " + name + ": provided string was not `true` or `false`",
                "query parameter " + name + " must be true or false, got '" + abbreviate(value) + "'");
    }

    RuntimeException badQueryInteger(String name, String value) {
        return refuse("Failed to deserialize query string: " + name + ": invalid digit found in string",
                "query parameter " + name + " must be a decimal integer, got '" + abbreviate(value) + "'");
    }

    RuntimeException queryOutOfRange(String name, long value, long min, long max) {
        String range = "must be in [" + min + ", " + max + "], got " + value;
        return refuse("Failed to deserialize query string: " + name + ": " + range,
                "query parameter " + name + " " + range);
    }

    RuntimeException repeatedQuery(String name) {
        return refuse("Failed to deserialize query string: `" + name + "` must appear once",
                "query parameter " + name + " must appear once");
    }

    RuntimeException missingQuery(String name) {
        return refuse("Failed to deserialize query string: missing field `" + name + "`",
                "query parameter " + name + " is required");
    }

    /** serde's wording for a struct that denies unknown fields. */
    RuntimeException unknownQuery(String name, List<String> expected) {
        String quoted = expected.stream().map(field -> "`" + field + "`").collect(Collectors.joining(", "));
        String serde = switch (expected.size()) {
            case 0 -> "there are no fields";
            case 1 -> "expected " + quoted;
            case 2 -> "expected `" + expected.get(0) + "` or `" + expected.get(1) + "`";
            default -> "expected one of " + quoted;
        };
        return refuse("Failed to deserialize query string: unknown field `" + name + "`, " + serde,
                "unknown query parameter '" + abbreviate(name) + "'; expected "
                        + (expected.isEmpty() ? "none" : String.join(", ", expected)));
    }

    private RuntimeException refuse(String text, String json) {
        return reason == null ? HttpRejection.badRequest(text) : new ApiError(reason, json);
    }

    /** Echoed values are cut short: an error message is no place for a 100 KB query. */
    private static String abbreviate(String text) {
        return text.length() <= 200 ? text : text.substring(0, 197) + "...";
    }
}
