/**
 * The error vocabulary shared by Tusk's servers and clients: AIP-193 {@link io.tusk.core.api.ApiStatus} (status
 * string and HTTP code, only the pairs Walrus's client accepts), {@link io.tusk.core.api.ErrorReason} (every
 * reason a node, the control plane or the gateway answers) and the {@link io.tusk.core.api.ErrorDomains}.
 */
package io.tusk.core.api;
