package io.tusk.core.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorReasonTest {
    @ParameterizedTest
    @CsvSource({
        "SHARD_NOT_ASSIGNED, SHARD_NOT_ASSIGNED, 400, FAILED_PRECONDITION",
        "INDEX_OUT_OF_RANGE, INDEX_OUT_OF_RANGE, 400, INVALID_ARGUMENT",
        "NOT_REGISTERED, NOT_REGISTERED, 400, FAILED_PRECONDITION",
        "METADATA_NOT_FOUND, METADATA_NOT_FOUND, 404, NOT_FOUND",
        "MISSING_METADATA, METADATA_NOT_FOUND, 400, FAILED_PRECONDITION",
        "SLIVER_NOT_FOUND, SLIVER_NOT_FOUND, 404, NOT_FOUND",
        "REQUEST_UNAUTHORIZED, REQUEST_UNAUTHORIZED, 403, PERMISSION_DENIED",
        "FORBIDDEN_BLOB, FORBIDDEN_BLOB, 451, UNAVAILABLE_FOR_LEGAL_REASONS",
        "UNAVAILABLE, UNAVAILABLE, 503, UNAVAILABLE",
        "INTERNAL_ERROR, INTERNAL_ERROR, 500, INTERNAL",
        "BAD_NONCE, BAD_NONCE, 400, FAILED_PRECONDITION",
        "INVALID_SIGNATURE, INVALID_SIGNATURE, 400, INVALID_ARGUMENT",
        "NOT_FOUND, NOT_FOUND, 404, NOT_FOUND",
        "TARGET_NOT_FOUND, NOT_FOUND, 400, FAILED_PRECONDITION",
        "BLOB_TOO_LARGE, BLOB_TOO_LARGE, 403, SIZE_EXCEEDED",
        "INVALID_BYTE_RANGE, INVALID_BYTE_RANGE, 416, RANGE_NOT_SATISFIABLE",
        "INSUFFICIENT_CONFIRMATIONS, INSUFFICIENT_CONFIRMATIONS, 504, DEADLINE_EXCEEDED",
        "TOKEN_ALREADY_USED, TOKEN_ALREADY_USED, 401, UNAUTHENTICATED",
        "INVALID_TOKEN_SIGNATURE, INVALID_SIGNATURE, 401, UNAUTHENTICATED",
        "MISSING_TOKEN, MISSING_TOKEN, 401, UNAUTHENTICATED",
        "TIP_REQUIRED, TIP_REQUIRED, 400, FAILED_PRECONDITION",
        "TIP_NOT_FOR_BLOB, TIP_NOT_FOR_BLOB, 400, FAILED_PRECONDITION",
        "TIP_ALREADY_USED, TIP_ALREADY_USED, 409, ALREADY_EXISTS",
    })
    void shouldPairReasonsWithWalrusStatuses(ErrorReason reason, String wire, int code, ApiStatus status) {
        assertThat(reason.reason()).isEqualTo(wire);
        assertThat(reason.httpStatus()).isEqualTo(code);
        assertThat(reason.status()).isEqualTo(status);
        assertThat(ErrorReason.forWire(wire, code)).isEqualTo(reason);
    }

    @Test
    void wireReasonAndCodeShouldIdentifyOneConstant() {
        Set<String> seen = new HashSet<>();
        for (ErrorReason reason : ErrorReason.values()) {
            assertThat(seen.add(reason.reason() + "/" + reason.httpStatus())).as(reason.name()).isTrue();
        }
        assertThat(ErrorReason.forWire("METADATA_NOT_FOUND")).containsExactly(ErrorReason.METADATA_NOT_FOUND,
                ErrorReason.MISSING_METADATA);
        assertThat(ErrorReason.forWire("NO_SUCH_REASON", 400)).isNull();
    }

    @Test
    void statusesShouldHaveTheAip193Codes() {
        assertThat(ApiStatus.FAILED_PRECONDITION.httpStatus()).isEqualTo(400);
        assertThat(ApiStatus.SIZE_EXCEEDED.httpStatus()).isEqualTo(403);
        assertThat(ApiStatus.fromName("DEADLINE_EXCEEDED")).isEqualTo(ApiStatus.DEADLINE_EXCEEDED);
        assertThat(ApiStatus.fromName("TEAPOT")).isNull();
        assertThat(ErrorDomains.NODE).isEqualTo("storage.walrus.space");
        assertThat(ErrorDomains.CONTROL).isEqualTo("control.tusk.dev");
        assertThat(ErrorDomains.GATEWAY).isEqualTo("daemon.walrus.space");
    }
}
