package io.tusk.control.api;

import java.net.URI;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A member of the control plane's Raft group: its ID, the address its peers reach its Raft port on, and the URL of its
 * HTTP API (what clients use).
 *
 * @param id          {@code [a-z0-9][a-z0-9-]*}, at most 64 characters ({@code control-1})
 * @param raftAddress {@code host:port} of its Raft (gRPC) listener, as the other replicas reach it
 * @param url         its HTTP API, {@code http://host:port}
 */
public record ReplicaPeer(String id, String raftAddress, URI url) {
    private static final Pattern ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    public ReplicaPeer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(raftAddress, "raftAddress");
        Objects.requireNonNull(url, "url");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("replica ID '" + id + "' must be lower-case letters, digits and dashes"
                    + " (at most 64, starting with a letter or digit)");
        }
        int colon = raftAddress.lastIndexOf(':');
        if (colon <= 0 || !raftAddress.substring(colon + 1).matches("[0-9]{1,5}")
                || Integer.parseInt(raftAddress.substring(colon + 1)) > 65535) {
            throw new IllegalArgumentException("replica " + id + ": raftAddress '" + raftAddress + "' is not host:port");
        }
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null
                || url.getPort() < 0 && url.getRawAuthority() == null) {
            throw new IllegalArgumentException("replica " + id + ": url '" + url + "' is not an http(s)://host:port URL");
        }
    }
}
