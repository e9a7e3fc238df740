package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.countersignal.server.incident.IncidentStates;
import org.countersignal.server.store.Database;
import org.jdbi.v3.core.statement.SqlLogger;
import org.jdbi.v3.core.statement.StatementContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A coordinator may fill an incident's bank as soon as the incident is declared: the states a
 * server holds in memory never go back to before a change it has read, however a scheduled read
 * falls beside it.
 */
class IncidentStatesTest {

  @TempDir Path dataDir;

  @Test
  void aScheduledReadBegunBeforeADeclarationDoesNotPutBackTheStatesFromBeforeIt() throws Exception {
    try (Database database = TestServers.openDatabase(dataDir)) {
      IncidentStates states = new IncidentStates(database.jdbi());
      CountDownLatch scheduledHasRead = new CountDownLatch(1);
      CountDownLatch declarationRead = new CountDownLatch(1);
      Thread[] scheduled = new Thread[1];
      // The scheduled read is held up after its query ran, before it keeps what it read.
      database.jdbi().setSqlLogger(new SqlLogger() {
        @Override
        public void logAfterExecution(StatementContext context) {
          if (Thread.currentThread() == scheduled[0]) {
            scheduledHasRead.countDown();
            try {
              declarationRead.await(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
        }
      });
      scheduled[0] = new Thread(states::reloadQuietly);
      scheduled[0].start();
      assertThat(scheduledHasRead.await(10, TimeUnit.SECONDS)).isTrue();

      long bank = declare(database);
      states.reload(); // as Incidents.declare does after its commit
      declarationRead.countDown();
      scheduled[0].join();

      assertThat(states.incidentOf(bank)).as("the incident's bank, after both reads").isNotNull();
    }
  }

  /** Writes an incident and its bank in one transaction, as a declaration does; returns the bank's id. */
  private static long declare(Database database) {
    OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
    return database.jdbi().inTransaction(h -> {
      long bank = h.createUpdate("INSERT INTO banks (name, description, labels, entities, thresholds, enabled, created_at, updated_at) "
              + "VALUES ('incident', '', '[]', '[]', '{}', TRUE, :now, :now)")
          .bind("now", now)
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      h.createUpdate("INSERT INTO incidents (name, kind, level, description, status, started_at, declared_at, updated_at, bank_id) "
              + "VALUES ('incident', 'attack_livestreamed', 'incident', '', 'active', :now, :now, :now, :bank)")
          .bind("now", now).bind("bank", bank).execute();
      return bank;
    });
  }
}
