package org.countersignal.cli.feed;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.countersignal.cli.admin.Table;

/** Feeds as people read them: a table of many, a summary of one. Scripts take {@code --json}. */
final class FeedText {

  private FeedText() {}

  static void table(PrintWriter out, List<JsonNode> feeds) {
    Table table = new Table("ID", "NAME", "BANK", "PEERS", "CREATED");
    for (JsonNode feed : feeds) {
      String peers = peerNames(feed);
      table.add(feed.path("id").asText(), feed.path("name").asText(), feed.path("bank_name").asText(),
          peers.isEmpty() ? "-" : peers, Table.time(feed.path("created_at")));
    }
    table.print(out);
  }

  /** One feed, a field a line, and a line a peer. */
  static void summary(PrintWriter out, JsonNode feed) {
    out.println("feed " + feed.path("id").asText() + ": " + Table.oneLine(feed.path("name").asText()));
    out.println("  bank     " + Table.oneLine(feed.path("bank_name").asText()) + " (id " + feed.path("bank_id").asText() + ")");
    if (feed.path("labels").isArray()) {
      List<String> labels = new ArrayList<>();
      feed.path("labels").forEach(label -> labels.add(Table.oneLine(label.asText())));
      out.println("  labels   only entries with " + String.join(" or ", labels));
    }
    out.println("  created  " + Table.time(feed.path("created_at")));
    if (feed.path("peers").isEmpty()) {
      out.println("  peers    none (`feed peer-add` adds one)");
      return;
    }
    String label = "  peers    ";
    for (JsonNode peer : feed.path("peers")) {
      out.println(label + Table.oneLine(peer.path("name").asText()) + " (key " + peer.path("key_id").asText() + "), added "
          + Table.time(peer.path("added_at")));
      label = " ".repeat(label.length());
    }
  }

  /** The feed's peers' names, comma-separated; empty when it has none. */
  static String peerNames(JsonNode feed) {
    List<String> names = new ArrayList<>();
    feed.path("peers").forEach(peer -> names.add(Table.oneLine(peer.path("name").asText())));
    return String.join(", ", names);
  }
}
