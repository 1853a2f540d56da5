package io.tusk.core.quilt;

/** Two patches of one quilt share an identifier. */
public final class DuplicateIdentifierException extends QuiltException {
    private final String identifier;

    public DuplicateIdentifierException(String identifier) {
        super("duplicate quilt patch identifier '" + QuiltIdentifiers.printable(identifier) + "'");
        this.identifier = identifier;
    }

    public String identifier() {
        return identifier;
    }
}
