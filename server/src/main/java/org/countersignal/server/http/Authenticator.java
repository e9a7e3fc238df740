package org.countersignal.server.http;

import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.net.InetAddress;
import java.time.Instant;
import java.util.Set;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.countersignal.server.auth.ApiKeys;
import org.countersignal.server.auth.KeyExpiry;
import org.countersignal.server.auth.KeyThrottle;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.auth.RateLimit;
import org.countersignal.server.hma.HmaSettings;
import org.countersignal.server.hma.KeylessAccess;
import org.countersignal.server.store.Clock;

/**
 * Bearer-key authentication for everything outside {@code /health}, then the key's rate limit,
 * then the route's roles. Authentication runs before routing, so an unknown path under the API
 * answers 401 to strangers rather than telling them which paths exist; the rate limit right
 * after it, so a key over its limit costs the server nothing more than the key check.
 */
public final class Authenticator {

  private static final String PRINCIPAL = "countersignal.principal";
  private static final String BEARER = "bearer ";

  /**
   * What an image or video upload, or a fetch from a URL, costs in tokens: decoding and hashing
   * an image takes about a hundred lookups' time (12 ms against 0.1 ms, docs/BENCHMARKS.md).
   */
  static final int CONTENT_COST = 100;

  private static final Set<String> CONTENT_ROUTES = Set.of("/api/v1/hash", "/api/v1/hash/url", "/api/v1/match/upload",
      "/api/v1/match/url", "/api/v1/banks/{id}/entries/upload", "/api/v1/banks/{id}/entries/url", StreamRoutes.IMAGE_FRAME_PATH);
  private static final String RATE_LIMIT = "countersignal.rateLimit";
  private static final String RECORD_MATCHES = "countersignal.recordMatches";

  private final ApiKeys keys;
  private final KeyThrottle throttle;
  private final HmaSettings hma;

  public Authenticator(ApiKeys keys) {
    this(keys, new KeyThrottle(), HmaSettings.DEFAULT);
  }

  public Authenticator(ApiKeys keys, HmaSettings hma) {
    this(keys, new KeyThrottle(), hma);
  }

  Authenticator(ApiKeys keys, KeyThrottle throttle, HmaSettings hma) {
    this.keys = keys;
    this.throttle = throttle;
    this.hma = hma;
  }

  /** Health checks, HMA's among them (a load balancer in front of HMA calls those), and the console. */
  boolean isPublic(String path) {
    return path.equals("/health") || path.startsWith("/health/") || isConsole(path)
        || (hma.served() && (path.equals(hma.prefix() + "/status") || path.equals(hma.prefix() + "/status/live")));
  }

  /** The web console checks its own session cookie (and CSRF tokens) instead of a bearer key. */
  static boolean isConsole(String path) {
    return org.countersignal.server.console.ConsoleRoutes.isConsole(path);
  }

  /** Before routing: who is calling. */
  public void authenticate(Context ctx) {
    if (isPublic(ctx.path())) {
      return;
    }
    String header = ctx.header("Authorization");
    if (header == null && keyless(ctx)) {
      return;
    }
    if (header == null || header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new RequestException(Kind.UNAUTHENTICATED, "send an API key as 'Authorization: Bearer <key>'");
    }
    ApiKeys.LiveKey key = keys.liveKey(header.substring(BEARER.length()).strip())
        .orElseThrow(() -> new RequestException(Kind.UNAUTHENTICATED, "the API key is not valid or has been revoked"));
    admit(ctx, key);
  }

  /**
   * The request is the key's from here on: charged to its rate, acting with its role; unless the
   * key has expired. Its end is held against the clock now, not when the key was remembered, so a
   * key stops at its very instant even while the cache still holds it.
   */
  private void admit(Context ctx, ApiKeys.LiveKey key) {
    Instant now = keys.now();
    if (key.expired(now)) {
      // The caller holds the key, so saying that it expired (and when) tells a stranger nothing.
      throw new RequestException(Kind.KEY_EXPIRED, "the API key expired at " + Clock.text(key.expiresAt())
          + "; an admin can give it a later expires_at (PATCH /api/v1/keys/" + key.principal().keyId() + ") or make a new key");
    }
    if (KeyExpiry.warns(key.expiresAt(), now)) {
      ctx.header(KeyExpiry.WARNING_HEADER, Clock.text(key.expiresAt()));
    }
    // A scrape of /metrics is free: monitoring must not go dark because the key it shares is busy
    // (the health routes need no key at all).
    if (!ctx.path().equals("/metrics")) {
      throttle(ctx, key.principal(), key.rateLimit(), 1);
    }
    ctx.attribute(PRINCIPAL, key.principal());
    ctx.attribute(RATE_LIMIT, key.rateLimit());
    ctx.attribute(RECORD_MATCHES, key.recordMatches());
  }

  /**
   * Admits a caller that sent no key as the operator's chosen key, when it calls an HMA route
   * from a network the operator named ({@link KeylessAccess}); false leaves it to the key check.
   */
  private boolean keyless(Context ctx) {
    KeylessAccess access = hma.keyless();
    if (access == null || !isHmaApi(ctx.path())) {
      return false;
    }
    InetAddress caller;
    try {
      caller = InetAddress.getByName(ctx.req().getRemoteAddr()); // a literal address: no lookup
    } catch (java.net.UnknownHostException e) {
      return false;
    }
    if (!access.admits(caller)) {
      return false;
    }
    ApiKeys.LiveKey key = keys.liveKey(access.keyId())
        .orElseThrow(() -> new RequestException(Kind.UNAUTHENTICATED, "the key this network calls HMA's routes as is revoked; send an API key"));
    if (key.expired(keys.now())) {
      throw new RequestException(Kind.KEY_EXPIRED, "the key this network calls HMA's routes as has expired; send an API key");
    }
    admit(ctx, key);
    return true;
  }

  private boolean isHmaApi(String path) {
    String prefix = hma.prefix();
    return hma.served() && (path.startsWith(prefix + "/h/") || path.startsWith(prefix + "/m/") || path.startsWith(prefix + "/c/"));
  }

  /**
   * Charges the rest of an upload's or a URL's price to the caller's key, for a route that learns
   * only from its request whether it hashes content (HMA's lookup takes a hash or a URL).
   */
  void chargeContent(Context ctx) {
    throttle(ctx, principal(ctx), ctx.attribute(RATE_LIMIT), CONTENT_COST - 1);
  }

  /** Whether the caller's key has its lookups recorded when the request does not say. */
  static boolean recordsMatches(Context ctx) {
    return Boolean.TRUE.equals(ctx.attribute(RECORD_MATCHES));
  }

  /** Charges the request to its key's token bucket, or refuses it with 429 and when to come back. */
  private void throttle(Context ctx, Principal principal, RateLimit limit, int cost) {
    long waitNanos = throttle.take(principal.keyId(), limit, cost);
    if (waitNanos > 0) {
      long seconds = Math.max(1, (waitNanos + 999_999_999L) / 1_000_000_000L);
      ctx.header("Retry-After", String.valueOf(seconds));
      throw new RequestException(Kind.TOO_MANY_REQUESTS, "this key may make " + rate(limit) + " requests a second (bursts of "
          + limit.burst() + "; uploads and URLs count " + CONTENT_COST + "); retry after " + seconds + " s");
    }
  }

  private static String rate(RateLimit limit) {
    return limit.perSecond() == Math.rint(limit.perSecond()) ? String.valueOf((long) limit.perSecond()) : String.valueOf(limit.perSecond());
  }

  /**
   * After routing: whether the caller's role is one the route admits. A route under the API
   * that declares no roles admits nobody, so forgetting the roles cannot open a route.
   */
  public void authorize(Context ctx) {
    if (isPublic(ctx.path())) {
      return;
    }
    Principal principal = principal(ctx);
    Set<RouteRole> roles = ctx.routeRoles();
    if (!roles.contains(principal.role())) {
      throw new RequestException(Kind.FORBIDDEN,
          "the " + principal.role().wireName() + " role may not " + ctx.method() + " " + routeOf(ctx));
    }
    // The rest of an upload's price, now that the route is known and admits the caller: a
    // refused request does no work and costs only the one token already taken.
    if (CONTENT_ROUTES.contains(routeOf(ctx))) {
      throttle(ctx, principal, ctx.attribute(RATE_LIMIT), CONTENT_COST - 1);
    }
  }

  /** The path template of the route the request matched, or "unmatched". */
  static String routeOf(Context ctx) {
    try {
      var endpoint = ctx.endpoints().matchedHttpEndpoint();
      return endpoint == null ? "unmatched" : endpoint.path;
    } catch (RuntimeException e) {
      return "unmatched";
    }
  }

  public static Principal principal(Context ctx) {
    Principal principal = ctx.attribute(PRINCIPAL);
    if (principal == null) {
      throw new RequestException(Kind.UNAUTHENTICATED, "send an API key as 'Authorization: Bearer <key>'");
    }
    return principal;
  }
}
