package io.tusk.http;

/**
 * Handles one route. Runs on a virtual thread and may block. Throw {@link ApiError} for a typed error,
 * {@link HttpRejection} for a plain-text rejection; any other exception is answered 500 and logged.
 */
@FunctionalInterface
public interface RouteHandler {
    Response handle(Request request) throws Exception;
}
