package io.tusk.core.encoding;

/** Rebuilding a sliver from verified symbols gave a sliver that does not match the metadata; carries the proof. */
public final class InconsistentEncodingException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient InconsistencyProof proof;

    public InconsistentEncodingException(InconsistencyProof proof) {
        super("rebuilt " + proof.targetType().wireName() + " sliver " + proof.targetIndex()
                + " does not match its hash in the metadata: the blob is inconsistently encoded");
        this.proof = proof;
    }

    public InconsistencyProof proof() {
        return proof;
    }
}
