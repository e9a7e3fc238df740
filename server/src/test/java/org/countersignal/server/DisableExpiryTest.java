package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.countersignal.server.audit.AuditEvent;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.auth.Role;
import org.countersignal.server.bank.BankChanges;
import org.countersignal.server.bank.BankService;
import org.countersignal.server.bank.EntryService;
import org.countersignal.server.bank.NewEntry;
import org.countersignal.server.match.ChangeFollower;
import org.countersignal.server.match.MatchIndexes;
import org.countersignal.server.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An entry disabled "until" a time comes back once the time has passed, audited as the server's
 * doing. The sweep is called with explicit times, so the test does not wait for a clock.
 */
class DisableExpiryTest {

  @TempDir Path dataDir;

  static final Principal CURATOR = new Principal(7, Role.CURATOR);
  static final String MD5 = "00112233445566778899aabbccddeeff";

  @Test
  void entriesComeBackWhenTheirDisableExpires() {
    try (Database database = TestServers.openDatabase(dataDir);
        MatchIndexes indexes = new MatchIndexes();
        ChangeFollower follower = new ChangeFollower(database.jdbi(), indexes)) {
      var jdbi = database.jdbi();
      BankServices services = BankServices.over(jdbi, follower::catchUp);
      BankService banks = services.banks();
      EntryService entries = services.entries();

      long bank = banks.create(CURATOR, new BankChanges("expiry", null, null, null, null, null)).id();
      long timed = entries.create(CURATOR, bank, new NewEntry(Map.of("md5", MD5), null, null, null, null)).id();
      long open = entries.create(CURATOR, bank, new NewEntry(Map.of("md5", "f".repeat(32)), null, null, null, null)).id();
      OffsetDateTime until = OffsetDateTime.now(ZoneOffset.UTC).plusHours(1);
      entries.disable(CURATOR, timed, "under review", until.toInstant().toString());
      entries.disable(CURATOR, open, "false positive", null);
      assertThat(indexes.search("md5", MD5, 0)).isEmpty();

      assertThat(entries.enableExpired(until.minusMinutes(1))).isZero();
      assertThat(entries.get(timed).enabled()).isFalse();

      assertThat(entries.enableExpired(until.plusSeconds(1))).isEqualTo(1);
      assertThat(entries.get(timed).enabled()).isTrue();
      assertThat(entries.get(timed).disabledUntil()).isNull();
      assertThat(entries.get(open).enabled()).as("no until: stays disabled").isFalse();
      assertThat(indexes.search("md5", MD5, 0)).extracting(m -> m.id()).containsExactly(timed);
      assertThat(entries.enableExpired(until.plusHours(5))).as("nothing left to do").isZero();

      List<AuditEvent> events = new AuditLog(jdbi).list(0, 100);
      AuditEvent last = events.getLast();
      assertThat(last.action()).isEqualTo("entry.disable_expired");
      assertThat(last.actorKeyId()).isNull();
      assertThat(last.targetId()).isEqualTo(Long.toString(timed));
    }
  }
}
