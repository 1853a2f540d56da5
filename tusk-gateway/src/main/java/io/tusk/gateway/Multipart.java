package io.tusk.gateway;

import io.tusk.core.api.ErrorReason;
import io.tusk.http.ApiError;
import io.tusk.http.HttpRejection;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Promise;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * {@code multipart/form-data} bodies (RFC 7578) of {@code PUT /v1/quilts}, parsed by Jetty's parser straight from the
 * request stream: parts come back in order with their field name, optional file name and bytes. The route's body
 * limit still holds (a larger body is refused 413 while it streams); anything malformed answers 400
 * {@code MALFORMED_REQUEST}.
 */
final class Multipart {
    /** More fields than any quilt can hold patches (Walrus's limit is 666 at 1000 shards), plus {@code _metadata}. */
    static final int MAX_PARTS = 10_000;

    record Part(String name, String filename, byte[] data) {}

    private Multipart() {}

    /** The boundary of a {@code multipart/form-data} content type, or a 400. */
    static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw malformed("the body must be multipart/form-data (curl -F identifier=@file), got Content-Type "
                    + contentType);
        }
        for (String parameter : contentType.split(";")) {
            String p = parameter.strip();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String value = p.substring("boundary=".length());
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                if (!value.isEmpty() && value.length() <= 200) {
                    return value;
                }
            }
        }
        throw malformed("the multipart/form-data Content-Type has no boundary");
    }

    /**
     * Parses the whole body from {@code body}; every part is kept in memory (a quilt is encoded from all of them).
     *
     * @throws ApiError 400 {@code MALFORMED_REQUEST} for a body that is not multipart/form-data with this boundary
     * @throws HttpRejection 413 if {@code body} refuses to read past the route's limit
     */
    static List<Part> parse(InputStream body, String boundary) {
        MultiPartFormData.Parser parser = new MultiPartFormData.Parser(boundary);
        parser.setMaxParts(MAX_PARTS);
        parser.setMaxMemoryFileSize(Long.MAX_VALUE); // never spill to files: the route's body limit bounds memory
        CompletableFuture<MultiPartFormData.Parts> parsed = new CompletableFuture<>();
        parser.parse(Content.Source.from(body), Promise.Invocable.toPromise(parsed));
        try (MultiPartFormData.Parts parts = parsed.join()) {
            List<Part> out = new ArrayList<>(parts.size());
            for (MultiPart.Part part : parts) {
                if (part.getName() == null) {
                    throw malformed("a multipart part has no Content-Disposition: form-data; name=...");
                }
                CompletableFuture<byte[]> data = new CompletableFuture<>();
                Content.Source.asByteArrayAsync(part.getContentSource(), Integer.MAX_VALUE - 8,
                        Promise.Invocable.toPromise(data));
                out.add(new Part(part.getName(), part.getFileName(), data.join()));
            }
            return out;
        } catch (CompletionException e) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof HttpRejection rejection) {
                    throw rejection;
                }
            }
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw malformed("the multipart/form-data body does not parse: " + cause.getMessage());
        }
    }

    private static ApiError malformed(String message) {
        return new ApiError(ErrorReason.MALFORMED_REQUEST, message);
    }
}
