package org.countersignal.server.webhook;

import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.regex.Pattern;
import org.countersignal.server.store.Clock;
import org.countersignal.server.store.JsonText;
import org.jdbi.v3.core.Handle;

/**
 * The one way code records a webhook event: a row in {@code webhook_events}, written through the
 * caller's handle so the event commits with the change it describes, or not at all. Fanning out
 * to endpoints and sending happen later in the webhook dispatcher; enqueueing does not
 * look at endpoints, so it costs one INSERT inside the caller's transaction.
 */
public final class Outbox {

  /** Dotted lower-case names such as {@code case.decided} or {@code account.suspension_recommended}. */
  static final Pattern EVENT_TYPE = Pattern.compile("[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+");

  static final int MAX_EVENT_TYPE_LENGTH = 100;

  // Dispatchers in this process, woken when an event commits so it goes out without waiting for
  // the next poll. Other processes find it by polling.
  private static final CopyOnWriteArraySet<Runnable> WAKE_UPS = new CopyOnWriteArraySet<>();

  private Outbox() {}

  /**
   * Records an event in the caller's transaction (so it commits with the change, or not at all);
   * returns the event id (a UUID string, also the idempotency key). Must be cheap: a single
   * INSERT, no lookups of endpoints.
   *
   * @param eventType a dotted type such as {@code case.decided}; endpoints subscribe by it
   * @param payload any value Jackson can write (records, maps, lists); sent as the body's
   *     {@code data}, with snake_case property names
   * @throws IllegalArgumentException if the event type is not a dotted lower-case name
   */
  public static String enqueue(Handle handle, String eventType, Object payload) {
    return insert(handle, eventType, payload, null);
  }

  /** An event for one endpoint only, whatever it subscribes to (test events). */
  static String enqueueFor(Handle handle, String eventType, Object payload, long endpointId) {
    return insert(handle, eventType, payload, endpointId);
  }

  private static String insert(Handle handle, String eventType, Object payload, Long endpointId) {
    Objects.requireNonNull(handle, "handle");
    checkType(eventType);
    UUID id = UUID.randomUUID();
    handle.createUpdate("""
            INSERT INTO webhook_events (id, event_type, payload, target_endpoint_id, fanned_out, created_at)
            VALUES (:id, :type, :payload, :target, FALSE, :now)""")
        .bind("id", id)
        .bind("type", eventType)
        .bind("payload", JsonText.write(payload))
        .bind("target", endpointId)
        .bind("now", Clock.now(handle))
        .execute();
    if (!WAKE_UPS.isEmpty()) {
      if (handle.isInTransaction()) {
        handle.afterCommit(Outbox::wakeUp);
      } else {
        wakeUp();
      }
    }
    return id.toString();
  }

  static void checkType(String eventType) {
    if (eventType == null
        || eventType.length() > MAX_EVENT_TYPE_LENGTH
        || !EVENT_TYPE.matcher(eventType).matches()) {
      throw new IllegalArgumentException(
          "event type must be a dotted lower-case name such as case.decided, not " + eventType);
    }
  }

  static void onEnqueue(Runnable wakeUp) {
    WAKE_UPS.add(wakeUp);
  }

  static void removeOnEnqueue(Runnable wakeUp) {
    WAKE_UPS.remove(wakeUp);
  }

  private static void wakeUp() {
    WAKE_UPS.forEach(Runnable::run);
  }
}
