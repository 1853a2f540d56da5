package io.tusk.http;

/**
 * A framework rejection, answered as {@code text/plain} with the given status, never as JSON: a bad path parameter
 * or query (400), an unknown route (404, empty body), a wrong method (405), a body over the limit (413). The Walrus
 * TS client keeps such text as the error message.
 */
public final class HttpRejection extends RuntimeException {
    private final int status;

    public HttpRejection(int status, String text) {
        super(text, null, false, false);
        this.status = status;
    }

    public static HttpRejection badRequest(String text) {
        return new HttpRejection(400, text);
    }

    public int status() {
        return status;
    }

    /** The body text (may be empty). */
    public String text() {
        return getMessage() == null ? "" : getMessage();
    }
}
