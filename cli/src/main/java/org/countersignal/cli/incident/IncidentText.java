package org.countersignal.cli.incident;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.countersignal.cli.admin.Table;

/** Incidents as people read them: a table of many, one in full, a timeline. Scripts take {@code --json}. */
final class IncidentText {

  // A table row stays one screen line; `incident show` has the whole name.
  private static final int TABLE_NAME_CHARS = 40;
  // Enough of a hash to tell it from the others on a timeline; --json has it whole.
  private static final int SIGNAL_CHARS = 16;
  private static final int DETAIL_CHARS = 60;

  private IncidentText() {}

  static void table(PrintWriter out, List<JsonNode> incidents) {
    Table table = new Table("ID", "NAME", "KIND", "LEVEL", "STATUS", "REGION", "DECLARED");
    for (JsonNode incident : incidents) {
      table.add(incident.path("id").asText(), cut(Table.oneLine(incident.path("name").asText()), TABLE_NAME_CHARS),
          incident.path("kind").asText(), incident.path("level").asText(), incident.path("status").asText(),
          incident.path("region").asText(null), Table.time(incident.path("declared_at")));
    }
    table.print(out);
  }

  /** One incident, a field a line; its description last, a line a line. */
  static void summary(PrintWriter out, JsonNode incident) {
    List<String[]> fields = new ArrayList<>();
    fields.add(field("kind", incident.path("kind").asText()));
    fields.add(field("level", incident.path("level").asText()));
    fields.add(field("status", incident.path("status").asText()));
    fields.add(field("region", Table.oneLine(incident.path("region").asText(null))));
    fields.add(field("started", Table.time(incident.path("started_at"))));
    fields.add(field("declared", Table.time(incident.path("declared_at"))));
    if (incident.hasNonNull("closed_at")) {
      fields.add(field("closed", Table.time(incident.path("closed_at"))));
    }
    fields.add(field("updated", Table.time(incident.path("updated_at"))));
    fields.add(field("bank", bank(incident)));
    fields.add(field("origin", origin(incident)));
    out.println("incident " + incident.path("id").asText() + ": " + Table.oneLine(incident.path("name").asText()));
    int width = "description".length();
    for (String[] f : fields) {
      out.println("  " + f[0] + " ".repeat(width - f[0].length() + 2) + f[1]);
    }
    String description = incident.path("description").asText("");
    if (description.isBlank()) {
      out.println("  description  -");
      return;
    }
    String label = "  description  ";
    for (String line : description.strip().split("\r?\n", -1)) {
      out.println((label + (line.isBlank() ? "" : Table.oneLine(line))).stripTrailing());
      label = " ".repeat(label.length());
    }
  }

  /** A line an event: its time, its kind, and what it says in words. */
  static void timeline(PrintWriter out, List<JsonNode> events) {
    int width = events.stream().mapToInt(e -> e.path("kind").asText().length()).max().orElse(0);
    for (JsonNode event : events) {
      String kind = event.path("kind").asText();
      out.println(Table.time(event.path("at")) + "  " + kind + " ".repeat(width - kind.length() + 2) + Table.oneLine(words(event)));
    }
  }

  /** What an event says. Kinds this command does not know yet are shown by their detail's fields. */
  static String words(JsonNode event) {
    JsonNode d = event.path("detail");
    String words = switch (event.path("kind").asText()) {
      case "declared" -> "declared at level " + d.path("level").asText() + ", " + d.path("kind").asText() + "; bank "
          + d.path("bank_id").asText() + ", sharing " + d.path("sharing").asText();
      case "level_changed" -> "level " + d.path("from").asText() + " -> " + d.path("to").asText();
      case "status_changed" -> "status " + d.path("from").asText() + " -> " + d.path("to").asText();
      case "closed" -> "closed, was " + d.path("from").asText();
      case "changed" -> "changed " + fields(d, " to ");
      case "entry_added" -> "added " + signal(d) + (d.hasNonNull("origin") ? " from " + d.path("origin").asText() : "");
      case "entry_removed" -> "removed " + signal(d);
      case "first_match" -> "first match here: content " + d.path("content_id").asText() + " (submission "
          + d.path("submission_id").asText() + ")";
      case "first_block" -> "first upload stopped: content " + d.path("content_id").asText() + " (submission "
          + d.path("submission_id").asText() + ")";
      case "variant_found" -> "variant of entry " + d.path("entry_id").asText() + ": " + signal(d) + " at distance "
          + d.path("distance").asText();
      default -> d.isEmpty() ? "" : fields(d, " ");
    };
    List<String> who = new ArrayList<>();
    if (event.hasNonNull("peer")) {
      who.add("peer " + event.path("peer").asText());
    }
    if (event.hasNonNull("actor_key_id")) {
      who.add("by key " + event.path("actor_key_id").asText());
    }
    String by = String.join(", ", who);
    return words.isEmpty() ? by : by.isEmpty() ? words : words + " (" + by + ")";
  }

  private static String signal(JsonNode detail) {
    return detail.path("signal_type").asText() + " " + cut(detail.path("signal").asText(), SIGNAL_CHARS);
  }

  /** Each field of {@code detail} and its value, e.g. name to 'X'; an emptied field as cleared. */
  private static String fields(JsonNode detail, String between) {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> field : detail.properties()) {
      JsonNode value = field.getValue();
      if (value.isNull() || value.isTextual() && value.asText().isBlank()) {
        out.add(field.getKey() + " cleared");
      } else {
        out.add(field.getKey() + between + (value.isTextual() ? "'" + cut(Table.oneLine(value.asText()), DETAIL_CHARS) + "'" : value));
      }
    }
    return String.join(", ", out);
  }

  private static String bank(JsonNode incident) {
    if (!incident.hasNonNull("bank_id")) {
      return "none yet (it gets one when accepted here)";
    }
    List<String> labels = new ArrayList<>();
    incident.path("labels").forEach(label -> labels.add(Table.oneLine(label.asText())));
    return incident.path("bank_id").asText() + ", sharing " + incident.path("sharing").asText() + ", "
        + (labels.isEmpty() ? "no labels" : "labels " + String.join(", ", labels));
  }

  private static String origin(JsonNode incident) {
    if (!incident.hasNonNull("origin")) {
      return "declared here";
    }
    return "shared by " + Table.oneLine(incident.path("origin").asText()) + " (their incident " + incident.path("origin_id").asText()
        + (incident.hasNonNull("via_exchange_id") ? ", through exchange " + incident.path("via_exchange_id").asText() : "") + ")";
  }

  private static String cut(String text, int chars) {
    return text.length() > chars ? text.substring(0, chars) + "…" : text;
  }

  private static String[] field(String name, String value) {
    return new String[] {name, value};
  }
}
