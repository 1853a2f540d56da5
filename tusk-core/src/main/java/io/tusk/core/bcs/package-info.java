/**
 * Strict BCS (Binary Canonical Serialization) primitives: {@link io.tusk.core.bcs.BcsWriter} and
 * {@link io.tusk.core.bcs.BcsReader}, which rejects non-canonical, truncated and trailing input with a
 * {@link io.tusk.core.bcs.BcsException} carrying offsets and numbers.
 */
package io.tusk.core.bcs;
