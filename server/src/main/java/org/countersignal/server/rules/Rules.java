package org.countersignal.server.rules;

import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Action rules: stored in the {@code rules} table, evaluated from an in-memory snapshot. */
public final class Rules {

  private final Jdbi jdbi;

  public Rules(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * Rules that fire, highest priority first (ties: lower id first). Each rule fires at most once.
   * No database access on this path: rules come from a cached snapshot.
   */
  public List<Firing> evaluate(RuleInput input, Trigger trigger) {
    return List.of();
  }
}
