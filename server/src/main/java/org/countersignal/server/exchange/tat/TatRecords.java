package org.countersignal.server.exchange.tat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.countersignal.server.exchange.FetchDelta;
import org.countersignal.server.exchange.FetchDelta.Update;
import org.countersignal.server.exchange.SignalKey;
import org.countersignal.server.exchange.SourceRecord;
import org.countersignal.signals.MalformedSignalException;

/**
 * One record of the Tech Against Terrorism hash list as an update of one of our signals. A record
 * is {@code {id, hash_digest, algorithm, ideology, file_type, deleted, created_on, updated_on}};
 * its ideology (and a group, classification or tags, should a record carry them) become the
 * entry's tags, and its id the entry's note, so a reviewer can name the record to the source.
 */
final class TatRecords {

  private static final List<String> TAG_FIELDS = List.of("ideology", "group", "classification");

  private TatRecords() {}

  /**
   * The update a record makes, or null when it makes none: a deletion of a hash of a type we do
   * not match, or one too malformed to have been banked, removes nothing and is nothing to report.
   */
  static Update update(JsonNode record) {
    if (record == null || !record.isObject()) {
      return FetchDelta.malformed("", "", "a hash list record is not a JSON object");
    }
    String id = text(record, "id");
    String name = id == null ? "TAT record without an id" : "TAT record " + id;
    String algorithm = text(record, "algorithm");
    String hash = text(record, "hash_digest");
    JsonNode deletedField = record.get("deleted");
    if (deletedField != null && !deletedField.isNull() && !deletedField.isBoolean()) {
      // Read as live, a deletion the source meant would bank the very hash it withdrew.
      return FetchDelta.malformed(orEmpty(algorithm), orEmpty(hash), name + ": deleted is " + deletedField + ", not true or false");
    }
    boolean deleted = deletedField != null && deletedField.asBoolean();
    String type = TatSignals.ourType(algorithm);
    if (type == null) {
      return deleted ? null : FetchDelta.malformed(orEmpty(algorithm), orEmpty(hash), name + ": "
          + (algorithm == null ? "no algorithm" : "algorithm '" + algorithm + "' is not one this service matches")
          + " (" + TatSignals.MATCHED + ")");
    }
    String signal;
    try {
      signal = TatSignals.canonical(type, hash);
    } catch (MalformedSignalException e) {
      return deleted ? null : FetchDelta.malformed(type, orEmpty(hash), name + ": " + e.getMessage());
    }
    SignalKey key = new SignalKey(type, signal);
    if (deleted) {
      return Update.deleted(key);
    }
    String fileType = text(record, "file_type");
    return new Update(key, SourceRecord.positive(tags(record), fileType == null ? name : name + " (" + fileType + ")"));
  }

  private static List<String> tags(JsonNode record) {
    Set<String> tags = new LinkedHashSet<>();
    for (String field : TAG_FIELDS) {
      add(tags, text(record, field));
    }
    JsonNode list = record.path("tags");
    if (list.isArray()) {
      list.forEach(tag -> add(tags, tag.isValueNode() ? tag.asText() : null));
    }
    return new ArrayList<>(tags);
  }

  private static void add(Set<String> tags, String tag) {
    if (tag != null && !tag.isBlank()) {
      tags.add(tag.strip());
    }
  }

  /** A field's text (a number's too, as ids are), or null when it is absent, null or not a value. */
  private static String text(JsonNode record, String field) {
    JsonNode value = record.get(field);
    return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
  }

  private static String orEmpty(String text) {
    return text == null ? "" : text;
  }
}
