package org.countersignal.server.exchange.threatexchange;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.countersignal.server.exchange.FetchDelta;
import org.countersignal.server.exchange.FetchDelta.Update;
import org.countersignal.server.exchange.Opinion;
import org.countersignal.server.exchange.SignalKey;
import org.countersignal.server.exchange.SourceRecord;

/**
 * Reads the entries of {@code /<privacy-group>/threat_updates}: each a ThreatIndicator ({@code id},
 * {@code type}, {@code indicator}) with the time of its last update ({@code last_updated}), whether
 * it was removed from the group ({@code should_delete}), its tags, and the group's
 * ThreatDescriptors of it, which hold the members' opinions.
 *
 * <p>An entry whose descriptors are all out of sight is taken as removed, as python-threatexchange
 * does: ThreatExchange has sent such entries without {@code should_delete} (its issue #834), and a
 * signal no member vouches for any more is not one to bank.
 */
final class ThreatUpdates {

  /** The {@code fields} parameter: what is read here, and no more. */
  static final String FIELDS = "id,indicator,type,last_updated,should_delete,tags,descriptors{id,owner{id},status,reactions}";

  private ThreatUpdates() {}

  /** One entry's time, or -1 when it has none that reads as seconds. */
  static long lastUpdated(JsonNode entry) {
    JsonNode time = entry.path("last_updated");
    if (time.canConvertToLong()) {
      return time.asLong();
    }
    try {
      return time.isTextual() ? Long.parseLong(time.asText().strip()) : -1;
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /**
   * One entry as an update of our signal, or empty when there is nothing to do: a removal of an
   * indicator of a type or form this service never banks.
   */
  static Optional<Update> read(JsonNode entry) {
    String id = entry.path("id").asText("");
    String typeName = entry.path("type").asText("");
    JsonNode value = entry.path("indicator");
    String indicator = value.isMissingNode() || value.isNull() ? null : value.asText();
    boolean removed = entry.path("should_delete").asBoolean(false) || descriptors(entry).isEmpty();
    String note = "ThreatExchange indicator " + (id.isBlank() ? "(no id)" : id) + " (" + typeName + ")";

    Optional<IndicatorType> type = IndicatorType.named(typeName);
    if (type.isEmpty()) {
      return removed ? Optional.empty() : Optional.of(FetchDelta.malformed(typeName, indicator == null ? "" : indicator,
          note + ": '" + typeName + "' is not an indicator type this service banks (" + IndicatorType.banked() + ")"));
    }
    if (indicator == null || indicator.isBlank()) {
      return removed ? Optional.empty() : Optional.of(FetchDelta.malformed(typeName, "", note + ": no indicator"));
    }
    SignalKey key;
    try {
      key = new SignalKey(type.get().ourType(), type.get().toOurs(indicator));
    } catch (IllegalArgumentException e) {
      return removed ? Optional.empty() : Optional.of(FetchDelta.malformed(typeName, indicator, note + ": " + e.getMessage()));
    }
    if (removed) {
      return Optional.of(Update.deleted(key));
    }
    return Optional.of(new Update(key, new SourceRecord(tags(entry), opinion(entry), note, null)));
  }

  private static List<JsonNode> descriptors(JsonNode entry) {
    return list(entry.path("descriptors"));
  }

  /** A Graph API list: an array, or an edge object holding one under {@code data}. */
  private static List<JsonNode> list(JsonNode node) {
    JsonNode array = node.isObject() ? node.path("data") : node;
    List<JsonNode> items = new ArrayList<>();
    if (array.isArray()) {
      array.forEach(items::add);
    }
    return items;
  }

  /** The entry's tags ({@code tags} flattens its descriptors' tags), sorted and without repeats. */
  private static List<String> tags(JsonNode entry) {
    Set<String> tags = new TreeSet<>();
    List<JsonNode> sources = entry.has("tags") ? List.of(entry.path("tags")) : descriptors(entry).stream().map(d -> d.path("tags")).toList();
    for (JsonNode source : sources) {
      for (JsonNode tag : list(source)) {
        // A tag is its name, or a ThreatTag object {id, text}.
        String text = tag.isObject() ? tag.path("text").asText(tag.path("name").asText("")) : tag.asText("");
        if (!text.isBlank()) {
          tags.add(text.strip());
        }
      }
    }
    return List.copyOf(tags);
  }

  /**
   * What the members hold of the indicator, as python-threatexchange reads it: each member's
   * descriptor says it by its status ({@code MALICIOUS} positive, {@code NON_MALICIOUS} negative,
   * anything else worth a look); a member with no descriptor of it may still have reacted
   * ({@code HELPFUL} positive; {@code NON_MALICIOUS} and {@code DISAGREE_WITH_TAGS}, which Meta
   * documents as a non-malicious report, negative). Any negative beside another opinion makes it
   * disputed; otherwise the strongest opinion holds.
   */
  static Opinion opinion(JsonNode entry) {
    Map<String, Opinion> byDescriptorOwner = new HashMap<>();
    Map<String, Set<Opinion>> byReactor = new HashMap<>();
    for (JsonNode descriptor : descriptors(entry)) {
      String owner = descriptor.path("owner").path("id").asText("");
      // A descriptor whose owner is out of sight still counts, as an opinion of its own.
      String member = owner.isBlank() ? "descriptor " + descriptor.path("id").asText("?") : owner;
      byDescriptorOwner.merge(member, statusOpinion(descriptor.path("status").asText("")), ThreatUpdates::together);
      for (JsonNode reaction : list(descriptor.path("reactions"))) {
        Opinion said = reactionOpinion(reaction.path("key").asText(""));
        if (said == null) {
          continue;
        }
        for (String reactor : reaction.path("value").asText("").split(",")) {
          if (!reactor.isBlank()) {
            byReactor.computeIfAbsent(reactor.strip(), r -> EnumSet.noneOf(Opinion.class)).add(said);
          }
        }
      }
    }
    Set<Opinion> all = EnumSet.noneOf(Opinion.class);
    all.addAll(byDescriptorOwner.values());
    byReactor.forEach((reactor, opinions) -> {
      if (!byDescriptorOwner.containsKey(reactor)) {
        all.addAll(opinions);
      }
    });
    return all.stream().reduce(ThreatUpdates::together).orElse(Opinion.INVESTIGATION_SEED);
  }

  private static Opinion statusOpinion(String status) {
    return switch (status) {
      case "MALICIOUS" -> Opinion.POSITIVE_CLASS;
      case "NON_MALICIOUS" -> Opinion.NEGATIVE_CLASS;
      default -> Opinion.INVESTIGATION_SEED;
    };
  }

  private static Opinion reactionOpinion(String reaction) {
    return switch (reaction) {
      case "HELPFUL" -> Opinion.POSITIVE_CLASS;
      case "NON_MALICIOUS", "DISAGREE_WITH_TAGS" -> Opinion.NEGATIVE_CLASS;
      default -> null;
    };
  }

  /** Two opinions of one signal as one (python-threatexchange's aggregation). */
  private static Opinion together(Opinion a, Opinion b) {
    if (a == b) {
      return a;
    }
    if (a == Opinion.DISPUTED || b == Opinion.DISPUTED || a == Opinion.NEGATIVE_CLASS || b == Opinion.NEGATIVE_CLASS) {
      return Opinion.DISPUTED;
    }
    return a == Opinion.POSITIVE_CLASS || b == Opinion.POSITIVE_CLASS ? Opinion.POSITIVE_CLASS : Opinion.INVESTIGATION_SEED;
  }
}
