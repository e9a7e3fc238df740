package org.countersignal.server.exchange.threatexchange;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A stand-in for Meta's Graph API as ThreatExchange offers it, for the tests: a Javalin app on
 * localhost holding one privacy group's indicators. It follows Meta's public description of
 * {@code /<privacy-group>/threat_updates} (developers.facebook.com/docs/threat-exchange/reference/
 * apis/threat-updates, Graph API v18.0): updates ordered by {@code last_updated}, {@code start_time}
 * inclusive and {@code stop_time} exclusive, a {@code types} filter, pages of {@code limit} entries
 * with {@code paging.cursors.after} and a {@code paging.next} link (carrying the token, as Meta's
 * does) while more follow, removals as {@code should_delete} entries, descriptors with owner,
 * status and reactions ({@code {key, value: "app,app"}}, as python-threatexchange reads them); the
 * {@code /threat_descriptors} search by {@code text}, {@code strict_text} and {@code type}; and
 * reacting by POSTing {@code reactions} to a descriptor ("React to Existing Data"). Refusals are
 * Graph API error bodies ({@code {"error": {message, type, code}}}).
 *
 * <p>It checks the access token, and its refusal of a wrong one repeats the token it was given, as
 * no real source should: the tests show that even then no message of ours carries it.
 *
 * <p>Switches make it misbehave from the n-th {@code threat_updates} request: an error status,
 * an answer that never comes, a body that is not JSON; or ignore the types filter, or refuse the
 * cursors it gave.
 */
final class ThreatExchangeStandIn implements AutoCloseable {

  static final String VERSION = "v21.0";
  static final String MY_APP = "1234567890123";
  static final String TOKEN = MY_APP + "|k3ptOutOfEveryMessage0123456789ab";
  static final String OTHER_APP = "9876543210987";
  static final String THIRD_APP = "5555555555555";
  static final String GROUP = "303030303030303";

  enum Misbehaviour { SERVER_ERROR, HANG, NOT_JSON }

  /** One ThreatIndicator in the group, with the group's descriptors of it. */
  static final class Indicator {
    final String id;
    final String type;
    final String indicator;
    final List<String> tags;
    final List<Descriptor> descriptors = new ArrayList<>();
    long lastUpdated;
    boolean removed;

    Indicator(String id, String type, String indicator, long lastUpdated, List<String> tags) {
      this.id = id;
      this.type = type;
      this.indicator = indicator;
      this.lastUpdated = lastUpdated;
      this.tags = tags;
    }
  }

  static final class Descriptor {
    final String id;
    final String owner;
    final String status;
    /** Reaction name to the apps that reacted so. */
    final Map<String, Set<String>> reactions = new TreeMap<>();

    Descriptor(String id, String owner, String status) {
      this.id = id;
      this.owner = owner;
      this.status = status;
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<Indicator> indicators = new ArrayList<>();
  private final List<Map<String, String>> updateQueries = new ArrayList<>();
  private final AtomicInteger updateRequests = new AtomicInteger();
  private final CountDownLatch released = new CountDownLatch(1);
  private long lastId = 1_000_000;
  private volatile Misbehaviour misbehaviour;
  private volatile int misbehaveFrom = Integer.MAX_VALUE;
  private volatile boolean typesIgnored;
  private volatile boolean cursorsRefused;
  private final Javalin app;

  ThreatExchangeStandIn() {
    this.app = Javalin.create(config -> {
      config.startup.showJavalinBanner = false;
      config.startup.showOldJavalinVersionWarning = false;
      config.routes.get("/" + VERSION + "/threat_descriptors", this::descriptorSearch);
      config.routes.get("/" + VERSION + "/{group}/threat_updates", this::threatUpdates);
      config.routes.post("/" + VERSION + "/{id}", this::reactionPost);
    }).start("127.0.0.1", 0);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + app.port() + "/" + VERSION;
  }

  /** Shares an indicator to the group: one descriptor by another member, marked malicious. */
  synchronized Indicator share(String type, String indicator, long time, String... tags) {
    Indicator shared = entry(type, indicator, time, tags);
    describe(shared, OTHER_APP, "MALICIOUS", time);
    return shared;
  }

  /** An indicator with no descriptor yet, of any type and form (null leaves the indicator out). */
  synchronized Indicator entry(String type, String indicator, long time, String... tags) {
    Indicator entry = new Indicator(Long.toString(++lastId), type, indicator, time, List.of(tags));
    indicators.add(entry);
    return entry;
  }

  synchronized Descriptor describe(Indicator indicator, String owner, String status, long time) {
    Descriptor descriptor = new Descriptor(Long.toString(++lastId), owner, status);
    indicator.descriptors.add(descriptor);
    indicator.lastUpdated = time;
    return descriptor;
  }

  synchronized void react(Descriptor descriptor, String app, String reaction) {
    descriptor.reactions.computeIfAbsent(reaction, r -> new LinkedHashSet<>()).add(app);
  }

  /** Removes the indicator from the group: from now on it is a deletion entry. */
  synchronized void remove(Indicator indicator, long time) {
    indicator.removed = true;
    indicator.lastUpdated = time;
  }

  /** Its descriptors go out of sight without the entry saying {@code should_delete}. */
  synchronized void withdrawDescriptors(Indicator indicator, long time) {
    indicator.descriptors.clear();
    indicator.lastUpdated = time;
  }

  synchronized Map<String, Set<String>> reactionsOn(Descriptor descriptor) {
    Map<String, Set<String>> copy = new TreeMap<>();
    descriptor.reactions.forEach((k, v) -> copy.put(k, Set.copyOf(v)));
    return copy;
  }

  /** From the {@code n}-th request for threat updates (from 1), misbehave {@code how}. */
  void misbehave(Misbehaviour how, int n) {
    misbehaviour = how;
    misbehaveFrom = n;
  }

  void ignoreTypesFilter() {
    typesIgnored = true;
  }

  /** Refuses any request with a cursor, as a source does one it no longer knows. */
  void refuseCursors() {
    cursorsRefused = true;
  }

  /** The query parameters of every request for threat updates so far, in order. */
  synchronized List<Map<String, String>> updateQueries() {
    return List.copyOf(updateQueries);
  }

  @Override
  public void close() {
    released.countDown();
    app.stop();
  }

  private void threatUpdates(Context ctx) throws InterruptedException {
    int n = updateRequests.incrementAndGet();
    Map<String, String> query = new LinkedHashMap<>();
    ctx.queryParamMap().forEach((k, v) -> query.put(k, v.isEmpty() ? "" : v.get(0)));
    synchronized (this) {
      updateQueries.add(query);
    }
    if (n >= misbehaveFrom) {
      switch (misbehaviour) {
        case SERVER_ERROR -> {
          error(ctx, 500, "An unexpected error has occurred. Please retry your request later.", "OAuthException", 2);
          return;
        }
        case HANG -> released.await(60, TimeUnit.SECONDS);
        case NOT_JSON -> {
          ctx.status(200).contentType("application/json").result("{\"data\": [{\"id\": \"1\", \"indicator\": ");
          return;
        }
      }
    }
    if (!tokenAccepted(ctx, query.get("access_token"))) {
      return;
    }
    String group = ctx.pathParam("group");
    if (!group.equals(GROUP)) {
      error(ctx, 400, "Unsupported get request. Object with ID '" + group + "' does not exist, cannot be loaded due to missing"
          + " permissions, or does not support this operation.", "GraphMethodException", 100);
      return;
    }
    String after = query.get("after");
    if (after != null && cursorsRefused) {
      error(ctx, 400, "Invalid cursor", "GraphMethodException", 100);
      return;
    }
    long start = Long.parseLong(query.getOrDefault("start_time", "0"));
    long stop = query.containsKey("stop_time") ? Long.parseLong(query.get("stop_time")) : Long.MAX_VALUE;
    Set<String> types = query.containsKey("types") && !typesIgnored ? Set.of(query.get("types").split(",")) : null;
    int limit = Math.min(1000, Integer.parseInt(query.getOrDefault("limit", "25")));

    List<Indicator> window;
    synchronized (this) {
      window = indicators.stream()
          .filter(i -> i.lastUpdated >= start && i.lastUpdated < stop)
          .filter(i -> types == null || types.contains(i.type))
          .filter(i -> after == null || compare(i, after) > 0)
          .sorted(Comparator.<Indicator>comparingLong(i -> i.lastUpdated).thenComparingLong(i -> Long.parseLong(i.id)))
          .toList();
    }
    List<Indicator> page = window.subList(0, Math.min(limit, window.size()));
    ObjectNode body = JSON.createObjectNode();
    ArrayNode data = body.putArray("data");
    synchronized (this) {
      page.forEach(i -> data.add(entry(i)));
    }
    if (!page.isEmpty()) {
      ObjectNode paging = body.putObject("paging");
      ObjectNode cursors = paging.putObject("cursors");
      cursors.put("before", cursor(page.get(0)));
      cursors.put("after", cursor(page.get(page.size() - 1)));
      if (window.size() > page.size()) {
        Map<String, String> next = new LinkedHashMap<>(query);
        next.put("after", cursor(page.get(page.size() - 1)));
        paging.put("next", baseUrl() + "/" + group + "/threat_updates/?" + next.entrySet().stream()
            .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
            .collect(Collectors.joining("&")));
      }
    }
    ctx.status(200).contentType("application/json").result(body.toString());
  }

  private void descriptorSearch(Context ctx) {
    if (!tokenAccepted(ctx, ctx.queryParam("access_token"))) {
      return;
    }
    String text = ctx.queryParam("text");
    String type = ctx.queryParam("type");
    boolean strict = "true".equals(ctx.queryParam("strict_text"));
    ObjectNode body = JSON.createObjectNode();
    ArrayNode data = body.putArray("data");
    synchronized (this) {
      for (Indicator indicator : indicators) {
        boolean textMatches = indicator.indicator != null && (strict ? indicator.indicator.equals(text) : indicator.indicator.contains(text));
        if (indicator.removed || !textMatches || (type != null && !type.equals(indicator.type))) {
          continue;
        }
        for (Descriptor descriptor : indicator.descriptors) {
          ObjectNode found = data.addObject();
          found.put("id", descriptor.id);
          found.putObject("owner").put("id", descriptor.owner);
        }
      }
    }
    ctx.status(200).contentType("application/json").result(body.toString());
  }

  private void reactionPost(Context ctx) {
    String token = ctx.formParam("access_token") != null ? ctx.formParam("access_token") : ctx.queryParam("access_token");
    if (!tokenAccepted(ctx, token)) {
      return;
    }
    String id = ctx.pathParam("id");
    String reactions = ctx.formParam("reactions") != null ? ctx.formParam("reactions") : ctx.queryParam("reactions");
    synchronized (this) {
      for (Indicator indicator : indicators) {
        for (Descriptor descriptor : indicator.descriptors) {
          if (descriptor.id.equals(id)) {
            for (String reaction : reactions == null ? new String[0] : reactions.split(",")) {
              react(descriptor, token.substring(0, token.indexOf('|')), reaction.strip());
            }
            // A change of reactions is an update of the indicator, moved to the end of the list.
            indicator.lastUpdated = indicators.stream().mapToLong(i -> i.lastUpdated).max().orElse(0) + 1;
            ctx.status(200).contentType("application/json").result("{\"success\": true}");
            return;
          }
        }
      }
    }
    error(ctx, 400, "Unsupported post request. Object with ID '" + id + "' does not exist", "GraphMethodException", 100);
  }

  private boolean tokenAccepted(Context ctx, String token) {
    if (TOKEN.equals(token)) {
      return true;
    }
    error(ctx, 400, "Invalid OAuth access token - Cannot parse access token: " + token, "OAuthException", 190);
    return false;
  }

  private static void error(Context ctx, int status, String message, String type, int code) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode error = body.putObject("error");
    error.put("message", message);
    error.put("type", type);
    error.put("code", code);
    error.put("fbtrace_id", "AbCdEfGhIjK");
    ctx.status(status).contentType("application/json").result(body.toString());
  }

  private static ObjectNode entry(Indicator indicator) {
    ObjectNode entry = JSON.createObjectNode();
    entry.put("id", indicator.id);
    if (indicator.indicator != null) {
      entry.put("indicator", indicator.indicator);
    }
    entry.put("type", indicator.type);
    entry.put("last_updated", indicator.lastUpdated);
    entry.put("should_delete", indicator.removed);
    ArrayNode tags = entry.putArray("tags");
    indicator.tags.forEach(tags::add);
    // An empty connection is left out, as the Graph API does.
    if (!indicator.removed && !indicator.descriptors.isEmpty()) {
      ArrayNode descriptors = entry.putObject("descriptors").putArray("data");
      for (Descriptor descriptor : indicator.descriptors) {
        ObjectNode d = descriptors.addObject();
        d.put("id", descriptor.id);
        d.putObject("owner").put("id", descriptor.owner);
        d.put("status", descriptor.status);
        ArrayNode reactions = d.putArray("reactions");
        descriptor.reactions.forEach((reaction, apps) -> reactions.addObject().put("key", reaction).put("value", String.join(",", apps)));
      }
    }
    return entry;
  }

  /** An opaque cursor naming one place in the update order. */
  private static String cursor(Indicator indicator) {
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((indicator.lastUpdated + ":" + indicator.id).getBytes(StandardCharsets.UTF_8));
  }

  private static int compare(Indicator indicator, String cursor) {
    long[] place = Arrays.stream(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split(":"))
        .mapToLong(Long::parseLong).toArray();
    int byTime = Long.compare(indicator.lastUpdated, place[0]);
    return byTime != 0 ? byTime : Long.compare(Long.parseLong(indicator.id), place[1]);
  }
}
