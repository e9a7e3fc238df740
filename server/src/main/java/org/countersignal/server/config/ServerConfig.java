package org.countersignal.server.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import org.countersignal.server.auth.RateLimits;
import org.countersignal.server.fetch.FetchPolicy;
import org.countersignal.server.fetch.AllowedNetwork;
import org.countersignal.server.hma.HmaSettings;
import org.countersignal.server.statement.StatementSettings;
import org.countersignal.server.jobs.JobSettings;
import org.countersignal.server.match.HitLimits;

/**
 * How one server process runs. Built from defaults, then a configuration file, then environment
 * variables, then command-line flags (each later source wins); the command line does the flag
 * part.
 *
 * @param host address to listen on; loopback (127.0.0.1) by default, so a server started to try
 *     it out is not open to the network; 0.0.0.0 (or ::) listens on every interface
 * @param port port to listen on; 0 picks a free one (tests)
 * @param dataDir where the embedded database file lives; kept for local files when the database
 *     is PostgreSQL
 * @param maxUploadBytes largest request body accepted
 * @param databaseUrl a {@code jdbc:postgresql:} URL, or null for the embedded H2 file in
 *     {@code dataDir}
 * @param databaseUser user for {@code databaseUrl}, or null (then the URL's own, if any)
 * @param databasePassword password for {@code databaseUrl}, or null (then the URL's own, if any)
 * @param fetchAllowNetworks non-public address blocks and ports content may be fetched from (none by
 *     default); a block without a port is opened on ports 80 and 443 only
 * @param maxVideoBytes largest video accepted, uploaded or fetched
 * @param videoWorkers videos this process hashes at once; 0 leaves video jobs to other replicas
 * @param secretKeyFile the server key that encrypts webhook signing secrets at rest, or null for
 *     {@code secret.key} in {@code dataDir}; replicas on one PostgreSQL must share the same file
 * @param contentRetention how long removed content (signals, metadata, media) is preserved before
 *     it is purged; 183 days (the six months EU Regulation 2021/784 asks for) by default
 * @param hitLimits caps on the hits of one match ({@code max-hits-per-query}, 100;
 *     {@code max-hits-per-response}, 1,000; {@code max-hits-per-batch}, 10,000; see {@link HitLimits})
 * @param rateLimits each role's requests a second and burst per key, for keys without their own;
 *     {@link RateLimits#DEFAULT} unless set
 * @param followInterval how often the indexes poll the change sequence for what other replicas
 *     committed; 1 s by default. On PostgreSQL they are also told of each commit at once (LISTEN),
 *     so the poll is the fallback while that connection is down
 * @param tlsCertificate a PEM file of the certificate chain to serve HTTPS with (the server's own
 *     certificate first), or null to serve plain HTTP; goes with {@code tlsKey}
 * @param tlsKey a PEM file of that certificate's private key (PKCS#8), or null
 * @param hma where the HMA-compatible routes are served and who may call them without a key
 *     ({@code hma-prefix}, {@code hma-keyless}); {@link HmaSettings#DEFAULT} unless set
 * @param statements what statements of reasons say that no record holds ({@code statement-ground},
 *     {@code statement-legal-ground}, {@code statement-terms-ground}, {@code statement-terms-url},
 *     {@code statement-territorial-scope}); {@link StatementSettings#DEFAULT} unless set
 */
public record ServerConfig(String host, int port, Path dataDir, long maxUploadBytes,
    String databaseUrl, String databaseUser, String databasePassword,
    List<AllowedNetwork> fetchAllowNetworks, long maxVideoBytes, int videoWorkers, Path secretKeyFile,
    java.time.Duration contentRetention, HitLimits hitLimits, RateLimits rateLimits, java.time.Duration followInterval,
    Path tlsCertificate, Path tlsKey, HmaSettings hma, StatementSettings statements) {

  public static final int DEFAULT_PORT = 8080;
  public static final Path DEFAULT_DATA_DIR = Path.of("data");
  public static final long DEFAULT_MAX_UPLOAD_BYTES = 20L * 1024 * 1024;

  public static final String ENV_PORT = "COUNTERSIGNAL_PORT";
  public static final String ENV_DATA_DIR = "COUNTERSIGNAL_DATA_DIR";
  public static final String ENV_HOST = "COUNTERSIGNAL_HOST";
  public static final String ENV_CONFIG = "COUNTERSIGNAL_CONFIG";
  public static final String ENV_DATABASE_URL = "COUNTERSIGNAL_DATABASE_URL";
  public static final String ENV_DATABASE_USER = "COUNTERSIGNAL_DATABASE_USER";
  public static final String ENV_DATABASE_PASSWORD = "COUNTERSIGNAL_DATABASE_PASSWORD";
  public static final String ENV_FETCH_ALLOW_NETWORKS = "COUNTERSIGNAL_FETCH_ALLOW_NETWORKS";
  public static final String ENV_MAX_VIDEO_BYTES = "COUNTERSIGNAL_MAX_VIDEO_BYTES";
  public static final String ENV_VIDEO_WORKERS = "COUNTERSIGNAL_VIDEO_WORKERS";
  public static final String ENV_SECRET_KEY_FILE = "COUNTERSIGNAL_SECRET_KEY_FILE";
  public static final String ENV_CONTENT_RETENTION = "COUNTERSIGNAL_CONTENT_RETENTION";
  public static final String ENV_RATE_LIMITS = "COUNTERSIGNAL_RATE_LIMITS";
  public static final String ENV_FOLLOW_INTERVAL = "COUNTERSIGNAL_FOLLOW_INTERVAL";
  public static final String ENV_TLS_CERTIFICATE = "COUNTERSIGNAL_TLS_CERTIFICATE";
  public static final String ENV_TLS_KEY = "COUNTERSIGNAL_TLS_KEY";
  public static final String ENV_HMA_PREFIX = "COUNTERSIGNAL_HMA_PREFIX";
  public static final String ENV_HMA_KEYLESS = "COUNTERSIGNAL_HMA_KEYLESS";
  public static final String ENV_STATEMENT_GROUND = "COUNTERSIGNAL_STATEMENT_GROUND";
  public static final String ENV_STATEMENT_LEGAL_GROUND = "COUNTERSIGNAL_STATEMENT_LEGAL_GROUND";
  public static final String ENV_STATEMENT_TERMS_GROUND = "COUNTERSIGNAL_STATEMENT_TERMS_GROUND";
  public static final String ENV_STATEMENT_TERMS_URL = "COUNTERSIGNAL_STATEMENT_TERMS_URL";
  public static final String ENV_STATEMENT_TERRITORIAL_SCOPE = "COUNTERSIGNAL_STATEMENT_TERRITORIAL_SCOPE";
  public static final java.time.Duration DEFAULT_CONTENT_RETENTION = java.time.Duration.ofDays(183);
  public static final java.time.Duration DEFAULT_FOLLOW_INTERVAL = java.time.Duration.ofSeconds(1);
  public static final long DEFAULT_MAX_VIDEO_BYTES = JobSettings.DEFAULT.maxVideoBytes();
  public static final int DEFAULT_VIDEO_WORKERS = JobSettings.DEFAULT.workers();

  /** The only external database: the embedded H2 file needs no URL. */
  public static final String POSTGRESQL_URL_PREFIX = "jdbc:postgresql:";

  /** Keys of the configuration file (Java properties format). */
  static final Set<String> FILE_KEYS = Set.of("host", "port", "data-dir", "max-upload-bytes",
      "database-url", "database-user", "database-password", "fetch-allow-networks", "max-video-bytes", "video-workers", "secret-key-file",
      "content-retention", "max-hits-per-query", "max-hits-per-response", "max-hits-per-batch", "rate-limits", "follow-interval",
      "tls-certificate", "tls-key", "hma-prefix", "hma-keyless", "statement-ground", "statement-legal-ground", "statement-terms-ground",
      "statement-terms-url", "statement-territorial-scope");

  public ServerConfig {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(dataDir, "dataDir");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535, got " + port);
    }
    if (maxUploadBytes <= 0) {
      throw new IllegalArgumentException("maxUploadBytes must be positive");
    }
    fetchAllowNetworks = List.copyOf(fetchAllowNetworks);
    if (maxVideoBytes <= 0) {
      throw new IllegalArgumentException("maxVideoBytes must be positive");
    }
    if (videoWorkers < 0) {
      throw new IllegalArgumentException("videoWorkers must not be negative");
    }
    if (hitLimits == null) {
      hitLimits = HitLimits.DEFAULT;
    }
    if (rateLimits == null) {
      rateLimits = RateLimits.DEFAULT;
    }
    if (contentRetention == null) {
      contentRetention = DEFAULT_CONTENT_RETENTION;
    }
    if (contentRetention.isNegative() || contentRetention.isZero()) {
      throw new IllegalArgumentException("content retention must be positive, got " + contentRetention);
    }
    if (hma == null) {
      hma = HmaSettings.DEFAULT;
    }
    if (statements == null) {
      statements = StatementSettings.DEFAULT;
    }
    if (followInterval == null) {
      followInterval = DEFAULT_FOLLOW_INTERVAL;
    }
    // Whole milliseconds: the poll is scheduled in them, and 0 would not be a period.
    if (followInterval.toMillis() < 1) {
      throw new IllegalArgumentException("follow interval must be at least 1 ms, got " + followInterval);
    }
    databaseUrl = blankToNull(databaseUrl);
    databaseUser = blankToNull(databaseUser);
    databasePassword = blankToNull(databasePassword);
    // Refused here rather than by the driver at start: an H2 or MySQL URL would otherwise fail
    // with "no suitable driver" or, worse, be taken for something it is not.
    if (databaseUrl != null && !databaseUrl.startsWith(POSTGRESQL_URL_PREFIX)) {
      throw new IllegalArgumentException("database URL must start with " + POSTGRESQL_URL_PREFIX
          + " (leave it out for the embedded database), got " + databaseUrl.substring(0, Math.min(databaseUrl.length(), 40)));
    }
  }

  /** Settings without an external database: the embedded H2 file in {@code dataDir}. */
  public ServerConfig(String host, int port, Path dataDir, long maxUploadBytes) {
    this(host, port, dataDir, maxUploadBytes, null, null, null, List.of(), DEFAULT_MAX_VIDEO_BYTES, DEFAULT_VIDEO_WORKERS, null,
        DEFAULT_CONTENT_RETENTION, HitLimits.DEFAULT, RateLimits.DEFAULT, DEFAULT_FOLLOW_INTERVAL, null, null, HmaSettings.DEFAULT, StatementSettings.DEFAULT);
  }

  public static ServerConfig defaults() {
    return new ServerConfig("127.0.0.1", DEFAULT_PORT, DEFAULT_DATA_DIR, DEFAULT_MAX_UPLOAD_BYTES);
  }

  /** Whether the server listens on HTTPS (else plain HTTP): a certificate is set. */
  public boolean servesHttps() {
    return tlsCertificate != null;
  }

  /**
   * Refuses half of the HTTPS settings: a certificate without its key, or a key without its
   * certificate (apart, each is set without the other while the sources are read one by one).
   *
   * @throws IllegalArgumentException naming the one that is missing
   */
  public void checkTls() {
    if (tlsCertificate != null && tlsKey == null) {
      throw new IllegalArgumentException("tls-certificate is set but tls-key is not: HTTPS needs the certificate's private key too");
    }
    if (tlsKey != null && tlsCertificate == null) {
      throw new IllegalArgumentException("tls-key is set but tls-certificate is not: HTTPS needs the certificate chain too");
    }
  }

  /** Whether the database is an external PostgreSQL (else the embedded H2 file). */
  public boolean usesPostgresql() {
    return databaseUrl != null;
  }

  /**
   * The defaults, then the configuration file ({@code file}, else the one {@link #ENV_CONFIG}
   * names, if any), then the environment: what every command that works on a server's data takes
   * before its own options.
   */
  public static ServerConfig fromFileAndEnvironment(Path file, Map<String, String> env) {
    ServerConfig config = defaults();
    String fromEnv = env.get(ENV_CONFIG);
    if (file == null && fromEnv != null && !fromEnv.isBlank()) {
      file = Path.of(fromEnv.strip());
    }
    if (file != null) {
      config = fromFile(config, file);
    }
    return fromEnvironment(config, env);
  }

  /**
   * {@code base} overridden by a configuration file in Java properties format, e.g.
   * <pre>
   * port = 9000
   * data-dir = /var/lib/countersignal
   * host = 127.0.0.1
   * max-upload-bytes = 10485760
   * database-url = jdbc:postgresql://db.internal:5432/countersignal
   * database-user = countersignal
   * database-password = ...
   * </pre>
   * An unknown key is an error rather than ignored: a misspelt setting should not silently keep
   * its default. A relative {@code data-dir} is taken relative to the file's folder.
   */
  public static ServerConfig fromFile(ServerConfig base, Path file) {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read configuration file " + file + ": " + e.getMessage(), e);
    }
    ServerConfig config = base;
    for (String key : properties.stringPropertyNames()) {
      if (!FILE_KEYS.contains(key)) {
        throw new IllegalArgumentException(file + ": unknown setting '" + key + "'; known: " + String.join(", ", new java.util.TreeSet<>(FILE_KEYS)));
      }
      String value = properties.getProperty(key).strip();
      try {
        config = switch (key) {
          case "host" -> config.withHost(value);
          case "port" -> config.withPort(Integer.parseInt(value));
          case "data-dir" -> {
            Path dir = Path.of(value);
            Path folder = file.toAbsolutePath().getParent();
            yield config.withDataDir(dir.isAbsolute() || folder == null ? dir : folder.resolve(dir));
          }
          case "max-upload-bytes" -> config.withMaxUploadBytes(Long.parseLong(value));
          case "database-url" -> config.withDatabaseUrl(value);
          case "database-user" -> config.withDatabaseUser(value);
          case "database-password" -> config.withDatabasePassword(value);
          case "fetch-allow-networks" -> config.withFetchAllowNetworks(networks(value));
          case "max-video-bytes" -> config.withMaxVideoBytes(Long.parseLong(value));
          case "video-workers" -> config.withVideoWorkers(Integer.parseInt(value));
          case "secret-key-file" -> {
            Path keyFile = Path.of(value);
            Path folder = file.toAbsolutePath().getParent();
            yield config.withSecretKeyFile(keyFile.isAbsolute() || folder == null ? keyFile : folder.resolve(keyFile));
          }
          case "content-retention" -> config.withContentRetention(duration(key, value));
          case "follow-interval" -> config.withFollowInterval(duration(key, value));
          case "max-hits-per-query" -> config.withHitLimits(config.hitLimits().withPerQuery(Integer.parseInt(value)));
          case "max-hits-per-response" -> config.withHitLimits(config.hitLimits().withPerResponse(Integer.parseInt(value)));
          case "max-hits-per-batch" -> config.withHitLimits(config.hitLimits().withPerBatch(Integer.parseInt(value)));
          case "rate-limits" -> config.withRateLimits(config.rateLimits().with(value));
          case "tls-certificate" -> config.withTlsCertificate(besideFile(file, value));
          case "tls-key" -> config.withTlsKey(besideFile(file, value));
          case "hma-prefix" -> config.withHma(config.hma().withPrefix(value));
          case "hma-keyless" -> config.withHma(config.hma().withKeyless(value));
          case "statement-ground" -> config.withStatements(config.statements().withGround(value));
          case "statement-legal-ground" -> config.withStatements(config.statements().withLegalGround(value));
          case "statement-terms-ground" -> config.withStatements(config.statements().withTermsGround(value));
          case "statement-terms-url" -> config.withStatements(config.statements().withTermsUrl(value));
          case "statement-territorial-scope" -> config.withStatements(config.statements().withTerritorialScope(value));
          default -> throw new IllegalStateException(key);
        };
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(file + ": '" + key + "' is not a whole number: " + value, e);
      }
    }
    return config;
  }

  /** Defaults overridden by the {@code COUNTERSIGNAL_*} variables present in {@code env}. */
  public static ServerConfig fromEnvironment(Map<String, String> env) {
    return fromEnvironment(defaults(), env);
  }

  /** {@code base} overridden by the {@code COUNTERSIGNAL_*} variables present in {@code env}. */
  public static ServerConfig fromEnvironment(ServerConfig base, Map<String, String> env) {
    ServerConfig config = base;
    String port = env.get(ENV_PORT);
    if (port != null && !port.isBlank()) {
      try {
        config = config.withPort(Integer.parseInt(port.strip()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(ENV_PORT + " is not a port number: " + port, e);
      }
    }
    String dataDir = env.get(ENV_DATA_DIR);
    if (dataDir != null && !dataDir.isBlank()) {
      config = config.withDataDir(Path.of(dataDir.strip()));
    }
    String host = env.get(ENV_HOST);
    if (host != null && !host.isBlank()) {
      config = config.withHost(host.strip());
    }
    String url = env.get(ENV_DATABASE_URL);
    if (url != null && !url.isBlank()) {
      config = config.withDatabaseUrl(url.strip());
    }
    String user = env.get(ENV_DATABASE_USER);
    if (user != null && !user.isBlank()) {
      config = config.withDatabaseUser(user.strip());
    }
    String networks = env.get(ENV_FETCH_ALLOW_NETWORKS);
    if (networks != null && !networks.isBlank()) {
      config = config.withFetchAllowNetworks(networks(networks));
    }
    String videoBytes = env.get(ENV_MAX_VIDEO_BYTES);
    if (videoBytes != null && !videoBytes.isBlank()) {
      try {
        config = config.withMaxVideoBytes(Long.parseLong(videoBytes.strip()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(ENV_MAX_VIDEO_BYTES + " is not a whole number: " + videoBytes, e);
      }
    }
    String workers = env.get(ENV_VIDEO_WORKERS);
    if (workers != null && !workers.isBlank()) {
      try {
        config = config.withVideoWorkers(Integer.parseInt(workers.strip()));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(ENV_VIDEO_WORKERS + " is not a whole number: " + workers, e);
      }
    }
    String secretKeyFile = env.get(ENV_SECRET_KEY_FILE);
    if (secretKeyFile != null && !secretKeyFile.isBlank()) {
      config = config.withSecretKeyFile(Path.of(secretKeyFile.strip()));
    }
    String retention = env.get(ENV_CONTENT_RETENTION);
    if (retention != null && !retention.isBlank()) {
      try {
        config = config.withContentRetention(duration("content-retention", retention));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(ENV_CONTENT_RETENTION + ": " + e.getMessage(), e);
      }
    }
    String followInterval = env.get(ENV_FOLLOW_INTERVAL);
    if (followInterval != null && !followInterval.isBlank()) {
      try {
        config = config.withFollowInterval(duration("follow-interval", followInterval));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(ENV_FOLLOW_INTERVAL + ": " + e.getMessage(), e);
      }
    }
    config = hitLimits(config, env);
    String rateLimits = env.get(ENV_RATE_LIMITS);
    if (rateLimits != null && !rateLimits.isBlank()) {
      try {
        config = config.withRateLimits(config.rateLimits().with(rateLimits));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(ENV_RATE_LIMITS + ": " + e.getMessage(), e);
      }
    }
    String tlsCertificate = env.get(ENV_TLS_CERTIFICATE);
    if (tlsCertificate != null && !tlsCertificate.isBlank()) {
      config = config.withTlsCertificate(Path.of(tlsCertificate.strip()));
    }
    String tlsKey = env.get(ENV_TLS_KEY);
    if (tlsKey != null && !tlsKey.isBlank()) {
      config = config.withTlsKey(Path.of(tlsKey.strip()));
    }
    String hmaPrefix = env.get(ENV_HMA_PREFIX);
    if (hmaPrefix != null && !hmaPrefix.isBlank()) {
      config = config.withHma(config.hma().withPrefix(hmaPrefix));
    }
    String hmaKeyless = env.get(ENV_HMA_KEYLESS);
    if (hmaKeyless != null && !hmaKeyless.isBlank()) {
      config = config.withHma(config.hma().withKeyless(hmaKeyless));
    }
    config = statements(config, env);
    // Not stripped: a password may end in a space.
    String password = env.get(ENV_DATABASE_PASSWORD);
    if (password != null && !password.isEmpty()) {
      config = config.withDatabasePassword(password);
    }
    return config;
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(host, newPort, dataDir, maxUploadBytes, databaseUrl, databaseUser, databasePassword,
        fetchAllowNetworks, maxVideoBytes, videoWorkers, secretKeyFile, contentRetention, hitLimits, rateLimits, followInterval, tlsCertificate, tlsKey, hma, statements);
  }

  public ServerConfig withDataDir(Path newDataDir) {
    return new ServerConfig(host, port, newDataDir, maxUploadBytes, databaseUrl, databaseUser, databasePassword,
        fetchAllowNetworks, maxVideoBytes, videoWorkers, secretKeyFile, contentRetention, hitLimits, rateLimits, followInterval, tlsCertificate, tlsKey, hma, statements);
  }

  public ServerConfig withHost(String newHost) {
    return new ServerConfig(newHost, port, dataDir, maxUploadBytes, databaseUrl, databaseUser, databasePassword,
        fetchAllowNetworks, maxVideoBytes, videoWorkers, secretKeyFile, contentRetention, hitLimits, rateLimits, followInterval, tlsCertificate, tlsKey, hma, statements);
  }

  public ServerConfig withMaxUploadBytes(long bytes) {
    return new ServerConfig(host, port, dataDir, bytes, databaseUrl, databaseUser, databasePassword,
        fetchAllowNetworks, maxVideoBytes, videoWorkers, secretKeyFile, contentRetention, hitLimits, rateLimits, followInterval, tlsCertificate, tlsKey, hma, statements);
  }

  public ServerConfig withDatabaseUrl(String url) {
    return new ServerConfig(host, port, dataDir, maxUploadBytes, url, databaseUser, databasePassword,
        fetchAllowNetworks, maxVideoBytes, videoWorkers, secretKeyFile, contentRetention, hitLimits, rateLimits, followInterval, tlsCertificate, tlsKey, hma, statements);
  }

  public ServerConfig withDatabaseUser(String user) {
    return new ServerConfig(host, port, dataDir, maxUploadBytes, databaseUrl, user, databasePassword,
        fetchAllowNetworks, maxVideoBytes, videoWorkers, secretKeyFile, contentRetention, hitLimits, rateLimits, followInterval, tlsCertificate, tlsKey, hma, statements);
  }

  public ServerConfig withDatabasePassword(String password) {
    return new ServerConfig(host, port, dataDir, maxUploadBytes, databaseUrl, databaseUser, password,
        fetchAllowNetworks, maxVideoBytes, videoWorkers, secretKeyFile, contentRetention, hitLimits, rateLimits, followInterval, tlsCertificate, tlsKey, hma, statements);
  }

  public ServerConfig withFetchAllowNetworks(List<AllowedNetwork> networks) {
    return new ServerConfig(host, port, dataDir, maxUploadBytes, databaseUrl, databaseUser, databasePassword,
        networks, maxVideoBytes, videoWorkers, secretKeyFile, contentRetention, hitLimits, rateLimits, followInterval, tlsCertificate, tlsKey, hma, statements);
  }

  public ServerConfig withMaxVideoBytes(long bytes) {
    return new ServerConfig(host, port, dataDir, maxUploadBytes, databaseUrl, databaseUser, databasePassword,
        fetchAllowNetworks, bytes, videoWorkers, secretKeyFile, contentRetention, hitLimits, rateLimits, followInterval, tlsCertificate, tlsKey, hma, statements);
  }

  public ServerConfig withVideoWorkers(int workers) {
    return new ServerConfig(host, port, dataDir, maxUploadBytes, databaseUrl, databaseUser, databasePassword,
        fetchAllowNetworks, maxVideoBytes, workers, secretKeyFile, contentRetention, hitLimits, rateLimits, followInterval, tlsCertificate, tlsKey, hma, statements);
  }

  public ServerConfig withSecretKeyFile(Path file) {
    return new ServerConfig(host, port, dataDir, maxUploadBytes, databaseUrl, databaseUser, databasePassword,
        fetchAllowNetworks, maxVideoBytes, videoWorkers, file, contentRetention, hitLimits, rateLimits, followInterval, tlsCertificate, tlsKey, hma, statements);
  }

  public ServerConfig withContentRetention(java.time.Duration retention) {
    return new ServerConfig(host, port, dataDir, maxUploadBytes, databaseUrl, databaseUser, databasePassword,
        fetchAllowNetworks, maxVideoBytes, videoWorkers, secretKeyFile, retention, hitLimits, rateLimits, followInterval, tlsCertificate, tlsKey, hma, statements);
  }

  public ServerConfig withHitLimits(HitLimits limits) {
    return new ServerConfig(host, port, dataDir, maxUploadBytes, databaseUrl, databaseUser, databasePassword,
        fetchAllowNetworks, maxVideoBytes, videoWorkers, secretKeyFile, contentRetention, limits, rateLimits, followInterval, tlsCertificate, tlsKey, hma, statements);
  }

  public static final String ENV_MAX_HITS_PER_QUERY = "COUNTERSIGNAL_MAX_HITS_PER_QUERY";
  public static final String ENV_MAX_HITS_PER_RESPONSE = "COUNTERSIGNAL_MAX_HITS_PER_RESPONSE";
  public static final String ENV_MAX_HITS_PER_BATCH = "COUNTERSIGNAL_MAX_HITS_PER_BATCH";

  private static ServerConfig hitLimits(ServerConfig config, Map<String, String> env) {
    HitLimits limits = config.hitLimits();
    limits = limits.withPerQuery(wholeNumber(env, ENV_MAX_HITS_PER_QUERY, limits.perQuery()));
    limits = limits.withPerResponse(wholeNumber(env, ENV_MAX_HITS_PER_RESPONSE, limits.perResponse()));
    limits = limits.withPerBatch(wholeNumber(env, ENV_MAX_HITS_PER_BATCH, limits.perBatch()));
    return config.withHitLimits(limits);
  }

  private static int wholeNumber(Map<String, String> env, String name, int otherwise) {
    String value = env.get(name);
    if (value == null || value.isBlank()) {
      return otherwise;
    }
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " is not a whole number: " + value, e);
    }
  }

  public ServerConfig withRateLimits(RateLimits limits) {
    return new ServerConfig(host, port, dataDir, maxUploadBytes, databaseUrl, databaseUser, databasePassword,
        fetchAllowNetworks, maxVideoBytes, videoWorkers, secretKeyFile, contentRetention, hitLimits, limits, followInterval, tlsCertificate, tlsKey, hma, statements);
  }

  public ServerConfig withFollowInterval(java.time.Duration interval) {
    return new ServerConfig(host, port, dataDir, maxUploadBytes, databaseUrl, databaseUser, databasePassword,
        fetchAllowNetworks, maxVideoBytes, videoWorkers, secretKeyFile, contentRetention, hitLimits, rateLimits, interval, tlsCertificate, tlsKey, hma, statements);
  }

  public ServerConfig withTlsCertificate(Path file) {
    return new ServerConfig(host, port, dataDir, maxUploadBytes, databaseUrl, databaseUser, databasePassword,
        fetchAllowNetworks, maxVideoBytes, videoWorkers, secretKeyFile, contentRetention, hitLimits, rateLimits, followInterval, file, tlsKey, hma, statements);
  }

  public ServerConfig withTlsKey(Path file) {
    return new ServerConfig(host, port, dataDir, maxUploadBytes, databaseUrl, databaseUser, databasePassword,
        fetchAllowNetworks, maxVideoBytes, videoWorkers, secretKeyFile, contentRetention, hitLimits, rateLimits, followInterval, tlsCertificate, file, hma, statements);
  }

  public ServerConfig withHma(HmaSettings settings) {
    return new ServerConfig(host, port, dataDir, maxUploadBytes, databaseUrl, databaseUser, databasePassword,
        fetchAllowNetworks, maxVideoBytes, videoWorkers, secretKeyFile, contentRetention, hitLimits, rateLimits, followInterval, tlsCertificate, tlsKey,
        settings, statements);
  }

  public ServerConfig withStatements(StatementSettings settings) {
    return new ServerConfig(host, port, dataDir, maxUploadBytes, databaseUrl, databaseUser, databasePassword,
        fetchAllowNetworks, maxVideoBytes, videoWorkers, secretKeyFile, contentRetention, hitLimits, rateLimits, followInterval, tlsCertificate, tlsKey,
        hma, settings);
  }

  private static ServerConfig statements(ServerConfig config, Map<String, String> env) {
    StatementSettings settings = config.statements();
    String ground = env.get(ENV_STATEMENT_GROUND);
    if (ground != null && !ground.isBlank()) {
      settings = settings.withGround(ground);
    }
    String legal = env.get(ENV_STATEMENT_LEGAL_GROUND);
    if (legal != null && !legal.isBlank()) {
      settings = settings.withLegalGround(legal);
    }
    String terms = env.get(ENV_STATEMENT_TERMS_GROUND);
    if (terms != null && !terms.isBlank()) {
      settings = settings.withTermsGround(terms);
    }
    String url = env.get(ENV_STATEMENT_TERMS_URL);
    if (url != null && !url.isBlank()) {
      settings = settings.withTermsUrl(url);
    }
    String scope = env.get(ENV_STATEMENT_TERRITORIAL_SCOPE);
    if (scope != null && !scope.isBlank()) {
      settings = settings.withTerritorialScope(scope);
    }
    return config.withStatements(settings);
  }

  /** {@code value} as a path, a relative one taken relative to the folder of the configuration {@code file}. */
  private static Path besideFile(Path file, String value) {
    Path path = Path.of(value);
    Path folder = file.toAbsolutePath().getParent();
    return path.isAbsolute() || folder == null ? path : folder.resolve(path);
  }

  /** The file of the key that encrypts webhook signing secrets: the one set, else {@code secret.key} in the data directory. */
  public Path secretKeyPath() {
    return secretKeyFile != null ? secretKeyFile : dataDir.resolve("secret.key");
  }

  /** The folder under which folder exchanges may watch folders: {@code exchange-folders} in the data directory. */
  public Path exchangeFolderRoot() {
    return dataDir.resolve("exchange-folders");
  }

  /** How content is fetched from URLs, with the networks this configuration opens. */
  public FetchPolicy fetchPolicy() {
    return FetchPolicy.DEFAULT.withAllowedNetworks(fetchAllowNetworks);
  }

  /** How video jobs run under this configuration. */
  public JobSettings jobSettings() {
    return JobSettings.DEFAULT.withMaxVideoBytes(maxVideoBytes).withWorkers(videoWorkers);
  }

  /**
   * The value of setting {@code key} as a duration: ISO-8601 ({@code P183D}, {@code PT12H}) or a
   * whole number with a unit ({@code 183d}, {@code 12h}, {@code 30m}, {@code 90s}, {@code 500ms}).
   */
  static java.time.Duration duration(String key, String text) {
    String value = text.strip();
    java.util.regex.Matcher withUnit = java.util.regex.Pattern.compile("(?i)(\\d{1,9})\\s*(ms|[dhms])").matcher(value);
    if (withUnit.matches()) {
      long n = Long.parseLong(withUnit.group(1));
      return switch (withUnit.group(2).toLowerCase(java.util.Locale.ROOT)) {
        case "d" -> java.time.Duration.ofDays(n);
        case "h" -> java.time.Duration.ofHours(n);
        case "m" -> java.time.Duration.ofMinutes(n);
        case "ms" -> java.time.Duration.ofMillis(n);
        default -> java.time.Duration.ofSeconds(n);
      };
    }
    try {
      return java.time.Duration.parse(value);
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(key + " is not a duration: " + text + " (write e.g. P183D, 183d, 1s or 500ms)", e);
    }
  }

  /** {@code 10.0.0.0/8:8080, [fd00::/8]:443}: comma-separated address blocks, each with an optional port. */
  static List<AllowedNetwork> networks(String text) {
    List<AllowedNetwork> networks = new java.util.ArrayList<>();
    for (String part : text.split(",")) {
      if (!part.isBlank()) {
        networks.add(AllowedNetwork.parse(part));
      }
    }
    return networks;
  }

  /** Never prints the password (configurations end up in logs and error messages). */
  @Override
  public String toString() {
    return "ServerConfig[host=" + host + ", port=" + port + ", dataDir=" + dataDir + ", maxUploadBytes=" + maxUploadBytes
        + ", databaseUrl=" + (databaseUrl == null ? null : databaseUrl.replaceAll("(?i)(password=)[^&;]*", "$1(set)"))
        + ", databaseUser=" + databaseUser
        + ", databasePassword=" + (databasePassword == null ? "null" : "(set)")
        + ", fetchAllowNetworks=" + fetchAllowNetworks + ", maxVideoBytes=" + maxVideoBytes + ", videoWorkers=" + videoWorkers + ", secretKeyFile=" + secretKeyFile
        + ", contentRetention=" + contentRetention + ", hitLimits=" + hitLimits + ", rateLimits=" + rateLimits
        + ", followInterval=" + followInterval + ", tlsCertificate=" + tlsCertificate + ", tlsKey=" + tlsKey + "]";
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value;
  }
}
