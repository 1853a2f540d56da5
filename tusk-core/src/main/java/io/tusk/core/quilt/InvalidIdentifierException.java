package io.tusk.core.quilt;

/** An identifier breaks Walrus's rules (see {@link QuiltIdentifiers#validate}). */
public final class InvalidIdentifierException extends QuiltException {
    private final String identifier;

    public InvalidIdentifierException(String identifier, String reason) {
        super("invalid quilt patch identifier '" + QuiltIdentifiers.printable(identifier) + "': " + reason);
        this.identifier = identifier;
    }

    public String identifier() {
        return identifier;
    }
}
