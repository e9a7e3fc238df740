package org.countersignal.server.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.countersignal.server.webhook.SecretBox;

/**
 * Exchanges' credentials as stored: a JSON object of the kind's secrets, sealed with the server key
 * for this use alone, so a ciphertext made for another use does not open as credentials.
 */
public final class ExchangeCredentials {

  private static final String PURPOSE = "exchange credentials";

  private final SecretBox secrets;

  public ExchangeCredentials(SecretBox secrets) {
    this.secrets = secrets;
  }

  /** The stored form of {@code credentials}; null when there are none. */
  byte[] seal(Map<String, String> credentials) {
    return credentials.isEmpty() ? null : secrets.seal(PURPOSE, ExchangeJson.write(credentials));
  }

  /** The credentials of {@code row}, by name; empty when it has none. */
  Map<String, String> open(ExchangeRow row) {
    if (row.credentialsCipher() == null) {
      return Map.of();
    }
    JsonNode json = ExchangeJson.parse(secrets.open(PURPOSE, row.credentialsCipher()));
    Map<String, String> credentials = new LinkedHashMap<>();
    json.properties().forEach(e -> credentials.put(e.getKey(), e.getValue().asText()));
    return credentials;
  }
}
