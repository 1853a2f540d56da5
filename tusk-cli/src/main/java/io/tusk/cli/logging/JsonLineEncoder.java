package io.tusk.cli.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;

/**
 * One JSON object per log event, on one line: what log shippers (Vector, Fluent Bit, Loki, Elasticsearch) read
 * without a parser of their own.
 * <pre>
 * {"time":"2026-12-07T02:43:16.120Z","level":"INFO","logger":"io.tusk.node.StorageNode","thread":"main",
 *  "message":"storage node started ...","traceId":"4bf9...","error":{"class":"...","message":"...","stack":"..."}}
 * </pre>
 * The MDC entries (the request's {@code traceId}) are top-level fields; {@code error} is present only with an
 * exception. Messages and stack traces are JSON-escaped, so a multi-line message stays on its line.
 */
public final class JsonLineEncoder extends EncoderBase<ILoggingEvent> {
    private static final byte[] NOTHING = new byte[0];
    private final JsonFactory json = new JsonFactory();

    @Override
    public byte[] headerBytes() {
        return NOTHING;
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.ofEpochMilli(event.getTimeStamp()).toString());
            g.writeStringField("level", event.getLevel().toString());
            g.writeStringField("logger", event.getLoggerName());
            g.writeStringField("thread", event.getThreadName());
            g.writeStringField("message", event.getFormattedMessage());
            for (Map.Entry<String, String> entry : event.getMDCPropertyMap().entrySet()) {
                if (!isReserved(entry.getKey())) {
                    g.writeStringField(entry.getKey(), entry.getValue());
                }
            }
            IThrowableProxy error = event.getThrowableProxy();
            if (error != null) {
                g.writeObjectFieldStart("error");
                g.writeStringField("class", error.getClassName());
                g.writeStringField("message", error.getMessage());
                g.writeStringField("stack", ThrowableProxyUtil.asString(error));
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException("a log event cannot be written as JSON", e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    private static boolean isReserved(String key) {
        return switch (key) {
            case "time", "level", "logger", "thread", "message", "error" -> true;
            default -> false;
        };
    }

    @Override
    public byte[] footerBytes() {
        return NOTHING;
    }
}
