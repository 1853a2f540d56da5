package io.tusk.spaces.tree;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.BiPredicate;

/**
 * Walks two trees side by side and reports the keys whose values differ, in key order, without reading subtrees the
 * trees share: when both cursors stand at the start of stored subtrees with the same hash, both skip them. Two versions
 * of a space share every node their commits did not rewrite, so a diff costs about the nodes that changed.
 */
public final class TreeDiff {
    /** One difference: {@code before} or {@code after} is null for an added or removed key. */
    public record Change(byte[] key, Object before, Object after) {
    }

    /** Receives changes; returns false to stop. */
    @FunctionalInterface
    public interface Sink {
        boolean accept(Change change);
    }

    private TreeDiff() {
    }

    /**
     * Reports every key whose value differs between the trees (values compared with {@code same}).
     *
     * @return false if the sink stopped the walk
     */
    public static boolean diff(Node before, NodeSource beforeSource, Node after, NodeSource afterSource,
                               BiPredicate<Object, Object> same, Sink sink) {
        TreeCursor a = rootCursor(before, beforeSource);
        TreeCursor b = rootCursor(after, afterSource);
        while (!a.atEnd() && !b.atEnd()) {
            int la = a.level();
            int lb = b.level();
            if (la > 0 || lb > 0) {
                if (la == lb && sameStoredSubtree(a.child(), b.child())) {
                    a.advance();
                    b.advance();
                } else if (la >= lb) {
                    a.descend();
                    if (lb == la) {
                        b.descend();
                    }
                } else {
                    b.descend();
                }
                continue;
            }
            int c = Keys.ORDER.compare(a.key(), b.key());
            if (c < 0) {
                if (!sink.accept(new Change(a.key(), a.value(), null))) {
                    return false;
                }
                a.advance();
            } else if (c > 0) {
                if (!sink.accept(new Change(b.key(), null, b.value()))) {
                    return false;
                }
                b.advance();
            } else {
                if (!same.test(a.value(), b.value()) && !sink.accept(new Change(a.key(), a.value(), b.value()))) {
                    return false;
                }
                a.advance();
                b.advance();
            }
        }
        while (!a.atEnd()) {
            a.toLeaf();
            if (!sink.accept(new Change(a.key(), a.value(), null))) {
                return false;
            }
            a.advance();
        }
        while (!b.atEnd()) {
            b.toLeaf();
            if (!sink.accept(new Change(b.key(), null, b.value()))) {
                return false;
            }
            b.advance();
        }
        return true;
    }

    /** A cursor at the root's first item, not descended: so that even the root's children can be skipped. */
    private static TreeCursor rootCursor(Node root, NodeSource source) {
        return TreeCursor.unDescended(root, source);
    }

    private static boolean sameStoredSubtree(ChildRef x, ChildRef y) {
        if (x instanceof ChildRef.Stored s && y instanceof ChildRef.Stored t) {
            return Arrays.equals(s.hash(), t.hash());
        }
        return x instanceof ChildRef.Fresh f && y instanceof ChildRef.Fresh g && Objects.equals(f.node(), g.node());
    }
}
