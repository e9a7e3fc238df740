package org.countersignal.server.transparency;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One figure of a transparency report: what it counts ({@code counts} says the unit: items of
 * content, actions, appeals, orders, reports), its total over the period, the median time to
 * decide where the figure is of decisions, and its breakdowns.
 *
 * @param medianSeconds from receipt to decision, the median over the figure's events; null where it does not apply or nothing was decided
 */
public record Figure(String key, String title, String counts, long total, Long medianSeconds, List<Breakdown> breakdowns) {

  /** The total split one way; {@code note} says when the rows may add up to more than the total (an action with two labels). */
  public record Breakdown(String by, String title, String note, List<Count> rows) {}

  /** @param medianSeconds the median time to decide of this row's events, where the figure has one */
  public record Count(String value, long count, @JsonInclude(JsonInclude.Include.NON_NULL) Long medianSeconds) {

    public Count(String value, long count) {
      this(value, count, null);
    }
  }
}
