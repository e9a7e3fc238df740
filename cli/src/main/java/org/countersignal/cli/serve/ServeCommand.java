package org.countersignal.cli.serve;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.countersignal.server.CountersignalServer;
import org.countersignal.server.config.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code countersignal serve}: runs the HTTP service until the process is stopped. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
        "Run the Countersignal service: banks, entries, matching, action rules, review, appeals and webhooks over an HTTP API"
            + " under /api/v1, and the web console under /console.",
        "Settings come from defaults, then a configuration file (--config or COUNTERSIGNAL_CONFIG;"
            + " keys port, data-dir, host, max-upload-bytes, max-video-bytes, video-workers, fetch-allow-networks,"
            + " database-url, database-user, database-password, content-retention, secret-key-file,"
            + " max-hits-per-query, max-hits-per-response, max-hits-per-batch, rate-limits, follow-interval, tls-certificate, tls-key,"
            + " hma-prefix, hma-keyless, statement-ground, statement-legal-ground, statement-terms-ground, statement-terms-url,"
            + " statement-territorial-scope),"
            + " then the environment (COUNTERSIGNAL_ and the key in capitals with _ for -: COUNTERSIGNAL_PORT,"
            + " COUNTERSIGNAL_DATA_DIR, COUNTERSIGNAL_DATABASE_URL, COUNTERSIGNAL_DATABASE_PASSWORD, COUNTERSIGNAL_CONTENT_RETENTION and so on; max-upload-bytes only in the file),"
            + " then these options. docs/SERVER.md lists them all.",
        "fetch-allow-networks opens non-public address blocks to URL fetching, each on one port (10.0.0.0/8:8080,"
            + " [fd00::/8]:443) or, written without a port, on ports 80 and 443 only.",
        "With --tls-certificate and --tls-key (PEM files: the certificate chain, and its private key as PKCS#8) the port"
            + " serves HTTPS instead of HTTP (TLS 1.2 and 1.3); a renewed certificate takes a restart.",
        "HMA's API (/h, /m, /c, /status) is served at the root beside /api/v1 for clients of Meta's Hasher-Matcher-Actioner;"
            + " hma-prefix moves it (/hma) or turns it off (off). hma-keyless = KEY_ID@BLOCK[,BLOCK] lets an unchanged HMA"
            + " client call those routes without a key from private address blocks, as that key (off by default); see"
            + " docs/FROM-HMA.md.",
        "Without a database URL the database is an embedded H2 file in the data directory (one process);"
            + " with a jdbc:postgresql: URL any number of serve processes can share one PostgreSQL database.",
        "On the first start with an empty database an admin API key is made and written to the file initial-admin-key"
            + " in the data directory, readable by its owner only; standard error says where. Store the key and delete the file."
    })
public final class ServeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--port", paramLabel = "N", description = "Port to listen on (default 8080; 0 picks a free one).")
  Integer port;

  @Option(names = "--data-dir", paramLabel = "DIR", description = "Folder of the embedded database and local files (default ./data).")
  Path dataDir;

  @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to listen on (default 127.0.0.1, this machine only; 0.0.0.0 opens it to every interface).")
  String host;

  @Option(names = "--database-url", paramLabel = "URL",
      description = "PostgreSQL to use instead of the embedded database, e.g. jdbc:postgresql://db:5432/countersignal.")
  String databaseUrl;

  @Option(names = "--database-user", paramLabel = "NAME", description = "User for --database-url (or put it in the URL).")
  String databaseUser;

  // An option for completeness; the variable or the file keeps the password out of the process list.
  @Option(names = "--database-password", paramLabel = "PASSWORD",
      description = "Password for --database-url; prefer COUNTERSIGNAL_DATABASE_PASSWORD or the file, which process lists do not show.")
  String databasePassword;

  @Option(names = "--tls-certificate", paramLabel = "FILE",
      description = "Serve HTTPS with this certificate chain (PEM: the server's certificate first, then its CAs'); needs --tls-key.")
  Path tlsCertificate;

  @Option(names = "--tls-key", paramLabel = "FILE",
      description = "The certificate's private key (PEM, PKCS#8: -----BEGIN PRIVATE KEY-----), readable by the server's user only.")
  Path tlsKey;

  @Option(names = "--config", paramLabel = "FILE", description = "Configuration file (Java properties).")
  Path configFile;

  @Option(names = "--new-admin-key",
      description = "Make another admin API key at start and write it to initial-admin-key in the data directory"
          + " (for when every admin key is lost).")
  boolean newAdminKey;

  @Override
  public Integer call() throws Exception {
    ServerConfig config;
    try {
      config = resolve(System.getenv());
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("countersignal serve: " + e.getMessage());
      return 2;
    }
    CountDownLatch stop = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    // On SIGTERM / Ctrl-C: ask the server to stop, then hold the JVM until it has closed the
    // database cleanly (the JVM halts as soon as its shutdown hooks return).
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.countDown();
      try {
        stopped.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "countersignal-shutdown"));
    try {
      return serve(config, newAdminKey, spec.commandLine().getErr(), stop);
    } catch (RuntimeException e) {
      // e.g. the port is taken or another process holds the data directory's database
      spec.commandLine().getErr().println("countersignal serve: cannot start: " + e.getMessage());
      return 1;
    } finally {
      stopped.countDown();
    }
  }

  /** Defaults, then the configuration file, then {@code env}, then the options given on the command line. */
  ServerConfig resolve(Map<String, String> env) {
    ServerConfig config = ServerConfig.fromFileAndEnvironment(configFile, env);
    if (port != null) {
      config = config.withPort(port);
    }
    if (dataDir != null) {
      config = config.withDataDir(dataDir);
    }
    if (host != null) {
      config = config.withHost(host);
    }
    if (databaseUrl != null) {
      config = config.withDatabaseUrl(databaseUrl);
    }
    if (databaseUser != null) {
      config = config.withDatabaseUser(databaseUser);
    }
    if (databasePassword != null) {
      config = config.withDatabasePassword(databasePassword);
    }
    if (tlsCertificate != null) {
      config = config.withTlsCertificate(tlsCertificate);
    }
    if (tlsKey != null) {
      config = config.withTlsKey(tlsKey);
    }
    config.checkTls();
    return config;
  }

  /** Starts the server, says where it listens (and where the first admin key was written), and runs until {@code stop}. */
  static int serve(ServerConfig config, boolean newAdminKey, PrintWriter err, CountDownLatch stop) throws InterruptedException {
    try (CountersignalServer server = CountersignalServer.builder(config).newAdminKey(newAdminKey).start()) {
      err.println("countersignal: listening on " + (config.servesHttps() ? "https" : "http") + "://" + config.host() + ":" + server.port()
          + ", data in " + config.dataDir().toAbsolutePath()
          + (config.usesPostgresql() ? ", database " + withoutQuery(config.databaseUrl()) : ""));
      // The key itself stays out of standard error, which is often kept in a log file.
      server.initialAdminKeyFile().ifPresent(file -> {
        err.println("countersignal: made an admin API key and wrote it to " + file + " (readable by this user only).");
        err.println("countersignal: read it with: cat " + file + "  -- then store it somewhere safe and delete the file.");
      });
      err.flush();
      stop.await();
      err.println("countersignal: stopping");
      err.flush();
    }
    return 0;
  }

  // The URL's parameters may carry a password; the address is all the operator needs to see.
  private static String withoutQuery(String url) {
    int query = url.indexOf('?');
    return query < 0 ? url : url.substring(0, query);
  }
}
