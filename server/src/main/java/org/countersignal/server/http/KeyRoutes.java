package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.AUDITOR;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.countersignal.server.auth.ApiKeys;
import org.countersignal.server.auth.KeyExpiry;
import org.countersignal.server.auth.RateLimit;
import org.countersignal.server.auth.Role;

/**
 * {@code /api/v1/keys}: admins make and revoke keys and set a key's own rate limit and end;
 * auditors may list them (never the secrets).
 */
final class KeyRoutes {

  /**
   * Body of POST /keys; {@code rate_limit} absent or null: the role's default; {@code
   * record_matches} absent or null: lookups are recorded only when a request asks; {@code
   * expires_at} absent or null: the key never expires.
   */
  record NewKey(String role, String name, JsonNode rateLimit, Boolean recordMatches, String expiresAt) {}

  /**
   * Body of PATCH /keys/{id}: any of {@code rate_limit}, {@code record_matches} and {@code
   * expires_at}; a field left out is left as it is, null gives the default back (for {@code
   * expires_at}: never expires).
   */
  record KeyChange(JsonNode rateLimit, JsonNode recordMatches, JsonNode expiresAt) {}

  private final ApiKeys keys;
  private final RequestBodies bodies;

  KeyRoutes(ApiKeys keys, RequestBodies bodies) {
    this.keys = keys;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    routes.post("/api/v1/keys", this::create, ADMIN);
    routes.get("/api/v1/keys", ctx -> ctx.json(Map.of("items", keys.list())), ADMIN, AUDITOR);
    routes.patch("/api/v1/keys/{id}", this::change, ADMIN);
    routes.delete("/api/v1/keys/{id}", this::revoke, ADMIN);
  }

  private void create(Context ctx) {
    NewKey request = bodies.json(ctx, NewKey.class);
    Role role = Role.fromWire(request.role());
    if (role == null) {
      throw RequestException.invalid("role", "one of admin, curator, matcher, auditor, reviewer, coordinator");
    }
    String name = request.name() == null ? null : request.name().strip();
    if (name != null && name.length() > 200) {
      throw RequestException.invalid("name", "at most 200 characters");
    }
    ctx.status(201).json(keys.create(Authenticator.principal(ctx), role, name, rateLimit(request.rateLimit()),
        request.recordMatches(), KeyExpiry.parse(request.expiresAt())));
  }

  private void change(Context ctx) {
    long id = RequestBodies.id(ctx, "id");
    KeyChange request = bodies.json(ctx, KeyChange.class);
    if (request.rateLimit() == null && request.recordMatches() == null && request.expiresAt() == null) {
      throw RequestException.invalid("rate_limit",
          "give rate_limit ({per_second, burst?}, per_second 0 for no limit, or null for the role's default), record_matches,"
              + " expires_at (an RFC 3339 instant, or null for never), or several");
    }
    JsonNode record = request.recordMatches();
    if (record != null && !record.isNull() && !record.isBoolean()) {
      throw new RequestException(Kind.MALFORMED, "record_matches", "field 'record_matches' has the wrong type");
    }
    JsonNode expires = request.expiresAt();
    if (expires != null && !expires.isNull() && !expires.isTextual()) {
      throw new RequestException(Kind.MALFORMED, "expires_at", "field 'expires_at' has the wrong type");
    }
    ctx.json(keys.change(Authenticator.principal(ctx), id, new ApiKeys.Change(request.rateLimit() != null,
        rateLimit(request.rateLimit()), record != null, record == null || record.isNull() ? null : record.booleanValue(),
        expires != null, expires == null || expires.isNull() ? null : KeyExpiry.parse(expires.textValue()))));
  }

  /** {@code {per_second, burst?}} as a limit; JSON null (or nothing) is the role's default. */
  static RateLimit rateLimit(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw new RequestException(Kind.MALFORMED, "rate_limit", "field 'rate_limit' has the wrong type");
    }
    for (var names = node.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("per_second") && !name.equals("burst")) {
        throw new RequestException(Kind.MALFORMED, "rate_limit." + name, "unknown field 'rate_limit." + name + "'");
      }
    }
    JsonNode perSecond = node.get("per_second");
    if (perSecond == null || !perSecond.isNumber()) {
      throw RequestException.invalid("rate_limit.per_second", "a number of requests a second, 0 for no limit");
    }
    JsonNode burst = node.get("burst");
    if (burst != null && !burst.isNull() && !(burst.canConvertToExactIntegral() && burst.canConvertToLong())) {
      throw RequestException.invalid("rate_limit.burst", "a whole number of requests");
    }
    try {
      return RateLimit.of(perSecond.asDouble(), burst == null || burst.isNull() ? null : burst.asLong());
    } catch (IllegalArgumentException e) {
      throw RequestException.invalid(e.getMessage().startsWith("burst") ? "rate_limit.burst" : "rate_limit.per_second", e.getMessage());
    }
  }

  private void revoke(Context ctx) {
    keys.revoke(Authenticator.principal(ctx), RequestBodies.id(ctx, "id"));
    ctx.status(204);
  }
}
