package org.countersignal.server.exchange;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.countersignal.server.store.JsonText;

/** One row of {@code exchanges}, as read inside the package. */
record ExchangeRow(
    long id,
    String name,
    String kind,
    String config,
    byte[] credentialsCipher,
    List<String> credentialNames,
    long bankId,
    Map<String, String> labelMap,
    List<String> labels,
    Trust trust,
    IncidentPolicy incidents,
    boolean urgent,
    boolean enabled,
    int fetchIntervalSeconds,
    OffsetDateTime createdAt,
    OffsetDateTime updatedAt,
    String checkpoint,
    OffsetDateTime checkpointAt,
    OffsetDateTime fullFetchSince,
    OffsetDateTime fetchStartedAt,
    OffsetDateTime lastFetchCompletedAt,
    Boolean lastFetchSucceeded,
    String lastError,
    boolean upToDate,
    long fetchedItems,
    long malformedItems,
    int failuresInARow,
    OffsetDateTime nextFetchAt) {

  static final String SELECT = "SELECT * FROM exchanges";

  static ExchangeRow map(ResultSet rs) throws SQLException {
    boolean succeeded = rs.getBoolean("last_fetch_succeeded");
    Boolean lastSucceeded = rs.wasNull() ? null : succeeded;
    return new ExchangeRow(
        rs.getLong("id"),
        rs.getString("name"),
        rs.getString("kind"),
        rs.getString("config"),
        rs.getBytes("credentials_cipher"),
        JsonText.stringList(rs.getString("credential_names")),
        rs.getLong("bank_id"),
        stringMap(rs.getString("label_map")),
        JsonText.stringList(rs.getString("labels")),
        Trust.valueOf(rs.getString("trust").toUpperCase(java.util.Locale.ROOT)),
        IncidentPolicy.fromWire(rs.getString("incidents")),
        rs.getBoolean("urgent"),
        rs.getBoolean("enabled"),
        rs.getInt("fetch_interval_seconds"),
        rs.getObject("created_at", OffsetDateTime.class),
        rs.getObject("updated_at", OffsetDateTime.class),
        rs.getString("checkpoint"),
        rs.getObject("checkpoint_at", OffsetDateTime.class),
        rs.getObject("full_fetch_since", OffsetDateTime.class),
        rs.getObject("fetch_started_at", OffsetDateTime.class),
        rs.getObject("last_fetch_completed_at", OffsetDateTime.class),
        lastSucceeded,
        rs.getString("last_error"),
        rs.getBoolean("up_to_date"),
        rs.getLong("fetched_items"),
        rs.getLong("malformed_items"),
        rs.getInt("failures_in_a_row"),
        rs.getObject("next_fetch_at", OffsetDateTime.class));
  }

  private static Map<String, String> stringMap(String json) {
    Map<String, String> map = new java.util.LinkedHashMap<>();
    JsonText.tree(json).properties().forEach(e -> map.put(e.getKey(), e.getValue().asText()));
    return map;
  }
}
