package org.countersignal.server.hma;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.countersignal.server.exchange.FieldSignals;

/**
 * An HMA deployment's PostgreSQL database, read as HMA's schema lays it out ({@code bank},
 * {@code bank_content}, {@code content_signal}), over one read-only connection in one snapshot,
 * so what is read is consistent even while HMA keeps running. Signals come out in this service's
 * types: HMA's {@code video_md5}, {@code raw_text} and JSON {@code vpdq} are converted as the
 * field's hash lists are ({@link FieldSignals}); content whose signals cannot be converted is
 * returned with the reason, to be reported and skipped, never guessed at.
 */
public final class HmaSource implements AutoCloseable {

  /** One of HMA's banks; {@code fromExchange} when HMA filled it from an exchange. */
  public record SourceBank(long id, String name, double enabledRatio, boolean fromExchange) {}

  /** One row of HMA's content: the content to import, or why it cannot be. */
  public record Row(long id, HmaImport.Content content, String error) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Connection connection;

  private HmaSource(Connection connection) {
    this.connection = connection;
  }

  /** Connects read-only and opens the snapshot every later read sees. */
  public static HmaSource open(String jdbcUrl, String user, String password) throws SQLException {
    if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("HMA's database is PostgreSQL: give a jdbc:postgresql: URL, got " + jdbcUrl);
    }
    Connection connection = DriverManager.getConnection(jdbcUrl, user, password);
    try {
      connection.setAutoCommit(false);
      connection.setReadOnly(true);
      connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try (var statement = connection.createStatement()) {
        statement.execute("SET TRANSACTION READ ONLY");
      }
      return new HmaSource(connection);
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  public List<SourceBank> banks() throws SQLException {
    List<SourceBank> banks = new ArrayList<>();
    try (PreparedStatement query = connection.prepareStatement(
            "SELECT id, name, enabled_ratio, import_from_exchange_id IS NOT NULL AS from_exchange FROM bank ORDER BY id");
        ResultSet rs = query.executeQuery()) {
      while (rs.next()) {
        banks.add(new SourceBank(rs.getLong("id"), rs.getString("name"), rs.getDouble("enabled_ratio"), rs.getBoolean("from_exchange")));
      }
    }
    return banks;
  }

  /** The highest content id HMA gave, in any bank; 0 when it holds none. */
  public long highestContentId() throws SQLException {
    try (PreparedStatement query = connection.prepareStatement("SELECT COALESCE(MAX(id), 0) FROM bank_content");
        ResultSet rs = query.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** At most {@code limit} of the bank's content with ids above {@code after}, in id order. */
  public List<Row> contents(long bankId, long after, int limit) throws SQLException {
    Map<Long, Row> rows = new LinkedHashMap<>();
    Map<Long, Map<String, String>> signals = new LinkedHashMap<>();
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT id, disable_until_ts, original_content_uri, bank_content_metadata, note FROM bank_content"
            + " WHERE bank_id = ? AND id > ? ORDER BY id LIMIT ?")) {
      query.setLong(1, bankId);
      query.setLong(2, after);
      query.setInt(3, limit);
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          long id = rs.getLong("id");
          signals.put(id, new TreeMap<>());
          rows.put(id, new Row(id, new HmaImport.Content(id, signals.get(id), rs.getLong("disable_until_ts"),
              rs.getString("note"), rs.getString("original_content_uri"), metadata(rs.getString("bank_content_metadata"))), null));
        }
      }
    }
    if (rows.isEmpty()) {
      return List.of();
    }
    long last = rows.keySet().stream().mapToLong(Long::longValue).max().orElseThrow();
    try (PreparedStatement query = connection.prepareStatement(
        "SELECT s.content_id, s.signal_type, s.signal_val FROM content_signal s JOIN bank_content c ON c.id = s.content_id"
            + " WHERE c.bank_id = ? AND c.id > ? AND c.id <= ? ORDER BY s.content_id, s.signal_type")) {
      query.setLong(1, bankId);
      query.setLong(2, after);
      query.setLong(3, last);
      try (ResultSet rs = query.executeQuery()) {
        while (rs.next()) {
          long id = rs.getLong("content_id");
          String type = rs.getString("signal_type");
          String value = rs.getString("signal_val");
          FieldSignals.Ours ours = FieldSignals.isAlias(type, value) ? FieldSignals.toOurs(type, value)
              : new FieldSignals.Ours(type, value, null);
          if (ours.error() != null) {
            rows.put(id, new Row(id, null, type + ": " + ours.error()));
          } else if (rows.get(id).content() != null) {
            signals.get(id).put(ours.type(), ours.value());
          }
        }
      }
    }
    List<Row> out = new ArrayList<>();
    for (Row row : rows.values()) {
      out.add(row.content() != null && row.content().signals().isEmpty() ? new Row(row.id(), null, "no signals") : row);
    }
    return out;
  }

  private static JsonNode metadata(String text) {
    if (text == null) {
      return null;
    }
    try {
      JsonNode node = JSON.readTree(text);
      return node == null || node.isNull() ? null : node;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      return null;
    }
  }

  @Override
  public void close() throws SQLException {
    try {
      connection.rollback();
    } finally {
      connection.close();
    }
  }
}
