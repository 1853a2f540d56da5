/**
 * The CLI's logging set-up on Logback: text or JSON lines on stderr, the level of Tusk's loggers, request logs.
 */
package io.tusk.cli.logging;
