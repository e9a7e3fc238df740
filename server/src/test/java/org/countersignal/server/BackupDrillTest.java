package org.countersignal.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.MessageDigest;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.countersignal.server.config.ServerConfig;
import org.countersignal.server.webhook.WebhookSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The backup and restore drill of docs/BACKUP.md, on each database, done as an operator does it:
 * a backup taken while the server runs, restored into a new place, a server started on the copy,
 * and everything banked before the backup matches again, with its secrets intact; what came
 * after the backup is not there.
 */
class BackupDrillTest {

  @TempDir Path dir;
  final Random random = new Random(20261205);

  /** What was banked and configured before the backup, and one entry banked after it. */
  private record Banked(Map<String, String> signals, long webhook, String webhookSecret, String adminKey) {}

  private Banked bank(Api api, String admin, WebhookReceiver receiver) {
    long bank = api.post("/api/v1/banks", admin, "{\"name\":\"drill\"}").json().get("id").asLong();
    Map<String, String> signals = new LinkedHashMap<>();
    for (int i = 0; i < 20; i++) {
      signals.put(MatchTest.randomPdq(random), "pdq");
    }
    signals.put(HexFormat.of().formatHex(new byte[16]).replace('0', 'a'), "md5");
    signals.put("https://example.org/manifesto.pdf", "url");
    for (Map.Entry<String, String> s : signals.entrySet()) {
      Api.Response made = api.post("/api/v1/banks/" + bank + "/entries", admin,
          "{\"signals\":{\"" + s.getValue() + "\":\"" + s.getKey() + "\"}}");
      assertThat(made.status()).as(made.body()).isEqualTo(201);
    }
    Api.Response hook = api.post("/api/v1/webhooks", admin, "{\"url\":\"" + receiver.url() + "\",\"event_types\":[\"*\"]}");
    assertThat(hook.status()).as(hook.body()).isEqualTo(201);
    return new Banked(signals, hook.json().get("id").asLong(), hook.json().get("secret").asText(), admin);
  }

  private static String addAfterBackup(Api api, String key, Random random) {
    String later = MatchTest.randomPdq(random);
    long bank = api.get("/api/v1/banks", key).json().at("/items/0/id").asLong();
    assertThat(api.post("/api/v1/banks/" + bank + "/entries", key, "{\"signals\":{\"pdq\":\"" + later + "\"}}").status()).isEqualTo(201);
    return later;
  }

  /** A server on the restored copy: every entry from before the backup matches, its secrets work, the later one is absent. */
  private static void theCopyHoldsWhatTheBackupHeld(ServerConfig restored, Banked banked, String later, WebhookReceiver receiver)
      throws Exception {
    try (CountersignalServer server = CountersignalServer.builder(restored).start()) {
      assertThat(server.awaitReady(Duration.ofSeconds(60))).isTrue();
      Api api = new Api(server.port());
      String key = banked.adminKey();
      List<String> missing = new ArrayList<>();
      banked.signals().forEach((value, type) -> {
        if (!TestServers.matches(api, key, type, value)) {
          missing.add(type + ":" + value);
        }
      });
      assertThat(missing).as("entries banked before the backup that no longer match").isEmpty();
      assertThat(TestServers.matches(api, key, "pdq", later)).as("banked after the backup").isFalse();

      int before = receiver.received().size();
      assertThat(api.post("/api/v1/webhooks/" + banked.webhook() + "/test", key, null).status()).isEqualTo(202);
      WebhookReceiver.await("the restored server's test delivery", () -> receiver.received().size() > before);
      WebhookReceiver.Received got = receiver.received().getLast();
      assertThat(WebhookSignature.verify(banked.webhookSecret(), Long.parseLong(got.header("Countersignal-Timestamp")), got.body(),
          got.header("Countersignal-Signature"))).as("signed with the secret from before the backup").isTrue();

      assertThat(api.post("/api/v1/audit/seal", key, null).status()).isEqualTo(200);
      JsonNode verified = api.get("/api/v1/audit/verification", key).json();
      assertThat(verified.get("intact").asBoolean()).as(verified.toString()).isTrue();
    }
  }

  @Test
  void theEmbeddedDatabaseIsBackedUpWhileItRunsAndRestoredByUnzipping() throws Exception {
    assumeFalse(TestDatabases.postgresql(), "the embedded database's drill; PostgreSQL's is the other test");
    Path data = dir.resolve("data");
    Path restoredDir = dir.resolve("restored");
    try (WebhookReceiver receiver = new WebhookReceiver()) {
      Banked banked;
      String later;
      Path zip;
      try (CountersignalServer server = TestServers.start(data)) {
        Api api = new Api(server.port());
        banked = bank(api, server.initialAdminKey().orElseThrow(), receiver);
        Api.Response made = api.post("/api/v1/backups", banked.adminKey(), null);
        assertThat(made.status()).as(made.body()).isEqualTo(201);
        zip = data.resolve("backups").resolve(made.json().get("name").asText());
        assertThat(zip).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(zip))).isEqualTo("rw-------");
        assertThat(made.json().get("bytes").asLong()).isEqualTo(Files.size(zip));
        assertThat(made.json().get("sha256").asText())
            .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(zip))));
        assertThat(api.get("/api/v1/backups", banked.adminKey()).json().at("/items/0/name").asText()).isEqualTo(zip.getFileName().toString());
        assertThat(api.get("/api/v1/audit?limit=1000", banked.adminKey()).body()).contains("backup.made");
        later = addAfterBackup(api, banked.adminKey(), random);
      }

      // The restore of docs/BACKUP.md: the zip unpacked into a new data directory, the server key copied beside it.
      Files.createDirectories(restoredDir);
      try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
        for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
          Path target = restoredDir.resolve(entry.getName()).normalize();
          assertThat(target.startsWith(restoredDir)).isTrue();
          Files.copy(in, target);
        }
      }
      assertThat(restoredDir.resolve("countersignal.mv.db")).exists();
      Files.copy(data.resolve("secret.key"), restoredDir.resolve("secret.key"));
      theCopyHoldsWhatTheBackupHeld(TestServers.config(restoredDir), banked, later, receiver);
    }
  }

  @Test
  void onPostgresqlTheBackupRouteSaysToUseTheDatabasesTools() {
    assumeTrue(TestDatabases.postgresql(), "the PostgreSQL run's refusal");
    try (CountersignalServer server = TestServers.start(dir.resolve("data"))) {
      Api api = new Api(server.port());
      Api.Response refused = api.post("/api/v1/backups", server.initialAdminKey().orElseThrow(), null);
      assertThat(refused.status()).isEqualTo(409);
      assertThat(refused.body()).contains("pg_dump");
    }
  }

  // --- PostgreSQL with its own tools: pg_dump and pg_restore need a server of their version or older,
  // so this drill runs the distribution's PostgreSQL (Debian's postgresql package) rather than the
  // tests' embedded one.

  /** The bin folder of the newest PostgreSQL of the distribution, or null when none is installed. */
  private static Path distributionPostgres() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return null;
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions.map(v -> v.resolve("bin"))
          .filter(bin -> Files.isExecutable(bin.resolve("pg_dump")) && Files.isExecutable(bin.resolve("postgres")))
          .max(Comparator.comparing(bin -> Integer.parseInt(bin.getParent().getFileName().toString().replaceAll("\\D", "0"))))
          .orElse(null);
    }
  }

  /** Runs {@code command} as the user {@code postgres} when this process is root (PostgreSQL refuses root), and waits. */
  private static Process run(boolean root, List<String> command) throws IOException {
    List<String> full = new ArrayList<>();
    if (root) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    return new ProcessBuilder(full).redirectErrorStream(true).start();
  }

  private static String finish(Process process) throws Exception {
    String output;
    try (InputStream in = process.getInputStream()) {
      output = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  @Test
  void postgresqlIsBackedUpWithPgDumpWhileItRunsAndRestoredWithPgRestore() throws Exception {
    assumeTrue(TestDatabases.postgresql(), "PostgreSQL's drill runs in the PostgreSQL run");
    Path bin = distributionPostgres();
    if (bin == null) {
      String why = "no PostgreSQL under /usr/lib/postgresql (Debian: apt-get install postgresql), so no pg_dump drill";
      assertThat(System.getenv("COUNTERSIGNAL_BACKUP_DRILL_REQUIRED")).as(why + ", and CI requires it").isNotEqualTo("true");
      System.err.println("BackupDrillTest: " + why + ": SKIPPED");
      assumeTrue(false, why);
    }
    boolean root = "root".equals(System.getProperty("user.name"));
    Path cluster = dir.resolve("pg");
    Files.createDirectories(cluster);
    if (root) {
      UserPrincipal postgres = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      Files.setOwner(cluster, postgres);
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    }
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    finish(run(root, List.of(bin.resolve("initdb").toString(), "-D", cluster.resolve("data").toString(), "-U", "postgres", "-A", "trust",
        "--no-sync")));
    Process postgresServer = run(root, List.of(bin.resolve("postgres").toString(), "-D", cluster.resolve("data").toString(),
        "-p", Integer.toString(port), "-k", cluster.toString(), "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"));
    String base = "jdbc:postgresql://127.0.0.1:" + port + "/";
    try {
      WebhookReceiver.await("PostgreSQL " + bin.getParent().getFileName() + " accepts connections", () -> {
        try (var c = DriverManager.getConnection(base + "postgres", "postgres", "")) {
          c.createStatement().execute("CREATE DATABASE countersignal");
          c.createStatement().execute("CREATE DATABASE restored");
          return true;
        } catch (java.sql.SQLException e) {
          return false;
        }
      });
      Path dump = dir.resolve("countersignal.dump");
      try (WebhookReceiver receiver = new WebhookReceiver()) {
        ServerConfig live = TestServers.config(dir.resolve("data")).withDatabaseUrl(base + "countersignal").withDatabaseUser("postgres");
        Banked banked;
        String later;
        try (CountersignalServer server = CountersignalServer.builder(live).start()) {
          assertThat(server.awaitReady(Duration.ofSeconds(60))).isTrue();
          Api api = new Api(server.port());
          banked = bank(api, server.initialAdminKey().orElseThrow(), receiver);
          // docs/BACKUP.md: pg_dump's custom format, taken while the server runs.
          finish(new ProcessBuilder(bin.resolve("pg_dump").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres",
              "-Fc", "-f", dump.toString(), "countersignal").redirectErrorStream(true).start());
          later = addAfterBackup(api, banked.adminKey(), random);
        }
        finish(new ProcessBuilder(bin.resolve("pg_restore").toString(), "-h", "127.0.0.1", "-p", Integer.toString(port), "-U", "postgres",
            "--no-owner", "-d", "restored", dump.toString()).redirectErrorStream(true).start());
        Path restoredDir = dir.resolve("restored");
        Files.createDirectories(restoredDir);
        Files.copy(dir.resolve("data").resolve("secret.key"), restoredDir.resolve("secret.key"));
        theCopyHoldsWhatTheBackupHeld(TestServers.config(restoredDir).withDatabaseUrl(base + "restored").withDatabaseUser("postgres"),
            banked, later, receiver);
      }
    } finally {
      postgresServer.destroy();
      postgresServer.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
