package org.countersignal.server.console;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.countersignal.server.auth.Role;
import org.countersignal.server.rules.Conditions;
import org.countersignal.server.rules.Rule;

/**
 * What the rules page ({@code rules.jte}) shows: the rules, highest priority first, and for those
 * who edit them the buttons that switch one on or off or delete it and the form that adds one.
 * Names, descriptions and actions are people's own words; the template escapes them.
 */
final class RuleViews {

  private static final String ACTIONS = "remove, review, label, suspend_account, report_to_authorities, or a name of your own";

  private RuleViews() {}

  /** The page; {@code form} is null for those who only read. */
  record Page(Viewer viewer, String message, boolean error, List<Row> rules, NewRule form) {

    /** Whether this viewer switches rules on and off and deletes them. */
    boolean edits() {
      return form != null;
    }
  }

  /** A rule, and when it fires in words. */
  record Row(Rule rule, String when) {

    /** The change its first button makes: switching it off when on, on when off. */
    Change toggle() {
      return rule.enabled() ? Change.DISABLE : Change.ENABLE;
    }
  }

  /** The form that adds a rule, with what was entered when the last try was refused. */
  record NewRule(Field name, Field description, Field action, boolean reviewFirst, Field priority, List<Field> conditions) {}

  /** A text field: its form name, its label, a hint (empty: none) and its value. */
  record Field(String name, String label, String hint, String value) {}

  /** A change to a rule from its row: the last part of its address, and its button's words. */
  enum Change {
    ENABLE("enable", "Switch on"),
    DISABLE("disable", "Switch off"),
    DELETE("delete", "Delete");

    private final String path;
    private final String button;

    Change(String path, String button) {
      this.path = path;
      this.button = button;
    }

    String path() {
      return path;
    }

    String button() {
      return button;
    }
  }

  /** @param entered the refused form's request, to put back what was typed; null for an empty form */
  static Page page(Viewer viewer, List<Rule> rules, String message, boolean error, Context entered) {
    boolean edits = viewer.role() == Role.ADMIN || viewer.role() == Role.CURATOR;
    List<Row> rows = rules.stream().map(rule -> new Row(rule, describe(rule.conditions()))).toList();
    return new Page(viewer, message, error, rows, edits ? form(entered) : null);
  }

  private static NewRule form(Context entered) {
    return new NewRule(field(entered, "name", "Name", ""), field(entered, "description", "Description", ""),
        field(entered, "action", "Action", ACTIONS), entered != null && "on".equals(entered.formParam("review_first")),
        field(entered, "priority", "Priority", "a whole number; higher runs first"),
        List.of(field(entered, "banks", "Banks", "bank ids, comma-separated"),
            field(entered, "labels", "Labels", "any of these labels, comma-separated"),
            field(entered, "signal_types", "Signal types", "e.g. pdq, md5, vpdq"),
            field(entered, "max_distance", "Largest distance", "a match this close or closer"),
            field(entered, "content_types", "Content types", "photo, video, text, url, file, other"),
            field(entered, "min_account_violations", "Account violations at least", "for account rules, e.g. suspension"),
            field(entered, "incident", "Incident", "an incident's id, or any: hits in incidents' banks"),
            field(entered, "incident_statuses", "Incident statuses", "active, monitoring, closed")));
  }

  private static Field field(Context entered, String name, String label, String hint) {
    return new Field(name, label, hint, entered == null ? "" : Objects.requireNonNullElse(entered.formParam(name), ""));
  }

  /** When a rule fires, in words: every condition it has, or any match. */
  static String describe(Conditions c) {
    List<String> parts = new ArrayList<>();
    if (c == null) {
      return "any match";
    }
    if (c.banks() != null) {
      parts.add("bank " + join(c.banks()));
    }
    if (c.labels() != null) {
      parts.add("label " + join(c.labels()));
    }
    if (c.signalTypes() != null) {
      parts.add("signal " + join(c.signalTypes()));
    }
    if (c.maxDistance() != null) {
      parts.add("distance ≤ " + c.maxDistance());
    }
    if (c.contentTypes() != null) {
      parts.add("content " + join(c.contentTypes()));
    }
    if (c.minAccountViolations() != null) {
      parts.add("account has ≥ " + c.minAccountViolations() + " violations");
    }
    if (c.incident() != null) {
      parts.add((Conditions.ANY_INCIDENT.equals(c.incident()) ? "any incident" : "incident " + c.incident())
          + (c.incidentStatuses() == null ? "" : " while " + String.join(" or ", c.incidentStatuses())));
    }
    return parts.isEmpty() ? "any match" : String.join("; ", parts);
  }

  private static String join(List<?> values) {
    return values.size() == 1 ? values.getFirst().toString() : "any of " + values.stream().map(Object::toString).reduce((a, b) -> a + ", " + b).orElse("");
  }
}
