package io.tusk.gateway.console;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The samples of a Prometheus text exposition ({@code name{label="value",...} number}), read back from a Tusk
 * service's {@code /metrics}: the console and {@code tusk health --detailed} show the same figures as the dashboards,
 * from the same source. Comments, timestamps and malformed lines are skipped.
 */
public final class PrometheusText {
    /** One sample line. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private final List<Sample> samples;

    private PrometheusText(List<Sample> samples) {
        this.samples = samples;
    }

    public static PrometheusText parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            Sample sample = parseLine(line.strip());
            if (sample != null) {
                samples.add(sample);
            }
        }
        return new PrometheusText(List.copyOf(samples));
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The sum of every sample of {@code name} whose labels include {@code labels} (pairs), or NaN if none. */
    public double sum(String name, String... labels) {
        double total = 0;
        boolean found = false;
        for (Sample s : samples) {
            if (s.name().equals(name) && matches(s.labels(), labels)) {
                total += s.value();
                found = true;
            }
        }
        return found ? total : Double.NaN;
    }

    private static boolean matches(Map<String, String> labels, String[] wanted) {
        for (int i = 0; i + 1 < wanted.length; i += 2) {
            if (!wanted[i + 1].equals(labels.get(wanted[i]))) {
                return false;
            }
        }
        return true;
    }

    private static Sample parseLine(String line) {
        if (line.isEmpty() || line.startsWith("#")) {
            return null;
        }
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        String rest;
        if (brace >= 0 && (space < 0 || brace < space)) {
            name = line.substring(0, brace);
            int end = parseLabels(line, brace + 1, labels);
            if (end < 0) {
                return null;
            }
            rest = line.substring(end + 1).strip();
        } else if (space > 0) {
            name = line.substring(0, space);
            rest = line.substring(space + 1).strip();
        } else {
            return null;
        }
        String number = rest.split("\\s+")[0];
        try {
            double value = switch (number) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                case "NaN" -> Double.NaN;
                default -> Double.parseDouble(number);
            };
            return new Sample(name, Map.copyOf(labels), value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** Reads {@code a="x",b="y"} from {@code start}; returns the index of the closing brace, or -1. */
    private static int parseLabels(String line, int start, Map<String, String> labels) {
        int i = start;
        while (i < line.length()) {
            if (line.charAt(i) == '}') {
                return i;
            }
            int eq = line.indexOf('=', i);
            if (eq < 0 || eq + 1 >= line.length() || line.charAt(eq + 1) != '"') {
                return -1;
            }
            String key = line.substring(i, eq).strip();
            StringBuilder value = new StringBuilder();
            int j = eq + 2;
            for (; j < line.length() && line.charAt(j) != '"'; j++) {
                char c = line.charAt(j);
                if (c == '\\' && j + 1 < line.length()) {
                    char next = line.charAt(++j);
                    value.append(next == 'n' ? '\n' : next);
                } else {
                    value.append(c);
                }
            }
            if (j >= line.length()) {
                return -1;
            }
            labels.put(key, value.toString());
            i = j + 1;
            if (i < line.length() && line.charAt(i) == ',') {
                i++;
            }
        }
        return -1;
    }
}
