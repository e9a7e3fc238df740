package org.countersignal.server.hma;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.bank.Bank;
import org.countersignal.server.bank.BankChanges;
import org.countersignal.server.bank.BankService;
import org.countersignal.server.bank.Entry;
import org.countersignal.server.bank.EntryImport;
import org.countersignal.server.bank.EntryImport.RowError;
import org.countersignal.server.bank.EntryService;
import org.countersignal.server.bank.NewEntry;

/**
 * Takes over an HMA deployment's banks a batch at a time: a bank by its HMA name (made on the
 * first batch, with HMA's ratio), and its content as entries that keep HMA's
 * {@code bank_content_id}s, so a platform that stored those ids finds the same content by them
 * here. Disable state, notes, original URLs and metadata come along. Every row is checked before
 * a batch writes anything. Content already imported into the same bank under the same id is
 * left as it is and counted, so an interrupted takeover is finished by running it again.
 */
public final class HmaImport {

  /** One piece of HMA's banked content, its signals already in this service's types. */
  public record Content(Long id, Map<String, String> signals, Long disableUntilTs, String note, String originalMediaUri,
      JsonNode metadata) {}

  /**
   * A bank's content, or part of it; {@code enabledRatio} is HMA's ratio for the bank;
   * {@code highestId} HMA's highest content id of all (null: this batch's), which no other content
   * here will be given, so an id a platform stored never names other content after the move.
   */
  public record Batch(String bank, Double enabledRatio, List<Content> contents, Long highestId) {}

  /** What a batch did: the bank, whether it was made now, the entries written, those already there, those written disabled. */
  public record Imported(long bankId, boolean bankCreated, List<Long> entryIds, int alreadyImported, int disabled) {}

  static final String DISABLED_REASON = "disabled in HMA";

  private final BankService banks;
  private final EntryService entries;
  private final EntryImport imports;
  private final HmaStore store;

  public HmaImport(BankService banks, EntryService entries, EntryImport imports, HmaStore store) {
    this.banks = banks;
    this.entries = entries;
    this.imports = imports;
    this.store = store;
  }

  /** Every problem the batch has, writing nothing; empty when {@link #importBatch} would succeed. */
  public List<RowError> validate(Batch batch) {
    checkBank(batch);
    Bank bank = HmaNames.byHmaName(banks.list()).get(batch.bank());
    List<RowError> errors = new ArrayList<>();
    Rows rows = rows(batch, bank, errors);
    if (!rows.entries().isEmpty()) {
      errors.addAll(rows.positioned(imports.validate(bank == null ? EntryImport.NEW_BANK : bank.id(), rows.entries(), rows.ids())));
    }
    return sorted(errors);
  }

  /**
   * Writes the batch: the bank if it is new, then its new content all or nothing, then each
   * entry's extras (disable state, original URL, metadata).
   *
   * @throws EntryImport.InvalidBatch when a row is invalid (all such rows are listed)
   */
  public Imported importBatch(Principal actor, Batch batch) {
    checkBank(batch);
    Bank bank = HmaNames.byHmaName(banks.list()).get(batch.bank());
    List<RowError> errors = new ArrayList<>();
    Rows rows = rows(batch, bank, errors);
    // A bank is made only for a batch that will be imported; an existing bank's rows are checked by the import itself.
    if (bank == null && errors.isEmpty() && !rows.entries().isEmpty()) {
      errors.addAll(rows.positioned(imports.validate(EntryImport.NEW_BANK, rows.entries(), rows.ids())));
    }
    if (!errors.isEmpty()) {
      throw new EntryImport.InvalidBatch(sorted(errors));
    }
    double ratio = batch.enabledRatio() == null ? 1 : batch.enabledRatio();
    boolean created = bank == null;
    if (created) {
      bank = banks.create(actor, new BankChanges(batch.bank(), "taken over from HMA", null, null, null, ratio > 0));
      store.setRatio(bank.id(), ratio);
    }
    if (batch.highestId() != null) {
      imports.reserveIdsThrough(batch.highestId());
    }
    List<Long> written;
    try {
      written = rows.entries().isEmpty() ? List.of() : imports.importBatch(actor, bank.id(), rows.entries(), rows.ids()).entryIds();
    } catch (EntryImport.InvalidBatch e) {
      throw new EntryImport.InvalidBatch(rows.positioned(e.errors()));
    }
    int disabled = 0;
    for (Content content : batch.contents()) {
      store.keepContent(content.id(), content.originalMediaUri(), content.metadata() == null ? null : content.metadata().toString());
      disabled += applyDisableState(actor, content) ? 1 : 0;
    }
    return new Imported(bank.id(), created, written, batch.contents().size() - rows.entries().size(), disabled);
  }

  private static List<RowError> sorted(List<RowError> errors) {
    errors.sort(java.util.Comparator.comparingInt(RowError::index));
    return errors;
  }

  /** HMA's {@code disable_until_ts} on an imported entry: 0 disabled, a future time disabled until then; true when it is disabled. */
  private boolean applyDisableState(Principal actor, Content content) {
    long until = content.disableUntilTs() == null ? 1 : content.disableUntilTs();
    if (until != 0 && (until == 1 || until <= Instant.now().getEpochSecond())) {
      return false;
    }
    String untilText = until == 0 ? null : Instant.ofEpochSecond(until).toString();
    Entry entry = entries.find(content.id()).orElseThrow();
    if (entry.enabled() || !java.util.Objects.equals(entry.disabledUntil(), untilText)) {
      entries.disable(actor, entry.id(), DISABLED_REASON, untilText);
    }
    return true;
  }

  private static void checkBank(Batch batch) {
    if (batch.bank() == null || !HmaNames.BANK_NAME.matcher(batch.bank()).matches()) {
      throw new RequestException(Kind.INVALID, "bank", "an HMA bank name, UPPER_WITH_UNDERSCORE");
    }
    if (batch.enabledRatio() != null && (batch.enabledRatio() < 0 || batch.enabledRatio() > 1)) {
      throw new RequestException(Kind.INVALID, "enabled_ratio", "from 0.0 to 1.0");
    }
    if (batch.contents() == null || batch.contents().isEmpty() || batch.contents().size() > EntryImport.MAX_ENTRIES) {
      throw new RequestException(Kind.INVALID, "contents", "1 to " + EntryImport.MAX_ENTRIES + " contents a batch");
    }
  }

  /** The batch's new content as entries to import, their kept ids, and their positions in the batch. */
  private record Rows(List<NewEntry> entries, List<Long> ids, List<Integer> positions) {

    /** The import's errors, which count these rows, as positions in the batch. */
    List<RowError> positioned(List<RowError> errors) {
      List<RowError> out = new ArrayList<>();
      for (RowError error : errors) {
        out.add(new RowError(positions.get(error.index()), error.field(), error.detail()));
      }
      return out;
    }
  }

  private Rows rows(Batch batch, Bank bank, List<RowError> errors) {
    // Content an earlier run imported into this bank: one query for the batch.
    Map<Long, Long> banksOfIds = bank == null ? Map.of()
        : entries.banksOf(batch.contents().stream().filter(c -> c != null && c.id() != null).map(Content::id).toList());
    List<NewEntry> rows = new ArrayList<>();
    List<Long> ids = new ArrayList<>();
    List<Integer> positions = new ArrayList<>();
    for (int i = 0; i < batch.contents().size(); i++) {
      Content content = batch.contents().get(i);
      String problem = problem(content);
      if (problem != null) {
        errors.add(new RowError(i, null, problem));
        continue;
      }
      if (bank != null && Long.valueOf(bank.id()).equals(banksOfIds.get(content.id()))) {
        continue; // imported by an earlier run
      }
      rows.add(new NewEntry(content.signals(), null, null, content.note(), "HMA bank_content_id " + content.id()));
      ids.add(content.id());
      positions.add(i);
    }
    return new Rows(rows, ids, positions);
  }

  private static String problem(Content content) {
    if (content == null) {
      return "a content is an object with an id and signals";
    }
    if (content.id() == null || content.id() <= 0) {
      return "id: HMA's bank_content_id, a positive whole number";
    }
    if (content.disableUntilTs() != null && content.disableUntilTs() < 0) {
      return "disable_until_ts: 0, 1 or a Unix time";
    }
    if (content.originalMediaUri() != null && content.originalMediaUri().length() > 2000) {
      return "original_media_uri: at most 2000 characters";
    }
    if (content.metadata() != null && (!content.metadata().isObject() || content.metadata().toString().length() > 20_000)) {
      return "metadata: a JSON object of at most 20000 characters";
    }
    return null;
  }
}
