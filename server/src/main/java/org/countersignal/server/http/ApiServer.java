package org.countersignal.server.http;

import org.countersignal.server.match.HitParts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.javalin.router.ParsedEndpoint;
import io.javalin.security.RouteRole;
import io.javalin.security.Roles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Locale;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.countersignal.server.audit.AuditArchive;
import org.countersignal.server.audit.AuditChain;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.backup.Backups;
import org.countersignal.server.auth.ApiKeys;
import org.countersignal.server.auth.Role;
import org.countersignal.server.metrics.ServiceMetrics;
import org.countersignal.server.bank.BankService;
import org.countersignal.server.bank.EntryService;
import org.countersignal.server.bank.LabelTaxonomy;
import org.countersignal.server.fetch.UrlFetcher;
import org.countersignal.server.hashing.HashingPool;
import org.countersignal.server.jobs.VideoJobs;
import org.countersignal.server.match.Matcher;
import org.countersignal.server.match.QueryParser;
import org.countersignal.server.store.SqlStates;
import org.countersignal.signals.ContentHasher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of the service: routes, authentication, and one error path that turns every
 * refusal into an RFC 9457 problem detail. Nothing here decides anything a service should.
 */
public final class ApiServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);

  /**
   * What the routes need, set by the server assembly; a part left unset serves no routes where
   * that is allowed (the console, webhooks) and tests of other parts leave it so.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Collects the services; {@link #build} makes the server (not yet listening). */
  public static final class Builder {

    private ApiKeys keys;
    private BankService banks;
    private EntryService entries;
    private Matcher matcher;
    private QueryParser queries;
    private ContentHasher hasher;
    private AuditLog audit;
    private AuditChain auditChain;
    private AuditArchive auditArchive;
    private Backups backups;
    private BooleanSupplier indexesLoaded;
    private BooleanSupplier databaseReachable;
    private ServiceMetrics metrics;
    private org.countersignal.server.bank.EntryImport imports;
    private UrlFetcher fetcher;
    private VideoJobs jobs;
    private Path scratch;
    private LabelTaxonomy labels;
    private org.countersignal.server.rules.Rules rules;
    private org.countersignal.server.account.Accounts accounts;
    private org.countersignal.server.action.ActionPipeline actions;
    private org.countersignal.server.action.Submissions submissions;
    private org.countersignal.server.review.ReviewQueue reviewQueue;
    private org.countersignal.server.review.Appeals appeals;
    private org.countersignal.server.console.Console console;
    private long maxUploadBytes = org.countersignal.server.config.ServerConfig.DEFAULT_MAX_UPLOAD_BYTES;
    private org.countersignal.server.webhook.WebhookService webhooks;
    private org.countersignal.server.exchange.Exchanges exchanges;
    private org.countersignal.server.federation.Feeds feeds;
    private org.countersignal.server.tls.ServerCertificate tls;
    private org.countersignal.server.federation.FeedOpinions feedOpinions;
    private org.countersignal.server.incident.Incidents incidents;
    private org.countersignal.server.incident.SharedIncidents sharedIncidents;
    private org.countersignal.server.incident.report.Debriefs debriefs;
    private org.countersignal.server.hma.HmaSettings hma = org.countersignal.server.hma.HmaSettings.DEFAULT;
    private org.countersignal.server.hma.HmaStore hmaStore;
    private org.countersignal.server.order.Orders orders;
    private org.countersignal.server.order.OrderAuthorities orderAuthorities;

    private org.countersignal.server.userreport.UserReports userReports;
    private org.countersignal.server.transparency.TransparencyReports transparency;
    private org.countersignal.server.statement.Statements statements;
    private org.countersignal.server.flood.FloodGuard floods;
    private org.countersignal.server.stream.Streams streams;
    private org.countersignal.server.discovery.Discovery discovery;

    private Builder() {}

    /** Variant discovery; unset keeps no recent signals and serves none of its routes. */
    public Builder discovery(org.countersignal.server.discovery.Discovery discovery) {
      this.discovery = discovery;
      return this;
    }

    /** Livestreams; unset serves none of their routes. */
    public Builder streams(org.countersignal.server.stream.Streams streams) {
      this.streams = streams;
      return this;
    }

    /** The flood guard's held entries; unset serves none of their routes. */
    public Builder floods(org.countersignal.server.flood.FloodGuard floods) {
      this.floods = floods;
      return this;
    }

    /** Transparency reports; unset serves none of their routes. */
    public Builder transparency(org.countersignal.server.transparency.TransparencyReports transparency) {
      this.transparency = transparency;
      return this;
    }

    /** Statements of reasons made from the records; unset serves none of their routes. */
    public Builder statements(org.countersignal.server.statement.Statements statements) {
      this.statements = statements;
      return this;
    }

    /** Reports from users and trusted flaggers; unset serves none of their routes. */
    public Builder userReports(org.countersignal.server.userreport.UserReports userReports) {
      this.userReports = userReports;
      return this;
    }

    /** TCO removal orders and the list of authorities that issue them; unset serves none of their routes. */
    public Builder orders(org.countersignal.server.order.Orders orders, org.countersignal.server.order.OrderAuthorities authorities) {
      this.orders = orders;
      this.orderAuthorities = authorities;
      return this;
    }

    /** Where HMA's routes are served and who may call them without a key; they need {@link #hmaStore} too. */
    public Builder hma(org.countersignal.server.hma.HmaSettings hma, org.countersignal.server.hma.HmaStore hmaStore) {
      this.hma = hma;
      this.hmaStore = hmaStore;
      return this;
    }

    public Builder keys(ApiKeys keys) {
      this.keys = keys;
      return this;
    }

    public Builder banks(BankService banks) {
      this.banks = banks;
      return this;
    }

    public Builder entries(EntryService entries) {
      this.entries = entries;
      return this;
    }

    public Builder matcher(Matcher matcher) {
      this.matcher = matcher;
      return this;
    }

    public Builder queries(QueryParser queries) {
      this.queries = queries;
      return this;
    }

    public Builder hasher(ContentHasher hasher) {
      this.hasher = hasher;
      return this;
    }

    public Builder audit(AuditLog audit) {
      this.audit = audit;
      return this;
    }

    public Builder auditArchive(AuditArchive auditArchive) {
      this.auditArchive = auditArchive;
      return this;
    }

    public Builder auditChain(AuditChain auditChain) {
      this.auditChain = auditChain;
      return this;
    }

    public Builder backups(Backups backups) {
      this.backups = backups;
      return this;
    }

    public Builder indexesLoaded(BooleanSupplier indexesLoaded) {
      this.indexesLoaded = indexesLoaded;
      return this;
    }

    public Builder databaseReachable(BooleanSupplier databaseReachable) {
      this.databaseReachable = databaseReachable;
      return this;
    }

    public Builder metrics(ServiceMetrics metrics) {
      this.metrics = metrics;
      return this;
    }

    public Builder imports(org.countersignal.server.bank.EntryImport imports) {
      this.imports = imports;
      return this;
    }

    public Builder fetcher(UrlFetcher fetcher) {
      this.fetcher = fetcher;
      return this;
    }

    public Builder jobs(VideoJobs jobs) {
      this.jobs = jobs;
      return this;
    }

    public Builder scratch(Path scratch) {
      this.scratch = scratch;
      return this;
    }

    public Builder labels(LabelTaxonomy labels) {
      this.labels = labels;
      return this;
    }

    public Builder rules(org.countersignal.server.rules.Rules rules) {
      this.rules = rules;
      return this;
    }

    public Builder accounts(org.countersignal.server.account.Accounts accounts) {
      this.accounts = accounts;
      return this;
    }

    public Builder actions(org.countersignal.server.action.ActionPipeline actions) {
      this.actions = actions;
      return this;
    }

    public Builder submissions(org.countersignal.server.action.Submissions submissions) {
      this.submissions = submissions;
      return this;
    }

    public Builder reviewQueue(org.countersignal.server.review.ReviewQueue reviewQueue) {
      this.reviewQueue = reviewQueue;
      return this;
    }

    public Builder appeals(org.countersignal.server.review.Appeals appeals) {
      this.appeals = appeals;
      return this;
    }

    public Builder console(org.countersignal.server.console.Console console) {
      this.console = console;
      return this;
    }

    public Builder maxUploadBytes(long maxUploadBytes) {
      this.maxUploadBytes = maxUploadBytes;
      return this;
    }

    /** The webhook endpoints admins manage; unset serves no webhook routes. */
    public Builder webhooks(org.countersignal.server.webhook.WebhookService webhooks) {
      this.webhooks = webhooks;
      return this;
    }

    /** The feeds this instance publishes; unset serves no feed routes. */
    public Builder feeds(org.countersignal.server.federation.Feeds feeds) {
      this.feeds = feeds;
      return this;
    }

    /** What the peers of this instance's feeds send back; unset serves no opinion route. */
    public Builder sharedIncidents(org.countersignal.server.incident.SharedIncidents sharedIncidents) {
      this.sharedIncidents = sharedIncidents;
      return this;
    }

    public Builder incidents(org.countersignal.server.incident.Incidents incidents) {
      this.incidents = incidents;
      return this;
    }

    /** Incidents' figures, charts and debriefs; unset serves none of their routes. */
    public Builder debriefs(org.countersignal.server.incident.report.Debriefs debriefs) {
      this.debriefs = debriefs;
      return this;
    }

    public Builder feedOpinions(org.countersignal.server.federation.FeedOpinions feedOpinions) {
      this.feedOpinions = feedOpinions;
      return this;
    }

    /** The exchanges admins configure; unset serves no exchange routes. */
    public Builder exchanges(org.countersignal.server.exchange.Exchanges exchanges) {
      this.exchanges = exchanges;
      return this;
    }

    /** The certificate to serve HTTPS with; unset serves plain HTTP. */
    public Builder tls(org.countersignal.server.tls.ServerCertificate tls) {
      this.tls = tls;
      return this;
    }

    public ApiServer build() {
      return new ApiServer(this);
    }
  }

  private final Javalin app;
  private final ObjectMapper mapper;
  private final HashingPool hashing;
  // Null when HMA's routes are not served.
  private final HmaRoutes hmaRoutes;
  // A folder on the data directory's disk: whether that disk is full when a write fails.
  private final Path scratch;
  // Where to listen, known at start; the HTTPS connector is made then.
  private volatile String listenHost;
  private volatile int listenPort;

  private ApiServer(Builder services) {
    long maxUploadBytes = services.maxUploadBytes;
    var webhooks = services.webhooks;
    this.mapper = JsonMapping.create();
    RequestBodies bodies = new RequestBodies(mapper);
    Authenticator authenticator = new Authenticator(services.keys, services.hma);
    this.hashing = new HashingPool(HashingPool.defaultThreads());
    this.scratch = services.scratch;
    HitParts parts = new HitParts(services.matcher.catalog(), services.entries::locations);
    ContentRoutes content = new ContentRoutes(services.matcher, services.entries, services.hasher, hashing, services.fetcher, services.jobs,
        bodies, maxUploadBytes, services.scratch, services.metrics, services.actions, parts, services.discovery);
    org.countersignal.server.console.MatchTestPages matchTest = services.console == null || services.hasher == null
        || services.fetcher == null || services.queries == null ? null
        : new org.countersignal.server.console.MatchTestPages(new org.countersignal.server.console.MatchTestRun(services.matcher,
            services.queries, services.hasher, hashing, services.fetcher, parts, maxUploadBytes), services.banks);
    StreamRoutes streamRoutes = services.streams == null ? null : new StreamRoutes(services.streams, content, bodies);
    this.hmaRoutes = services.hma.served() && services.hmaStore != null
        ? new HmaRoutes(services.hma.prefix(), services.banks, services.entries, services.matcher, services.queries, content,
            services.hmaStore, services.exchanges, authenticator, services.indexesLoaded, mapper)
        : null;
    this.app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.concurrency.useVirtualThreads = true;
      config.jsonMapper(new JavalinJackson(mapper, true));
      // Uploads are checked against their limits by the routes (413 as a problem); Jetty's cap
      // sits just above the largest so a body is never buffered far beyond it.
      config.http.maxRequestSize = content.maxBodyBytes() + 1;
      // A path that exists with another method is a wrong method (405 with Allow), not a missing page.
      config.http.prefer405over404 = true;
      BodyLimits limits = new BodyLimits(RequestBodies.MAX_JSON_BYTES, mapper);
      content.limitBodies(limits);
      ImportRoutes.limitBodies(limits);
      if (streamRoutes != null) {
        streamRoutes.limitBodies(limits, maxUploadBytes);
      }
      if (services.orders != null) {
        OrderRoutes.limitBodies(limits);
      }
      long largestPart = 0;
      if (hmaRoutes != null) {
        hmaRoutes.limitBodies(limits);
        largestPart = content.maxWholeBytes() + 1;
      }
      if (services.orders != null && services.console != null) {
        // The console's order forms carry the order's document, capped as the API's document route is.
        org.countersignal.server.console.OrderPages.UPLOAD_PATHS
            .forEach(path -> limits.formRoute("POST", path, org.countersignal.server.console.OrderPages.MAX_UPLOAD_BYTES));
        // Parts may be as large as the whole form, so the form's cap, which answers 413, is the one that holds.
        largestPart = Math.max(largestPart, org.countersignal.server.console.OrderPages.MAX_UPLOAD_BYTES + 1);
      }
      if (matchTest != null) {
        // The match tester's form carries a file of at most an image's size, and a few fields besides.
        limits.formRoute("POST", org.countersignal.server.console.MatchTestPages.PATH, maxUploadBytes + BodyLimits.FORM_BYTES);
        largestPart = Math.max(largestPart, maxUploadBytes + BodyLimits.FORM_BYTES + 1);
      }
      if (largestPart > 0) {
        // HMA's uploads and the console's order documents are multipart forms: a part larger than
        // this is spooled to the scratch folder, not held.
        config.jetty.multipartConfig.cacheDirectory(services.scratch.toString());
        config.jetty.multipartConfig.maxFileSize(largestPart, io.javalin.config.SizeUnit.BYTES);
        config.jetty.multipartConfig.maxInMemoryFileSize(1, io.javalin.config.SizeUnit.MB);
      }
      config.jetty.modifyServer(server -> server.insertHandler(limits));
      if (services.tls != null) {
        // In place of Javalin's plain connector: the same port, HTTPS only.
        config.jetty.addConnector((server, http) -> HttpsConnector.create(server, http, services.tls, listenHost, listenPort));
      }
      config.requestLogger.http((ctx, millis) -> services.metrics.request(
          ctx.method().name(),
          Authenticator.routeOf(ctx),
          ctx.statusCode(),
          Duration.ofNanos((long) (millis * 1_000_000))));
      config.routes.before(authenticator::authenticate);
      config.routes.beforeMatched(authenticator::authorize);
      if (services.incidents != null) {
        config.routes.beforeMatched(new IncidentScope(services.incidents, services.entries, authenticator)::check);
      }
      new HealthRoutes(services.indexesLoaded, services.databaseReachable).register(config.routes);
      new KeyRoutes(services.keys, bodies).register(config.routes);
      new BankRoutes(services.banks, bodies).register(config.routes);
      new LabelRoutes(services.labels, bodies).register(config.routes);
      new EntryRoutes(services.entries, bodies).register(config.routes);
      new ImportRoutes(services.imports, services.hmaStore == null ? null
          : new org.countersignal.server.hma.HmaImport(services.banks, services.entries, services.imports, services.hmaStore), mapper, bodies)
          .register(config.routes);
      new MatchRoutes(services.matcher, services.queries, bodies, services.metrics, services.actions, parts, services.discovery)
          .register(config.routes);
      content.register(config.routes);
      new JobRoutes(services.jobs).register(config.routes);
      new RuleRoutes(services.rules, bodies).register(config.routes);
      new AccountRoutes(services.accounts, bodies).register(config.routes);
      new ReviewRoutes(services.reviewQueue, services.appeals, services.submissions, bodies).register(config.routes);
      config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(services.metrics.scrape()),
          Role.ADMIN, Role.CURATOR, Role.MATCHER, Role.AUDITOR, Role.REVIEWER, Role.COORDINATOR);
      new AuditRoutes(services.audit, services.auditChain, services.auditArchive, bodies).register(config.routes);
      new BackupRoutes(services.backups).register(config.routes);
      if (webhooks != null) {
        new WebhookRoutes(webhooks, bodies).register(config.routes);
      }
      if (services.exchanges != null) {
        new ExchangeRoutes(services.exchanges, bodies).register(config.routes);
      }
      if (services.feeds != null) {
        new FeedRoutes(services.feeds, bodies).register(config.routes);
      }
      if (services.incidents != null) {
        new IncidentRoutes(services.incidents, services.sharedIncidents, bodies).register(config.routes);
      }
      if (services.orders != null) {
        new OrderRoutes(services.orders, services.orderAuthorities, bodies).register(config.routes);
      }
      if (services.userReports != null) {
        new UserReportRoutes(services.userReports, bodies).register(config.routes);
      }
      if (services.statements != null) {
        new StatementRoutes(services.statements).register(config.routes);
      }
      if (services.floods != null) {
        new FloodRoutes(services.floods, bodies).register(config.routes);
      }
      if (services.discovery != null) {
        new DiscoveryRoutes(services.discovery, bodies).register(config.routes);
      }
      if (streamRoutes != null) {
        streamRoutes.register(config.routes);
      }
      if (services.debriefs != null) {
        new IncidentReportRoutes(services.debriefs).register(config.routes);
      }
      if (services.transparency != null) {
        new TransparencyRoutes(services.transparency, bodies).register(config.routes);
      }
      if (services.feedOpinions != null) {
        new FeedOpinionRoutes(services.feedOpinions, bodies).register(config.routes);
      }
      new OpenApiRoutes(services.matcher.catalog()).register(config.routes);
      if (hmaRoutes != null) {
        hmaRoutes.register(config.routes);
      }
      if (services.console != null) { // null: an assembly that tests the API alone
        new UserRoutes(services.console.users(), bodies).register(config.routes);
        new org.countersignal.server.console.ConsoleRoutes(services.console, services.keys, services.banks,
            services.reviewQueue == null ? null : new org.countersignal.server.console.ReviewPages(services.console, services.reviewQueue, services.labels,
                services.banks, services.userReports), services.rules, services.exchanges,
            services.incidents == null ? null : new org.countersignal.server.console.IncidentPages(services.console, services.incidents,
                services.sharedIncidents, services.entries, services.matcher.catalog().names(), services.debriefs),
            services.orders == null ? null : new org.countersignal.server.console.OrderPages(services.console, services.orders,
                services.orderAuthorities),
            services.floods == null ? null : new org.countersignal.server.console.FloodPages(services.console, services.floods),
            services.streams == null ? null : new org.countersignal.server.console.StreamPages(services.streams),
            services.discovery == null ? null : new org.countersignal.server.console.ProposalPages(services.console, services.discovery,
                services.banks, services.entries, services.reviewQueue != null),
            new org.countersignal.server.console.BankEntryPages(services.console, services.banks, services.entries, services.audit,
                services.matcher.catalog().names()),
            matchTest,
            services.transparency == null ? null : new org.countersignal.server.console.TransparencyPages(services.console,
                services.transparency))
            .register(config.routes);
      }

      config.routes.exception(RequestException.class, (e, ctx) -> {
        if (e.retryAfterSeconds() > 0) {
          ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
        }
        problem(ctx, e.kind().status(), e.kind(), e.getMessage(), e.field());
      });
      config.routes.exception(HttpResponseException.class, (e, ctx) -> problem(ctx, e.getStatus(), null, e.getMessage(), null));
      config.routes.exception(Exception.class, this::unexpected);
      config.routes.error(404, "*", ctx -> {
        if (ctx.result() == null || ctx.result().isEmpty()) {
          problem(ctx, 404, Kind.NOT_FOUND, "no such resource: " + ctx.method() + " " + ctx.path(), null);
        }
      });
      // Javalin writes its own plain 405 body; the problem detail replaces it.
      config.routes.error(405, "*", ctx -> {
        ctx.header("Allow", String.join(", ", allowedMethods(ctx.path())));
        problem(ctx, 405, null, "method " + ctx.method() + " is not allowed on " + ctx.path(), null);
      });
    });
  }

  /** The methods a path answers to, for a 405's {@code Allow} header (RFC 9110). */
  private List<String> allowedMethods(String path) {
    List<String> allowed = new ArrayList<>();
    for (String method : List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")) {
      if (!app.unsafe.internalRouter.findHttpHandlerEntries(io.javalin.http.HandlerType.findOrDefault(method), path).isEmpty()) {
        allowed.add(method);
      }
    }
    return allowed;
  }

  /** One route: method, path template (e.g. {@code /api/v1/banks/{id}}) and the roles it admits. */
  public record Route(String method, String path, Set<String> roles) {}

  private static final Set<String> HTTP_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");

  /** Every HTTP route, for checking the API description and the permission table against. */
  public List<Route> routes() {
    List<Route> routes = new ArrayList<>();
    for (ParsedEndpoint parsed : app.unsafe.internalRouter.allHttpHandlers()) {
      String method = parsed.endpoint.method.name();
      if (!HTTP_METHODS.contains(method)) {
        continue; // before/after handlers are listed here too
      }
      Roles roles = parsed.endpoint.metadata(Roles.class);
      Set<String> names = new TreeSet<>();
      if (roles != null) {
        for (RouteRole role : roles.getRoles()) {
          names.add(role instanceof org.countersignal.server.auth.Role r ? r.wireName() : role.toString());
        }
      }
      routes.add(new Route(method, parsed.endpoint.path, names));
    }
    return routes;
  }

  public void start(String host, int port) {
    listenHost = host;
    listenPort = port;
    app.start(host, port);
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
    hashing.close();
  }

  private void unexpected(Exception e, Context ctx) {
    var tooLarge = BodyLimits.TooLarge.in(e);
    if (tooLarge.isPresent()) {
      ctx.header("Connection", "close");
      problem(ctx, 413, Kind.TOO_LARGE, tooLarge.get().getMessage(), null);
      return;
    }
    if (clientWentAway(e)) {
      // Nobody is left to read an answer, and a stack trace per dropped upload floods the log.
      LOG.info("{} {}: the client closed the connection before sending its whole request", ctx.method(), ctx.path());
      problem(ctx, 400, Kind.MALFORMED, "the request ended before its body was complete", null);
      return;
    }
    // A unique constraint that a concurrent request won: a conflict, not a server fault.
    if (SqlStates.causedBy(e, SqlStates.UNIQUE_VIOLATION)) {
      problem(ctx, 409, Kind.CONFLICT, "a concurrent request created the same thing; reload and retry", null);
      return;
    }
    if (SqlStates.contended(e)) {
      // Nothing of the request was kept: its transaction was rolled back, or never began.
      LOG.warn("{} {}: refused as busy, waiting on other work in the database: {}", ctx.method(), ctx.path(), e.toString());
      ctx.header("Retry-After", Integer.toString(CONTENDED_RETRY_AFTER_SECONDS));
      problem(ctx, 503, Kind.BUSY, "the database is busy with other work: nothing of this request was kept; retry in "
          + CONTENDED_RETRY_AFTER_SECONDS + " s", null);
      return;
    }
    if (diskFull(e)) {
      // The transaction that could not be written was rolled back: nothing of the request was kept.
      LOG.error("{} {}: the disk is full; refused", ctx.method(), ctx.path());
      problem(ctx, 507, Kind.INSUFFICIENT_STORAGE, "the server's disk is full: nothing of this request was kept; try again once an"
          + " operator has made room", null);
      return;
    }
    LOG.error("Unexpected failure on {} {}", ctx.method(), ctx.path(), e);
    problem(ctx, 500, null, "the server failed; the log has the details", null);
  }

  /** What a request refused for database contention is told to wait: a lock is rarely held for long. */
  private static final int CONTENDED_RETRY_AFTER_SECONDS = 1;

  /** Less room than this on the data directory's disk, when a request has failed, is a full disk. */
  private static final long FULL_BELOW_BYTES = 4L << 20;

  /**
   * Whether {@code e} comes of a write refused for want of space: the file system's own words
   * (ENOSPC), PostgreSQL's {@code disk_full}, or, since the embedded database words its failed
   * writes in its own terms, a data directory with almost no room left.
   */
  private boolean diskFull(Throwable e) {
    if (SqlStates.causedBy(e, SqlStates.DISK_FULL)) {
      return true;
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().contains("No space left on device")) {
        return true;
      }
    }
    Path onDisk = scratch;
    while (onDisk != null && !Files.exists(onDisk)) {
      onDisk = onDisk.getParent(); // the scratch folder is made at its first upload
    }
    try {
      return onDisk != null && Files.getFileStore(onDisk).getUsableSpace() < FULL_BELOW_BYTES;
    } catch (java.io.IOException | RuntimeException unknown) {
      return false;
    }
  }

  private static boolean clientWentAway(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.eclipse.jetty.io.EofException || t instanceof java.nio.channels.ClosedChannelException
          || t instanceof java.util.concurrent.TimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** Refusals read at most this much of a body the route left unread (see {@link #drainUnreadBody}). */
  private static final long DRAIN_LIMIT = 32L * 1024 * 1024;

  /**
   * A route may refuse a request before reading all of its body (a bad label with a video
   * upload). Answering then and closing the connection with bytes unread can reset it before the
   * client reads the answer, so a body of modest size is read to its end first. A client that
   * sent {@code Expect: 100-continue} has not sent its body, and reading would ask for it: it is
   * left alone, as are bodies past the limit (which are refused rather than read).
   */
  private static void drainUnreadBody(Context ctx) {
    long length = ctx.contentLength();
    if (length <= 0 || length > DRAIN_LIMIT || ctx.header("Expect") != null || !worthDraining(ctx.statusCode())) {
      return;
    }
    try {
      ctx.req().getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
    } catch (java.io.IOException | RuntimeException ignored) {
      // the body was consumed already, or the client went away: nothing to drain
    }
  }

  /**
   * A caller not yet authenticated, over its cap or its rate gets no more of our work: its
   * connection is closed instead of its body read.
   */
  private static boolean worthDraining(int status) {
    return status != 401 && status != 413 && status != 429;
  }

  private void problem(Context ctx, int status, Kind kind, String detail, String field) {
    ctx.status(status);
    drainUnreadBody(ctx);
    String title = kind != null ? kind.title() : titleFor(status);
    String slug = kind != null ? kind.name().toLowerCase(Locale.ROOT).replace('_', '-') : "http-" + status;
    Problem problem = new Problem(Problem.typeUri(slug), title, status, detail, ctx.path(), field);
    if (status == 401) {
      ctx.header("WWW-Authenticate", "Bearer");
    }
    try {
      Object body = problem;
      if (hmaRoutes != null && hmaRoutes.owns(ctx.path())) {
        // HMA's clients read its errors' "message"; an extension member keeps the problem detail whole.
        Map<String, Object> withMessage = mapper.convertValue(problem, new com.fasterxml.jackson.core.type.TypeReference<>() {});
        withMessage.put("message", detail);
        body = withMessage;
      }
      ctx.status(status).contentType(Problem.MEDIA_TYPE).result(mapper.writeValueAsString(body));
    } catch (JsonProcessingException e) {
      ctx.status(status).result(detail);
    }
  }

  private static String titleFor(int status) {
    return switch (status) {
      case 400 -> "Bad request";
      case 404 -> "Not found";
      case 405 -> "Method not allowed";
      case 413 -> "Content too large";
      case 500 -> "Internal server error";
      default -> "HTTP " + status;
    };
  }
}
