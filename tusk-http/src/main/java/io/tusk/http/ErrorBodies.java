package io.tusk.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.tusk.core.api.ApiStatus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Builds AIP-193 error bodies in Walrus's exact field order. */
final class ErrorBodies {
    private ErrorBodies() {
    }

    static byte[] aip193(ApiStatus status, String message, String reason, String domain,
                         Map<String, Object> metadata, String traceId) {
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("@type", "ErrorInfo");
        info.put("reason", reason);
        info.put("domain", domain);
        info.put("metadata", metadata);
        List<Object> details;
        if (traceId == null) {
            details = List.of(info);
        } else {
            Map<String, Object> debug = new LinkedHashMap<>();
            debug.put("@type", "DebugInfo");
            debug.put("stackEntries", List.of());
            debug.put("detail", "TraceID: " + traceId);
            details = List.of(info, debug);
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", status.httpStatus());
        error.put("status", status.name());
        error.put("message", message);
        error.put("details", details);
        try {
            return TuskJson.mapper().writeValueAsBytes(Map.of("error", error));
        } catch (JsonProcessingException e) { // metadata a handler supplied that Jackson cannot write
            throw new IllegalStateException("cannot serialize error metadata " + metadata, e);
        }
    }
}
