/**
 * Keys and signatures.
 *
 * <ul>
 *   <li>{@link io.tusk.core.crypto.BlsKeyPair}, {@link io.tusk.core.crypto.BlsPublicKey},
 *       {@link io.tusk.core.crypto.BlsSignature}: BLS12-381 "min_pk" as Walrus storage nodes use it (public keys
 *       in G1, 48 bytes compressed; signatures in G2, 96 bytes compressed; DST
 *       {@code BLS_SIG_BLS12381G2_XMD:SHA-256_SSWU_RO_NUL_}), on Bouncy Castle's {@code org.bouncycastle.crypto.bls}.</li>
 *   <li>{@link io.tusk.core.crypto.Ed25519KeyPair}, {@link io.tusk.core.crypto.Ed25519PublicKey}: account keys
 *       (Bouncy Castle's RFC 8032 code, about 20x faster than the JDK's), and Sui-style
 *       {@link io.tusk.core.crypto.Address}es.</li>
 * </ul>
 *
 * <p>All types are immutable and thread-safe. Parsing ({@code fromBytes}, {@code fromBase64}) throws
 * {@link java.lang.IllegalArgumentException} naming what is wrong; {@code verify} never throws and answers
 * {@code false} for anything malformed.
 */
package io.tusk.core.crypto;
