package org.countersignal.server.rules;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * When a rule fires; every condition is optional and all that are given must hold. The per-hit
 * ones ({@code banks}, {@code labels}, {@code signal_types}, {@code max_distance}) must hold
 * together on one hit; {@code content_types} and {@code min_account_violations} are about the
 * whole input. {@code incident} (an incident's id, or {@code any}) and {@code incident_statuses}
 * are per-hit too: the hit is in the bank of that incident (of any incident), standing in one of
 * those statuses (any, when not given). {@code contexts} and {@code account_attributes} are about
 * the whole input: the content was posted in one of those {@link Protected} contexts, its account
 * has one of those attributes. (Content with either waits for review whatever a rule says; these
 * let a rule send it to a queue of its own, at its own priority.)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Conditions(
    List<Long> banks,
    List<String> labels,
    List<String> signalTypes,
    Integer maxDistance,
    List<String> contentTypes,
    Integer minAccountViolations,
    String incident,
    List<String> incidentStatuses,
    List<String> contexts,
    List<String> accountAttributes) {

  /** The {@code incident} that any incident's bank satisfies. */
  public static final String ANY_INCIDENT = "any";

  public static final Conditions NONE = new Conditions(null, null, null, null, null, null, null, null);

  /** Conditions on neither context nor account attributes. */
  public Conditions(List<Long> banks, List<String> labels, List<String> signalTypes, Integer maxDistance, List<String> contentTypes,
      Integer minAccountViolations, String incident, List<String> incidentStatuses) {
    this(banks, labels, signalTypes, maxDistance, contentTypes, minAccountViolations, incident, incidentStatuses, null, null);
  }

  /** Whether any condition is about single hits (then a hit must satisfy them all). */
  boolean hasHitConditions() {
    return banks != null || labels != null || signalTypes != null || maxDistance != null || incident != null;
  }
}
