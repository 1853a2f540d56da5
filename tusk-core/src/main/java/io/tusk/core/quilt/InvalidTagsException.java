package io.tusk.core.quilt;

/** A patch's tags cannot be stored: not valid Unicode, or their BCS encoding exceeds 65535 bytes. */
public final class InvalidTagsException extends QuiltException {
    public InvalidTagsException(String message) {
        super(message);
    }
}
