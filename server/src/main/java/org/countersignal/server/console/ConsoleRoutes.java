package org.countersignal.server.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.countersignal.server.RequestException;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.ApiKeys;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.auth.Role;
import org.countersignal.server.bank.BankService;
import org.countersignal.server.exchange.Exchanges;
import org.countersignal.server.store.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The web console under {@code /console}: server-rendered pages behind a session cookie. The
 * API's bearer-key check lets these paths through; every page here checks the session itself,
 * and every POST its CSRF token.
 */
public final class ConsoleRoutes {

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleRoutes.class);

  static final String SESSION_COOKIE = "cs_console";
  /** The sign-in form's nonce, which its signed CSRF token is bound to (see {@link SignInTokens}). */
  static final String SIGN_IN_COOKIE = "cs_console_sign_in";
  /** Nothing inline and nothing from elsewhere: a stored statement cannot run script here. */
  static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; media-src 'self'; "
      + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
  /** Roles that may sign in; matcher keys belong to upload pipelines, not people. */
  static final Set<Role> CONSOLE_ROLES = Set.of(Role.ADMIN, Role.REVIEWER, Role.CURATOR, Role.AUDITOR, Role.COORDINATOR);

  private static final Map<String, String> ASSETS = Map.of(
      "console.css", "text/css; charset=utf-8",
      "console.js", "text/javascript; charset=utf-8");

  private final Console console;
  private final ApiKeys keys;
  private final BankService banks;
  private final ReviewPages review;
  private final org.countersignal.server.rules.Rules rules;
  private final Exchanges exchanges;
  private final IncidentPages incidents;
  private final OrderPages orders;
  private final FloodPages floods;
  private final StreamPages streams;
  private final ProposalPages proposals;
  private final BankEntryPages bankEntries;
  private final MatchTestPages matchTest;
  private final TransparencyPages transparency;
  private final SignInThrottle throttle = new SignInThrottle();

  /**
   * @param review the queue and case pages, or null when the server has no review queue
   * @param rules the action rules, or null when the server has none to manage
   * @param exchanges the exchanges, or null when the server fetches from none
   * @param incidents the incident pages, or null when the server keeps no incidents
   * @param orders the removal order pages, or null when the server takes no orders
   * @param floods the flood guard's pages, or null when the server has no flood guard
   * @param streams the livestreams page, or null when the server takes no livestreams
   * @param proposals variant discovery's proposals, or null when the server has no variant discovery
   * @param bankEntries a bank's and an entry's pages
   * @param matchTest the match tester, or null when the server has none
   * @param transparency the transparency reports' pages, or null when the server keeps no reports
   */
  public ConsoleRoutes(Console console, ApiKeys keys, BankService banks, ReviewPages review, org.countersignal.server.rules.Rules rules,
      Exchanges exchanges, IncidentPages incidents, OrderPages orders, FloodPages floods, StreamPages streams, ProposalPages proposals,
      BankEntryPages bankEntries, MatchTestPages matchTest, TransparencyPages transparency) {
    this.bankEntries = bankEntries;
    this.transparency = transparency;
    this.matchTest = matchTest;
    this.rules = rules;
    this.proposals = proposals;
    this.incidents = incidents;
    this.orders = orders;
    this.floods = floods;
    this.streams = streams;
    this.exchanges = exchanges;
    this.console = console;
    this.keys = keys;
    this.banks = banks;
    this.review = review;
  }

  /** The API's authenticator leaves these paths to the console's own session check. */
  public static boolean isConsole(String path) {
    return path.equals("/console") || path.startsWith("/console/");
  }

  public void register(RoutesConfig routes) {
    routes.before("/console", ConsoleRoutes::protect);
    routes.before("/console/*", ConsoleRoutes::protect);
    routes.get("/console", ctx -> ctx.redirect(session(ctx).map(s -> Layout.home(s.principal().role())).orElse("/console/sign-in"),
        HttpStatus.SEE_OTHER));
    routes.get("/console/sign-in", ctx -> signInPage(ctx, 200, null, null));
    routes.post("/console/sign-in", this::signIn);
    routes.post("/console/sign-out", action((ctx, viewer) -> {
      console.sessions().close(ctx.cookie(SESSION_COOKIE));
      ctx.cookie(cookie(ctx, SESSION_COOKIE, "", 0));
      ctx.redirect("/console/sign-in", HttpStatus.SEE_OTHER);
    }));
    routes.get("/console/assets/{name}", ConsoleRoutes::asset);
    routes.get("/console/banks", page((ctx, viewer) -> ctx.html(Pages.banks(viewer, banks.list(), console.entryCounts()))));
    routes.get("/console/settings", page((ctx, viewer) -> ctx.html(Pages.settings(viewer, null))));
    routes.post("/console/settings", action((ctx, viewer) -> {
      WellnessSettings chosen = new WellnessSettings("on".equals(ctx.formParam("blur")), "on".equals(ctx.formParam("greyscale")),
          Optional.ofNullable(ctx.formParam("blur_strength")).orElse(""));
      WellnessSettings saved = console.settings().save(viewer.principal(), chosen);
      Viewer updated = new Viewer(viewer.principal(), viewer.displayName(), viewer.csrf(), saved);
      ctx.html(Pages.settings(updated, "Saved. Media will be shown this way from now on."));
    }));
    new UserPages(console.users()).register(routes, this);
    bankEntries.register(routes, this);
    if (matchTest != null) {
      matchTest.register(routes, this);
    } else {
      routes.get(MatchTestPages.PATH, page((ctx, viewer) -> {
        requireRole(viewer, MatchTestPages.USERS);
        ctx.html(Templates.placeholder(viewer, "Match tester", "Match tester", "This server has no match tester."));
      }));
    }
    new DashboardPages(console).register(routes, this);
    new AuditPages(console).register(routes, this);
    if (transparency != null) {
      transparency.register(routes, this);
    } else {
      routes.get(TransparencyPages.PATH, page((ctx, viewer) -> {
        requireRole(viewer, TransparencyPages.READERS);
        ctx.html(Templates.placeholder(viewer, "Transparency reports", "Transparency reports", "This server keeps no transparency reports."));
      }));
    }
    new KeyPages(console, keys).register(routes, this);
    if (rules != null) {
      new RulePages(rules).register(routes, this);
    }
    if (exchanges != null) {
      new ExchangePages(exchanges).register(routes, this);
    } else {
      routes.get("/console/exchanges", page((ctx, viewer) -> {
        requireRole(viewer, Role.ADMIN, Role.CURATOR, Role.AUDITOR, Role.COORDINATOR);
        ctx.html(Templates.placeholder(viewer, "Exchanges", "Exchanges", "This server fetches from no exchanges."));
      }));
    }
    if (incidents != null) {
      incidents.register(routes, this);
    } else {
      routes.get("/console/incidents", page((ctx, viewer) -> {
        requireRole(viewer, IncidentPages.READERS);
        ctx.html(Templates.placeholder(viewer, "Incidents", "Incidents", "This server keeps no incidents."));
      }));
    }
    if (orders != null) {
      orders.register(routes, this);
    } else {
      routes.get("/console/orders", page((ctx, viewer) -> {
        requireRole(viewer, OrderPages.READERS);
        ctx.html(Templates.placeholder(viewer, "Orders", "Removal orders", "This server takes no removal orders."));
      }));
    }
    if (floods != null) {
      floods.register(routes, this);
    } else {
      routes.get("/console/floods", page((ctx, viewer) -> {
        requireRole(viewer, FloodPages.READERS);
        ctx.html(Templates.placeholder(viewer, "Floods", "Floods", "This server has no flood guard."));
      }));
    }
    if (proposals != null) {
      proposals.register(routes, this);
    } else {
      routes.get("/console/proposals", page((ctx, viewer) -> {
        requireRole(viewer, ProposalPages.READERS);
        ctx.html(Templates.placeholder(viewer, "Proposals", "Proposals", "This server has no variant discovery."));
      }));
    }
    if (streams != null) {
      streams.register(routes, this);
    } else {
      routes.get("/console/streams", page((ctx, viewer) -> {
        requireRole(viewer, StreamPages.READERS);
        ctx.html(Templates.placeholder(viewer, "Streams", "Livestreams", "This server takes no livestreams."));
      }));
    }
    if (review != null) {
      review.register(routes, this);
    } else {
      routes.get("/console/queue", page((ctx, viewer) -> {
        requireRole(viewer, ReviewPages.READERS);
        ctx.html(Templates.placeholder(viewer, "Queue", "Queue", "This server has no review queue."));
      }));
    }
    // Last, so every page above matches first: an unknown console address is a page too, not a JSON problem.
    routes.get("/console/*", page((ctx, viewer) -> ctx.status(404).html(Pages.error(viewer, 404, "There is no such page."))));
  }

  /** Headers every console answer carries, error pages included. */
  private static void protect(Context ctx) {
    ctx.header("Content-Security-Policy", POLICY);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("X-Frame-Options", "DENY");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("Cache-Control", "no-store");
  }

  /** A page handler that has a signed-in viewer. */
  @FunctionalInterface
  interface ViewerHandler {
    void handle(Context ctx, Viewer viewer) throws Exception;
  }

  /** A GET page: without a session the browser is sent to sign in. */
  io.javalin.http.Handler page(ViewerHandler handler) {
    return ctx -> {
      Optional<Viewer> viewer = viewer(ctx);
      if (viewer.isEmpty()) {
        ctx.redirect("/console/sign-in", HttpStatus.SEE_OTHER);
        return;
      }
      run(ctx, viewer.get(), handler);
    };
  }

  /** A GET that is not a page (media): without a session, 401 rather than a redirect. */
  io.javalin.http.Handler resource(ViewerHandler handler) {
    return ctx -> signedIn(ctx, false, handler);
  }

  /** A form POST: needs a session and the session's CSRF token. */
  io.javalin.http.Handler action(ViewerHandler handler) {
    return ctx -> signedIn(ctx, true, handler);
  }

  /**
   * A form POST that carries a file (multipart), whose body may be far larger than a form's: the
   * session and {@code roles} are checked before any of it is read, then the form's CSRF token.
   * Its path needs its own cap in the body limits, or the body is refused as a form's.
   */
  io.javalin.http.Handler upload(Set<Role> roles, ViewerHandler handler) {
    return ctx -> signedIn(ctx, false, (c, viewer) -> {
      requireRole(viewer, roles);
      if (tokenRefused(c, viewer)) {
        return;
      }
      handler.handle(c, viewer);
    });
  }

  private void signedIn(Context ctx, boolean form, ViewerHandler handler) throws Exception {
    Optional<Viewer> viewer = viewer(ctx);
    if (viewer.isEmpty()) {
      ctx.status(401).html(Pages.error(null, 401, "Your session has ended or you have not signed in."));
      return;
    }
    if (form && tokenRefused(ctx, viewer.get())) {
      return;
    }
    run(ctx, viewer.get(), handler);
  }

  /** Answers 403 when the form lacks the session's CSRF token. */
  private static boolean tokenRefused(Context ctx, Viewer viewer) {
    if (sameToken(viewer.csrf(), ctx.formParam("csrf"))) {
      return false;
    }
    ctx.status(403).html(Pages.error(viewer, 403, "The form's security token is missing or wrong. Reload the page and try again."));
    return true;
  }

  /** The id in a page's path; anything but a number is a page that does not exist. */
  static long pathId(Context ctx, String param, String what) {
    try {
      return Long.parseLong(ctx.pathParam(param));
    } catch (NumberFormatException e) {
      throw RequestException.notFound(what, ctx.pathParam(param));
    }
  }

  static void requireRole(Viewer viewer, Role... roles) {
    requireRole(viewer, Set.of(roles));
  }

  static void requireRole(Viewer viewer, Set<Role> roles) {
    if (!roles.contains(viewer.role())) {
      throw new RequestException(RequestException.Kind.FORBIDDEN, "the " + viewer.role().wireName() + " role may not use this page");
    }
  }

  private static void run(Context ctx, Viewer viewer, ViewerHandler handler) throws Exception {
    try {
      handler.handle(ctx, viewer);
    } catch (RequestException e) {
      ctx.status(e.kind().status()).html(Pages.error(viewer, e.kind().status(), e.getMessage()));
    }
  }

  private Optional<ConsoleSessions.Session> session(Context ctx) {
    return console.sessions().find(ctx.cookie(SESSION_COOKIE))
        .filter(s -> CONSOLE_ROLES.contains(s.principal().role()));
  }

  private Optional<Viewer> viewer(Context ctx) {
    return session(ctx).map(s -> {
      Principal principal = s.principal();
      String name = s.userId() == null ? "API key " + principal.keyId()
          : console.users().usernameOfKey(principal.keyId()).orElse("user " + s.userId());
      return new Viewer(principal, name, s.csrf(), console.settings().of(principal));
    });
  }

  private void signInPage(Context ctx, int status, String message, String username) {
    String nonce = ctx.cookie(SIGN_IN_COOKIE);
    if (nonce == null || nonce.length() != 43) {
      nonce = console.sessions().randomToken();
      ctx.cookie(cookie(ctx, SIGN_IN_COOKIE, nonce, -1));
    }
    ctx.status(status).html(Pages.signIn(console.signInTokens().issue(nonce), message, username));
  }

  private void signIn(Context ctx) {
    if (!console.signInTokens().valid(ctx.cookie(SIGN_IN_COOKIE), ctx.formParam("csrf"))) {
      ctx.status(403).html(Pages.error(null, 403, "The sign-in form's security token is missing or wrong. Reload the page and try again."));
      return;
    }
    Optional<UserAccounts.SignedIn> signedIn;
    String username = null;
    if ("key".equals(ctx.formParam("method"))) {
      String key = Optional.ofNullable(ctx.formParam("key")).orElse("").strip();
      // Keys carry 256 random bits: nothing to guess, so no throttle here.
      Optional<ApiKeys.LiveKey> live = keys.liveKey(key);
      if (live.isPresent() && live.get().expired(keys.now())) {
        signInPage(ctx, 401, "That API key expired at " + Clock.text(live.get().expiresAt()) + ". Ask an admin to extend it.", null);
        return;
      }
      signedIn = live.map(k -> new UserAccounts.SignedIn(k.principal(), null));
      if (signedIn.isEmpty()) {
        LOG.info("Console sign-in with an invalid API key from {}", ctx.ip());
        signInPage(ctx, 401, "That API key is not valid or has been revoked.", null);
        return;
      }
    } else {
      username = Optional.ofNullable(ctx.formParam("username")).orElse("").strip();
      String password = Optional.ofNullable(ctx.formParam("password")).orElse("");
      if (username.isEmpty() || password.isEmpty()) {
        signInPage(ctx, 401, "Give your username and password.", username);
        return;
      }
      String name = username.toLowerCase(java.util.Locale.ROOT);
      name = name.length() > 64 ? name.substring(0, 64) : name;
      if (throttle.blocked(name, ctx.ip())) {
        signInPage(ctx, 429, "Too many failed sign-ins for this username or from this address. Try again in "
            + SignInThrottle.WINDOW.toMinutes() + " minutes, or ask an admin to check the account.", username);
        return;
      }
      try {
        signedIn = console.users().authenticate(username, password);
      } catch (RequestException e) {
        if (e.kind() != RequestException.Kind.KEY_EXPIRED) {
          throw e;
        }
        // The password was right: not a failure to count against the name or address.
        throttle.succeeded(name);
        signInPage(ctx, 401, "Sign-in refused: " + e.getMessage() + ". Ask an admin to extend it.", username);
        return;
      }
      if (signedIn.isEmpty()) {
        boolean lockedOut = throttle.failed(name, ctx.ip());
        signInFailed(name, ctx.ip(), lockedOut);
        signInPage(ctx, 401, "The username or password is wrong.", username);
        return;
      }
      throttle.succeeded(name);
    }
    Principal principal = signedIn.get().principal();
    if (!CONSOLE_ROLES.contains(principal.role())) {
      signInPage(ctx, 403, "A " + principal.role().wireName() + " key may not sign in to the console: it is for upload "
          + "pipelines. Sign in with a reviewer, admin, curator, auditor or coordinator key or account.", username);
      return;
    }
    String token = console.sessions().open(principal, signedIn.get().userId());
    ctx.cookie(cookie(ctx, SESSION_COOKIE, token, -1));
    ctx.cookie(cookie(ctx, SIGN_IN_COOKIE, "", 0));
    ctx.redirect(Layout.home(principal.role()), HttpStatus.SEE_OTHER);
  }

  /**
   * Records a failed password sign-in, and the lock-out it started, in the audit log and the log:
   * password guessing must show up where admins and monitoring look. The name is the one tried
   * (a user or not: the record says nothing of which), never the password. Only password tries
   * are recorded: the throttle bounds them per address, where unthrottled key tries would let
   * anyone fill the audit log.
   */
  private void signInFailed(String name, String address, boolean lockedOut) {
    String shown = name.replaceAll("\\p{Cntrl}", "?");
    Map<String, Object> attempt = Map.of("username", name, "remote_address", address);
    console.jdbi().useTransaction(h -> {
      AuditLog.append(h, null, "console.sign_in_failed", "username", name, null, attempt);
      if (lockedOut) {
        AuditLog.append(h, null, "console.sign_in_locked", "username", name, null, Map.of("username", name,
            "remote_address", address, "minutes", SignInThrottle.WINDOW.toMinutes()));
      }
    });
    LOG.warn("Console sign-in failed for username '{}' from {}", shown, address);
    if (lockedOut) {
      LOG.warn("Console sign-in locked for {} minutes after repeated failures: username '{}' or address {}",
          SignInThrottle.WINDOW.toMinutes(), shown, address);
    }
  }

  /**
   * Console cookies: HttpOnly (no script reads them), SameSite=Strict (no other site's page
   * sends them), Secure whenever the browser reached us over HTTPS (directly or through a proxy
   * that says so), and scoped to the console. Max age -1: gone when the browser closes.
   */
  static Cookie cookie(Context ctx, String name, String value, int maxAge) {
    boolean https = "https".equalsIgnoreCase(ctx.scheme()) || "https".equalsIgnoreCase(ctx.header("X-Forwarded-Proto"));
    return new Cookie(name, value, "/console", maxAge, https, true, null, SameSite.STRICT);
  }

  static boolean sameToken(String expected, String given) {
    return given != null && expected != null
        && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }

  private static void asset(Context ctx) throws IOException {
    String name = ctx.pathParam("name");
    String type = ASSETS.get(name);
    if (type == null) {
      ctx.status(404).html(Pages.error(null, 404, "No such file."));
      return;
    }
    try (InputStream in = ConsoleRoutes.class.getResourceAsStream("/console/" + name)) {
      if (in == null) {
        throw new IllegalStateException("console asset missing from the build: " + name);
      }
      ctx.header("Cache-Control", "no-cache");
      ctx.contentType(type).result(in.readAllBytes());
    }
  }
}
