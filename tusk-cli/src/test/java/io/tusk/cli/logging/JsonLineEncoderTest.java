package io.tusk.cli.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class JsonLineEncoderTest {
    @Test
    void anEventIsOneJsonLineWithItsTraceIdAndError() throws Exception {
        LoggerContext context = new LoggerContext();
        LoggingEvent event = new LoggingEvent("test", context.getLogger("io.tusk.node.StorageNode"), Level.WARN,
                "stored {} slivers\nof \"blob\"", new IllegalStateException("disk full"), new Object[] {3});
        event.setMDCPropertyMap(Map.of("traceId", "4bf92f3577b34da6a3ce929d0e0e4736", "message", "not a field"));
        event.setThreadName("node-handler-1");
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.setContext(context);
        encoder.start();
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        assertThat(line).endsWith("\n");
        assertThat(line.strip()).doesNotContain("\n");
        JsonNode json = new ObjectMapper().readTree(line);
        assertThat(json.path("level").asText()).isEqualTo("WARN");
        assertThat(json.path("logger").asText()).isEqualTo("io.tusk.node.StorageNode");
        assertThat(json.path("thread").asText()).isEqualTo("node-handler-1");
        assertThat(json.path("message").asText()).isEqualTo("stored 3 slivers\nof \"blob\"");
        assertThat(json.path("traceId").asText()).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
        assertThat(json.path("time").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat(json.path("error").path("class").asText()).isEqualTo("java.lang.IllegalStateException");
        assertThat(json.path("error").path("message").asText()).isEqualTo("disk full");
        assertThat(json.path("error").path("stack").asText()).contains("JsonLineEncoderTest");
    }

    @Test
    void withoutAnErrorThereIsNoErrorField() throws Exception {
        LoggerContext context = new LoggerContext();
        LoggingEvent event = new LoggingEvent("test", context.getLogger("x"), Level.INFO, "plain", null, null);
        event.setMDCPropertyMap(Map.of());
        JsonLineEncoder encoder = new JsonLineEncoder();
        encoder.setContext(context);
        encoder.start();
        JsonNode json = new ObjectMapper().readTree(encoder.encode(event));
        assertThat(json.has("error")).isFalse();
        assertThat(json.path("message").asText()).isEqualTo("plain");
    }
}
