package org.countersignal.server.exchange.threatexchange;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.countersignal.server.exchange.ExchangeException;
import org.countersignal.server.exchange.FieldSignals;
import org.countersignal.server.exchange.Opinion;
import org.countersignal.server.exchange.SignalKey;
import org.countersignal.server.signal.UrlType;

/**
 * Our opinions sent back as ThreatExchange reactions on the other members' descriptors of a
 * signal, the way Meta's "React to Existing Data" describes and HMA wrote them back:
 * {@code SAW_THIS_TOO} (seen on our platform), {@code HELPFUL} (it led to harmful content) and
 * {@code NON_MALICIOUS} (reviewed and not harmful; Meta prefers the reaction to uploading a
 * descriptor of our own, which would stay behind if the original were withdrawn).
 *
 * <p>A reaction goes on a descriptor, and a signal is not one: the descriptors are found by the
 * signal's indicator ({@code /threat_descriptors} searched for its exact text and type). Our own
 * descriptors are left alone.
 */
final class Reactions {

  /** More descriptors of one indicator than any group has. */
  private static final int MOST_DESCRIPTORS = 100;

  private Reactions() {}

  /**
   * The reaction that says {@code opinion}.
   *
   * @throws ExchangeException for an opinion no reaction says: the source cannot take it
   */
  static String reaction(Opinion opinion) {
    return switch (opinion) {
      case SAW_THIS_TOO -> "SAW_THIS_TOO";
      case POSITIVE_CLASS -> "HELPFUL";
      case NEGATIVE_CLASS -> "NON_MALICIOUS";
      case INVESTIGATION_SEED, DISPUTED -> throw new ExchangeException("ThreatExchange has no reaction for " + opinion
          + " (it takes SAW_THIS_TOO, POSITIVE_CLASS and NEGATIVE_CLASS)");
    };
  }

  static void report(GraphApi graph, SignalKey signal, Opinion opinion) {
    String reaction = reaction(opinion);
    String indicator = indicator(signal);
    List<String> descriptors = othersDescriptors(graph, signal, indicator);
    if (descriptors.isEmpty()) {
      throw new ExchangeException("reacting " + reaction + ": ThreatExchange shows no other member's descriptor of this "
          + signal.type() + " signal to react to");
    }
    for (String descriptor : descriptors) {
      JsonNode answer = graph.post(descriptor, Map.of("reactions", reaction), "reacting " + reaction + " to descriptor " + descriptor);
      if (!answer.path("success").asBoolean(false)) {
        throw new ExchangeException("reacting " + reaction + " to descriptor " + descriptor + ": ThreatExchange did not confirm it");
      }
    }
  }

  private static List<String> othersDescriptors(GraphApi graph, SignalKey signal, String indicator) {
    List<IndicatorType> types = IndicatorType.writing(signal.type());
    String me = graph.appId();
    List<String> ids = new ArrayList<>();
    for (IndicatorType type : types) {
      Map<String, String> params = new LinkedHashMap<>();
      params.put("text", indicator);
      params.put("strict_text", "true");
      params.put("type", type.name());
      params.put("fields", "id,owner{id}");
      params.put("limit", Integer.toString(MOST_DESCRIPTORS));
      JsonNode found = graph.get("threat_descriptors", params, "finding the descriptors of a " + signal.type() + " signal");
      for (JsonNode descriptor : found.path("data")) {
        String id = descriptor.path("id").asText("");
        String owner = descriptor.path("owner").path("id").asText("");
        // The id becomes a path of the reaction request: digits, as every Graph API id is.
        boolean wellFormed = !id.isEmpty() && id.chars().allMatch(c -> c >= '0' && c <= '9');
        if (wellFormed && !(me != null && me.equals(owner)) && !ids.contains(id)) {
          ids.add(id);
        }
      }
    }
    return ids;
  }

  /** The signal as ThreatExchange's indicator text, as the field writes it. */
  private static String indicator(SignalKey signal) {
    if (IndicatorType.writing(signal.type()).isEmpty()) {
      throw new ExchangeException("ThreatExchange has no indicator a " + signal.type() + " signal can be written as");
    }
    String value = signal.signal().strip();
    if (UrlType.NAME.equals(signal.type())) {
      value = value.startsWith("exact:") ? value.substring("exact:".length()) : value;
      if (value.contains("://")) {
        return value;
      }
    }
    FieldSignals.Field field = FieldSignals.toField(signal.type(), value, false);
    if (field == null) {
      throw new ExchangeException("ThreatExchange has no indicator for the " + signal.type() + " signal '" + signal.signal() + "'");
    }
    return field.signal();
  }
}
