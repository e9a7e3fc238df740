package org.countersignal.server.webhook;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.countersignal.server.store.Clock;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;

/**
 * POSTs deliveries with Jetty's asynchronous client: many requests in flight on few threads.
 * Only the status counts; a response body is read and dropped, and one longer than
 * {@link #MAX_RESPONSE_BYTES} is cut off (its status still counts).
 */
final class WebhookSender implements AutoCloseable {

  static final String EVENT_ID = "Countersignal-Event-Id";
  static final String EVENT_TYPE = "Countersignal-Event-Type";
  static final String TIMESTAMP = "Countersignal-Timestamp";
  static final String SIGNATURE = "Countersignal-Signature";
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  static final int MAX_RESPONSE_BYTES = 64 * 1024;

  private final HttpClient client;
  private final long requestTimeoutMillis;

  WebhookSender(WebhookSettings settings) {
    this.requestTimeoutMillis = settings.requestTimeout().toMillis();
    this.client = new HttpClient();
    // A redirect is an answer the receiver must fix, not one to follow with a signed body.
    client.setFollowRedirects(false);
    client.setConnectTimeout(settings.connectTimeout().toMillis());
    client.setIdleTimeout(Math.max(settings.requestTimeout().toMillis(), 30_000));
    client.setMaxConnectionsPerDestination(settings.maxConnectionsPerEndpoint());
    // Requests wait here for a connection; at most every request in flight can be waiting.
    client.setMaxRequestsQueuedPerDestination(Math.max(settings.maxInFlight(), 1024));
    client.setUserAgentField(new HttpField(HttpHeader.USER_AGENT, "Countersignal-Webhooks"));
    client.getContentDecoderFactories().clear();
    try {
      client.start();
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the webhook HTTP client", e);
    }
  }

  /** The body of a delivery: the event id, type and time, and the payload as {@code data}. */
  static byte[] body(DeliveryStore.Due due) {
    // Event ids are UUIDs and types dotted lower-case names (checked at enqueue), so neither needs escaping.
    return ("{\"id\":\"" + due.eventId() + "\",\"type\":\"" + due.eventType() + "\",\"created_at\":\""
        + Clock.text(due.eventCreatedAt()) + "\",\"data\":" + due.payload() + "}").getBytes(StandardCharsets.UTF_8);
  }

  /** Sends {@code due} signed with {@code secret}; the future never fails, it holds the outcome. */
  CompletableFuture<DeliveryStore.Outcome> send(DeliveryStore.Due due, String secret) {
    CompletableFuture<DeliveryStore.Outcome> outcome = new CompletableFuture<>();
    byte[] body = body(due);
    // Signed at each attempt: a retry an hour later carries a fresh timestamp, which receivers
    // that refuse old ones accept.
    long timestamp = Instant.now().getEpochSecond();
    String eventId = due.eventId().toString();
    Request request;
    try {
      request = client.newRequest(due.url())
          .method(HttpMethod.POST)
          .timeout(requestTimeoutMillis, TimeUnit.MILLISECONDS)
          .headers(h -> h
              .put(EVENT_ID, eventId)
              .put(IDEMPOTENCY_KEY, eventId)
              .put(EVENT_TYPE, due.eventType())
              .put(TIMESTAMP, Long.toString(timestamp))
              .put(SIGNATURE, WebhookSignature.sign(secret, timestamp, body)))
          .body(new BytesRequestContent("application/json", body));
    } catch (RuntimeException e) {
      outcome.complete(new DeliveryStore.Outcome(due, null, "cannot send to " + due.url() + ": " + e.getMessage(), false));
      return outcome;
    }
    request.send(new Listener(due, outcome));
    return outcome;
  }

  /** Counts the body it drops, cuts it off past the cap, and completes the outcome. */
  private static final class Listener implements Response.Listener {
    private final DeliveryStore.Due due;
    private final CompletableFuture<DeliveryStore.Outcome> outcome;
    private volatile Integer status;
    private volatile boolean cutOff;
    private long received;

    Listener(DeliveryStore.Due due, CompletableFuture<DeliveryStore.Outcome> outcome) {
      this.due = due;
      this.outcome = outcome;
    }

    @Override
    public void onHeaders(Response response) {
      status = response.getStatus();
    }

    @Override
    public void onContent(Response response, ByteBuffer content) {
      received += content.remaining();
      if (received > MAX_RESPONSE_BYTES && !cutOff) {
        cutOff = true;
        response.abort(new java.io.IOException("response body over " + MAX_RESPONSE_BYTES + " bytes, cut off"));
      }
    }

    @Override
    public void onComplete(Result result) {
      Integer code = status;
      boolean success = code != null && code >= 200 && code < 300;
      if (result.isFailed() && !(cutOff && code != null)) {
        outcome.complete(new DeliveryStore.Outcome(due, code, describe(result.getFailure()), false));
      } else if (success) {
        outcome.complete(new DeliveryStore.Outcome(due, code, null, true));
      } else {
        outcome.complete(new DeliveryStore.Outcome(due, code, "HTTP " + code, false));
      }
    }
  }

  private static String describe(Throwable failure) {
    if (failure instanceof TimeoutException) {
      return "timed out: " + failure.getMessage();
    }
    String message = failure.getMessage();
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  @Override
  public void close() {
    try {
      client.stop();
    } catch (Exception e) {
      // stopping: nothing else to release
    }
  }
}
