package io.tusk.http;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A path template such as {@code /v1/blobs/{blobId}/slivers/{pairIndex}/{sliverType}}: literal segments and whole
 * segment parameters. Matching is on decoded segments; a parameter matches any non-empty segment.
 */
final class PathTemplate {
    private final String text;
    private final String[] literals; // INV: literals[i] == null iff segment i is a parameter
    private final String[] names;

    PathTemplate(String text) {
        if (!text.startsWith("/")) {
            throw new IllegalArgumentException("path template must start with '/': '" + text + "'");
        }
        this.text = text;
        List<String> segments = split(text);
        literals = new String[segments.size()];
        names = new String[segments.size()];
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < segments.size(); i++) {
            String segment = segments.get(i);
            if (segment.startsWith("{") && segment.endsWith("}") && segment.length() > 2) {
                String name = segment.substring(1, segment.length() - 1);
                if (!seen.add(name)) {
                    throw new IllegalArgumentException("path template '" + text + "' repeats parameter " + name);
                }
                names[i] = name;
            } else if (segment.contains("{") || segment.contains("}") || segment.isEmpty()) {
                throw new IllegalArgumentException("path template '" + text + "' has a bad segment '" + segment + "'");
            } else {
                literals[i] = segment;
            }
        }
    }

    /** Splits "/a/b" into [a, b]; "/" is no segments. A trailing slash yields a final empty segment. */
    static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        if (path.equals("/")) {
            return out;
        }
        int start = 1;
        while (true) {
            int slash = path.indexOf('/', start);
            if (slash < 0) {
                out.add(path.substring(start));
                return out;
            }
            out.add(path.substring(start, slash));
            start = slash + 1;
        }
    }

    /** The parameters if the segments match, else {@code null}. */
    Map<String, String> match(List<String> segments) {
        if (segments.size() != literals.length) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < literals.length; i++) {
            String segment = segments.get(i);
            if (literals[i] != null) {
                if (!literals[i].equals(segment)) {
                    return null;
                }
            } else {
                if (segment.isEmpty()) {
                    return null;
                }
                if (params == null) {
                    params = new LinkedHashMap<>();
                }
                params.put(names[i], segment);
            }
        }
        return params == null ? Map.of() : params;
    }

    /** Orders more specific templates first: at the first differing segment, a literal beats a parameter. */
    static int specificity(PathTemplate a, PathTemplate b) {
        int n = Math.min(a.literals.length, b.literals.length);
        for (int i = 0; i < n; i++) {
            boolean aLiteral = a.literals[i] != null;
            boolean bLiteral = b.literals[i] != null;
            if (aLiteral != bLiteral) {
                return aLiteral ? -1 : 1;
            }
        }
        return 0;
    }

    /** Whether the two templates match exactly the same paths. */
    boolean sameShape(PathTemplate other) {
        if (literals.length != other.literals.length) {
            return false;
        }
        for (int i = 0; i < literals.length; i++) {
            if (literals[i] == null ? other.literals[i] != null : !literals[i].equals(other.literals[i])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
