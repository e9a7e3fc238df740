package org.countersignal.server.exchange.tat;

import static org.countersignal.server.exchange.tat.TatClient.SOURCE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.countersignal.server.exchange.ExchangeException;
import org.countersignal.server.exchange.SignalKey;
import org.countersignal.server.exchange.VerifiesSignals.Verdict;
import org.countersignal.server.signal.PdqType;

/**
 * Hash verification: signals go out as {@code {hash_value, hash_type, confidence}} items, at most
 * {@value #BATCH} a request (the most the source takes of cryptographic hashes), and each comes
 * back as the source's result for it. The confidence, how similar a hash of the source must be, is
 * sent for PDQ only: an MD5 or SHA-256 either is the same or is not.
 *
 * <p>The source's documentation stops short of its answer's shape. It is read as a list (bare, or
 * under {@code results}) of items naming the {@code hash_value} and {@code hash_type} they answer,
 * with a boolean {@code verified} and what else the source says of them (its ideology, group,
 * classification, confidence); results are matched to signals by hash, not by position, and a
 * signal the answer leaves out is not verified.
 */
final class TatVerification {

  static final int BATCH = 50;

  private static final List<String> DETAIL_FIELDS = List.of("ideology", "group", "classification", "confidence");

  private TatVerification() {}

  /** The verdict on each signal, in the order given. */
  static List<Verdict> verify(TatClient client, List<SignalKey> signals, double pdqConfidence) {
    List<SignalKey> askable = signals.stream().filter(signal -> TatSignals.tatType(signal.type()) != null).toList();
    Map<String, JsonNode> results = new HashMap<>();
    for (int from = 0; from < askable.size(); from += BATCH) {
      results.putAll(ask(client, askable.subList(from, Math.min(from + BATCH, askable.size())), pdqConfidence));
    }
    List<Verdict> verdicts = new ArrayList<>(signals.size());
    for (SignalKey signal : signals) {
      if (TatSignals.tatType(signal.type()) == null) {
        verdicts.add(new Verdict(signal, false, SOURCE + " verifies only md5, sha256 and pdq signals"));
      } else {
        verdicts.add(verdict(signal, results.get(key(signal.type(), signal.signal()))));
      }
    }
    return verdicts;
  }

  private static Map<String, JsonNode> ask(TatClient client, List<SignalKey> batch, double pdqConfidence) {
    ArrayNode items = JsonNodeFactory.instance.arrayNode();
    for (SignalKey signal : batch) {
      ObjectNode item = items.addObject()
          .put("hash_value", signal.signal())
          .put("hash_type", TatSignals.tatType(signal.type()));
      if (PdqType.NAME.equals(signal.type())) {
        item.put("confidence", pdqConfidence);
      }
    }
    JsonNode answer = client.verify(items);
    JsonNode list = answer.isArray() ? answer : answer.get("results");
    if (list == null || !list.isArray()) {
      throw new ExchangeException(SOURCE + " answered a verification request with something other than a list of results");
    }
    Map<String, JsonNode> results = new HashMap<>();
    for (JsonNode result : list) {
      String type = TatSignals.ourType(result.path("hash_type").asText(null));
      if (type != null && result.path("hash_value").isTextual()) {
        results.put(key(type, result.get("hash_value").asText()), result);
      }
    }
    return results;
  }

  private static Verdict verdict(SignalKey signal, JsonNode result) {
    if (result == null) {
      return new Verdict(signal, false, null);
    }
    List<String> details = new ArrayList<>();
    for (String field : DETAIL_FIELDS) {
      JsonNode value = result.get(field);
      if (value != null && value.isValueNode() && !value.isNull() && !value.asText().isBlank()) {
        details.add(field + " " + value.asText());
      }
    }
    // Only a JSON true verifies: "false" as a string, or a missing field, is no verification.
    return new Verdict(signal, result.path("verified").booleanValue(), details.isEmpty() ? null : String.join(", ", details));
  }

  /** Hashes are hex, which the source may write in either case. */
  private static String key(String ourType, String hash) {
    return ourType + " " + hash.strip().toLowerCase(Locale.ROOT);
  }
}
