package io.tusk.core.api;

/**
 * AIP-193 status strings with the one HTTP code each pairs with. The Rust Walrus client fails to parse an error
 * whose {@code code}/{@code status} pair is not one of these, so servers must never mix them.
 */
public enum ApiStatus {
    OK(200),
    INVALID_ARGUMENT(400),
    FAILED_PRECONDITION(400),
    UNAUTHENTICATED(401),
    PERMISSION_DENIED(403),
    SIZE_EXCEEDED(403),
    NOT_FOUND(404),
    /** A concurrent change won (a compare-and-swap lost): retry on the new state. */
    ABORTED(409),
    ALREADY_EXISTS(409),
    RANGE_NOT_SATISFIABLE(416),
    RESOURCE_EXHAUSTED(429),
    UNAVAILABLE_FOR_LEGAL_REASONS(451),
    INTERNAL(500),
    UNAVAILABLE(503),
    DEADLINE_EXCEEDED(504);

    private final int httpStatus;

    ApiStatus(int httpStatus) {
        this.httpStatus = httpStatus;
    }

    public int httpStatus() {
        return httpStatus;
    }

    /** The status of a status string, or {@code null} when unknown. */
    public static ApiStatus fromName(String name) {
        for (ApiStatus status : values()) {
            if (status.name().equals(name)) {
                return status;
            }
        }
        return null;
    }
}
