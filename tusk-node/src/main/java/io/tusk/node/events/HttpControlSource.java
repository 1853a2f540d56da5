package io.tusk.node.events;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.tusk.control.api.CommitteeInfo;
import io.tusk.control.api.ControlJson;
import io.tusk.control.api.EventPage;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The follower's two queries over the control plane's HTTP API ({@code GET /v1/committee},
 * {@code GET /v1/events}), unwrapping the success envelope. A stopgap until {@code ControlClient} is merged.
 */
public final class HttpControlSource implements ControlSource {
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper mapper = ControlJson.mapper();

    public HttpControlSource(URI base) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
    }

    @Override
    public CommitteeInfo committee() throws IOException, InterruptedException {
        return mapper.treeToValue(get("/v1/committee", Duration.ofSeconds(30)), CommitteeInfo.class);
    }

    @Override
    public EventPage events(long from, int limit, long waitMillis) throws IOException, InterruptedException {
        String path = "/v1/events?from=" + from + "&limit=" + limit + "&waitMillis=" + waitMillis;
        return mapper.treeToValue(get(path, Duration.ofMillis(waitMillis + 30_000)), EventPage.class);
    }

    private com.fasterxml.jackson.databind.JsonNode get(String path, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout)
                .header("Accept", "application/json").GET().build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("control plane answered " + response.statusCode() + " to GET " + path + ": "
                    + new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        com.fasterxml.jackson.databind.JsonNode root = mapper.readTree(response.body());
        com.fasterxml.jackson.databind.JsonNode data = root.path("success").path("data");
        if (data.isMissingNode()) {
            throw new IOException("control plane answer to GET " + path + " has no success.data");
        }
        return data;
    }
}
