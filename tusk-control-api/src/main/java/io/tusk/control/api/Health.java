package io.tusk.control.api;

/** {@code GET /v1/health}: the replica is serving, its epoch, how many commands it applied and events it holds. */
public record Health(String status, int epoch, long appliedCommands, long eventCount) {}
