package org.countersignal.server.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import org.countersignal.server.TextFields;
import org.countersignal.server.audit.AuditLog;
import org.countersignal.server.auth.Principal;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.JsonText;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Webhook endpoints and their deliveries as admins manage them. Every change is audited in its
 * own transaction; the audit records and every answer but two leave the secret out (it is shown
 * when an endpoint is made and when its secret is rotated, and never again).
 */
public final class WebhookService {

  /** Subscribes an endpoint to every event type. */
  public static final String ALL_EVENTS = "*";
  /** The event {@code POST /webhooks/{id}/test} sends. */
  public static final String TEST_EVENT = "webhook.test";

  static final int MAX_URL_LENGTH = 2000;
  static final int MAX_DESCRIPTION_LENGTH = 2000;
  static final int MAX_EVENT_TYPES = 50;
  private static final int SECRET_BYTES = 32;
  private static final String SECRET_PREFIX = "whsec_";

  private final Jdbi jdbi;
  private final SecretBox secrets;
  private final SecureRandom random = new SecureRandom();
  private final Runnable wakeUp;

  /** @param wakeUp called after a change that makes a delivery due now (replay, test) */
  public WebhookService(Jdbi jdbi, SecretBox secrets, Runnable wakeUp) {
    this.jdbi = jdbi;
    this.secrets = secrets;
    this.wakeUp = wakeUp;
  }
  /** Seals every endpoint's signing secret again under {@code to}, in {@code h}'s transaction: for a rotation of the server key. */
  public static int resealSecrets(Handle h, SecretBox from, SecretBox to) {
    return from.resealAll(SecretBox.WEBHOOK_SECRET,
        h.createQuery("SELECT id, secret_cipher FROM webhook_endpoints ORDER BY id FOR UPDATE")
            .map((rs, ctx) -> Map.entry(rs.getLong(1), rs.getBytes(2))).list(),
        to, (id, sealed) -> h.createUpdate("UPDATE webhook_endpoints SET secret_cipher = :sealed WHERE id = :id")
            .bind("sealed", sealed).bind("id", id).execute());
  }


  public CreatedWebhook create(Principal actor, WebhookChanges request) {
    String url = checkUrl(request.url());
    String description = checkDescription(request.description() == null ? "" : request.description());
    if (request.eventTypes() == null) {
      throw RequestException.invalid("event_types", "required: a list of event types, or [\"*\"] for all");
    }
    List<String> types = checkEventTypes(request.eventTypes());
    boolean enabled = request.enabled() == null || request.enabled();
    String secret = newSecret();
    return jdbi.inTransaction(h -> {
      OffsetDateTime now = Clock.now(h);
      long id = h.createUpdate("""
              INSERT INTO webhook_endpoints (url, description, event_types, enabled, secret_cipher, created_at, updated_at)
              VALUES (:url, :description, :types, :enabled, :secret, :now, :now)""")
          .bind("url", url)
          .bind("description", description)
          .bind("types", JsonText.write(types))
          .bind("enabled", enabled)
          .bind("secret", secrets.encrypt(secret))
          .bind("now", now)
          .executeAndReturnGeneratedKeys("id")
          .mapTo(Long.class)
          .one();
      WebhookEndpoint created = find(h, id).orElseThrow();
      AuditLog.append(h, actor.keyId(), "webhook.created", "webhook", id, null, created);
      return CreatedWebhook.of(created, secret);
    });
  }

  public List<WebhookEndpoint> list() {
    return jdbi.withHandle(h -> h.createQuery(SELECT_ENDPOINT + " ORDER BY id").map((rs, ctx) -> endpoint(rs)).list());
  }

  public WebhookEndpoint get(long id) {
    return jdbi.withHandle(h -> find(h, id)).orElseThrow(() -> RequestException.notFound("webhook", id));
  }

  public WebhookEndpoint update(Principal actor, long id, WebhookChanges request) {
    // Checked before the transaction: a refusal should not hold a connection.
    String url = request.url() == null ? null : checkUrl(request.url());
    String description = request.description() == null ? null : checkDescription(request.description());
    List<String> types = request.eventTypes() == null ? null : checkEventTypes(request.eventTypes());
    return jdbi.inTransaction(h -> {
      WebhookEndpoint before = find(h, id).orElseThrow(() -> RequestException.notFound("webhook", id));
      h.createUpdate("""
              UPDATE webhook_endpoints SET url = :url, description = :description, event_types = :types,
                enabled = :enabled, updated_at = :now WHERE id = :id""")
          .bind("url", url == null ? before.url() : url)
          .bind("description", description == null ? before.description() : description)
          .bind("types", JsonText.write(types == null ? before.eventTypes() : types))
          .bind("enabled", request.enabled() == null ? before.enabled() : request.enabled())
          .bind("now", Clock.now(h))
          .bind("id", id)
          .execute();
      WebhookEndpoint after = find(h, id).orElseThrow();
      AuditLog.append(h, actor.keyId(), "webhook.updated", "webhook", id, before, after);
      return after;
    });
  }

  /** Deletes the endpoint and its deliveries (sent or not); the events stay for other endpoints. */
  public void delete(Principal actor, long id) {
    jdbi.useTransaction(h -> {
      WebhookEndpoint before = find(h, id).orElseThrow(() -> RequestException.notFound("webhook", id));
      long deliveries = h.createQuery("SELECT COUNT(*) FROM webhook_deliveries WHERE endpoint_id = :id")
          .bind("id", id).mapTo(Long.class).one();
      h.createUpdate("DELETE FROM webhook_deliveries WHERE endpoint_id = :id").bind("id", id).execute();
      h.createUpdate("DELETE FROM webhook_endpoints WHERE id = :id").bind("id", id).execute();
      AuditLog.append(h, actor.keyId(), "webhook.deleted", "webhook", id,
          Map.of("webhook", before, "deliveries_deleted", deliveries), null);
    });
  }

  /**
   * A new signing secret, effective for every request sent from now on (requests in flight keep
   * the old one). Receivers should accept both for as long as a retry may take.
   */
  public CreatedWebhook rotateSecret(Principal actor, long id) {
    String secret = newSecret();
    return jdbi.inTransaction(h -> {
      WebhookEndpoint before = find(h, id).orElseThrow(() -> RequestException.notFound("webhook", id));
      h.createUpdate("UPDATE webhook_endpoints SET secret_cipher = :secret, updated_at = :now WHERE id = :id")
          .bind("secret", secrets.encrypt(secret))
          .bind("now", Clock.now(h))
          .bind("id", id)
          .execute();
      WebhookEndpoint after = find(h, id).orElseThrow();
      AuditLog.append(h, actor.keyId(), "webhook.secret_rotated", "webhook", id, before, after);
      return CreatedWebhook.of(after, secret);
    });
  }

  /** Queues a {@code webhook.test} event for this endpoint alone; returns its event id. */
  public String sendTest(Principal actor, long id) {
    String eventId = jdbi.inTransaction(h -> {
      WebhookEndpoint endpoint = find(h, id).orElseThrow(() -> RequestException.notFound("webhook", id));
      if (!endpoint.enabled()) {
        throw new RequestException(Kind.CONFLICT, "webhook " + id + " is disabled: enable it to send it a test event");
      }
      String event = Outbox.enqueueFor(h, TEST_EVENT,
          Map.of("webhook_id", id, "message", "a test event, sent on request"), id);
      AuditLog.append(h, actor.keyId(), "webhook.tested", "webhook", id, null, Map.of("event_id", event));
      return event;
    });
    wakeUp.run();
    return eventId;
  }

  /**
   * Deliveries with {@code id > after}, oldest first.
   *
   * @param status pending, delivered or dead; null for all
   * @param endpointId only this endpoint's; null for all
   */
  public DeliveryPage deliveries(String status, Long endpointId, long after, int limit) {
    if (status != null && DeliveryStatus.fromWire(status) == null) {
      throw new RequestException(Kind.MALFORMED, "status", "query parameter 'status' must be pending, delivered or dead");
    }
    List<WebhookDelivery> rows = jdbi.withHandle(h -> h.createQuery(SELECT_DELIVERY
                + " WHERE d.id > :after"
                + (status == null ? "" : " AND d.status = :status")
                + (endpointId == null ? "" : " AND d.endpoint_id = :endpoint")
                + " ORDER BY d.id FETCH FIRST :limit ROWS ONLY")
        .bind("after", after)
        .bind("status", status)
        .bind("endpoint", endpointId)
        .bind("limit", limit + 1)
        .map((rs, ctx) -> delivery(rs))
        .list());
    boolean more = rows.size() > limit;
    List<WebhookDelivery> page = more ? rows.subList(0, limit) : rows;
    return new DeliveryPage(List.copyOf(page), more ? page.get(page.size() - 1).id() : null);
  }

  public WebhookDelivery delivery(long id) {
    return jdbi.withHandle(h -> findDelivery(h, id)).orElseThrow(() -> RequestException.notFound("delivery", id));
  }

  /**
   * Sends a dead (or already delivered) delivery again: pending, due now, attempts back to zero.
   * The event id is unchanged, so a receiver that has it already can tell.
   */
  public WebhookDelivery replay(Principal actor, long id) {
    WebhookDelivery replayed = jdbi.inTransaction(h -> {
      WebhookDelivery before = findDelivery(h, id).orElseThrow(() -> RequestException.notFound("delivery", id));
      if (before.status() == DeliveryStatus.PENDING) {
        throw new RequestException(Kind.CONFLICT, "delivery " + id + " is pending already: it is sent when due");
      }
      h.createUpdate("""
              UPDATE webhook_deliveries SET status = :pending, attempts = 0, next_attempt_at = :now,
                delivered_at = NULL WHERE id = :id""")
          .bind("pending", DeliveryStatus.PENDING.wire())
          .bind("now", Clock.now(h))
          .bind("id", id)
          .execute();
      WebhookDelivery after = findDelivery(h, id).orElseThrow();
      AuditLog.append(h, actor.keyId(), "webhook.delivery_replayed", "webhook_delivery", id, before, after);
      return after;
    });
    wakeUp.run();
    return replayed;
  }

  private String newSecret() {
    byte[] bytes = new byte[SECRET_BYTES];
    random.nextBytes(bytes);
    return SECRET_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String checkUrl(String text) {
    if (text == null || text.isBlank()) {
      throw RequestException.invalid("url", "required: the http or https URL deliveries are POSTed to");
    }
    String url = TextFields.line(text.strip(), "url");
    if (url.length() > MAX_URL_LENGTH) {
      throw RequestException.invalid("url", "at most " + MAX_URL_LENGTH + " characters");
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw RequestException.invalid("url", "not a URL: " + e.getReason());
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw RequestException.invalid("url", "must be an http or https URL");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw RequestException.invalid("url", "must name a host");
    }
    // The URL is shown in lists and audit records, which must not carry credentials.
    if (uri.getRawUserInfo() != null) {
      throw RequestException.invalid("url", "must not carry a user name or password; receivers verify the signature instead");
    }
    if (uri.getRawFragment() != null) {
      throw RequestException.invalid("url", "must not have a fragment (#...)");
    }
    return url;
  }

  static String checkDescription(String text) {
    String description = text.strip();
    if (description.length() > MAX_DESCRIPTION_LENGTH) {
      throw RequestException.invalid("description", "at most " + MAX_DESCRIPTION_LENGTH + " characters");
    }
    return TextFields.paragraphs(description, "description");
  }

  /** Distinct types in the order given; {@code *} anywhere means all, and is kept alone. */
  static List<String> checkEventTypes(List<String> requested) {
    if (requested.isEmpty()) {
      throw RequestException.invalid("event_types", "at least one event type, or [\"*\"] for all");
    }
    if (requested.size() > MAX_EVENT_TYPES) {
      throw RequestException.invalid("event_types", "at most " + MAX_EVENT_TYPES + " event types; use [\"*\"] for all");
    }
    Set<String> types = new LinkedHashSet<>();
    for (int i = 0; i < requested.size(); i++) {
      String type = requested.get(i) == null ? "" : requested.get(i).strip();
      if (type.equals(ALL_EVENTS)) {
        return List.of(ALL_EVENTS);
      }
      if (type.length() > Outbox.MAX_EVENT_TYPE_LENGTH || !Outbox.EVENT_TYPE.matcher(type).matches()) {
        throw RequestException.invalid("event_types[" + i + "]",
            "an event type is a dotted lower-case name such as case.decided (or * for all), not '" + type + "'");
      }
      types.add(type);
    }
    return new ArrayList<>(types);
  }

  private static final String SELECT_ENDPOINT =
      "SELECT id, url, description, event_types, enabled, created_at, updated_at FROM webhook_endpoints";

  private static Optional<WebhookEndpoint> find(Handle h, long id) {
    return h.createQuery(SELECT_ENDPOINT + " WHERE id = :id").bind("id", id).map((rs, ctx) -> endpoint(rs)).findOne();
  }

  static WebhookEndpoint endpoint(ResultSet rs) throws SQLException {
    return new WebhookEndpoint(
        rs.getLong("id"),
        rs.getString("url"),
        rs.getString("description"),
        JsonText.stringList(rs.getString("event_types")),
        rs.getBoolean("enabled"),
        Clock.text(rs.getObject("created_at", OffsetDateTime.class)),
        Clock.text(rs.getObject("updated_at", OffsetDateTime.class)));
  }

  private static final String SELECT_DELIVERY = """
      SELECT d.id, d.event_id, e.event_type, d.endpoint_id, d.status, d.attempts, d.next_attempt_at, d.last_status,
        d.last_error, d.created_at, d.delivered_at
      FROM webhook_deliveries d JOIN webhook_events e ON e.id = d.event_id""";

  private static Optional<WebhookDelivery> findDelivery(Handle h, long id) {
    return h.createQuery(SELECT_DELIVERY + " WHERE d.id = :id").bind("id", id).map((rs, ctx) -> delivery(rs)).findOne();
  }

  private static WebhookDelivery delivery(ResultSet rs) throws SQLException {
    DeliveryStatus status = DeliveryStatus.fromWire(rs.getString("status"));
    return new WebhookDelivery(
        rs.getLong("id"),
        rs.getObject("event_id", UUID.class).toString(),
        rs.getString("event_type"),
        rs.getLong("endpoint_id"),
        status,
        rs.getInt("attempts"),
        // Only pending deliveries have a next attempt; while one is in flight this is when it is
        // sent again should the attempt's outcome never be recorded (the process died).
        status == DeliveryStatus.PENDING ? Clock.text(rs.getObject("next_attempt_at", OffsetDateTime.class)) : null,
        (Integer) rs.getObject("last_status", Integer.class),
        rs.getString("last_error"),
        Clock.text(rs.getObject("created_at", OffsetDateTime.class)),
        Clock.text(rs.getObject("delivered_at", OffsetDateTime.class)));
  }
}
