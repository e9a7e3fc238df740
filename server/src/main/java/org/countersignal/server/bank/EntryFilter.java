package org.countersignal.server.bank;

/**
 * Which entries a search returns; null fields do not filter.
 *
 * @param bankId entries of this bank only
 * @param label entries carrying this taxonomy label themselves (not through their bank)
 * @param entity entries carrying this entity tag themselves
 * @param enabled only enabled (true) or only disabled (false) entries
 * @param signalType with {@code signal}: entries holding exactly this signal
 * @param signal the signal's text, in any spelling its type accepts
 */
public record EntryFilter(Long bankId, String label, String entity, Boolean enabled, String signalType, String signal) {}
