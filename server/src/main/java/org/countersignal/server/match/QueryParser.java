package org.countersignal.server.match;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.countersignal.signals.vpdq.VpdqSignal;
import org.countersignal.server.RequestException;
import org.countersignal.server.bank.SignalCatalog;

/**
 * Reads the {@code signals} object of a match request: each signal type maps to one text value
 * or a list of them (e.g. the dihedral variants of one image), each checked by its type; a value
 * of the type matched as a whole ({@code vpdq}: a video's frames, one
 * {@code frame,quality,pdq,seconds} a line) is matched video against video, so it comes back on
 * its own.
 */
public final class QueryParser {

  /** Caps the work one request can ask for. */
  public static final int MAX_VALUES_PER_TYPE = 64;

  private final SignalCatalog catalog;

  public QueryParser(SignalCatalog catalog) {
    this.catalog = catalog;
  }

  /** The signals of a request: hashes to look up, and a query video or null. */
  public record Parsed(List<Matcher.Query> queries, VpdqSignal video) {}

  public Parsed parse(Map<String, JsonNode> signals) {
    if (signals == null || signals.isEmpty()) {
      throw RequestException.invalid("signals", "give at least one signal, e.g. {\"pdq\": \"<64 hex digits>\"}");
    }
    List<Matcher.Query> queries = new ArrayList<>();
    VpdqSignal video = null;
    for (Map.Entry<String, JsonNode> e : signals.entrySet()) {
      String type = e.getKey();
      String field = "signals." + type;
      JsonNode node = e.getValue();
      if (!catalog.type(type, field).matchedByValue()) {
        if (node == null || !node.isTextual()) {
          throw RequestException.invalid(field, "a video's frames as one string, a frame,quality,pdq,seconds line each");
        }
        video = catalog.parseVideo(node.asText(), field);
      } else if (node != null && node.isTextual()) {
        queries.add(new Matcher.Query(type, catalog.canonical(type, node.asText(), field)));
      } else if (node != null && node.isArray()) {
        if (node.isEmpty() || node.size() > MAX_VALUES_PER_TYPE) {
          throw RequestException.invalid(field, "give 1 to " + MAX_VALUES_PER_TYPE + " values");
        }
        for (int i = 0; i < node.size(); i++) {
          JsonNode item = node.get(i);
          String itemField = field + "[" + i + "]";
          if (!item.isTextual()) {
            throw RequestException.invalid(itemField, "a signal is a string");
          }
          queries.add(new Matcher.Query(type, catalog.canonical(type, item.asText(), itemField)));
        }
      } else {
        throw RequestException.invalid(field, "a signal is a string or a list of strings");
      }
    }
    return new Parsed(queries, video);
  }
}
