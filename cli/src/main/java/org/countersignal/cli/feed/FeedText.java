package org.countersignal.cli.feed;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** Feeds as people read them: a table of many, a summary of one. Scripts take {@code --json}. */
final class FeedText {

  private FeedText() {}

  static void table(PrintWriter out, List<JsonNode> feeds) {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ID", "NAME", "BANK", "PEERS", "CREATED"});
    for (JsonNode feed : feeds) {
      String peers = peerNames(feed);
      rows.add(new String[] {feed.path("id").asText(), oneLine(feed.path("name").asText()), oneLine(feed.path("bank_name").asText()),
          peers.isEmpty() ? "-" : peers, time(feed.path("created_at"))});
    }
    printAligned(out, rows);
  }

  /** One feed, a field a line, and a line a peer. */
  static void summary(PrintWriter out, JsonNode feed) {
    out.println("feed " + feed.path("id").asText() + ": " + oneLine(feed.path("name").asText()));
    out.println("  bank     " + oneLine(feed.path("bank_name").asText()) + " (id " + feed.path("bank_id").asText() + ")");
    out.println("  created  " + time(feed.path("created_at")));
    if (feed.path("peers").isEmpty()) {
      out.println("  peers    none (`feed peer-add` adds one)");
      return;
    }
    String label = "  peers    ";
    for (JsonNode peer : feed.path("peers")) {
      out.println(label + oneLine(peer.path("name").asText()) + " (key " + peer.path("key_id").asText() + "), added "
          + time(peer.path("added_at")));
      label = " ".repeat(label.length());
    }
  }

  /** The feed's peers' names, comma-separated; empty when it has none. */
  static String peerNames(JsonNode feed) {
    List<String> names = new ArrayList<>();
    feed.path("peers").forEach(peer -> names.add(oneLine(peer.path("name").asText())));
    return String.join(", ", names);
  }

  private static void printAligned(PrintWriter out, List<String[]> rows) {
    int[] widths = new int[rows.getFirst().length];
    for (String[] row : rows) {
      for (int i = 0; i < row.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < row.length; i++) {
        line.append(row[i]).append(" ".repeat(widths[i] - row[i].length() + 2));
      }
      out.println(line.toString().stripTrailing());
    }
  }

  /** The server's time to the second, still ISO-8601 in UTC. */
  private static String time(JsonNode text) {
    if (!text.isTextual()) {
      return "-";
    }
    try {
      return Instant.parse(text.asText()).truncatedTo(ChronoUnit.SECONDS).toString();
    } catch (DateTimeParseException e) {
      return text.asText();
    }
  }

  // Text from the server on one line, so that it cannot break a table or forge a line of output.
  private static String oneLine(String text) {
    return text == null || text.isBlank() ? "-" : text.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
  }
}
