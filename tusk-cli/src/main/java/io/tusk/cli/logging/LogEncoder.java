package io.tusk.cli.logging;

import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.encoder.EncoderBase;

import java.util.Locale;

/**
 * The CLI's one log encoder: text lines ({@code pattern}) or JSON lines ({@link JsonLineEncoder}) as {@code format}
 * says. One appender with a switchable encoder, rather than one appender per format, because logback reports an
 * appender that is declared but not used on the console, and a client command must print nothing but its answer.
 */
public final class LogEncoder extends EncoderBase<ILoggingEvent> {
    private String format = "text";
    private String pattern = "%msg%n";
    private Encoder<ILoggingEvent> delegate;

    public void setFormat(String format) {
        this.format = format.trim().toLowerCase(Locale.ROOT);
    }

    public void setPattern(String pattern) {
        this.pattern = pattern;
    }

    @Override
    public void start() {
        if (format.equals("json")) {
            delegate = new JsonLineEncoder();
        } else {
            if (!format.equals("text")) {
                addWarn("unknown log format '" + format + "', using text");
            }
            PatternLayoutEncoder text = new PatternLayoutEncoder();
            text.setPattern(pattern);
            delegate = text;
        }
        delegate.setContext(getContext());
        delegate.start();
        super.start();
    }

    @Override
    public void stop() {
        if (delegate != null) {
            delegate.stop();
        }
        super.stop();
    }

    @Override
    public byte[] headerBytes() {
        return delegate.headerBytes();
    }

    @Override
    public byte[] encode(ILoggingEvent event) {
        return delegate.encode(event);
    }

    @Override
    public byte[] footerBytes() {
        return delegate.footerBytes();
    }
}
