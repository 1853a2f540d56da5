package io.tusk.s3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The policy document of a browser POST upload (S3's "POST policy"): a base64 JSON object with an {@code expiration}
 * and the {@code conditions} every form field must meet, {@code {"field": "value"}} (exact),
 * {@code ["eq" | "starts-with", "$field", "value"]} and {@code ["content-length-range", min, max]}. Field names are
 * case-insensitive, the document's own keys are not (as in S3). Immutable.
 */
final class PostPolicy {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Fields no condition needs to name: the signature's own, the file, x-ignore-* (S3's list) and x-amz-checksum-*. */
    private static final Set<String> EXEMPT = Set.of("policy", "signature", "awsaccesskeyid", "x-amz-signature", "file");
    /** A policy document larger than this is refused (S3 allows 20 KB of form fields before the file). */
    static final int MAX_BYTES = 64 * 1024;

    private record Condition(String operator, String field, String value) {
        boolean holds(Map<String, String> fields) {
            String actual = fields.getOrDefault(field, "");
            return operator.equals("eq") ? actual.equals(value) : actual.startsWith(value);
        }

        String describe() {
            return "[\"" + operator + "\", \"$" + field + "\", \"" + value + "\"]";
        }
    }

    private final Instant expiration;
    private final List<Condition> conditions;
    private final long minLength;
    private final long maxLength;

    private PostPolicy(Instant expiration, List<Condition> conditions, long minLength, long maxLength) {
        this.expiration = expiration;
        this.conditions = conditions;
        this.minLength = minLength;
        this.maxLength = maxLength;
    }

    /** @throws S3Exception {@code InvalidPolicyDocument} for a document that does not decode or parse */
    static PostPolicy parse(String base64) {
        byte[] json;
        try {
            json = Base64.getMimeDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw invalid("the policy is not base64");
        }
        if (json.length > MAX_BYTES) {
            throw invalid("the policy is larger than " + MAX_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = JSON.readTree(new String(json, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw invalid("the policy is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw invalid("the policy is not a JSON object");
        }
        JsonNode expirationNode = root.get("expiration");
        if (expirationNode == null || !expirationNode.isTextual()) {
            throw invalid("Invalid Policy: Policy missing expiration.");
        }
        Instant expiration;
        try {
            expiration = Instant.parse(expirationNode.asText());
        } catch (DateTimeParseException e) {
            throw invalid("Invalid Policy: Invalid 'expiration' value: '" + expirationNode.asText() + "' (use ISO 8601 "
                    + "in UTC, e.g. 2026-12-07T12:00:00.000Z)");
        }
        JsonNode list = root.get("conditions");
        if (list == null || !list.isArray()) {
            throw invalid("Invalid Policy: Policy missing conditions.");
        }
        List<Condition> conditions = new ArrayList<>();
        long min = 0;
        long max = Long.MAX_VALUE;
        for (JsonNode c : list) {
            if (c.isObject()) {
                if (c.size() != 1) {
                    throw invalid("Invalid Policy: Invalid Simple-Condition: Simple-Conditions must have exactly one "
                            + "property specified.");
                }
                Map.Entry<String, JsonNode> only = c.properties().iterator().next();
                if (!only.getValue().isValueNode()) {
                    throw invalid("Invalid Policy: Invalid Simple-Condition: the value of " + only.getKey()
                            + " must be a string");
                }
                conditions.add(new Condition("eq", only.getKey().toLowerCase(Locale.ROOT), only.getValue().asText()));
            } else if (c.isArray() && c.size() > 0 && c.get(0).isTextual()) {
                String operator = c.get(0).asText().toLowerCase(Locale.ROOT);
                if (operator.equals("content-length-range")) {
                    if (c.size() != 3 || !c.get(1).canConvertToLong() || !c.get(2).canConvertToLong()
                            || c.get(1).asLong() < 0 || c.get(2).asLong() < c.get(1).asLong()) {
                        throw invalid("Invalid Policy: Invalid content-length-range: it takes a minimum and a maximum, "
                                + "0 <= minimum <= maximum");
                    }
                    min = c.get(1).asLong();
                    max = c.get(2).asLong();
                } else if ((operator.equals("eq") || operator.equals("starts-with")) && c.size() == 3
                        && c.get(1).isTextual() && c.get(1).asText().startsWith("$") && c.get(2).isValueNode()) {
                    conditions.add(new Condition(operator, c.get(1).asText().substring(1).toLowerCase(Locale.ROOT),
                            c.get(2).asText()));
                } else {
                    throw invalid("Invalid Policy: Invalid condition " + c);
                }
            } else {
                throw invalid("Invalid Policy: Invalid condition " + c);
            }
        }
        return new PostPolicy(expiration, List.copyOf(conditions), min, max);
    }

    /**
     * Checks the form against the policy: not expired, every condition met, every field named by a condition, the
     * file's length in the content-length-range.
     *
     * @param fields the form's fields by lower-case name, the bucket's included ({@code bucket})
     * @throws S3Exception {@code AccessDenied} (expired, a condition fails, a field no condition names),
     *                     {@code EntityTooLarge} / {@code EntityTooSmall}
     */
    void check(Map<String, String> fields, long fileLength, Instant now) {
        if (now.isAfter(expiration)) {
            throw new S3Exception(S3Error.ACCESS_DENIED, "Invalid according to Policy: Policy expired.");
        }
        Set<String> named = new HashSet<>();
        for (Condition c : conditions) {
            if (!c.holds(fields)) {
                throw new S3Exception(S3Error.ACCESS_DENIED, "Invalid according to Policy: Policy Condition failed: "
                        + c.describe());
            }
            named.add(c.field());
        }
        for (String field : fields.keySet()) {
            // x-amz-checksum-* only makes the upload stricter (the file must match it), so no condition needs to name it
            if (!named.contains(field) && !EXEMPT.contains(field) && !field.startsWith("x-ignore-")
                    && !field.startsWith("x-amz-checksum-")) {
                throw new S3Exception(S3Error.ACCESS_DENIED, "Invalid according to Policy: Extra input fields: " + field);
            }
        }
        if (fileLength > maxLength) {
            throw new S3Exception(S3Error.ENTITY_TOO_LARGE, "Your proposed upload exceeds the maximum allowed size")
                    .field("ProposedSize", Long.toString(fileLength)).field("MaxSizeAllowed", Long.toString(maxLength));
        }
        if (fileLength < minLength) {
            throw new S3Exception(S3Error.ENTITY_TOO_SMALL, "Your proposed upload is smaller than the minimum allowed "
                    + "size").field("ProposedSize", Long.toString(fileLength))
                    .field("MinSizeAllowed", Long.toString(minLength));
        }
    }

    private static S3Exception invalid(String message) {
        return new S3Exception(S3Error.INVALID_POLICY_DOCUMENT, message);
    }
}
