package org.countersignal.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.countersignal.server.audit.AuditArchive;
import org.countersignal.server.audit.AuditChain;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.ApiKeys;
import org.countersignal.server.auth.CreatedKey;
import org.countersignal.server.bank.BankService;
import org.countersignal.server.bank.EntryService;
import org.countersignal.server.bank.LabelTaxonomy;
import org.countersignal.server.bank.SignalCatalog;
import org.countersignal.server.signal.ServerSignalType;
import org.countersignal.server.config.ServerConfig;
import org.countersignal.server.bank.FollowedEntries;
import org.countersignal.server.exchange.ExchangeContext;
import org.countersignal.server.exchange.ExchangeCredentials;
import org.countersignal.server.exchange.ExchangeFetcher;
import org.countersignal.server.exchange.ExchangeKinds;
import org.countersignal.server.exchange.Exchanges;
import org.countersignal.server.fetch.FetchPolicy;
import org.countersignal.server.discovery.Discovery;
import org.countersignal.server.flood.FloodGuard;
import org.countersignal.server.flood.FloodSettings;
import org.countersignal.server.fetch.UrlFetcher;
import org.countersignal.server.incident.IncidentStates;
import org.countersignal.server.incident.Incidents;
import org.countersignal.server.incident.report.Debriefs;
import org.countersignal.server.jobs.JobSettings;
import org.countersignal.server.jobs.VideoJobs;
import org.countersignal.server.http.ApiServer;
import org.countersignal.server.match.ChangeFollower;
import org.countersignal.server.match.IndexSnapshots;
import org.countersignal.server.match.IndexCompactor;
import org.countersignal.server.match.MatchIndexes;
import org.countersignal.server.match.Matcher;
import org.countersignal.server.match.QueryParser;
import org.countersignal.server.metrics.ServiceMetrics;
import org.countersignal.server.rules.Rules;
import org.countersignal.server.action.ActionPipeline;
import org.countersignal.server.action.Submissions;
import org.countersignal.server.review.Appeals;
import org.countersignal.server.review.Cases;
import org.countersignal.server.review.ReviewQueue;
import org.countersignal.server.account.Accounts;
import org.countersignal.server.retention.Retention;
import org.countersignal.server.store.ChangeNotifications;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.DataDirectory;
import org.countersignal.server.store.Database;
import org.countersignal.server.webhook.SecretBox;
import org.countersignal.server.webhook.WebhookDispatcher;
import org.countersignal.server.webhook.WebhookService;
import org.countersignal.server.webhook.WebhookSettings;
import org.countersignal.signals.ContentHasher;
import org.countersignal.signals.document.DocumentLimits;
import org.countersignal.signals.vpdq.VideoLimits;
import org.countersignal.signals.image.ImageDecoder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running Countersignal service: database, indexes following the change sequence, HTTP API.
 * {@link #start} returns once the port is open; the indexes load in the background and
 * {@code /health/ready} says when they have.
 */
public final class CountersignalServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(CountersignalServer.class);
  private static final long EXPIRY_SECONDS = 10;
  private static final long JOB_SWEEP_SECONDS = 60;
  /** How often the audit records committed since the last seal are sealed: how long a new record may stay outside the chain. */
  private static final long AUDIT_SEAL_SECONDS = 10;
  private static final long SNAPSHOT_SECONDS = 600;
  private static final long INDEX_COMPACTION_CHECK_SECONDS = 15;
  /** How often removal orders' clocks are looked at for alerts to send: well inside the ten minutes between two alerts. */
  private static final long ORDER_ALERT_SECONDS = 15;
  /** How long a reviewer's claim on a case holds. */
  private static final Duration REVIEW_LEASE = Duration.ofMinutes(15);
  /** Where, in the data directory, an admin key made at start is written for the operator. */
  public static final String INITIAL_ADMIN_KEY_FILE = "initial-admin-key";

  private final Database database;
  private final MatchIndexes indexes;
  private final ChangeFollower follower;
  private final ApiServer api;
  private final VideoJobs jobs;
  private final UrlFetcher fetcher;
  private final CreatedKey initialAdminKey;
  private Path initialAdminKeyFile;
  /**
   * The most data the embedded file's rewrite at a stop takes on: about 25 s of work at the rate
   * measured (docs/BENCHMARKS.md), inside the 30 s `countersignal serve` waits for a stop.
   */
  static final long COMPACT_AT_STOP_MAX_DATA_BYTES = 1L << 30;

  private final ScheduledExecutorService housekeeping;
  // Set once started, closed before the database.
  private WebhookDispatcher webhooks;
  private ExchangeFetcher exchangeFetcher;
  private org.countersignal.server.userreport.UserReports userReports;
  // Null on the embedded database, which has no other process to hear from.
  private ChangeNotifications changeNotifications;
  private FloodGuard floods;
  private Discovery discovery;
  private final Rules rules;
  private final Retention retention;

  private CountersignalServer(Database database, MatchIndexes indexes, ChangeFollower follower, ApiServer api,
      VideoJobs jobs, UrlFetcher fetcher, CreatedKey initialAdminKey, ScheduledExecutorService housekeeping, Rules rules,
      Retention retention) {
    this.jobs = jobs;
    this.fetcher = fetcher;
    this.housekeeping = housekeeping;
    this.rules = rules;
    this.retention = retention;
    this.database = database;
    this.indexes = indexes;
    this.follower = follower;
    this.api = api;
    this.initialAdminKey = initialAdminKey;
  }

  /** Starts a server with {@code config}; the builder's other settings default to what it says. */
  public static Builder builder(ServerConfig config) {
    return new Builder(config);
  }

  /** How to start: the configuration, and what tests and the command line may set beside it. */
  public static final class Builder {

    private final ServerConfig config;
    private boolean newAdminKey;
    private FetchPolicy fetch;
    private JobSettings jobSettings;
    private WebhookSettings webhookSettings = WebhookSettings.DEFAULT;
    private org.countersignal.server.exchange.ExchangeSettings exchangeSettings = org.countersignal.server.exchange.ExchangeSettings.DEFAULT;
    private java.time.Clock clock = java.time.Clock.systemUTC();
    private List<ServerSignalType> extraSignalTypes = List.of();
    private List<org.countersignal.server.exchange.SignalExchange<?, ?>> extraExchangeKinds = List.of();

    private Builder(ServerConfig config) {
      this.config = config;
      this.fetch = config.fetchPolicy();
      this.jobSettings = config.jobSettings();
    }

    /**
     * Make an admin key even though keys exist (for when every admin key is lost); it is returned
     * by {@link #initialAdminKey()} like the first one.
     */
    public Builder newAdminKey(boolean newAdminKey) {
      this.newAdminKey = newAdminKey;
      return this;
    }

    /** How content is fetched from URLs callers give (default: the configuration's). */
    public Builder fetchPolicy(FetchPolicy fetch) {
      this.fetch = fetch;
      return this;
    }

    /** How video jobs run (default: the configuration's). */
    public Builder jobSettings(JobSettings jobSettings) {
      this.jobSettings = jobSettings;
      return this;
    }

    /** How webhooks are delivered (tests shorten retries). */
    public Builder webhookSettings(WebhookSettings webhookSettings) {
      this.webhookSettings = webhookSettings;
      return this;
    }

    /** How exchanges are fetched (tests poll more often). */
    public Builder exchangeSettings(org.countersignal.server.exchange.ExchangeSettings exchangeSettings) {
      this.exchangeSettings = exchangeSettings;
      return this;
    }

    /** The time of every row the service writes and every deadline it checks (tests move it). */
    public Builder clock(java.time.Clock clock) {
      this.clock = clock;
      return this;
    }

    /**
     * Signal types to bank and match besides the built-in ones, after them: the one way in for a
     * type that is not built in (see docs/SIGNAL-TYPES.md).
     */
    public Builder extraSignalTypes(List<ServerSignalType> types) {
      this.extraSignalTypes = List.copyOf(types);
      return this;
    }

    /** Exchange kinds besides the built-in ones: the one way in for a kind that is not built in. */
    public Builder extraExchangeKinds(List<org.countersignal.server.exchange.SignalExchange<?, ?>> kinds) {
      this.extraExchangeKinds = List.copyOf(kinds);
      return this;
    }

    /** Opens the database, starts the HTTP port and the background work; returns once the port is open. */
    public CountersignalServer start() {
      return CountersignalServer.start(this);
    }
  }

  private static CountersignalServer start(Builder settings) {
    ServerConfig config = settings.config;
    boolean newAdminKey = settings.newAdminKey;
    FetchPolicy fetch = settings.fetch;
    JobSettings jobSettings = settings.jobSettings;
    WebhookSettings webhookSettings = settings.webhookSettings;
    java.time.Clock clock = settings.clock;
    // Read before anything else is opened: a bad certificate or key stops the start with its reason.
    config.checkTls();
    org.countersignal.server.tls.ServerCertificate tls = config.servesHttps()
        ? org.countersignal.server.tls.ServerCertificate.read(config.tlsCertificate(), config.tlsKey(), clock.instant())
        : null;
    Database database = Database.open(config.dataDir(), config.databaseUrl(), config.databaseUser(), config.databasePassword());
    Clock.use(database.jdbi(), clock);
    SignalCatalog catalog = new SignalCatalog(EntryService.videos(database.jdbi()), EntryService.values(database.jdbi()),
        settings.extraSignalTypes);
    MatchIndexes indexes = new MatchIndexes(catalog);
    ChangeFollower follower = new ChangeFollower(database.jdbi(), indexes,
        new IndexSnapshots(config.dataDir().toAbsolutePath().resolve("index-snapshot")));
    ApiServer api = null;
    UrlFetcher fetcher = null;
    VideoJobs jobs = null;
    WebhookDispatcher webhookDispatcher = null;
    ExchangeFetcher exchangeFetcher = null;
    Rules rules = null;
    Retention retention = null;
    ChangeNotifications changeNotifications = null;
    org.countersignal.server.userreport.UserReports userReports = null;
    ScheduledExecutorService housekeeping = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "countersignal-housekeeping");
      t.setDaemon(true);
      return t;
    });
    try {
      var jdbi = database.jdbi();
      LabelTaxonomy taxonomy = new LabelTaxonomy(jdbi);
      rules = new Rules(jdbi, taxonomy, catalog);
      ApiKeys keys = new ApiKeys(jdbi, config.rateLimits());
      // The change is committed whatever happens here; if applying it fails, the poll retries,
      // and the caller must not see an error for a change that took place.
      Runnable changesCommitted = () -> {
        try {
          follower.catchUp();
        } catch (RuntimeException e) {
          LOG.warn("Applying committed changes to the indexes failed; the next poll retries", e);
        }
      };
      EntryService entries = new EntryService(jdbi, catalog, taxonomy, changesCommitted);
      Matcher matcher = new Matcher(jdbi, indexes, follower, config.hitLimits());
      ContentHasher hasher = new ContentHasher(new ImageDecoder(), VideoLimits.DEFAULT, DocumentLimits.DEFAULT, true);
      Path scratch = config.dataDir().toAbsolutePath().resolve("tmp");
      fetcher = new UrlFetcher(fetch);
      ActionPipeline actions = new ActionPipeline(jdbi, rules, config.contentRetention(), Cases::openMatchCase);
      FloodGuard floods = new FloodGuard(jdbi, entries, FloodSettings.DEFAULT);
      matcher.countHitsWith(floods.counter());
      jobs = new VideoJobs(database.dataSource(), jdbi, fetcher, hasher, matcher, entries, jobSettings, scratch, actions);
      SecretBox secrets = SecretBox.fromKeyFile(config.secretKeyPath());
      if (Files.exists(SecretBox.nextKeyFile(config.secretKeyPath()))) {
        LOG.warn("A rotation of the server key did not finish ({} is left): stop the servers and run `countersignal server-key rotate`"
            + " again", SecretBox.nextKeyFile(config.secretKeyPath()));
      }
      AuditChain auditChain = new AuditChain(jdbi, secrets.derivedKey(AuditChain.MAC_KEY_PURPOSE));
      webhookDispatcher = new WebhookDispatcher(database.dataSource(), jdbi, config.usesPostgresql(), secrets, webhookSettings);
      WebhookService webhookService = new WebhookService(jdbi, secrets, webhookDispatcher::wakeUp);
      BankService banks = new BankService(jdbi, catalog, taxonomy, changesCommitted);
      banks.onChanged(matcher::banksChanged);
      IncidentStates incidentStates = new IncidentStates(jdbi);
      rules.useIncidents(incidentStates);
      Discovery discovery = new Discovery(jdbi, matcher, entries, incidentStates);
      jobs.rememberUnmatchedIn(discovery);
      ExchangeKinds exchangeKinds = ExchangeKinds.builtIn(settings.extraExchangeKinds);
      // Made before the exchanges: their reports of opinions name this instance by its key's id.
      org.countersignal.server.federation.Feeds feeds = new org.countersignal.server.federation.Feeds(jdbi, keys, secrets,
          follower.reached(), taxonomy);
      ExchangeContext exchangeContext = exchangeContext(config, settings.exchangeSettings, clock, feeds::instanceId);
      ExchangeCredentials exchangeCredentials = new ExchangeCredentials(secrets);
      exchangeFetcher = new ExchangeFetcher(database.dataSource(), jdbi, exchangeCredentials, exchangeKinds, new FollowedEntries(catalog),
          exchangeContext, settings.exchangeSettings, changesCommitted, follower::catchUpSoon);
      Exchanges exchanges = new Exchanges(jdbi, exchangeKinds, banks, taxonomy, exchangeCredentials, exchangeContext,
          exchangeFetcher::wakeUp);
      org.countersignal.server.incident.SharedIncidents sharedIncidents = new org.countersignal.server.incident.SharedIncidents(jdbi,
          exchanges, incidentStates, feeds::instanceId);
      exchangeFetcher.offerIncidentsTo(sharedIncidents);
      var feedOpinions = new org.countersignal.server.federation.FeedOpinions(jdbi, catalog, changesCommitted, feeds::instanceId);
      feedOpinions.reportSeenTo(new org.countersignal.server.incident.PeerReports());
      org.countersignal.server.order.Orders orders = new org.countersignal.server.order.Orders(jdbi);
      org.countersignal.server.console.Console console = org.countersignal.server.console.Console.create(jdbi, keys,
          new org.countersignal.server.console.SignInTokens(
              secrets.derivedKey(org.countersignal.server.console.Console.SIGN_IN_KEY_PURPOSE), clock));
      ReviewQueue reviewQueue = new ReviewQueue(jdbi, actions, rules, entries, REVIEW_LEASE);
      userReports = new org.countersignal.server.userreport.UserReports(jdbi, actions.retention());
      reviewQueue.onDecided(userReports);
      api = ApiServer.builder()
          .keys(keys)
          .banks(banks)
          .entries(entries)
          .matcher(matcher)
          .queries(new QueryParser(catalog))
          .hasher(hasher)
          .audit(new AuditLog(jdbi))
          .auditChain(auditChain)
          .auditArchive(new AuditArchive(jdbi))
          .backups(new org.countersignal.server.backup.Backups(database, config.dataDir()))
          .indexesLoaded(follower::isCaughtUp)
          .databaseReachable(database::isReachable)
          .metrics(new ServiceMetrics(indexes, follower))
          .imports(new org.countersignal.server.bank.EntryImport(jdbi, catalog, taxonomy, changesCommitted))
          .fetcher(fetcher)
          .jobs(jobs)
          .scratch(scratch)
          .labels(taxonomy)
          .rules(rules)
          .accounts(new Accounts(jdbi, config.contentRetention()))
          .actions(actions)
          .submissions(new Submissions(jdbi))
          .reviewQueue(reviewQueue)
          .userReports(userReports)
          .statements(new org.countersignal.server.statement.Statements(jdbi, config.statements()))
          .appeals(new Appeals(jdbi, Appeals.DEFAULT_DEADLINE))
          .console(console)
          .maxUploadBytes(config.maxUploadBytes())
          .webhooks(webhookService)
          .exchanges(exchanges)
          .feeds(feeds)
          .incidents(new Incidents(jdbi, banks, incidentStates, feeds))
          .sharedIncidents(sharedIncidents)
          .debriefs(new Debriefs(jdbi))
          .transparency(new org.countersignal.server.transparency.TransparencyReports(jdbi))
          .tls(tls)
          .feedOpinions(feedOpinions)
          .hma(config.hma(), new org.countersignal.server.hma.HmaStore(jdbi))
          .orders(orders, new org.countersignal.server.order.OrderAuthorities(jdbi))
          .floods(floods)
          .discovery(discovery)
          .streams(new org.countersignal.server.stream.Streams(jdbi, matcher, incidentStates))
          .build();
      api.start(config.host(), config.port());
      // Only once the port is open: a key made by a start that then fails would never be shown,
      // and with a key in the table no later start would make another.
      CreatedKey initial = keys.createInitialAdminKeyIfNone().orElse(null);
      if (initial == null && newAdminKey) {
        initial = keys.createAdminKeyAtStart();
      }
      Path initialKeyFile = null;
      if (initial != null) {
        // A file only the owner can read, not standard error: that often ends up in a log file
        // that others can read and that is kept long after the key was stored somewhere safe.
        initialKeyFile = config.dataDir().toAbsolutePath().resolve(INITIAL_ADMIN_KEY_FILE);
        DataDirectory.writeOwnerOnly(initialKeyFile, (initial.key() + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        LOG.warn("Created an admin API key (id {}, {}...) and wrote it to {} (readable by this user only);"
            + " store it somewhere safe and delete the file", initial.id(), initial.keyPrefix(), initialKeyFile);
      }
      // Other replicas' changes: told of at once on PostgreSQL, and polled for in any case, so
      // they still arrive while the listening connection is down.
      follower.start(config.followInterval().toMillis());
      if (!database.isEmbedded()) {
        changeNotifications = ChangeNotifications.start(database, follower::catchUpQuietly);
      }
      jobs.start();
      webhookDispatcher.start();
      exchangeFetcher.start();
      rules.start();
      retention = new Retention(database.dataSource(), jdbi, config.contentRetention());
      retention.start();
      VideoJobs videoJobs = jobs;
      housekeeping.scheduleWithFixedDelay(() -> {
        try {
          videoJobs.ensureScheduled();
          int deleted = videoJobs.deleteExpired();
          if (deleted > 0) {
            LOG.info("Deleted {} finished video jobs past their retention time", deleted);
          }
        } catch (RuntimeException e) {
          LOG.warn("Video job housekeeping failed; retrying later", e);
        }
      }, JOB_SWEEP_SECONDS, JOB_SWEEP_SECONDS, TimeUnit.SECONDS);
      // A restart then loads the indexes from disk and replays only what came after.
      housekeeping.scheduleWithFixedDelay(() -> saveSnapshot(follower), SNAPSHOT_SECONDS, SNAPSHOT_SECONDS, TimeUnit.SECONDS);
      IndexCompactor compactor = new IndexCompactor(follower, System::nanoTime);
      housekeeping.scheduleWithFixedDelay(() -> compactIndexes(compactor, follower),
          INDEX_COMPACTION_CHECK_SECONDS, INDEX_COMPACTION_CHECK_SECONDS, TimeUnit.SECONDS);
      // Entries disabled "until" a time come back by themselves once it has passed.
      housekeeping.scheduleWithFixedDelay(() -> {
        try {
          int enabled = entries.enableExpired(Clock.now(jdbi));
          if (enabled > 0) {
            LOG.info("Re-enabled {} entries whose disabled-until time has passed", enabled);
          }
        } catch (RuntimeException e) {
          LOG.warn("Re-enabling expired disables failed; retrying later", e);
        }
      }, EXPIRY_SECONDS, EXPIRY_SECONDS, TimeUnit.SECONDS);
      // The audit records committed since the last seal, sealed into the chain.
      housekeeping.scheduleWithFixedDelay(auditChain::sealQuietly, AUDIT_SEAL_SECONDS, AUDIT_SEAL_SECONDS, TimeUnit.SECONDS);
      // Other replicas' changes of incidents, which rules read from memory.
      housekeeping.scheduleWithFixedDelay(incidentStates::reloadQuietly, IncidentStates.REFRESH_MILLIS, IncidentStates.REFRESH_MILLIS,
          TimeUnit.MILLISECONDS);
      // Entries whose hits jump far above their baseline, held back from automatic action.
      housekeeping.scheduleWithFixedDelay(() -> {
        try {
          floods.check().forEach(flood -> LOG.warn("Held entry {} of bank {} back from automatic action: {} hits in the last hour"
              + " against {} an hour before; a curator releases or disables it (GET /api/v1/floods)", flood.entryId(), flood.bankId(),
              flood.matches(), flood.baseline()));
        } catch (RuntimeException e) {
          LOG.warn("Checking for floods failed; the counts are kept for the next check", e);
        }
      }, FloodGuard.CHECK_INTERVAL.toSeconds(), FloodGuard.CHECK_INTERVAL.toSeconds(), TimeUnit.SECONDS);
      // On its own thread: clustering a day's uploads takes seconds that the housekeeping's alerts cannot wait.
      discovery.start();
      // Removal orders' one-hour clocks: alerts at 30, 10 and 0 minutes left, as webhook events.
      housekeeping.scheduleWithFixedDelay(() -> {
        try {
          int sent = orders.sendDueAlerts();
          if (sent > 0) {
            LOG.info("Sent {} removal order deadline alerts", sent);
          }
        } catch (RuntimeException e) {
          LOG.warn("Sending removal order alerts failed; retrying later", e);
        }
      }, ORDER_ALERT_SECONDS, ORDER_ALERT_SECONDS, TimeUnit.SECONDS);
      // Console sessions past their time no longer sign anyone in; this only clears their rows.
      housekeeping.scheduleWithFixedDelay(() -> {
        try {
          console.sessions().deleteExpired();
        } catch (RuntimeException e) {
          LOG.warn("Deleting expired console sessions failed; retrying later", e);
        }
      }, JOB_SWEEP_SECONDS, JOB_SWEEP_SECONDS, TimeUnit.SECONDS);
      LOG.info("Countersignal listening on {}://{}:{}, data in {}", config.servesHttps() ? "https" : "http", config.host(), api.port(),
          config.dataDir().toAbsolutePath());
      if (tls != null) {
        LOG.info("Serving HTTPS with the certificate of {} from {}", tls.subject(), config.tlsCertificate());
      }
      if (listensEverywhere(config.host())) {
        LOG.warn("LISTENING ON EVERY NETWORK INTERFACE ({}:{}): anyone who can reach this machine can reach the API and the "
            + "console; put {}a firewall in front, or set host to 127.0.0.1", config.host(), api.port(), tls != null ? "" : "TLS and ");
      }
      CountersignalServer server = new CountersignalServer(database, indexes, follower, api, jobs, fetcher, initial, housekeeping, rules, retention);
      server.initialAdminKeyFile = initialKeyFile;
      server.webhooks = webhookDispatcher;
      server.exchangeFetcher = exchangeFetcher;
      server.changeNotifications = changeNotifications;
      server.floods = floods;
      server.discovery = discovery;
      server.userReports = userReports;
      return server;
    } catch (RuntimeException e) {
      housekeeping.shutdownNow();
      if (retention != null) {
        retention.close();
      }
      if (rules != null) {
        rules.close();
      }
      if (api != null) {
        api.close();
      }
      if (userReports != null) {
        userReports.close();
      }
      if (webhookDispatcher != null) {
        webhookDispatcher.close();
      }
      if (exchangeFetcher != null) {
        exchangeFetcher.close();
      }
      if (jobs != null) {
        jobs.close();
      }
      if (fetcher != null) {
        fetcher.close();
      }
      if (changeNotifications != null) {
        changeNotifications.close();
      }
      follower.close();
      indexes.close();
      database.close();
      throw e;
    }
  }

  /** What exchange kinds get: an HTTP client that follows no redirects, the request timeout, the folder root (made if missing). */
  private static ExchangeContext exchangeContext(ServerConfig config, org.countersignal.server.exchange.ExchangeSettings settings,
      java.time.Clock clock, java.util.function.Supplier<String> instanceId) {
    Path root = config.exchangeFolderRoot().toAbsolutePath();
    // Made owner-only like the rest of the data directory; once it exists, what operators put or
    // mount there keeps its own permissions.
    if (!java.nio.file.Files.exists(root)) {
      DataDirectory.prepare(root);
    }
    java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
        .connectTimeout(settings.requestTimeout())
        .followRedirects(java.net.http.HttpClient.Redirect.NEVER)
        .build();
    return new ExchangeContext(http, settings.requestTimeout(), root, clock, instanceId);
  }

  private static void compactIndexes(IndexCompactor compactor, ChangeFollower follower) {
    try {
      if (!compactor.check().isEmpty()) {
        saveSnapshot(follower);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stopping
    } catch (RuntimeException e) {
      LOG.warn("Compacting the indexes failed; trying again later", e);
    }
  }

  private static void saveSnapshot(ChangeFollower follower) {
    try {
      follower.saveSnapshot();
    } catch (java.io.IOException | RuntimeException e) {
      LOG.warn("Writing the index snapshot failed; the next start replays more of the change sequence", e);
    }
  }

  /** The flood guard, whose check runs once a minute; tests run it when they need it. */
  public FloodGuard floodGuard() {
    return floods;
  }

  /** How the indexes were loaded (snapshot position, changes replayed, time); null until they are. */
  public ChangeFollower.LoadReport indexLoadReport() {
    return follower.loadReport();
  }

  /** Every HTTP route with the roles it admits. */
  public java.util.List<ApiServer.Route> routes() {
    return api.routes();
  }

  public int port() {
    return api.port();
  }

  /**
   * The admin key made at this start: because the database had no key (first start), or because
   * one was asked for; empty otherwise.
   */
  public Optional<String> initialAdminKey() {
    return Optional.ofNullable(initialAdminKey).map(CreatedKey::key);
  }

  /** The owner-only file the key of {@link #initialAdminKey()} was written to; empty when no key was made. */
  public Optional<Path> initialAdminKeyFile() {
    return Optional.ofNullable(initialAdminKeyFile);
  }

  public boolean isReady() {
    return follower.isCaughtUp();
  }

  /** Waits until the indexes have loaded; false if {@code timeout} passed first. */
  public boolean awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!follower.isCaughtUp()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(10);
    }
    return true;
  }

  @Override
  public void close() {
    follower.reached().close(); // first: the waits for updates answer while the database is open
    housekeeping.shutdownNow();
    retention.close();
    rules.close();
    api.close();
    if (userReports != null) {
      userReports.close();
    }
    if (webhooks != null) {
      webhooks.close();
    }
    if (exchangeFetcher != null) {
      exchangeFetcher.close();
    }
    jobs.close();
    if (discovery != null) {
      discovery.close(); // after the API and the jobs: nothing more is queued
    }
    fetcher.close();
    if (changeNotifications != null) {
      changeNotifications.close();
    }
    saveSnapshot(follower);
    follower.close();
    indexes.close();
    database.closeCompacting(COMPACT_AT_STOP_MAX_DATA_BYTES);
  }

  /** Whether {@code host} is the wildcard address (0.0.0.0, ::), which listens on every interface. */
  static boolean listensEverywhere(String host) {
    try {
      return java.net.InetAddress.getByName(host).isAnyLocalAddress();
    } catch (java.net.UnknownHostException e) {
      return false;
    }
  }
}
