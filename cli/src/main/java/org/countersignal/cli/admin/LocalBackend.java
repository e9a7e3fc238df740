package org.countersignal.cli.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import org.countersignal.server.RequestException;
import org.countersignal.server.auth.ApiKeys;
import org.countersignal.server.auth.KeyExpiry;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.auth.Role;
import org.countersignal.server.bank.BankChanges;
import org.countersignal.server.bank.BankService;
import org.countersignal.server.bank.EntryImport;
import org.countersignal.server.bank.EntryService;
import org.countersignal.server.bank.LabelTaxonomy;
import org.countersignal.server.bank.NewEntry;
import org.countersignal.server.bank.SignalCatalog;
import org.countersignal.server.http.JsonMapping;
import org.countersignal.server.store.Database;

/**
 * The commands directly on a data directory's embedded database, through the server's own
 * services, so the rules, the change sequence and the audit log are the same as over the API.
 * Only while no server has the directory open: H2 locks the file.
 */
public final class LocalBackend implements Backend {

  /**
   * Who changes are audited as. No key is used; whoever can open the data directory can read
   * and write the database anyway. Key ids start at 1, so 0 marks these changes apart from
   * those of the server itself (no key, null) and of every API key.
   */
  public static final long LOCAL_OPERATOR_KEY_ID = 0;

  private static final Principal OPERATOR = new Principal(LOCAL_OPERATOR_KEY_ID, Role.ADMIN);
  private final Path dataDir;
  private final Database database;
  private final ApiKeys keys;
  private final BankService banks;
  private final EntryService entries;
  private final EntryImport imports;
  private final org.countersignal.server.hma.HmaImport hmaImports;
  private final ObjectMapper mapper = JsonMapping.create();

  public LocalBackend(Path dataDir) {
    this.dataDir = dataDir.toAbsolutePath().normalize();
    if (!Files.isRegularFile(this.dataDir.resolve("countersignal.mv.db"))) {
      throw CliException.badInput("no Countersignal database in " + this.dataDir + " (no countersignal.mv.db); check the path,"
          + " or start `countersignal serve --data-dir " + dataDir + "` once to create it");
    }
    this.database = open(this.dataDir);
    var jdbi = database.jdbi();
    SignalCatalog catalog = new SignalCatalog();
    LabelTaxonomy taxonomy = new LabelTaxonomy(jdbi);
    // No indexes live in this process: a server started later replays the change sequence.
    Runnable noIndexes = () -> { };
    this.keys = new ApiKeys(jdbi);
    this.banks = new BankService(jdbi, catalog, taxonomy, noIndexes);
    this.entries = new EntryService(jdbi, catalog, taxonomy, noIndexes);
    this.imports = new EntryImport(jdbi, catalog, taxonomy, noIndexes);
    this.hmaImports = new org.countersignal.server.hma.HmaImport(banks, entries, imports, new org.countersignal.server.hma.HmaStore(jdbi));
  }

  private static Database open(Path dataDir) {
    try {
      return Database.openEmbedded(dataDir);
    } catch (RuntimeException e) {
      if (Database.heldByAnotherProcess(e)) {
        throw CliException.failed("the data directory " + dataDir + " is in use by a running server; use --server");
      }
      throw CliException.failed("cannot open the database in " + dataDir + ": " + e.getMessage());
    }
  }

  @Override
  public String where() {
    return dataDir.toString();
  }

  @Override
  public JsonNode createKey(String role, String name, String expiresAt) {
    Role parsed = Role.fromWire(role);
    if (parsed == null) {
      throw CliException.badInput("--role: one of admin, curator, matcher, auditor (got '" + role + "')");
    }
    String stripped = name == null ? null : name.strip();
    // The API's rule for key names (KeyRoutes), so both ways refuse the same names.
    if (stripped != null && stripped.length() > 200) {
      throw CliException.badInput("name: at most 200 characters");
    }
    return call(() -> json(keys.create(OPERATOR, parsed, stripped, null, null, KeyExpiry.parse(expiresAt))));
  }

  @Override
  public List<JsonNode> listKeys() {
    return keys.list().stream().map(this::json).toList();
  }

  @Override
  public void revokeKey(long id) {
    call(() -> keys.revoke(OPERATOR, id));
  }

  @Override
  public JsonNode createBank(BankChanges bank) {
    return call(() -> json(banks.create(OPERATOR, bank)));
  }

  @Override
  public List<JsonNode> listBanks() {
    return banks.list().stream().map(this::json).toList();
  }

  @Override
  public JsonNode bank(long id) {
    try {
      return json(banks.get(id));
    } catch (RequestException e) {
      if (e.kind() == RequestException.Kind.NOT_FOUND) {
        return null;
      }
      throw translate(e);
    }
  }

  @Override
  public List<EntryImport.RowError> validate(long bankId, List<NewEntry> rows) {
    return call(() -> imports.validate(bankId, rows));
  }

  @Override
  public List<EntryImport.RowError> validateHma(org.countersignal.server.hma.HmaImport.Batch batch) {
    return call(() -> hmaImports.validate(batch));
  }

  @Override
  public org.countersignal.server.hma.HmaImport.Imported importHma(org.countersignal.server.hma.HmaImport.Batch batch) {
    try {
      return call(() -> hmaImports.importBatch(OPERATOR, batch));
    } catch (EntryImport.InvalidBatch e) {
      EntryImport.RowError first = e.errors().getFirst();
      throw CliException.badInput(e.getMessage() + " (first: content " + first.index() + " of the batch: " + first.detail() + ")");
    }
  }

  @Override
  public List<Long> importBatch(long bankId, List<NewEntry> rows) {
    try {
      return call(() -> imports.importBatch(OPERATOR, bankId, rows).entryIds());
    } catch (EntryImport.InvalidBatch e) {
      EntryImport.RowError first = e.errors().getFirst();
      throw CliException.badInput(e.getMessage() + " (first: row " + first.index() + " of the batch: " + first.detail() + ")");
    }
  }

  @Override
  public String frames(long entryId) {
    return call(() -> org.countersignal.signals.vpdq.VpdqText.format(entries.frames(entryId)));
  }

  @Override
  public String wholeValue(long entryId, String type) {
    return call(() -> entries.wholeValue(entryId, type));
  }

  @Override
  public EntryPage entries(long bankId, long after, int limit) {
    var page = call(() -> entries.list(bankId, after, limit));
    return new EntryPage(page.items().stream().map(this::json).toList(), page.nextAfter());
  }

  /**
   * Closes the database, compacting the embedded file when most of it is unused space, as it is
   * after a large import (a million imported entries left a 5.2 GB file for 0.29 GB of data).
   */
  @Override
  public void close() {
    database.closeCompacting(Long.MAX_VALUE); // no stop waits on a command line
  }

  private JsonNode json(Object value) {
    return mapper.valueToTree(value);
  }

  /** The service's refusals as the API would word them, with the exit code of their kind. */
  private static <T> T call(Supplier<T> action) {
    try {
      return action.get();
    } catch (RequestException e) {
      throw translate(e);
    }
  }

  private static CliException translate(RequestException e) {
    boolean badInput = switch (e.kind()) {
      case MALFORMED, NOT_FOUND, TOO_LARGE, INVALID -> true;
      default -> false;
    };
    return new CliException(badInput ? CliException.BAD_INPUT : CliException.FAILED, e.getMessage());
  }
}
