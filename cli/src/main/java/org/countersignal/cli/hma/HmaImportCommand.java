package org.countersignal.cli.hma;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.countersignal.cli.admin.Backend;
import org.countersignal.cli.admin.CliException;
import org.countersignal.cli.admin.Commands;
import org.countersignal.cli.admin.Target;
import org.countersignal.cli.bank.SeenSignals;
import org.countersignal.server.bank.SignalCatalog;
import org.countersignal.server.bank.EntryImport;
import org.countersignal.server.hma.HmaImport;
import org.countersignal.server.hma.HmaSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code countersignal hma import}: an HMA deployment's banks and content, read from HMA's
 * PostgreSQL database, into this service, keeping HMA's content ids. Two passes over one snapshot
 * of HMA's database: the first checks every row (locally, then by the server's rules with nothing
 * written) and by default refuses the whole takeover if any row is bad; the second writes, a batch
 * at a time, each all or nothing.
 */
@Command(
    name = "import",
    mixinStandardHelpOptions = true,
    description = {
        "Take over an HMA deployment's banks from its PostgreSQL database (read-only; HMA may keep running): each bank"
            + " under its HMA name with its matching ratio, and its content with HMA's bank_content_id kept as the entry id,"
            + " its signals (pdq, video_md5, vpdq, raw_text, url...), disable state, note, original URL and metadata.",
        "Every row is checked before anything is written; one bad row refuses the whole takeover (each is listed)."
            + " --skip-invalid imports the rest and lists what it skipped. --dry-run checks and writes nothing. Content"
            + " already imported under the same id into the same bank is left as it is, so an interrupted takeover is"
            + " finished by running it again.",
        "Prints a report as JSON on stdout. Exit codes: 0 done, 2 bad input (nothing written unless --skip-invalid),"
            + " 1 failed."
    })
public final class HmaImportCommand implements Callable<Integer> {

  private static final int BATCH = 5_000;
  private static final int SHOWN_PROBLEMS = 100;

  @Spec CommandSpec spec;
  @Mixin Target target;

  @Option(names = "--from", required = true, paramLabel = "JDBC_URL",
      description = "HMA's database, e.g. jdbc:postgresql://hma-db:5432/media_match.")
  String from;

  @Option(names = "--from-user", paramLabel = "USER", description = "The database user (a read-only one is enough).")
  String fromUser;

  @Option(names = "--from-password-env", paramLabel = "VARIABLE", defaultValue = "HMA_DATABASE_PASSWORD",
      description = "The environment variable holding its password (default ${DEFAULT-VALUE}), kept out of the process list.")
  String fromPasswordEnv;

  @Option(names = "--banks", split = ",", paramLabel = "NAME", description = "Only these HMA banks (default: all).")
  List<String> banks;

  @Option(names = "--dry-run", description = "Check everything, write nothing.")
  boolean dryRun;

  @Option(names = "--skip-invalid", description = "Import the valid content and list the invalid, instead of refusing it all.")
  boolean skipInvalid;

  /** A content the takeover leaves out, and why. */
  private record Skipped(String bank, long id, String why) {}

  @Override
  public Integer call() throws Exception {
    String password = System.getenv(fromPasswordEnv);
    HmaSource source;
    try {
      source = HmaSource.open(from, fromUser, password);
    } catch (IllegalArgumentException e) {
      return Commands.fail(spec, CliException.badInput(e.getMessage()));
    } catch (SQLException e) {
      // The URL's parameters may carry a password; the address is all the operator needs to see.
      return Commands.fail(spec, CliException.failed("cannot read HMA's database at " + from.replaceAll("\\?.*", "") + ": " + e.getMessage()));
    }
    try (source) {
      return Commands.run(spec, target, backend -> takeOver(backend, source));
    }
  }

  private int takeOver(Backend backend, HmaSource source) throws SQLException {
    PrintWriter err = spec.commandLine().getErr();
    String name = spec.qualifiedName();
    List<HmaSource.SourceBank> chosen = chosen(source.banks());
    long highestId = source.highestContentId();

    java.util.Map<Long, Skipped> skipped = new java.util.LinkedHashMap<>();
    SignalCatalog catalog = new SignalCatalog();
    for (HmaSource.SourceBank bank : chosen) {
      // A bank holds a signal once; the server sees a batch at a time, so repeats across batches are found here.
      SeenSignals seen = new SeenSignals();
      forEachBatch(source, bank, skipped, batch -> {
        for (HmaImport.Content content : batch.contents()) {
          for (var signal : content.signals().entrySet()) {
            String canonical;
            try {
              canonical = catalog.canonical(signal.getKey(), signal.getValue(), signal.getKey());
            } catch (RuntimeException e) {
              continue; // the server's check below names it
            }
            long first = seen.firstLine(signal.getKey(), canonical, content.id());
            if (first != 0) {
              skipped.putIfAbsent(content.id(), new Skipped(bank.name(), content.id(), "the same " + signal.getKey() + " signal as content " + first));
            }
          }
        }
        for (EntryImport.RowError error : backend.validateHma(batch)) {
          long id = batch.contents().get(error.index()).id();
          skipped.putIfAbsent(id, new Skipped(bank.name(), id, (error.field() == null ? "" : error.field() + ": ") + error.detail()));
        }
      });
    }
    skipped.values().stream().limit(SHOWN_PROBLEMS).forEach(s -> err.println(name + ": " + s.bank() + " content " + s.id() + ": " + s.why()));
    if (skipped.size() > SHOWN_PROBLEMS) {
      err.println(name + ": ... and " + (skipped.size() - SHOWN_PROBLEMS) + " more");
    }
    if (!skipped.isEmpty() && !skipInvalid && !dryRun) {
      err.println(name + ": nothing imported: " + skipped.size() + " invalid contents (fix them in HMA, or --skip-invalid to import the others)");
      err.flush();
      return CliException.BAD_INPUT;
    }

    ObjectNode report = JsonNodeFactory.instance.objectNode();
    report.put("dry_run", dryRun);
    ArrayNode bankReports = report.putArray("banks");
    Set<Long> skippedIds = skipped.keySet();
    for (HmaSource.SourceBank bank : chosen) {
      long[] counts = new long[4]; // imported, already imported, disabled, read
      long[] bankId = {-1};
      boolean[] created = {false};
      if (!dryRun) {
        forEachBatch(source, bank, new java.util.HashMap<>(), batch -> {
          List<HmaImport.Content> valid = batch.contents().stream().filter(c -> !skippedIds.contains(c.id())).toList();
          counts[3] += batch.contents().size();
          if (valid.isEmpty()) {
            return;
          }
          HmaImport.Imported done = backend.importHma(new HmaImport.Batch(batch.bank(), batch.enabledRatio(), valid, highestId));
          bankId[0] = done.bankId();
          created[0] |= done.bankCreated();
          counts[0] += done.entryIds().size();
          counts[1] += done.alreadyImported();
          counts[2] += done.disabled();
        });
      }
      ObjectNode one = bankReports.addObject();
      one.put("name", bank.name());
      if (bankId[0] > 0) {
        one.put("bank_id", bankId[0]);
        one.put("bank_created", created[0]);
      }
      one.put("matching_enabled_ratio", bank.enabledRatio());
      one.put("from_exchange", bank.fromExchange());
      one.put("imported", counts[0]);
      one.put("already_imported", counts[1]);
      one.put("disabled", counts[2]);
      one.put("skipped", skipped.values().stream().filter(s -> s.bank().equals(bank.name())).count());
      if (!dryRun) {
        err.println(name + ": " + bank.name() + ": imported " + counts[0] + ", already there " + counts[1] + ", disabled " + counts[2]
            + (bank.fromExchange() ? " (HMA filled this bank from an exchange: set the exchange up here to keep it current)" : ""));
      }
    }
    ArrayNode skippedReport = report.putArray("skipped");
    skipped.values().forEach(s -> skippedReport.addObject().put("bank", s.bank()).put("id", s.id()).put("reason", s.why()));
    Commands.print(spec, report);
    if (dryRun) {
      err.println(name + ": dry run: " + chosen.size() + " banks checked, " + skipped.size() + " invalid contents; nothing written");
    }
    err.flush();
    return dryRun && !skipped.isEmpty() ? CliException.BAD_INPUT : 0;
  }

  private List<HmaSource.SourceBank> chosen(List<HmaSource.SourceBank> all) {
    if (banks == null || banks.isEmpty()) {
      return all;
    }
    List<HmaSource.SourceBank> chosen = new ArrayList<>();
    for (String wanted : banks) {
      chosen.add(all.stream().filter(b -> b.name().equals(wanted.strip())).findFirst()
          .orElseThrow(() -> CliException.badInput("HMA has no bank named '" + wanted.strip() + "'")));
    }
    return chosen;
  }

  private interface BatchBody {
    void accept(HmaImport.Batch batch);
  }

  /** The bank's content a batch at a time; rows that cannot be read are added to {@code skipped}. */
  private static void forEachBatch(HmaSource source, HmaSource.SourceBank bank, java.util.Map<Long, Skipped> skipped, BatchBody body)
      throws SQLException {
    long after = 0;
    while (true) {
      List<HmaSource.Row> rows = source.contents(bank.id(), after, BATCH);
      if (rows.isEmpty()) {
        return;
      }
      List<HmaImport.Content> contents = new ArrayList<>();
      for (HmaSource.Row row : rows) {
        if (row.error() != null) {
          skipped.putIfAbsent(row.id(), new Skipped(bank.name(), row.id(), row.error()));
        } else {
          contents.add(row.content());
        }
        after = row.id();
      }
      if (!contents.isEmpty()) {
        body.accept(new HmaImport.Batch(bank.name(), bank.enabledRatio(), contents, null));
      }
    }
  }
}
