package org.countersignal.server.rules;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * When a rule fires; every condition is optional and all that are given must hold. The per-hit
 * ones ({@code banks}, {@code labels}, {@code signal_types}, {@code max_distance}) must hold
 * together on one hit; {@code content_types} and {@code min_account_violations} are about the
 * whole input. {@code incident} is kept but not evaluated yet: it names the crisis-response
 * incident a rule was written for, so such rules can be found and retired together later.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Conditions(
    List<Long> banks,
    List<String> labels,
    List<String> signalTypes,
    Integer maxDistance,
    List<String> contentTypes,
    Integer minAccountViolations,
    String incident) {

  public static final Conditions NONE = new Conditions(null, null, null, null, null, null, null);

  /** Whether any condition is about single hits (then a hit must satisfy them all). */
  boolean hasHitConditions() {
    return banks != null || labels != null || signalTypes != null || maxDistance != null;
  }
}
