package org.countersignal.server.exchange.peer;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.countersignal.server.bank.Sharing;
import org.countersignal.server.exchange.Announcement;
import org.countersignal.server.exchange.ExchangeContext;
import org.countersignal.server.exchange.ExchangeException;
import org.countersignal.server.exchange.FetchDelta;
import org.countersignal.server.exchange.SharedIncident;
import org.countersignal.server.exchange.SignalExchange;
import org.countersignal.server.exchange.SignalKey;
import org.countersignal.server.exchange.SourceRecord;
import org.countersignal.server.federation.FeedPages;

/**
 * A feed of another Countersignal instance ({@code GET /api/v1/feeds/{name}/pages} there), read
 * with the peer key its operator gave. Every page is checked against the publisher's pinned
 * signing key, and against the position asked for, before anything of it is applied
 * ({@link FeedPages#verify}); a page that fails stops the fetch, and what was applied before it
 * stays. Additions carry the publisher's labels as tags (the label map decides which become our
 * labels) and its provenance as the note; removals are the publisher's disables and deletions.
 */
public final class PeerExchange implements SignalExchange<PeerConfig, PeerCheckpoint> {

  public static final String NAME = "countersignal";

  /** The most a page's body may hold: far above a page of {@value PeerConfig#MAX_PAGE_SIZE} records. */
  private static final int MAX_PAGE_BYTES = 64 << 20;

  private static final com.fasterxml.jackson.databind.ObjectMapper JSON = com.fasterxml.jackson.databind.json.JsonMapper.builder()
      .propertyNamingStrategy(com.fasterxml.jackson.databind.PropertyNamingStrategies.SNAKE_CASE)
      .disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  /**
   * The version of the incidents each publisher's feed last listed or announced, by the feed's
   * address: a wait for that feed's updates that asks for incidents also answers when the
   * publisher's incidents change past it (past 0 for a feed not heard of yet in this process).
   */
  private final Map<String, Long> incidentVersions = new java.util.concurrent.ConcurrentHashMap<>();

  /** The publisher's answer to {@code GET /api/v1/federation/incidents}. */
  private record IncidentList(String instanceId, long version, List<Listed> items) {}

  /** One incident as the publisher lists it. */
  private record Listed(long id, String name, String kind, String level, String region, String description, String status,
      String startedAt, String declaredAt, String closedAt, String updatedAt, String feed, String sharing) {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "A feed another Countersignal instance publishes to this one, read with the peer key it gave; every page is"
        + " signed, and checked against the publisher's pinned key";
  }

  @Override
  public Class<PeerConfig> configType() {
    return PeerConfig.class;
  }

  @Override
  public Class<PeerCheckpoint> checkpointType() {
    return PeerCheckpoint.class;
  }

  @Override
  public Set<String> credentialNames() {
    return Set.of("key");
  }

  @Override
  public void check(PeerConfig config, ExchangeContext context) {
    config.check();
  }

  @Override
  public Fetch<PeerCheckpoint> fetch(PeerConfig config, Map<String, String> credentials, PeerCheckpoint checkpoint,
      ExchangeContext context) {
    PublicKey pinned;
    try {
      pinned = config.key();
    } catch (IllegalArgumentException e) {
      throw new ExchangeException("configuration: " + e.getMessage());
    }
    HttpClient http = client(config, context);
    String key = peerKey(credentials);
    String feed = config.feed().strip();
    URI pages = feedUri(config, "pages");
    return new Fetch<>() {
      long after = checkpoint == null ? 0 : checkpoint.after();
      Instant changedAt = checkpoint == null ? Instant.EPOCH : checkpoint.changedAt();
      long compactedThrough = checkpoint == null || checkpoint.compactedThrough() == null ? 0 : checkpoint.compactedThrough();
      PublicKey publisher = keyInUse(config, pinned, checkpoint);
      // The next page, asked for as soon as the last one was read: the publisher reads and signs
      // it, it travels, and it is read and checked here, while the last one is being applied.
      CompletableFuture<FeedPages.Verified> ahead;

      @Override
      public FetchDelta<PeerCheckpoint> next() {
        CompletableFuture<FeedPages.Verified> answer = ahead != null ? ahead : ask(after);
        ahead = null;
        FeedPages.Verified verified = awaited(context, answer, Duration.ZERO);
        FeedPages.Payload payload = verified.payload();
        long compacted = payload.compactedThrough() == null ? 0 : payload.compactedThrough();
        if (compacted > compactedThrough) {
          if (after > 0 && after < compacted) {
            throw new ExchangeException.FromStart("the publisher compacted its change sequence through " + compacted
                + ", past this feed's position " + after + ": a removal not read yet may be gone");
          }
          compactedThrough = compacted;
        }
        boolean rotated = !verified.signer().equals(publisher);
        publisher = verified.signer();
        if (payload.records() == null || payload.records().isEmpty()) {
          if (payload.last() > after) {
            // Changes the feed's view leaves out: the position moves on past them.
            after = payload.last();
            ahead = ask(after);
            return new FetchDelta<>(List.of(), checkpoint());
          }
          // The publisher's new key is kept even when it brings nothing else.
          return rotated ? new FetchDelta<>(List.of(), checkpoint()) : null;
        }
        Sharing sharing = Sharing.fromWire(payload.sharing());
        List<FetchDelta.Update> updates = new ArrayList<>(payload.records().size());
        for (FeedPages.Record record : payload.records()) {
          SignalKey signal = new SignalKey(record.signalType(), record.signal());
          if ("add".equals(record.op())) {
            updates.add(new FetchDelta.Update(signal,
                SourceRecord.positive(record.labels(), record.provenance()).sharedAt(sharing).from(record.origin())));
          } else if ("remove".equals(record.op())) {
            updates.add(FetchDelta.Update.deleted(signal));
          } else {
            updates.add(FetchDelta.malformed(record.signalType(), record.signal(), "an update that is neither add nor remove"));
          }
          if (record.changedAt() != null && record.changedAt().isAfter(changedAt)) {
            changedAt = record.changedAt();
          }
        }
        after = payload.last();
        ahead = ask(after);
        return new FetchDelta<>(updates, checkpoint());
      }

      private PeerCheckpoint checkpoint() {
        Long compacted = compactedThrough == 0 ? null : compactedThrough;
        return publisher.equals(pinned) ? new PeerCheckpoint(after, changedAt, null, null, compacted)
            : new PeerCheckpoint(after, changedAt, FeedPages.text(publisher), config.publicKey().strip(), compacted);
      }

      private CompletableFuture<FeedPages.Verified> ask(long position) {
        PublicKey expected = publisher;
        HttpRequest request = HttpRequest.newBuilder(URI.create(pages + "?after=" + position + "&limit=" + config.effectivePageSize()))
            .timeout(context.requestTimeout())
            .header("Accept", "application/json")
            .header("Authorization", "Bearer " + key)
            .GET()
            .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream())
            .thenApplyAsync(response -> verified(body(response), expected, feed, position));
      }

      @Override
      public void close() {
        if (ahead != null) {
          ahead.cancel(true);
        }
      }
    };
  }

  @Override
  public Announcement awaitUpdates(PeerConfig config, Map<String, String> credentials, PeerCheckpoint checkpoint, boolean incidents,
      Duration wait, ExchangeContext context) {
    long after = checkpoint == null ? 0 : checkpoint.after();
    String feed = feedUri(config, "updates").toString();
    // Before this process has read the publisher's incidents, any it shares are news.
    long incidentsSeen = incidentVersions.getOrDefault(feed, 0L);
    HttpRequest request = HttpRequest.newBuilder(URI.create(feed + "?after=" + after + "&wait=" + wait.toSeconds()
            + (incidents ? "&incidents_after=" + incidentsSeen : "")))
        // The publisher holds the request open for the wait: only what comes after it is late.
        .timeout(wait.plus(context.requestTimeout()))
        .header("Accept", "application/json")
        .header("Authorization", "Bearer " + peerKey(credentials))
        .GET()
        .build();
    byte[] body = body(awaited(context, client(config, context).sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()), wait));
    FeedPages.Updates updates = FeedPages.readUpdates(body);
    if (updates == null) {
      throw new ExchangeException("the publisher's answer to a wait for updates is not one");
    }
    boolean incidentsChanged = incidents && updates.incidents() != null && updates.incidents() > incidentsSeen;
    if (incidentsChanged) {
      // Heard: the next wait waits for a later change, whether or not reading the list succeeds
      // (a fetch reads it again).
      incidentVersions.merge(feed, updates.incidents(), Math::max);
    }
    return new Announcement(updates.next() != null && updates.next() > after, incidentsChanged);
  }

  /**
   * The incidents the publisher shares with this peer ({@code GET /api/v1/federation/incidents}),
   * each with the feed of its entries. A publisher of an earlier version, which has no such route,
   * shares none. The facts come over the same authenticated channel as the pages but are not
   * signed; the entries an accepted incident brings are, as every page is.
   */
  @Override
  public List<SharedIncident> incidents(PeerConfig config, Map<String, String> credentials, ExchangeContext context) {
    URI uri;
    try {
      uri = config.baseUri().resolve("api/v1/federation/incidents");
    } catch (IllegalArgumentException e) {
      throw new ExchangeException("configuration: " + e.getMessage());
    }
    HttpRequest request = HttpRequest.newBuilder(uri)
        .timeout(context.requestTimeout())
        .header("Accept", "application/json")
        .header("Authorization", "Bearer " + peerKey(credentials))
        .GET()
        .build();
    HttpResponse<InputStream> response = awaited(context, client(config, context).sendAsync(request, HttpResponse.BodyHandlers.ofInputStream()),
        Duration.ZERO);
    if (response.statusCode() == 404) {
      try (InputStream ignored = response.body()) {
        return List.of();
      } catch (IOException e) {
        return List.of();
      }
    }
    IncidentList list;
    try {
      list = JSON.readValue(body(response), IncidentList.class);
    } catch (IOException e) {
      throw new ExchangeException("the publisher's list of incidents does not parse");
    }
    if (list == null || list.items() == null || list.instanceId() == null) {
      throw new ExchangeException("the publisher's list of incidents is not one");
    }
    incidentVersions.merge(feedUri(config, "updates").toString(), list.version(), Math::max);
    return list.items().stream().map(i -> new SharedIncident(list.instanceId(), i.id(), i.name(), i.kind(), i.level(), i.region(),
        i.description(), i.status(), i.startedAt(), i.declaredAt(), i.closedAt(), i.updatedAt(), i.feed(), i.sharing())).toList();
  }

  @Override
  public boolean sharesIncidents() {
    return true;
  }

  /** The same publisher, key, certificate and page size; the incident's feed. */
  @Override
  public PeerConfig configForIncident(PeerConfig config, SharedIncident incident) {
    return new PeerConfig(config.url(), incident.feed(), config.publicKey(), config.pageSize(), config.tlsCertificate());
  }

  @Override
  public boolean announcesUpdates() {
    return true;
  }

  /**
   * The publisher's key to check pages with: the one its pages led to from the pinned key, unless
   * the operator has pinned another key since.
   */
  private static PublicKey keyInUse(PeerConfig config, PublicKey pinned, PeerCheckpoint checkpoint) {
    if (checkpoint == null || checkpoint.key() == null || !config.publicKey().strip().equals(checkpoint.pinned())) {
      return pinned;
    }
    try {
      return FeedPages.publicKey(checkpoint.key());
    } catch (IllegalArgumentException e) {
      return pinned;
    }
  }

  /** The client to reach the publisher with: it trusts the publisher's own certificate when one is pinned. */
  static HttpClient client(PeerConfig config, ExchangeContext context) {
    try {
      return PeerTls.client(config, context.http());
    } catch (IllegalArgumentException e) {
      throw new ExchangeException("configuration: " + e.getMessage());
    }
  }

  /** The address of the feed's {@code what} ({@code pages}, {@code updates}, {@code opinions}) on the publisher. */
  static URI feedUri(PeerConfig config, String what) {
    try {
      return config.baseUri().resolve("api/v1/feeds/" + URLEncoder.encode(config.feed().strip(), StandardCharsets.UTF_8) + "/" + what);
    } catch (IllegalArgumentException e) {
      throw new ExchangeException("configuration: " + e.getMessage());
    }
  }

  static String peerKey(Map<String, String> credentials) {
    String key = credentials.get("key");
    if (key == null || key.isBlank()) {
      throw new ExchangeException("credentials: the peer key is missing");
    }
    return key.strip();
  }

  /**
   * Sends a curator's opinion of one signal to the publisher, as a word of its own: positive,
   * negative or disputed (how often a signal was seen goes back with the report after each fetch).
   */
  @Override
  public void reportOpinion(PeerConfig config, Map<String, String> credentials, SignalKey signal,
      org.countersignal.server.exchange.Opinion opinion, ExchangeContext context) {
    PeerOpinions.send(config, credentials, List.of(PeerOpinions.single(signal, opinion)), context);
  }

  @Override
  public boolean takesOpinions() {
    return true;
  }

  /** Sends the publisher what this instance holds of the feed's signals (its matches and reviews), after each fetch. */
  @Override
  public String reportOpinions(PeerConfig config, Map<String, String> credentials,
      List<org.countersignal.server.exchange.SignalOpinion> opinions, ExchangeContext context) {
    return PeerOpinions.send(config, credentials, opinions.stream().map(PeerOpinions::item).toList(), context);
  }

  @Override
  public boolean reportsOpinions() {
    return true;
  }

  /** A page's body as a checked page of {@code feed} after {@code after}, signed by {@code publisher} or a key it announced. */
  private static FeedPages.Verified verified(byte[] body, PublicKey publisher, String feed, long after) {
    FeedPages.Signed page = FeedPages.read(body);
    if (page == null) {
      throw new ExchangeException("the publisher's page after " + after + " is not a signed feed page");
    }
    try {
      return FeedPages.verify(page, publisher, feed, after);
    } catch (FeedPages.BadPage e) {
      throw new ExchangeException("the publisher's page after " + after + " was refused: " + e.getMessage());
    }
  }

  /** What {@code answer} brings, within the request timeout after {@code held} (the time the publisher may hold it). */
  private static <T> T awaited(ExchangeContext context, CompletableFuture<T> answer, Duration held) {
    try {
      return answer.get(held.plus(context.requestTimeout()).toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      answer.cancel(true);
      throw new ExchangeException("the publisher did not answer within " + context.requestTimeout().toSeconds() + " s");
    } catch (ExecutionException e) {
      Throwable cause = e.getCause() instanceof java.util.concurrent.CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
      if (cause instanceof ExchangeException refused) {
        throw refused;
      }
      throw new ExchangeException("the publisher could not be reached: " + cause.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ExchangeException("interrupted while waiting for the publisher");
    }
  }

  /** The body of the publisher's answer, at most {@value #MAX_PAGE_BYTES} bytes, once its status says it is one. */
  private static byte[] body(HttpResponse<InputStream> response) {
    try (InputStream in = response.body()) {
      int status = response.statusCode();
      if (status == 401) {
        throw new ExchangeException("the publisher refused the peer key (HTTP 401): it is wrong or was revoked");
      }
      if (status == 403) {
        throw new ExchangeException("the publisher refused the page (HTTP 403): the feed's bank is no longer shared with its peers");
      }
      if (status == 404) {
        throw new ExchangeException("the publisher has no such feed for this peer (HTTP 404)");
      }
      if (status == 429) {
        throw new ExchangeException("the publisher is limiting this peer's requests (HTTP 429): raise the peer key's rate there");
      }
      if (status / 100 != 2) {
        throw new ExchangeException("the publisher answered HTTP " + status);
      }
      byte[] body = in.readNBytes(MAX_PAGE_BYTES + 1);
      if (body.length > MAX_PAGE_BYTES) {
        throw new ExchangeException("the publisher's page is larger than " + (MAX_PAGE_BYTES >> 20) + " MB");
      }
      return body;
    } catch (IOException e) {
      throw new ExchangeException("the publisher's page could not be read: " + e.getClass().getSimpleName());
    }
  }
}
