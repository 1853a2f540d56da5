package io.tusk.gateway;

import io.tusk.client.StoreOptions;
import io.tusk.client.StoreResult;
import io.tusk.client.TuskClient;
import io.tusk.core.messages.ObjectId;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A blob object's attribute served as headers by {@code /v1/blobs/by-object-id/{id}} on a real network: a stored
 * {@code content-type} makes a page a page; only allow-listed keys and valid values become headers; changes show
 * on the next read; reads by blob ID carry none.
 */
class AttributeHeadersTest extends GatewayOnClusterTest {
    private TuskClient client;

    @BeforeAll
    void openClient() {
        client = wallet();
    }

    @Test
    void shouldServeAllowListedAttributesAsHeaders() {
        byte[] page = "<html><body>hello</body></html>".getBytes(StandardCharsets.UTF_8);
        StoreResult stored = client.store(page, new StoreOptions(2, true, false));
        ObjectId objectId = ObjectId.parse(((StoreResult.NewlyCreated) stored).blobObject().id());
        HttpResponse<byte[]> plain = http.get("/v1/blobs/by-object-id/" + objectId);
        assertThat(plain.statusCode()).isEqualTo(200);
        assertThat(plain.headers().firstValue("Content-Type").orElse("")).doesNotContain("text/html");

        Map<String, String> pairs = new LinkedHashMap<>();
        pairs.put("Content-Type", "text/html; charset=utf-8");
        pairs.put("content-disposition", "inline; filename=\"index.html\"");
        pairs.put("set-cookie", "session=stolen");        // not on the allow-list
        pairs.put("link", "</a>; rel=preload\r\nX-Injected: 1"); // a value that would split the response
        client.setAttribute(objectId, pairs);

        HttpResponse<byte[]> served = http.get("/v1/blobs/by-object-id/" + objectId);
        assertThat(served.statusCode()).isEqualTo(200);
        assertThat(served.body()).isEqualTo(page);
        assertThat(served.headers().allValues("Content-Type")).isEqualTo(List.of("text/html; charset=utf-8"));
        assertThat(served.headers().firstValue("Content-Disposition")).hasValue("inline; filename=\"index.html\"");
        assertThat(served.headers().firstValue("Set-Cookie")).isEmpty();
        assertThat(served.headers().firstValue("Link")).isEmpty();
        assertThat(served.headers().firstValue("X-Injected")).isEmpty();
        HttpResponse<byte[]> head = http.head("/v1/blobs/by-object-id/" + objectId);
        assertThat(head.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");

        // By blob ID: no attribute (it belongs to the object).
        HttpResponse<byte[]> byBlobId = http.get("/v1/blobs/" + stored.blobId());
        assertThat(byBlobId.headers().firstValue("Content-Disposition")).isEmpty();

        client.removeAttributeFields(objectId, List.of("content-disposition"));
        assertThat(http.get("/v1/blobs/by-object-id/" + objectId).headers().firstValue("Content-Disposition")).isEmpty();
        client.removeAttribute(objectId);
        assertThat(http.get("/v1/blobs/by-object-id/" + objectId).headers().firstValue("Content-Type").orElse(""))
                .doesNotContain("text/html");
    }
}
