package io.tusk.node.client;

/**
 * Walrus {@code SymbolId}: the cell {@code (primary, secondary)} of a blob's expanded matrix, written
 * {@code "<primary>-<secondary>"} in queries.
 */
public record SymbolId(int primary, int secondary) implements Comparable<SymbolId> {
    public SymbolId {
        if (primary < 0 || primary > 0xFFFF || secondary < 0 || secondary > 0xFFFF) {
            throw new IllegalArgumentException("symbol ID indices must be u16s, got " + primary + "-" + secondary);
        }
    }

    /**
     * Parses {@code "P-S"} with decimal u16s.
     *
     * @throws IllegalArgumentException if the text is not of that form
     */
    public static SymbolId parse(String text) {
        int dash = text.indexOf('-');
        if (dash <= 0 || dash == text.length() - 1) {
            throw new IllegalArgumentException("symbol ID must be <primary>-<secondary>, got '" + text + "'");
        }
        return new SymbolId(parseU16(text.substring(0, dash)), parseU16(text.substring(dash + 1)));
    }

    private static int parseU16(String digits) {
        if (digits.isEmpty() || digits.length() > 5 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("not a decimal u16: '" + digits + "'");
        }
        int value = Integer.parseInt(digits);
        if (value > 0xFFFF) {
            throw new IllegalArgumentException("not a u16: " + value);
        }
        return value;
    }

    @Override
    public int compareTo(SymbolId o) {
        return primary != o.primary ? Integer.compare(primary, o.primary) : Integer.compare(secondary, o.secondary);
    }

    @Override
    public String toString() {
        return primary + "-" + secondary;
    }
}
