package org.countersignal.server.order;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.countersignal.server.RequestException;
import org.countersignal.server.TextFields;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.store.Clock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The competent authorities this operator takes removal orders from (table {@code order_authorities}),
 * kept by admins from the list of competent authorities the Commission publishes. An authority is never
 * deleted, since orders name it: one no longer competent is made inactive, and orders from it are
 * refused at intake. Every change is audited.
 */
public final class OrderAuthorities {

  private static final int MAX_NAME = 200;
  private static final int MAX_CONTACT = 500;
  private static final Pattern MEMBER_STATE = Pattern.compile("[A-Z]{2}");

  private final Jdbi jdbi;

  public OrderAuthorities(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  public Authority create(Principal actor, AuthorityChanges request) {
    String name = name(request.name());
    String memberState = memberState(request.memberState());
    String contact = contact(request.contact());
    boolean active = request.active() == null || request.active();
    return jdbi.inTransaction(h -> {
      if (byName(h, name).isPresent()) {
        throw new RequestException(RequestException.Kind.CONFLICT, "name", "an authority named '" + name + "' is on the list");
      }
      OffsetDateTime now = Clock.now(h);
      long id = h.createUpdate("INSERT INTO order_authorities (name, member_state, contact, active, created_at, updated_at) "
              + "VALUES (:name, :state, :contact, :active, :now, :now)")
          .bind("name", name).bind("state", memberState).bind("contact", contact).bind("active", active).bind("now", now)
          .executeAndReturnGeneratedKeys("id").mapTo(Long.class).one();
      Authority created = find(h, id).orElseThrow();
      AuditLog.append(h, actor.keyId(), "order_authority.created", "order_authority", id, null, created);
      return created;
    });
  }

  public Authority update(Principal actor, long id, AuthorityChanges request) {
    return jdbi.inTransaction(h -> {
      Authority before = find(h, id).orElseThrow(() -> RequestException.notFound("authority", id));
      String name = request.name() == null ? before.name() : name(request.name());
      if (!name.equals(before.name()) && byName(h, name).isPresent()) {
        throw new RequestException(RequestException.Kind.CONFLICT, "name", "an authority named '" + name + "' is on the list");
      }
      String memberState = request.memberState() == null ? before.memberState() : memberState(request.memberState());
      String contact = request.contact() == null ? before.contact() : contact(request.contact());
      boolean active = request.active() == null ? before.active() : request.active();
      h.createUpdate("UPDATE order_authorities SET name = :name, member_state = :state, contact = :contact, active = :active, "
              + "updated_at = :now WHERE id = :id")
          .bind("name", name).bind("state", memberState).bind("contact", contact).bind("active", active).bind("now", Clock.now(h))
          .bind("id", id).execute();
      Authority after = find(h, id).orElseThrow();
      AuditLog.append(h, actor.keyId(), "order_authority.updated", "order_authority", id, before, after);
      return after;
    });
  }

  /** The list, by name; the inactive ones too (older orders name them). */
  public List<Authority> list() {
    return jdbi.withHandle(h -> h.createQuery("SELECT * FROM order_authorities ORDER BY name, id").map((rs, ctx) -> map(rs)).list());
  }

  public Authority get(long id) {
    return jdbi.withHandle(h -> find(h, id)).orElseThrow(() -> RequestException.notFound("authority", id));
  }

  static Optional<Authority> find(Handle h, long id) {
    return h.createQuery("SELECT * FROM order_authorities WHERE id = :id").bind("id", id).map((rs, ctx) -> map(rs)).findOne();
  }

  private static Optional<Authority> byName(Handle h, String name) {
    return h.createQuery("SELECT * FROM order_authorities WHERE LOWER(name) = :name").bind("name", name.toLowerCase(Locale.ROOT))
        .map((rs, ctx) -> map(rs)).findOne();
  }

  private static Authority map(ResultSet rs) throws SQLException {
    return new Authority(rs.getLong("id"), rs.getString("name"), rs.getString("member_state"), rs.getString("contact"),
        rs.getBoolean("active"), Clock.text(rs.getObject("created_at", OffsetDateTime.class)),
        Clock.text(rs.getObject("updated_at", OffsetDateTime.class)));
  }

  private static String name(String name) {
    String stripped = name == null ? "" : name.strip();
    if (stripped.isEmpty() || stripped.length() > MAX_NAME) {
      throw RequestException.invalid("name", "an authority's name has 1 to " + MAX_NAME + " characters");
    }
    return TextFields.line(stripped, "name");
  }

  private static String memberState(String text) {
    String code = text == null ? "" : text.strip().toUpperCase(Locale.ROOT);
    if (!MEMBER_STATE.matcher(code).matches()) {
      throw RequestException.invalid("member_state", "the Member State's two-letter code, such as FR or DE");
    }
    return code;
  }

  private static String contact(String contact) {
    if (contact == null || contact.isBlank()) {
      return null;
    }
    String stripped = contact.strip();
    if (stripped.length() > MAX_CONTACT) {
      throw RequestException.invalid("contact", "at most " + MAX_CONTACT + " characters");
    }
    return TextFields.line(stripped, "contact");
  }
}
