package io.tusk.control.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControlUrlsTest {
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shouldReadOneUrlOrAList() throws Exception {
        assertThat(ControlUrls.parse("http://a:1", "x")).containsExactly(URI.create("http://a:1"));
        assertThat(ControlUrls.parse("http://a:1, http://b:2,http://c:3", "x"))
                .containsExactly(URI.create("http://a:1"), URI.create("http://b:2"), URI.create("http://c:3"));
        assertThat(ControlUrls.fromJson(json.readTree("[\"http://a:1\",\"http://b:2\"]"), "x")).hasSize(2);
        assertThat(ControlUrls.fromJson(json.readTree("\"http://a:1\""), "x")).hasSize(1);
        List<URI> urls = ControlUrls.parse("http://a:1,http://b:2", "x");
        assertThat(ControlUrls.parse(ControlUrls.format(urls), "x")).isEqualTo(urls);
    }

    @Test
    void shouldNameWhatIsWrong() throws Exception {
        assertThatThrownBy(() -> ControlUrls.parse("", "client.yaml: controlUrl"))
                .hasMessageContaining("client.yaml: controlUrl is required");
        assertThatThrownBy(() -> ControlUrls.parse("ftp://a:1", "c")).hasMessageContaining("'ftp://a:1'");
        assertThatThrownBy(() -> ControlUrls.parse("http://a:1,http://a:1", "c")).hasMessageContaining("twice");
        assertThatThrownBy(() -> ControlUrls.fromJson(json.readTree("[1]"), "c")).hasMessageContaining("URL string");
        assertThatThrownBy(() -> ControlUrls.fromJson(json.readTree("{}"), "c")).hasMessageContaining("list of URLs");
        assertThatThrownBy(() -> ControlUrls.parse("http://a:1,,http://b:2", "c")).hasMessageContaining("''");
    }
}
