package io.tusk.core.quilt;

/** The quilt's index has no patch with the requested identifier (Walrus: {@code QUILT_PATCH_NOT_FOUND}). */
public final class QuiltPatchNotFoundException extends QuiltException {
    private final String identifier;

    public QuiltPatchNotFoundException(String quilt, String identifier) {
        super("quilt " + quilt + " has no patch with identifier '" + QuiltIdentifiers.printable(identifier) + "'");
        this.identifier = identifier;
    }

    public String identifier() {
        return identifier;
    }
}
