package org.countersignal.server.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.countersignal.server.RequestException;
import org.countersignal.server.auth.ApiKey;
import org.countersignal.server.auth.ApiKeys;
import org.countersignal.server.auth.CreatedKey;
import org.countersignal.server.auth.KeyExpiry;
import org.countersignal.server.auth.KeyStatus;
import org.countersignal.server.auth.Role;

/**
 * {@code /console/keys}: the API keys, never their secrets or hashes. Admins make and revoke
 * keys here through the same {@link ApiKeys} calls as {@code /api/v1/keys}, so both are checked
 * and audited alike; auditors see the list.
 */
final class KeyPages {

  static final Set<Role> READERS = Set.of(Role.ADMIN, Role.AUDITOR);

  /** The roles a key may be made for here: those the API names; peer keys come with a federation's subscription. */
  static final List<String> ROLES = List.of("admin", "curator", "matcher", "auditor", "reviewer", "coordinator");

  /** As the API allows. */
  private static final int NAME_LENGTH = 200;

  /** A key as the list shows it; {@code revocable} when the viewer may revoke it now. */
  record KeyRow(ApiKey key, String createdBy, boolean own, boolean revocable) {

    String status() {
      return key.status().wire();
    }

    /** How a button names the key: its id, and its name when it has one. */
    String label() {
      return "key " + key.id() + (key.name() == null ? "" : " " + key.name());
    }
  }

  /** What the new key form held, to fill it again when it was refused. */
  record Entered(String name, String role, String expiresAt) {

    static final Entered NONE = new Entered(null, "matcher", null);
  }

  /**
   * @param created the key just made, secret included: only on the answer to the form that made it
   * @param message what the last change did or why it was refused, or null
   */
  record View(Viewer viewer, List<KeyRow> keys, boolean mayManage, CreatedKey created, String message, boolean error,
      Entered entered) {}

  private final Console console;
  private final ApiKeys keys;

  KeyPages(Console console, ApiKeys keys) {
    this.console = console;
    this.keys = keys;
  }

  void register(RoutesConfig routes, ConsoleRoutes routing) {
    routes.get("/console/keys", routing.page((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, READERS);
      String revoked = ctx.queryParam("revoked");
      String message = revoked != null && revoked.matches("[0-9]{1,18}") ? "Key " + revoked + " revoked: it no longer works." : null;
      ctx.html(page(viewer, null, message, false, Entered.NONE));
    }));
    routes.post("/console/keys", routing.action(this::create));
    routes.post("/console/keys/{id}/revoke", routing.action((ctx, viewer) -> {
      ConsoleRoutes.requireRole(viewer, Role.ADMIN);
      long id = ConsoleRoutes.pathId(ctx, "id", "key");
      try {
        keys.revoke(viewer.principal(), id);
        ctx.redirect("/console/keys?revoked=" + id, HttpStatus.SEE_OTHER);
      } catch (RequestException e) {
        ctx.status(e.kind().status()).html(page(viewer, null, e.getMessage(), true, Entered.NONE));
      }
    }));
  }

  /**
   * Makes the key and answers with the page that shows its secret: this answer is the only place
   * it is ever shown. No redirect, since that would mean keeping the secret somewhere until the
   * next request; the secret is not kept at all, only its hash.
   */
  private void create(Context ctx, Viewer viewer) {
    ConsoleRoutes.requireRole(viewer, Role.ADMIN);
    Entered entered = new Entered(ctx.formParam("name"), ctx.formParam("role"), ctx.formParam("expires_at"));
    try {
      Role role = Role.fromWire(entered.role());
      if (role == null || !ROLES.contains(role.wireName())) {
        throw RequestException.invalid("role", "one of " + String.join(", ", ROLES));
      }
      String name = FormFields.blankToNull(entered.name());
      if (name != null && name.length() > NAME_LENGTH) {
        throw RequestException.invalid("name", "at most " + NAME_LENGTH + " characters");
      }
      OffsetDateTime expiresAt = KeyExpiry.parse(FormFields.utcTime(entered.expiresAt()));
      CreatedKey made = keys.create(viewer.principal(), role, name, null, null, expiresAt);
      ctx.html(page(viewer, made, null, false, Entered.NONE));
    } catch (RequestException e) {
      ctx.status(e.kind().status()).html(page(viewer, null, e.getMessage(), true, entered));
    }
  }

  private String page(Viewer viewer, CreatedKey created, String message, boolean error, Entered entered) {
    boolean admin = viewer.role() == Role.ADMIN;
    List<ApiKey> all = keys.list();
    Set<Long> makers = new HashSet<>();
    all.stream().map(ApiKey::createdBy).filter(Objects::nonNull).forEach(makers::add);
    Map<Long, String> names = console.actorNames(makers);
    List<KeyRow> rows = all.reversed().stream()
        .map(key -> new KeyRow(key, key.createdBy() == null ? "server" : names.getOrDefault(key.createdBy(), "key " + key.createdBy()),
            key.id() == viewer.principal().keyId(), admin && key.status() != KeyStatus.REVOKED))
        .toList();
    return Templates.render("keys", new View(viewer, rows, admin, created, message, error, entered));
  }
}
