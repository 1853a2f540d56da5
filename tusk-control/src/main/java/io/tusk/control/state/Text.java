package io.tusk.control.state;

/** Short texts for refusal messages: a message never carries a whole payload back to its sender. */
final class Text {
    private static final int MAX = 200;

    private Text() {}

    /** The first line of {@code message}, abbreviated; "" for null. */
    static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return abbreviate(newline < 0 ? message : message.substring(0, newline));
    }

    static String abbreviate(String text) {
        return text.length() <= MAX ? text : text.substring(0, MAX - 3) + "...";
    }
}
