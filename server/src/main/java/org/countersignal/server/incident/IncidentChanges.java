package org.countersignal.server.incident;

import java.util.List;

/**
 * The fields of an incident a request sets. To declare one, {@code name}, {@code kind} and
 * {@code level} are needed; the rest default ({@code started_at}: now, {@code sharing}: amber).
 * To change one, null leaves a field as it is; {@code sharing} and {@code labels} belong to its
 * bank and are set when it is declared.
 */
public record IncidentChanges(
    String name,
    String kind,
    String level,
    String region,
    String description,
    String status,
    String startedAt,
    String sharing,
    List<String> labels) {}
