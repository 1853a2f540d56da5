package io.tusk.spaces;

import java.util.List;

/**
 * A page of a listing: entries and common prefixes in key order, and where the next page starts ({@code null} when
 * this is the last page).
 */
public record ListPage(List<Entry> entries, List<String> commonPrefixes, String nextStartAfter) {
    public ListPage {
        entries = List.copyOf(entries);
        commonPrefixes = List.copyOf(commonPrefixes);
    }
}
