package org.countersignal.server.console;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.countersignal.server.flood.Flood;
import org.countersignal.server.flood.FloodSettings;
import org.countersignal.server.flood.FloodState;

/**
 * What the flood guard's page ({@code floods.jte}) shows: the entries held now, each with the
 * forms that release or disable it, then those decided lately with who decided and why. Bank
 * names and reasons are people's own words; the template escapes them. Times are UTC. The console
 * has no page of its own for an entry, so an entry is named by its id.
 */
final class FloodViews {

  private FloodViews() {}

  /** A decision on a held entry: its form's address, question and button. */
  enum Decision {
    RELEASE(FloodState.RELEASED, "release", "Why release it", "Release", "secondary"),
    DISABLE(FloodState.DISABLED, "disable", "Why disable the entry", "Disable entry", "danger");

    private final FloodState to;
    private final String change;
    private final String question;
    private final String button;
    private final String style;

    Decision(FloodState to, String change, String question, String button, String style) {
      this.to = to;
      this.change = change;
      this.question = question;
      this.button = button;
      this.style = style;
    }

    /** The state the decision leads to. */
    FloodState to() {
      return to;
    }

    /** The last part of the form's address, and the start of its id. */
    String change() {
      return change;
    }

    String question() {
      return question;
    }

    String button() {
      return button;
    }

    /** The button's class: disabling an entry stops it matching, so its button warns. */
    String style() {
      return style;
    }
  }

  /** The decision that was refused (none: null) on flood {@code floodId}, and the reason typed into it. */
  record Entered(Decision decision, long floodId, String reason) {
    static final Entered NONE = new Entered(null, 0, "");

    /** What {@code decision}'s form on flood {@code id} shows: the reason typed into that form only. */
    String reason(Decision inForm, long id) {
      return decision == inForm && floodId == id ? reason : "";
    }
  }

  /**
   * The page.
   *
   * @param guard the paragraph's figures from the guard's settings, in the words of its documentation
   * @param acts whether this viewer may release or disable a held entry
   */
  record Page(Viewer viewer, String message, boolean error, Guard guard, boolean acts, List<Row> held, List<Row> decided,
      Entered entered) {

    /** Whether the held table is as long as the guard lists at once, so more may wait. */
    boolean heldFull() {
      return held.size() >= FloodPages.HELD_LENGTH;
    }
  }

  /** How the guard decides to hold an entry, and how long a released one is left alone. */
  record Guard(long minMatches, String factor, String baseline, String quietAfterRelease) {}

  /**
   * A flood's row: what was held and how far its hits were above its baseline; for a decided one,
   * who decided (null: nobody), when, and the reason's lines.
   */
  record Row(Flood flood, String baseline, String decider, List<String> reason) {}

  static Page page(Viewer viewer, List<Flood> held, List<Flood> decided, Map<Long, String> actors, FloodSettings settings,
      String message, boolean error, Entered entered) {
    Guard guard = new Guard(settings.minMatches(), number(settings.factor()), span(settings.baseline()), span(settings.quietAfterRelease()));
    return new Page(viewer, message, error, guard, FloodPages.ACTORS.contains(viewer.role()), rows(held, actors), rows(decided, actors),
        entered);
  }

  private static List<Row> rows(List<Flood> floods, Map<Long, String> actors) {
    return floods.stream().map(f -> new Row(f, number(f.baseline()),
        f.resolvedBy() == null ? null : actors.getOrDefault(f.resolvedBy(), "key " + f.resolvedBy()),
        f.reason() == null ? List.of() : List.of(f.reason().split("\n", -1)))).toList();
  }

  /** The message once a decision is taken. */
  static String outcome(Flood flood, FloodSettings settings) {
    return FloodState.RELEASED.wireName().equals(flood.state())
        ? "Entry " + flood.entryId() + " released: its hits act again, and it is not held again for "
            + span(settings.quietAfterRelease()) + "."
        : "Entry " + flood.entryId() + " disabled: it no longer matches.";
  }

  /** A count or rate without a trailing {@code .0}: 2.5, 3, 10. */
  private static String number(double value) {
    return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /** A period as the documentation words it: whole days past one day (7 days), else hours (24 hours). */
  private static String span(Duration duration) {
    long hours = duration.toHours();
    if (hours > 24 && hours % 24 == 0) {
      return hours / 24 + " days";
    }
    return hours + (hours == 1 ? " hour" : " hours");
  }
}
