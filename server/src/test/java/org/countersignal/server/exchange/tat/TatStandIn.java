package org.countersignal.server.exchange.tat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.countersignal.signals.pdq.PdqHash;

/**
 * A stand-in for Tech Against Terrorism's TCAP backend for the tests: a Javalin app on localhost
 * that answers as the public description of the API says the real one does. That description is
 * TCAP's documentation at terrorismanalytics.org (the Content Hash List v2 page,
 * {@code /docs/hash-list-v2}, and the Hash Verification v2 page, {@code /docs/hash-verification-v2})
 * and python-threatexchange's client of it (facebook/ThreatExchange,
 * {@code python-threatexchange/threatexchange/exchanges/clients/techagainstterrorism/api.py}):
 *
 * <ul>
 *   <li>{@code POST /token-auth/tcap/} with {@code {username, password}} answers
 *       {@code {token, user}}, or 400 for credentials it does not know;
 *   <li>{@code GET /api/hash-list/v2/all?order=asc&limit=&offset=&after=} with the token as
 *       {@code Authorization: Bearer} answers {@code {count, next, previous, checkpoint, results}}:
 *       the records changed after the cursor {@code after} ({@code "{UTC seconds},{id}"}), in the
 *       order of their last change and then id; {@code checkpoint} is the cursor of the page's last
 *       record, {@code next} a link with the next offset or null on the last page. A record is
 *       {@code {id, hash_digest, algorithm, ideology, file_type, deleted, created_on, updated_on}};
 *       a deletion keeps the record, flags it and moves it to the end as a change;
 *   <li>{@code POST /hash-verification/api/v2} takes a list of at most 50
 *       {@code {hash_value, hash_type, confidence}}. The documentation does not show the answer;
 *       this one answers a list of {@code {hash_value, hash_type, verified}} with the ideology of
 *       what matched, the shape the kind reads.
 * </ul>
 *
 * <p>Switches make it misbehave as a real service can: an error status, an answer that hangs past
 * any timeout (before its headers, or halfway through its body), a body that is not JSON, tokens
 * that expire or are refused.
 */
public final class TatStandIn implements AutoCloseable {

  public static final String USERNAME = "platform-analyst";
  public static final String PASSWORD = "correct horse battery staple";

  /** One record of the hash list, as the source keeps it. */
  public record HashRecord(long id, String algorithm, String hashDigest, String ideology, String fileType, boolean deleted,
      long updatedMicros, Map<String, JsonNode> overrides) {

    String cursor() {
      return TatStandIn.cursor(updatedMicros, id);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();
  /** 2024-01-01T00:00:00Z, when the list's first record changed. */
  private static final long START_MICROS = 1_704_067_200_000_000L;
  private static final int MAX_VERIFY_ITEMS = 50;

  private final List<HashRecord> records = new ArrayList<>();
  private final Set<String> validTokens = new HashSet<>();
  private final List<String> issuedTokens = new ArrayList<>();
  private final List<String> cursorsAsked = new ArrayList<>();
  private final List<JsonNode> verifyRequests = new ArrayList<>();
  private long clockMicros = START_MICROS;
  private long nextId = 2800;

  private volatile int pageStatus = 200;
  private volatile String pageBody;
  private volatile String tokenBody;
  private volatile boolean refuseTokens;
  // Hash list requests wait at one of these, while it is closed, before their headers or halfway
  // through their body (a source that hangs).
  private volatile CountDownLatch beforeHeaders = new CountDownLatch(0);
  private volatile CountDownLatch midBody;
  private final Javalin app;

  public TatStandIn() {
    this.app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.routes.post("/token-auth/tcap/", this::token);
      config.routes.get("/api/hash-list/v2/all", this::hashList);
      config.routes.post("/hash-verification/api/v2", this::verification);
    }).start("127.0.0.1", 0);
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + app.port() + "/";
  }

  // --- the list -----------------------------------------------------------------------------

  /** A new record, changed a little after the last change. */
  public synchronized HashRecord add(String algorithm, String hashDigest, String ideology) {
    HashRecord record = new HashRecord(nextId++, algorithm, hashDigest, ideology, "mp4", false, tick(), Map.of());
    records.add(record);
    return record;
  }

  /** A new record with fields the real list would not send, or sends otherwise. */
  synchronized HashRecord addWith(String algorithm, String hashDigest, Map<String, JsonNode> overrides) {
    HashRecord record = new HashRecord(nextId++, algorithm, hashDigest, "islamist", "jpg", false, tick(), Map.copyOf(overrides));
    records.add(record);
    return record;
  }

  /** Withdraws a record as the source does: flagged, and moved to the end of the order. */
  public synchronized HashRecord delete(HashRecord record) {
    HashRecord deleted = new HashRecord(record.id(), record.algorithm(), record.hashDigest(), record.ideology(),
        record.fileType(), true, tick(), record.overrides());
    records.replaceAll(r -> r.id() == record.id() ? deleted : r);
    return deleted;
  }

  private long tick() {
    clockMicros += 1_250_000 + 17;
    return clockMicros;
  }

  static String cursor(long micros, long id) {
    return String.format(Locale.ROOT, "%d.%06d,%d", micros / 1_000_000, micros % 1_000_000, id);
  }

  static Instant instant(long micros) {
    return Instant.ofEpochSecond(micros / 1_000_000, (micros % 1_000_000) * 1000);
  }

  // --- switches -----------------------------------------------------------------------------

  /** Hash list pages answer with this status (200 to behave again). */
  public void answerPagesWith(int status) {
    this.pageStatus = status;
  }

  /** Hash list pages answer with this body, as it is (null to behave again). */
  void answerPagesWithBody(String body) {
    this.pageBody = body;
  }

  /** The token route answers with this body, as it is (null to behave again). */
  void answerTokensWithBody(String body) {
    this.tokenBody = body;
  }

  /** From now on hash list requests wait, unanswered, until the stand-in closes. */
  void hang() {
    beforeHeaders = new CountDownLatch(1);
  }

  /** From now on hash list pages send their headers and half their body, then wait until the stand-in closes. */
  void stallBodies() {
    midBody = new CountDownLatch(1);
  }

  /** Every token issued so far stops being accepted, as when they expire. */
  synchronized void expireTokens() {
    validTokens.clear();
  }

  /** No token is accepted, not even a new one. */
  void refuseTokens() {
    refuseTokens = true;
  }

  synchronized List<String> issuedTokens() {
    return List.copyOf(issuedTokens);
  }

  /** The {@code after} of each hash list request that was answered ("" when from the start). */
  synchronized List<String> cursorsAsked() {
    return List.copyOf(cursorsAsked);
  }

  /** The body of each verification request. */
  synchronized List<JsonNode> verifyRequests() {
    return List.copyOf(verifyRequests);
  }

  // --- routes -------------------------------------------------------------------------------

  private void token(Context ctx) throws Exception {
    if (tokenBody != null) {
      ctx.status(200).contentType("application/json").result(tokenBody);
      return;
    }
    JsonNode body = JSON.readTree(ctx.body());
    if (!USERNAME.equals(body.path("username").asText()) || !PASSWORD.equals(body.path("password").asText())) {
      json(ctx, 400, JSON.createObjectNode().set("non_field_errors",
          JSON.createArrayNode().add("Unable to log in with provided credentials.")));
      return;
    }
    String token = "jwt." + UUID.randomUUID();
    synchronized (this) {
      validTokens.add(token);
      issuedTokens.add(token);
    }
    ObjectNode answer = JSON.createObjectNode().put("token", token);
    answer.putObject("user").put("username", USERNAME);
    json(ctx, 200, answer);
  }

  private void hashList(Context ctx) throws Exception {
    beforeHeaders.await();
    if (!authorized(ctx)) {
      return;
    }
    if (pageStatus != 200) {
      ctx.status(pageStatus).result("server error");
      return;
    }
    if (pageBody != null) {
      ctx.status(200).contentType("application/json").result(pageBody);
      return;
    }
    if (!"asc".equals(ctx.queryParam("order"))) {
      json(ctx, 400, JSON.createObjectNode().put("error", "this stand-in only serves order=asc"));
      return;
    }
    String after = ctx.queryParam("after") == null ? "" : ctx.queryParam("after");
    int limit = ctx.queryParam("limit") == null ? 1000 : Integer.parseInt(ctx.queryParam("limit"));
    int offset = ctx.queryParam("offset") == null ? 0 : Integer.parseInt(ctx.queryParam("offset"));
    ObjectNode page = page(after, limit, offset);
    CountDownLatch stall = midBody;
    if (stall != null) {
      byte[] body = JSON.writeValueAsBytes(page);
      ctx.res().setStatus(200);
      ctx.res().setContentType("application/json");
      ctx.res().setContentLength(body.length);
      ctx.res().getOutputStream().write(body, 0, body.length / 2);
      ctx.res().getOutputStream().flush();
      stall.await();
      return;
    }
    json(ctx, 200, page);
  }

  private synchronized ObjectNode page(String after, int limit, int offset) {
    cursorsAsked.add(after);
    List<HashRecord> changed = records.stream()
        .sorted(Comparator.comparingLong(HashRecord::updatedMicros).thenComparingLong(HashRecord::id))
        .filter(r -> after.isEmpty() || isAfter(r, after))
        .toList();
    List<HashRecord> results = changed.stream().skip(offset).limit(limit).toList();
    ObjectNode page = JSON.createObjectNode();
    page.put("count", changed.size());
    if (offset + limit < changed.size()) {
      page.put("next", baseUrl() + "api/hash-list/v2/all?order=asc&limit=" + limit + "&offset=" + (offset + limit)
          + "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
    } else {
      page.putNull("next");
    }
    page.putNull("previous");
    page.put("checkpoint", results.isEmpty() ? after : results.getLast().cursor());
    ArrayNode list = page.putArray("results");
    results.forEach(r -> list.add(json(r)));
    return page;
  }

  private static boolean isAfter(HashRecord record, String cursor) {
    String[] parts = cursor.split(",");
    long micros = new BigDecimal(parts[0]).movePointRight(6).longValueExact();
    long id = Long.parseLong(parts[1]);
    return record.updatedMicros() > micros || (record.updatedMicros() == micros && record.id() > id);
  }

  private static ObjectNode json(HashRecord record) {
    ObjectNode json = JSON.createObjectNode();
    json.put("hash_digest", record.hashDigest());
    json.put("algorithm", record.algorithm());
    json.put("ideology", record.ideology());
    json.put("file_type", record.fileType());
    json.put("deleted", record.deleted());
    json.put("updated_on", new BigDecimal(record.updatedMicros()).movePointLeft(6));
    json.put("created_on", instant(START_MICROS + (record.id() - 2800) * 1_000_000).toString());
    json.put("id", record.id());
    record.overrides().forEach(json::set);
    return json;
  }

  private void verification(Context ctx) throws Exception {
    if (!authorized(ctx)) {
      return;
    }
    JsonNode items = JSON.readTree(ctx.body());
    synchronized (this) {
      verifyRequests.add(items);
    }
    if (!items.isArray() || items.size() > MAX_VERIFY_ITEMS) {
      json(ctx, 400, JSON.createObjectNode().put("error", "send a list of at most " + MAX_VERIFY_ITEMS + " items"));
      return;
    }
    ArrayNode answer = JSON.createArrayNode();
    for (JsonNode item : items) {
      String type = item.path("hash_type").asText();
      String value = item.path("hash_value").asText();
      HashRecord match = verified(type, value, item.path("confidence").asDouble(1.0));
      ObjectNode result = answer.addObject().put("hash_value", value).put("hash_type", type).put("verified", match != null);
      if (match != null) {
        result.put("ideology", match.ideology());
      }
    }
    json(ctx, 200, answer);
  }

  private synchronized HashRecord verified(String type, String value, double confidence) {
    for (HashRecord record : records) {
      if (record.deleted() || !normalType(record.algorithm()).equals(normalType(type))) {
        continue;
      }
      if (normalType(type).equals("PDQ")) {
        double similarity = 1 - PdqHash.fromHex(record.hashDigest()).distance(PdqHash.fromHex(value)) / 256.0;
        if (similarity >= confidence) {
          return record;
        }
      } else if (record.hashDigest().equalsIgnoreCase(value)) {
        return record;
      }
    }
    return null;
  }

  private static String normalType(String type) {
    return type.toUpperCase(Locale.ROOT).replace("-", "");
  }

  private boolean authorized(Context ctx) {
    String header = ctx.header("Authorization");
    String token = header != null && header.startsWith("Bearer ") ? header.substring("Bearer ".length()) : null;
    boolean valid;
    synchronized (this) {
      valid = token != null && validTokens.contains(token);
    }
    if (refuseTokens || !valid) {
      json(ctx, 401, JSON.createObjectNode().put("detail", "Given token not valid for any token type"));
      return false;
    }
    return true;
  }

  private static void json(Context ctx, int status, JsonNode body) {
    try {
      ctx.status(status).contentType("application/json").result(JSON.writeValueAsString(body));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    beforeHeaders.countDown();
    CountDownLatch stall = midBody;
    if (stall != null) {
      stall.countDown();
    }
    app.stop();
  }
}
