/**
 * Walrus's signed protocol messages, byte for byte: {@link io.tusk.core.messages.Intent},
 * {@link io.tusk.core.messages.ProtocolMessage} ({@code intent | epoch u32 LE | contents}),
 * {@link io.tusk.core.messages.StorageConfirmation} (type 1), {@link io.tusk.core.messages.InvalidBlobIdMessage}
 * (type 2), Tusk's own {@link io.tusk.core.messages.ProofOfPossessionMessage} (type 5),
 * {@link io.tusk.core.messages.SignedMessage} and {@link io.tusk.core.messages.ConfirmationCertificate}.
 *
 * <p>Parsing is strict: a wrong intent, a non-canonical tag, truncated or trailing input throws
 * {@link io.tusk.core.bcs.BcsException} (an {@link java.lang.IllegalArgumentException}) with the offset.
 */
package io.tusk.core.messages;
