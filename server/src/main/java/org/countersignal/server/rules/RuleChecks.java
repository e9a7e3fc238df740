package org.countersignal.server.rules;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.countersignal.server.RequestException;
import org.countersignal.server.TextFields;
import org.countersignal.server.bank.LabelTaxonomy;
import org.countersignal.server.bank.SignalCatalog;
import org.jdbi.v3.core.Handle;

/**
 * Checks what a caller gives for a rule and returns it in canonical form (trimmed, lower-case
 * where names are, without duplicates). A condition given as an empty list is refused rather than
 * read as "any": a rule that can never fire is almost certainly a mistake.
 */
final class RuleChecks {

  /** Actions the platform is expected to understand; others are custom names of the same shape. */
  static final Set<String> STANDARD_ACTIONS = Set.of("remove", "review", "label", "suspend_account", "report_to_authorities");
  static final Set<String> CONTENT_TYPES = org.countersignal.server.ContentTypes.ALL;

  private static final Pattern ACTION = Pattern.compile("[a-z][a-z0-9_]{1,63}");
  private static final int MAX_NAME = 200;
  private static final int MAX_DESCRIPTION = 2000;
  /** The statuses an incident whose bank matches can be in (a proposal's bank does not match). */
  private static final List<String> INCIDENT_STATUSES = List.of("active", "monitoring", "closed");
  private static final int MAX_LIST = 100;
  /** Priorities are for ordering; a bound keeps them readable and far from overflow. */
  static final int MAX_PRIORITY = 1_000_000;
  private static final int MAX_VIOLATIONS = 1_000_000;

  private final LabelTaxonomy taxonomy;
  private final SignalCatalog signals;

  RuleChecks(LabelTaxonomy taxonomy, SignalCatalog signals) {
    this.taxonomy = taxonomy;
    this.signals = signals;
  }

  static String name(String name) {
    String stripped = name == null ? "" : name.strip();
    if (stripped.isEmpty() || stripped.length() > MAX_NAME) {
      throw RequestException.invalid("name", "a rule needs a name of 1 to " + MAX_NAME + " characters");
    }
    return TextFields.line(stripped, "name");
  }

  static String description(String description) {
    String stripped = description == null ? "" : description.strip();
    if (stripped.length() > MAX_DESCRIPTION) {
      throw RequestException.invalid("description", "at most " + MAX_DESCRIPTION + " characters");
    }
    return TextFields.paragraphs(stripped, "description");
  }

  static String action(String action) {
    if (action == null || !ACTION.matcher(action).matches()) {
      throw RequestException.invalid("action", "one of " + String.join(", ", new TreeSet<>(STANDARD_ACTIONS))
          + ", or a custom action name of 2 to 64 characters: a-z first, then a-z, 0-9 or _");
    }
    return action;
  }

  static int priority(int priority) {
    if (priority < -MAX_PRIORITY || priority > MAX_PRIORITY) {
      throw RequestException.invalid("priority", "from " + -MAX_PRIORITY + " to " + MAX_PRIORITY + " (higher runs first)");
    }
    return priority;
  }

  /** The conditions in canonical form; bank ids are checked against {@code handle}'s view of the banks. */
  Conditions conditions(Handle handle, Conditions given) {
    if (given == null) {
      return Conditions.NONE;
    }
    Integer maxDistance = given.maxDistance();
    if (maxDistance != null && maxDistance < 0) {
      throw RequestException.invalid("conditions.max_distance", "a distance is 0 or more");
    }
    Integer minViolations = given.minAccountViolations();
    if (minViolations != null && (minViolations < 1 || minViolations > MAX_VIOLATIONS)) {
      throw RequestException.invalid("conditions.min_account_violations", "from 1 to " + MAX_VIOLATIONS
          + " (leave it out for rules that do not depend on the account)");
    }
    return new Conditions(
        banks(handle, given.banks()),
        given.labels() == null ? null : taxonomy.checkLabels(nonEmpty(given.labels(), "conditions.labels"), "conditions.labels"),
        signalTypes(given.signalTypes()),
        maxDistance,
        contentTypes(given.contentTypes()),
        minViolations,
        incident(handle, given.incident()),
        incidentStatuses(given.incident(), given.incidentStatuses()),
        contexts(given.contexts()),
        given.accountAttributes() == null ? null
            : Protected.accountAttributes(nonEmpty(given.accountAttributes(), "conditions.account_attributes"), "conditions.account_attributes"));
  }

  private static List<String> contexts(List<String> given) {
    if (given == null) {
      return null;
    }
    List<String> list = nonEmpty(given, "conditions.contexts");
    Set<String> contexts = new TreeSet<>();
    for (int i = 0; i < list.size(); i++) {
      contexts.add(Protected.context(list.get(i), "conditions.contexts[" + i + "]"));
    }
    return new ArrayList<>(contexts);
  }

  private static List<Long> banks(Handle handle, List<Long> given) {
    if (given == null) {
      return null;
    }
    Set<Long> ids = new LinkedHashSet<>();
    List<Long> list = nonEmpty(given, "conditions.banks");
    for (int i = 0; i < list.size(); i++) {
      Long id = list.get(i);
      String field = "conditions.banks[" + i + "]";
      if (id == null) {
        throw RequestException.invalid(field, "a bank id, not null");
      }
      boolean exists = handle.createQuery("SELECT COUNT(*) FROM banks WHERE id = :id").bind("id", id).mapTo(Integer.class).one() > 0;
      if (!exists) {
        throw RequestException.invalid(field, "there is no bank " + id);
      }
      ids.add(id);
    }
    return new ArrayList<>(ids);
  }

  private List<String> signalTypes(List<String> given) {
    if (given == null) {
      return null;
    }
    List<String> list = nonEmpty(given, "conditions.signal_types");
    Set<String> types = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String type = list.get(i) == null ? null : list.get(i).strip().toLowerCase(Locale.ROOT);
      if (type == null || !signals.knows(type)) {
        throw RequestException.invalid("conditions.signal_types[" + i + "]",
            "unknown signal type '" + list.get(i) + "'; known: " + String.join(", ", signals.names()));
      }
      types.add(type);
    }
    return new ArrayList<>(types);
  }

  private static List<String> contentTypes(List<String> given) {
    if (given == null) {
      return null;
    }
    List<String> list = nonEmpty(given, "conditions.content_types");
    Set<String> types = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      types.add(contentType(list.get(i), "conditions.content_types[" + i + "]"));
    }
    return new ArrayList<>(types);
  }

  /** A content type as submissions give it, lower-case; null stays null. */
  static String contentType(String given, String field) {
    if (given == null) {
      return null;
    }
    // image is taken for photo, as everywhere a content type is given.
    String type = org.countersignal.server.ContentTypes.canonical(given);
    if (!CONTENT_TYPES.contains(type)) {
      throw RequestException.invalid(field, "unknown content type '" + given + "'; one of "
          + String.join(", ", new TreeSet<>(CONTENT_TYPES)) + " (image for photo)");
    }
    return type;
  }

  /** An incident's id (it must exist) or {@code any}. */
  private static String incident(Handle handle, String given) {
    if (given == null) {
      return null;
    }
    String id = given.strip().toLowerCase(Locale.ROOT);
    if (id.equals(Conditions.ANY_INCIDENT)) {
      return id;
    }
    if (!id.matches("[0-9]{1,18}")) {
      throw RequestException.invalid("conditions.incident", "an incident's id, or 'any' for the bank of any incident");
    }
    boolean exists = handle.createQuery("SELECT COUNT(*) FROM incidents WHERE id = :id").bind("id", Long.parseLong(id))
        .mapTo(Integer.class).one() > 0;
    if (!exists) {
      throw RequestException.invalid("conditions.incident", "there is no incident " + id);
    }
    return id;
  }

  private static List<String> incidentStatuses(String incident, List<String> given) {
    if (given == null) {
      return null;
    }
    if (incident == null) {
      throw RequestException.invalid("conditions.incident_statuses", "give conditions.incident too: the incident (or 'any') whose status counts");
    }
    List<String> list = nonEmpty(given, "conditions.incident_statuses");
    Set<String> statuses = new LinkedHashSet<>();
    for (int i = 0; i < list.size(); i++) {
      String status = list.get(i) == null ? "" : list.get(i).strip().toLowerCase(Locale.ROOT);
      if (!INCIDENT_STATUSES.contains(status)) {
        throw RequestException.invalid("conditions.incident_statuses[" + i + "]", "one of " + String.join(", ", INCIDENT_STATUSES));
      }
      statuses.add(status);
    }
    return new ArrayList<>(statuses);
  }

  private static <T> List<T> nonEmpty(List<T> list, String field) {
    if (list.isEmpty()) {
      throw RequestException.invalid(field, "give at least one, or leave the condition out to accept any");
    }
    if (list.size() > MAX_LIST) {
      throw RequestException.invalid(field, "at most " + MAX_LIST + " values");
    }
    return list;
  }
}
