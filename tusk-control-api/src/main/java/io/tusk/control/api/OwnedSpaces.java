package io.tusk.control.api;

import java.util.List;
import java.util.Objects;

/** The spaces an account owns, by name. */
public record OwnedSpaces(String owner, List<SpaceHead> spaces) {
    public OwnedSpaces {
        Objects.requireNonNull(owner, "owner");
        spaces = List.copyOf(Objects.requireNonNull(spaces, "spaces"));
    }
}
