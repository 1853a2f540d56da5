package io.tusk.gateway;

import io.tusk.core.api.ErrorDomains;
import io.tusk.core.api.ErrorReason;
import io.tusk.http.Response;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AIP-193 error answers built by the gateway itself, for the few errors that need extra headers (a 416 carries
 * {@code Content-Range: bytes *}{@code /size}); everything else is thrown as an {@link io.tusk.http.ApiError}.
 */
final class GatewayErrors {
    private GatewayErrors() {}

    static Response response(ErrorReason reason, String message) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("@type", "ErrorInfo");
        info.put("reason", reason.reason());
        info.put("domain", ErrorDomains.GATEWAY);
        info.put("metadata", Map.of());
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", reason.httpStatus());
        error.put("status", reason.status().name());
        error.put("message", message);
        error.put("details", List.of(info));
        return Response.json(reason.httpStatus(), Map.of("error", error));
    }
}
