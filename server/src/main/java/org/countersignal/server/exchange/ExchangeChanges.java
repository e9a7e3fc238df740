package org.countersignal.server.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * What a request gives to make or change an exchange; on a change, null fields stay as they are.
 *
 * @param config the kind's configuration (a JSON object)
 * @param credentials the kind's secrets; stored encrypted and never shown again
 * @param bank the name of the bank it fills (made if there is none; an existing one must be empty); only at creation
 * @param labelMap the source's tags to our labels; tags not in it are kept as entity tags
 * @param labels labels every entry of the exchange gets
 * @param trust {@code review} (default) or {@code trusted}
 * @param entriesEnabled false switches every entry of the exchange off at once (its bank is disabled)
 * @param incidents what it does with the crisis incidents its source shares: {@code ignore},
 *     {@code propose} (default) or {@code accept}
 */
public record ExchangeChanges(
    String name,
    String kind,
    JsonNode config,
    Map<String, String> credentials,
    String bank,
    Map<String, String> labelMap,
    List<String> labels,
    String trust,
    Boolean enabled,
    Integer fetchIntervalSeconds,
    Boolean entriesEnabled,
    String incidents) {

  public ExchangeChanges(String name, String kind, JsonNode config, Map<String, String> credentials, String bank,
      Map<String, String> labelMap, List<String> labels, String trust, Boolean enabled, Integer fetchIntervalSeconds,
      Boolean entriesEnabled) {
    this(name, kind, config, credentials, bank, labelMap, labels, trust, enabled, fetchIntervalSeconds, entriesEnabled, null);
  }
}
