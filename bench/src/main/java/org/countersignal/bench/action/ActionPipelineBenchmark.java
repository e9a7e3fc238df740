package org.countersignal.bench.action;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.countersignal.server.action.ActionPipeline;
import org.countersignal.server.action.ContentInfo;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.auth.Role;
import org.countersignal.server.match.MatchHit;
import org.countersignal.server.review.Cases;
import org.countersignal.server.rules.Conditions;
import org.countersignal.server.rules.RuleChanges;
import org.countersignal.server.rules.Rules;
import org.countersignal.server.store.Database;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What acting on a match adds to it: the submission and its hits recorded, 50 rules evaluated,
 * the decisions written and the webhook events put in the outbox, in one transaction on the
 * embedded database (a file, as the service runs it) and on PostgreSQL. {@code firing}: how many of the 50 rules
 * fire for the hit and write a decision and an outbox event (0: the match is recorded and the
 * rules evaluated, nothing more).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(1)
public class ActionPipelineBenchmark {

  @Param({"0", "2"})
  public int firing;

  /** The embedded H2 file, or a PostgreSQL started for the run (on this machine, over a local socket). */
  @Param({"h2", "postgresql"})
  public String database;

  private EmbeddedPostgres postgres;

  private Path dir;
  private Database db;
  private Rules rules;
  private ActionPipeline pipeline;
  private List<MatchHit> hits;
  private final Principal platform = new Principal(1, Role.MATCHER);
  private final AtomicLong sequence = new AtomicLong();

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory("countersignal-action-bench");
    if (database.equals("postgresql")) {
      postgres = EmbeddedPostgres.builder().setDataDirectory(dir.resolve("pg")).setCleanDataDirectory(true).start();
      db = Database.openPostgresql(postgres.getJdbcUrl("postgres", "postgres"), null, null);
    } else {
      db = Database.openEmbedded(dir);
    }
    rules = new Rules(db.jdbi());
    Principal admin = new Principal(0, Role.ADMIN);
    // 48 rules on labels the hit does not carry, and `firing` on the one it does.
    List<String> others = List.of("imminent_credible_threat", "graphic_violence_defenceless", "recruitment_and_instruction");
    for (int i = 0; i < 50 - firing; i++) {
      rules.create(admin, new RuleChanges("other " + i, null, true, i, i % 2 == 0 ? "remove" : "review", i % 3 == 0,
          new Conditions(null, List.of(others.get(i % others.size())), null, null, null, null, null, null)));
    }
    for (int i = 0; i < firing; i++) {
      rules.create(admin, new RuleChanges("firing " + i, null, true, 100 + i, i == 0 ? "remove" : "label", false,
          new Conditions(null, List.of("attacker_manifesto"), List.of("pdq"), 31, null, null, null, null)));
    }
    pipeline = new ActionPipeline(db.jdbi(), rules, Duration.ofDays(183), Cases::openMatchCase);
    hits = List.of(new MatchHit(1, "gifct", 101, "pdq", "f".repeat(64), 12, 31, null, List.of("attacker_manifesto"), List.of("group a")));
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    rules.close();
    db.close();
    if (postgres != null) {
      postgres.close();
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public Object submitMatch() {
    long n = sequence.incrementAndGet();
    ContentInfo content = new ContentInfo("post-" + n, "account-" + (n % 1000), null, "image").checked("image");
    return pipeline.submit(platform, content, Map.of("pdq", List.of("f".repeat(64))), hits, null);
  }
}
