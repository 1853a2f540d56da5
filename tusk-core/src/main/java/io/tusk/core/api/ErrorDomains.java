package io.tusk.core.api;

/** The {@code domain} of an AIP-193 {@code ErrorInfo}: which service's reason list a reason belongs to. */
public final class ErrorDomains {
    /** Storage nodes (Walrus's own domain, kept for wire compatibility). */
    public static final String NODE = "storage.walrus.space";
    /** Tusk's control plane, which replaces Sui. */
    public static final String CONTROL = "control.tusk.dev";
    /** Publisher and aggregator (the gateway). */
    public static final String GATEWAY = "daemon.walrus.space";
    /** The publisher's JWT authentication. */
    public static final String AUTH = "auth.publisher.walrus.space";
    /** An internal error that escaped the typed errors of a service. */
    public static final String GLOBAL = "global";

    private ErrorDomains() {
    }
}
