package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.ApiKeys;
import org.countersignal.server.bank.BankService;
import org.countersignal.server.bank.EntryService;
import org.countersignal.server.bank.LabelTaxonomy;
import org.countersignal.server.bank.SignalCatalog;
import org.countersignal.server.http.ApiServer;
import org.countersignal.server.match.ChangeFollower;
import org.countersignal.server.match.MatchIndexes;
import org.countersignal.server.match.Matcher;
import org.countersignal.server.match.QueryParser;
import org.countersignal.server.metrics.ServiceMetrics;
import org.countersignal.server.fetch.FetchPolicy;
import org.countersignal.server.fetch.UrlFetcher;
import org.countersignal.server.jobs.JobSettings;
import org.countersignal.server.jobs.VideoJobs;
import org.countersignal.server.store.Database;
import org.countersignal.signals.ContentHasher;
import org.countersignal.signals.image.ImageDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Until the indexes have loaded, the service is not ready and refuses to match (an empty index
 * would answer "no match" for content that is banked). The server is assembled here with the
 * follower held back, so "not loaded yet" lasts as long as the test needs.
 */
class ReadinessTest {

  @TempDir Path dataDir;

  @Test
  void notReadyAndNoMatchingUntilTheIndexesHaveLoaded() throws Exception {
    try (Database database = TestServers.openDatabase(dataDir);
        MatchIndexes indexes = new MatchIndexes();
        ChangeFollower follower = new ChangeFollower(database.jdbi(), indexes);
        UrlFetcher fetcher = new UrlFetcher(FetchPolicy.DEFAULT)) {
      var jdbi = database.jdbi();
      SignalCatalog catalog = new SignalCatalog();
      LabelTaxonomy taxonomy = new LabelTaxonomy(jdbi);
      ApiKeys keys = new ApiKeys(jdbi);
      String admin = keys.createInitialAdminKeyIfNone().orElseThrow().key();
      EntryService entries = new EntryService(jdbi, catalog, taxonomy, () -> { });
      Matcher matcher = new Matcher(jdbi, indexes, follower);
      ContentHasher hasher = new ContentHasher(new ImageDecoder());
      ApiServer.Builder services = ApiServer.builder()
          .keys(keys)
          .banks(new BankService(jdbi, catalog, taxonomy, () -> { }))
          .entries(entries)
          .matcher(matcher)
          .queries(new QueryParser(catalog))
          .hasher(hasher)
          .audit(new AuditLog(jdbi))
          .indexesLoaded(follower::isCaughtUp)
          .databaseReachable(database::isReachable)
          .metrics(new ServiceMetrics(indexes, follower))
          .imports(new org.countersignal.server.bank.EntryImport(jdbi, catalog, taxonomy, () -> { }))
          .fetcher(fetcher)
          .jobs(new VideoJobs(database.dataSource(), jdbi, fetcher, hasher, matcher, entries,
              JobSettings.DEFAULT.withWorkers(0), dataDir.resolve("tmp"), null))
          .scratch(dataDir.resolve("tmp"))
          .labels(taxonomy)
          .rules(new org.countersignal.server.rules.Rules(jdbi, taxonomy, catalog))
          .accounts(new org.countersignal.server.account.Accounts(jdbi, java.time.Duration.ofDays(183)))
          .maxUploadBytes(1 << 20);
      try (ApiServer server = services.build()) {
        server.start("127.0.0.1", 0);
        Api api = new Api(server.port());
        assertThat(api.get("/health/live", null).status()).isEqualTo(200);
        Api.Response ready = api.get("/health/ready", null);
        assertThat(ready.status()).isEqualTo(503);
        assertThat(ready.json().get("indexes_loaded").asBoolean()).isFalse();
        Api.Response match = api.post("/api/v1/match", admin, "{\"signals\":{\"md5\":\"" + "a".repeat(32) + "\"}}");
        assertThat(match.status()).isEqualTo(503);
        assertThat(match.contentType()).startsWith("application/problem+json");

        follower.start(1_000);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!follower.isCaughtUp() && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertThat(api.get("/health/ready", null).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/match", admin, "{\"signals\":{\"md5\":\"" + "a".repeat(32) + "\"}}").status()).isEqualTo(200);
      }
    }
  }
}
