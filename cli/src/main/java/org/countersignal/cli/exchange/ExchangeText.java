package org.countersignal.cli.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.countersignal.cli.admin.Table;

/** Exchanges as people read them: a table of many, a summary of one, the kinds, the verdicts of a source. */
final class ExchangeText {

  // A table row stays one screen line; `exchange show` has the whole error.
  private static final int TABLE_ERROR_CHARS = 60;

  private ExchangeText() {}

  static void table(PrintWriter out, List<JsonNode> exchanges) {
    Table table = new Table("ID", "NAME", "KIND", "BANK", "TRUST", "ENABLED", "UP TO DATE", "LAST FETCH", "FETCHED", "MALFORMED",
        "LAST ERROR");
    for (JsonNode exchange : exchanges) {
      JsonNode status = exchange.path("status");
      String error = Table.oneLine(status.path("last_error").asText(null));
      table.add(exchange.path("id").asText(), exchange.path("name").asText(), exchange.path("kind").asText(),
          exchange.path("bank_name").asText(), exchange.path("trust").asText(), yesNo(exchange.path("enabled")),
          yesNo(status.path("up_to_date")), lastFetch(status), status.path("fetched_items").asText(),
          status.path("malformed_items").asText(),
          error.length() > TABLE_ERROR_CHARS ? error.substring(0, TABLE_ERROR_CHARS - 1) + "…" : error);
    }
    table.print(out);
  }

  /** One exchange, a field a line. */
  static void summary(PrintWriter out, JsonNode exchange) {
    JsonNode status = exchange.path("status");
    List<String[]> fields = new ArrayList<>();
    fields.add(field("kind", exchange.path("kind").asText()));
    fields.add(field("config", exchange.path("config").toString()));
    fields.add(field("credentials", exchange.path("credentials_set").isEmpty() ? "none"
        : join(exchange.path("credentials_set")) + " (set; never shown)"));
    fields.add(field("bank", exchange.path("bank_name").asText() + " (id " + exchange.path("bank_id").asText() + "): "
        + count(status.path("bank_entries").asLong(), "entry", "entries") + ", "
        + (exchange.path("entries_enabled").asBoolean() ? "matching" : "switched off (the bank is disabled)")));
    fields.add(field("labels", exchange.path("labels").isEmpty() ? "none" : join(exchange.path("labels"))));
    fields.add(field("label map", labelMap(exchange.path("label_map"))));
    fields.add(field("trust", "trusted".equals(exchange.path("trust").asText())
        ? "trusted: matches act as the rules say" : exchange.path("trust").asText() + ": matches wait for a reviewer"));
    fields.add(field("fetching", exchange.path("enabled").asBoolean()
        ? "enabled, every " + exchange.path("fetch_interval_seconds").asText() + " s; next " + Table.time(status.path("next_fetch_at"))
        : "disabled"));
    fields.add(field("up to date", yesNo(status.path("up_to_date"))));
    fields.add(field("last fetch", lastFetch(status)));
    if (status.hasNonNull("last_error")) {
      fields.add(field("last error", Table.oneLine(status.path("last_error").asText())));
    }
    fields.add(field("fetched", count(status.path("fetched_items").asLong(), "item", "items") + ", "
        + status.path("malformed_items").asText() + " malformed"));
    fields.add(field("checkpoint", status.hasNonNull("checkpoint_ts")
        ? Table.time(status.path("checkpoint_ts")) + " " + status.path("checkpoint") : "none (the next fetch starts from the beginning)"));
    fields.add(field("created", Table.time(exchange.path("created_at")) + ", updated " + Table.time(exchange.path("updated_at"))));
    out.println("exchange " + exchange.path("id").asText() + ": " + Table.oneLine(exchange.path("name").asText()));
    int width = fields.stream().mapToInt(f -> f[0].length()).max().orElse(0);
    for (String[] f : fields) {
      out.println("  " + f[0] + " ".repeat(width - f[0].length() + 2) + f[1]);
    }
  }

  static void kinds(PrintWriter out, List<JsonNode> kinds) {
    Table table = new Table("KIND", "CREDENTIALS", "OPINIONS", "VERIFIES", "DESCRIPTION");
    for (JsonNode kind : kinds) {
      table.add(kind.path("name").asText(), kind.path("credential_names").isEmpty() ? "none" : join(kind.path("credential_names")),
          yesNo(kind.path("takes_opinions")), yesNo(kind.path("verifies")), kind.path("description").asText());
    }
    table.print(out);
  }

  static void verdicts(PrintWriter out, List<JsonNode> verdicts) {
    Table table = new Table("TYPE", "SIGNAL", "VERIFIED", "DETAIL");
    for (JsonNode verdict : verdicts) {
      table.add(verdict.path("signal").path("type").asText(), verdict.path("signal").path("signal").asText(),
          yesNo(verdict.path("verified")), verdict.path("detail").asText(null));
    }
    table.print(out);
  }

  /** How the last fetch went, or that one runs now. */
  static String lastFetch(JsonNode status) {
    if (status.hasNonNull("running_fetch_start_ts")) {
      return "running since " + Table.time(status.path("running_fetch_start_ts"))
          + (status.path("full_fetch_running").asBoolean() ? " (from the start)" : "");
    }
    if (!status.hasNonNull("last_fetch_complete_ts")) {
      return "never";
    }
    return Table.time(status.path("last_fetch_complete_ts")) + (status.path("last_fetch_succeeded").asBoolean() ? " ok" : " failed");
  }

  private static String labelMap(JsonNode map) {
    if (map.isEmpty()) {
      return "none (source tags are kept as entity tags)";
    }
    List<String> pairs = new ArrayList<>();
    for (Map.Entry<String, JsonNode> pair : map.properties()) {
      pairs.add(pair.getKey() + " -> " + pair.getValue().asText());
    }
    return Table.oneLine(String.join(", ", pairs));
  }

  private static String join(JsonNode texts) {
    List<String> out = new ArrayList<>();
    texts.forEach(t -> out.add(t.asText()));
    return Table.oneLine(String.join(", ", out));
  }

  private static String count(long n, String one, String many) {
    return n + " " + (n == 1 ? one : many);
  }

  private static String yesNo(JsonNode flag) {
    return flag.asBoolean() ? "yes" : "no";
  }

  private static String[] field(String name, String value) {
    return new String[] {name, value};
  }
}
