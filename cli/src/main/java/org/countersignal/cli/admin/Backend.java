package org.countersignal.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.countersignal.server.bank.BankChanges;
import org.countersignal.server.bank.EntryImport;
import org.countersignal.server.bank.NewEntry;

/**
 * What the key and bank commands do, against a running server ({@link HttpBackend}) or directly
 * on a data directory ({@link LocalBackend}). Results are the API's JSON in both cases, so the
 * commands print the same thing either way.
 */
public interface Backend extends AutoCloseable {

  /** A page of a bank's entries in id order; {@code nextAfter} is null on the last page. */
  record EntryPage(List<JsonNode> items, Long nextAfter) {}

  /**
   * The new key with its secret ({@code key}), shown once.
   *
   * @param expiresAt when it stops working, RFC 3339, or null for never
   */
  JsonNode createKey(String role, String name, String expiresAt);

  List<JsonNode> listKeys();

  void revokeKey(long id);

  JsonNode createBank(BankChanges bank);

  List<JsonNode> listBanks();

  /** A bank by id, or null. */
  JsonNode bank(long id);

  /** Every problem of the rows, writing nothing; at most {@link EntryImport#MAX_ENTRIES} rows. */
  List<EntryImport.RowError> validate(long bankId, List<NewEntry> entries);

  /** Writes all the rows or none; returns the new entries' ids in row order. */
  List<Long> importBatch(long bankId, List<NewEntry> entries);

  /** Every problem a batch of an HMA bank's content has, writing nothing. */
  List<EntryImport.RowError> validateHma(org.countersignal.server.hma.HmaImport.Batch batch);

  /** Writes a batch of an HMA bank's content, keeping HMA's ids. */
  org.countersignal.server.hma.HmaImport.Imported importHma(org.countersignal.server.hma.HmaImport.Batch batch);

  EntryPage entries(long bankId, long after, int limit);

  /** A video entry's frames in the reference text format ({@code frame,quality,pdq,seconds} a line). */
  String frames(long entryId);

  /** An entry's whole value of a type that shows it by identity (a text's sketches). */
  String wholeValue(long entryId, String type);

  /** Where the commands act, for messages: the server URL or the data directory. */
  String where();

  @Override
  void close();

  /** The bank {@code reference} names: an id, or else a name. */
  default JsonNode resolveBank(String reference) {
    String text = reference.strip();
    if (text.matches("\\d{1,18}")) {
      JsonNode bank = bank(Long.parseLong(text));
      if (bank != null) {
        return bank;
      }
    }
    for (JsonNode bank : listBanks()) {
      if (bank.path("name").asText().equals(text)) {
        return bank;
      }
    }
    throw CliException.badInput("no bank '" + text + "' at " + where() + " (give a bank id or name; `bank list` shows them)");
  }
}
