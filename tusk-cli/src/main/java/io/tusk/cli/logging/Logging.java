package io.tusk.cli.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import org.slf4j.LoggerFactory;

import java.net.URL;
import java.util.Locale;

/**
 * The CLI's logging: text or JSON lines on stderr, the level of Tusk's own loggers, and whether every HTTP request
 * a server answers is logged ({@code io.tusk.http.access}). Set through system properties that {@code logback.xml}
 * reads, then applied by reloading it, so it works whether or not a logger was already created.
 */
public final class Logging {
    /** How log events are written. */
    public enum Format {
        TEXT, JSON;

        /** Accepts {@code text} and {@code json} in any case, for picocli. */
        public static Format parse(String value) {
            try {
                return valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--log-format must be text or json, got '" + value + "'");
            }
        }
    }

    static final String FORMAT_PROPERTY = "tusk.log.format";
    static final String LEVEL_PROPERTY = "tusk.log.level";
    static final String ACCESS_PROPERTY = "tusk.access.level";

    private Logging() {
    }

    public static void format(Format format) {
        System.setProperty(FORMAT_PROPERTY, format.name().toLowerCase(Locale.ROOT));
        reload();
    }

    /** Tusk's loggers at INFO (daemons) instead of WARN (client commands, whose output must stay clean). */
    public static void serviceLevel() {
        System.setProperty(LEVEL_PROPERTY, "INFO");
        reload();
    }

    /** One line per answered HTTP request (server, method, path, status, time, bytes, trace ID). */
    public static void accessLog(boolean on) {
        System.setProperty(ACCESS_PROPERTY, on ? "DEBUG" : "OFF");
        reload();
    }

    private static void reload() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return; // another SLF4J binding: its own configuration applies
        }
        URL config = Logging.class.getResource("/logback.xml");
        if (config == null) {
            throw new IllegalStateException("logback.xml is missing from the CLI's jar");
        }
        context.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            throw new IllegalStateException("the logging configuration cannot be applied: " + e.getMessage(), e);
        }
    }
}
