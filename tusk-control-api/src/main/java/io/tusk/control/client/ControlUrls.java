package io.tusk.control.client;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code controlUrl} of a configuration file: one control-plane replica URL, or a list of them (a YAML sequence,
 * or one string of URLs separated by commas). Every client of the control plane takes such a list and follows the
 * leader among them ({@link ControlClient}).
 */
public final class ControlUrls {
    private ControlUrls() {
    }

    /**
     * Parses {@code text}: a URL, or URLs separated by commas (spaces allowed around them).
     *
     * @param what names the setting in error messages ({@code "client.yaml: controlUrl"})
     * @throws IllegalArgumentException naming the value at fault
     */
    public static List<URI> parse(String text, String what) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(what + " is required: a control-plane URL or a list of them");
        }
        List<URI> urls = new ArrayList<>();
        for (String part : text.split(",")) {
            urls.add(url(part.strip(), what));
        }
        return check(urls, what);
    }

    /** A YAML/JSON value: a string ({@link #parse}) or a sequence of URL strings. */
    public static List<URI> fromJson(JsonNode node, String what) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            throw new IllegalArgumentException(what + " is required: a control-plane URL or a list of them");
        }
        if (node.isTextual()) {
            return parse(node.textValue(), what);
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException(what + " must be a URL or a list of URLs, got " + node);
        }
        List<URI> urls = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException(what + ": every entry must be a URL string, got " + item);
            }
            urls.add(url(item.textValue().strip(), what));
        }
        return check(urls, what);
    }

    /** The text form {@link #parse} reads back: the URLs joined by commas. */
    public static String format(List<URI> urls) {
        return String.join(",", urls.stream().map(URI::toString).toList());
    }

    private static URI url(String text, String what) {
        URI url;
        try {
            url = URI.create(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not a URL", e);
        }
        if (!("http".equals(url.getScheme()) || "https".equals(url.getScheme())) || url.getHost() == null) {
            throw new IllegalArgumentException(what + ": '" + text + "' is not an http(s)://host:port URL");
        }
        return url;
    }

    private static List<URI> check(List<URI> urls, String what) {
        if (urls.isEmpty()) {
            throw new IllegalArgumentException(what + " lists no URL");
        }
        if (urls.size() > ReplicaEndpoints.MAX_ENDPOINTS) {
            throw new IllegalArgumentException(what + " lists " + urls.size() + " URLs, at most "
                    + ReplicaEndpoints.MAX_ENDPOINTS);
        }
        if (urls.stream().distinct().count() != urls.size()) {
            throw new IllegalArgumentException(what + " lists a URL twice: " + urls);
        }
        return List.copyOf(urls);
    }
}
