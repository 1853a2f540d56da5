package io.tusk.gateway.auth;

import io.tusk.core.api.ErrorReason;

/**
 * A request refused by the publisher's authentication: answered 401 with the reason (AIP-193, domain
 * {@code auth.publisher.walrus.space}) and a {@code WWW-Authenticate: Bearer} challenge.
 */
public final class JwtRefusal extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ErrorReason reason;

    public JwtRefusal(ErrorReason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public ErrorReason reason() {
        return reason;
    }
}
