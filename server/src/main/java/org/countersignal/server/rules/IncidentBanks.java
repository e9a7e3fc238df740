package org.countersignal.server.rules;

/**
 * Which banks belong to incidents, and where each incident stands: what the {@code incident}
 * conditions read. Answered from memory, as rules are evaluated on every match.
 */
public interface IncidentBanks {

  /** No bank belongs to an incident. */
  IncidentBanks NONE = bankId -> null;

  /** The incident whose bank {@code bankId} is, or null. */
  IncidentOf incidentOf(long bankId);

  /** An incident as rules see it: its id and its status ({@code active}, {@code monitoring}, {@code closed}, ...). */
  record IncidentOf(long id, String status) {}
}
