package io.tusk.memory;

/**
 * The outcome of remembering one memory.
 *
 * @param id           the memory's id: new, or the existing memory it was merged into
 * @param sequence     the commit sequence that holds it; recall with {@code minSequence} at least this sees it
 * @param deduplicated true if it was an exact or near duplicate of {@code id} and nothing new was stored
 */
public record RememberResult(String id, long sequence, boolean deduplicated) {
}
