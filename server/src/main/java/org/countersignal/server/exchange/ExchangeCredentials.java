package org.countersignal.server.exchange;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import org.countersignal.server.webhook.SecretBox;
import org.jdbi.v3.core.Handle;

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

  /** Seals every exchange's credentials again under {@code to}, in {@code h}'s transaction: for a rotation of the server key. */
  public static int reseal(Handle h, SecretBox from, SecretBox to) {
    return from.resealAll(PURPOSE,
        h.createQuery("SELECT id, credentials_cipher FROM exchanges WHERE credentials_cipher IS NOT NULL ORDER BY id FOR UPDATE")
            .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getBytes(2))).list(),
        to, (id, sealed) -> h.createUpdate("UPDATE exchanges SET credentials_cipher = :sealed WHERE id = :id")
            .bind("sealed", sealed).bind("id", id).execute());
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
