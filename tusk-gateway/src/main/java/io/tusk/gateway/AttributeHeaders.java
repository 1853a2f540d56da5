package io.tusk.gateway;

import io.tusk.http.Response;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A blob object's attribute as response headers, as Walrus's aggregator serves {@code /v1/blobs/by-object-id/{id}}:
 * only keys on the allow-list (Walrus's default, {@link #ALLOWED}) become headers, so an attribute cannot set
 * {@code Set-Cookie}, caching or security headers. A {@code content-type} attribute replaces the response's type,
 * so a page stored with {@code content-type: text/html} opens as a page. Values that are not valid header values
 * (control characters, such as a line break that would split the response) are left out.
 */
final class AttributeHeaders {
    /** Walrus's aggregator default for {@code --allowed-headers}. */
    static final Set<String> ALLOWED = Set.of("content-type", "authorization", "content-disposition",
            "content-encoding", "content-language", "content-location", "link");

    private AttributeHeaders() {
    }

    static Response apply(Response response, Map<String, String> pairs) {
        Response out = response;
        for (Map.Entry<String, String> pair : pairs.entrySet()) {
            String name = pair.getKey().toLowerCase(Locale.ROOT);
            if (!ALLOWED.contains(name) || !validValue(pair.getValue())) {
                continue;
            }
            out = name.equals("content-type") ? out.withContentType(pair.getValue()) : out.header(name, pair.getValue());
        }
        return out;
    }

    /** RFC 9110 field value: visible ASCII, space and tab, and obs-text; no other control characters. */
    private static boolean validValue(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c != '\t' && (c < 0x20 || c == 0x7f || c > 0xff)) {
                return false;
            }
        }
        return true;
    }
}
