package org.countersignal.server.http;

import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.util.Set;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.countersignal.server.auth.ApiKeys;
import org.countersignal.server.auth.Principal;

/**
 * Bearer-key authentication for everything outside {@code /health}, then the route's roles.
 * Authentication runs before routing, so an unknown path under the API answers 401 to strangers
 * rather than telling them which paths exist.
 */
public final class Authenticator {

  private static final String PRINCIPAL = "countersignal.principal";
  private static final String BEARER = "bearer ";

  private final ApiKeys keys;

  public Authenticator(ApiKeys keys) {
    this.keys = keys;
  }

  static boolean isPublic(String path) {
    return path.equals("/health") || path.startsWith("/health/") || isConsole(path);
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
    if (header == null || header.length() <= BEARER.length() || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      throw new RequestException(Kind.UNAUTHENTICATED, "send an API key as 'Authorization: Bearer <key>'");
    }
    Principal principal = keys.authenticate(header.substring(BEARER.length()).strip())
        .orElseThrow(() -> new RequestException(Kind.UNAUTHENTICATED, "the API key is not valid or has been revoked"));
    ctx.attribute(PRINCIPAL, principal);
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
