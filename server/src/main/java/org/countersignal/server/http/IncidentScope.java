package org.countersignal.server.http;

import io.javalin.http.Context;
import java.util.Set;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.auth.Role;
import org.countersignal.server.bank.EntryService;
import org.countersignal.server.incident.Incidents;

/**
 * Keeps a coordinator's key to the banks of incidents. The entry routes admit coordinators, who
 * fill an incident's bank during a crisis the ways curators fill banks (an upload, a URL, a text,
 * signals), but only there: on any other bank the request is refused before its body is read.
 */
final class IncidentScope {

  /** Routes that write to the bank named by their {@code id}. */
  private static final Set<String> BANK_ROUTES = Set.of("/api/v1/banks/{id}/entries", "/api/v1/banks/{id}/entries/upload",
      "/api/v1/banks/{id}/entries/url", "/api/v1/banks/{id}/entries/text");
  /** Routes that change the entry named by their {@code id}. */
  private static final Set<String> ENTRY_ROUTES = Set.of("/api/v1/entries/{id}", "/api/v1/entries/{id}/disable",
      "/api/v1/entries/{id}/enable");

  private final Incidents incidents;
  private final EntryService entries;
  private final Authenticator authenticator;

  IncidentScope(Incidents incidents, EntryService entries, Authenticator authenticator) {
    this.incidents = incidents;
    this.entries = entries;
    this.authenticator = authenticator;
  }

  /** Runs after {@link Authenticator#authorize}: the caller is known and the route admits its role. */
  void check(Context ctx) {
    if (authenticator.isPublic(ctx.path())) {
      return;
    }
    Principal principal = Authenticator.principal(ctx);
    if (principal.role() != Role.COORDINATOR || ctx.method() == io.javalin.http.HandlerType.GET) {
      return;
    }
    String route = Authenticator.routeOf(ctx);
    long bankId;
    if (BANK_ROUTES.contains(route)) {
      bankId = RequestBodies.id(ctx, "id");
    } else if (ENTRY_ROUTES.contains(route)) {
      bankId = entries.get(RequestBodies.id(ctx, "id")).bankId();
    } else {
      return;
    }
    if (!incidents.isIncidentBank(bankId)) {
      throw new RequestException(Kind.FORBIDDEN, "a coordinator key changes only the entries of incidents' banks; bank " + bankId
          + " is no incident's");
    }
  }
}
