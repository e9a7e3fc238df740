package org.countersignal.server.http;

import static org.countersignal.server.auth.Role.ADMIN;
import static org.countersignal.server.auth.Role.MATCHER;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.countersignal.server.RequestException;
import org.countersignal.server.RequestException.Kind;
import java.util.Map;
import java.util.LinkedHashMap;
import org.countersignal.server.action.ActionPipeline;
import org.countersignal.server.discovery.Discovery;
import org.countersignal.server.action.ContentInfo;
import org.countersignal.server.action.Outcome;
import org.countersignal.server.match.CancelledHit;
import org.countersignal.server.match.HitParts;
import org.countersignal.server.match.MatchHit;
import org.countersignal.server.match.VideoHit;
import org.countersignal.server.match.Matcher;
import org.countersignal.server.metrics.ServiceMetrics;
import org.countersignal.server.match.QueryParser;

/**
 * Matching by precomputed signals ({@code POST /api/v1/match}), for matchers and admins; content
 * (uploads and URLs) is hashed and matched by {@link ContentRoutes}.
 */
final class MatchRoutes {

  /** Body of POST /match. */
  record MatchRequest(Map<String, JsonNode> signals, List<Long> banks, ContentInfo content, Boolean record) {}

  /** Body of POST /match/batch: many items, each with the caller's own id, answered item by item. */
  record BatchRequest(List<BatchItem> queries, List<Long> banks, Boolean record) {}

  record BatchItem(String id, Map<String, JsonNode> signals, ContentInfo content) {}

  /** {@code cancelled}: present when a negative bank cancelled some of the item's hits. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record BatchResult(String id, List<MatchHit> matches, boolean truncated,
      @JsonInclude(JsonInclude.Include.NON_EMPTY) List<CancelledHit> cancelled, Outcome submission) {}

  static final int MAX_BATCH = 1000;

  private final Matcher matcher;
  private final QueryParser queries;
  private final RequestBodies bodies;
  private final ServiceMetrics metrics;
  private final ActionPipeline actions;
  private final HitParts parts;

  private final Discovery discovery;

  MatchRoutes(Matcher matcher, QueryParser queries, RequestBodies bodies, ServiceMetrics metrics, ActionPipeline actions, HitParts parts,
      Discovery discovery) {
    this.parts = parts;
    this.discovery = discovery;
    this.metrics = metrics;
    this.actions = actions;
    this.matcher = matcher;
    this.queries = queries;
    this.bodies = bodies;
  }

  void register(RoutesConfig routes) {
    routes.post("/api/v1/match", this::match, ADMIN, MATCHER);
    routes.post("/api/v1/match/batch", this::batch, ADMIN, MATCHER);
  }

  private void match(Context ctx) {
    MatchRequest request = bodies.json(ctx, MatchRequest.class);
    QueryParser.Parsed parsed = queries.parse(request.signals());
    List<Matcher.Query> list = parsed.queries();
    boolean video = parsed.video() != null;
    ContentInfo content = request.content() == null ? null : request.content().checked(ActionHits.typeOf(matcher.catalog(), list, video));
    Matcher.Found found = matcher.match(list, request.banks());
    List<MatchHit> hits = parts.described(found.hits(), null);
    boolean truncated = found.truncated();
    metrics.matched(list, hits);
    List<Object> matches = new ArrayList<>(hits);
    List<Object> cancelled = new ArrayList<>(found.cancelled());
    List<MatchHit> actionable = hits;
    if (video) {
      // The video's own hits share the response's cap with its digests' hits.
      int room = Math.max(0, matcher.limits().perResponse() - hits.size());
      Matcher.FoundVideos videoHits = matcher.matchVideo(parsed.video(), request.banks(), room);
      truncated |= videoHits.truncated();
      matches.addAll(videoHits.hits());
      cancelled.addAll(videoHits.cancelled());
      actionable = new ArrayList<>(hits);
      videoHits.hits().stream().map(ActionPipeline::ruleHit).forEach(actionable::add);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("matches", matches);
    body.put("truncated", truncated);
    if (!cancelled.isEmpty()) {
      body.put("cancelled", cancelled);
    }
    boolean record = ActionHits.record(ctx, request.record());
    Outcome outcome = ActionHits.submit(actions, matcher.catalog(), ctx, content, record, list, video, actionable, null, discovery);
    if (video && discovery != null && actionable.isEmpty() && (content != null || record)) {
      discovery.rememberVideo(parsed.video(), content == null ? null : content.id(),
          content == null ? null : content.account(), outcome == null ? null : outcome.submissionId());
    }
    if (outcome != null) {
      body.put("submission", outcome);
    }
    ctx.json(body);
  }

  /**
   * Every item's signals are looked up in one pass (a value several items share is looked up
   * once), then each hit goes back to the items that asked for its value. The batch as a whole
   * has a cap ({@link org.countersignal.server.match.HitLimits#perBatch}), and so has each item
   * (the cap of a single match).
   */
  private void batch(Context ctx) {
    BatchRequest request = bodies.json(ctx, BatchRequest.class);
    if (request.queries() == null || request.queries().isEmpty()) {
      throw RequestException.invalid("queries", "give at least one item");
    }
    if (request.queries().size() > MAX_BATCH) {
      throw new RequestException(Kind.TOO_LARGE, "queries", "a batch may have at most " + MAX_BATCH + " items");
    }
    List<List<Matcher.Query>> perItem = new ArrayList<>();
    List<ContentInfo> contents = new ArrayList<>();
    Set<Matcher.Query> distinct = new LinkedHashSet<>();
    for (int i = 0; i < request.queries().size(); i++) {
      BatchItem item = request.queries().get(i);
      if (item == null || item.signals() == null) {
        throw RequestException.invalid("queries[" + i + "].signals", "is required");
      }
      try {
        QueryParser.Parsed parsed = queries.parse(item.signals());
        if (parsed.video() != null) {
          throw RequestException.invalid("signals.vpdq", "match videos one at a time, with POST /api/v1/match");
        }
        perItem.add(parsed.queries());
        contents.add(item.content() == null ? null
            : item.content().checked(ActionHits.typeOf(matcher.catalog(), parsed.queries(), false)));
        distinct.addAll(parsed.queries());
      } catch (RequestException e) {
        String field = "queries[" + i + "]" + (e.field() == null ? "" : "." + e.field());
        throw new RequestException(e.kind(), field, "queries[" + i + "]: " + e.getMessage());
      }
    }
    List<Matcher.Query> all = List.copyOf(distinct);
    Matcher.Found found = matcher.match(all, request.banks(), matcher.limits().perBatch());
    List<MatchHit> hits = found.hits();
    metrics.matched(all, hits);
    Map<String, List<MatchHit>> byValue = byValue(hits, hit -> hit);
    Map<String, List<CancelledHit>> cancelledByValue = byValue(found.cancelled(), CancelledHit::hit);
    int perItemCap = matcher.limits().perResponse();
    boolean record = ActionHits.record(ctx, request.record());
    List<BatchResult> results = new ArrayList<>();
    for (int i = 0; i < perItem.size(); i++) {
      List<MatchHit> mine = new ArrayList<>();
      List<CancelledHit> myCancelled = new ArrayList<>();
      boolean truncated = false;
      for (Matcher.Query query : new LinkedHashSet<>(perItem.get(i))) {
        String key = query.type() + ":" + matcher.catalog().identity(query.type(), query.value());
        mine.addAll(byValue.getOrDefault(key, List.of()));
        myCancelled.addAll(cancelledByValue.getOrDefault(key, List.of()));
        truncated |= found.incomplete(query);
      }
      mine.sort(NEAREST_FIRST);
      if (mine.size() > perItemCap) {
        mine = new ArrayList<>(mine.subList(0, perItemCap));
        truncated = true;
      }
      BatchItem item = request.queries().get(i);
      String id = item.id() != null ? item.id() : Integer.toString(i);
      results.add(new BatchResult(id, mine, truncated, myCancelled,
          ActionHits.submit(actions, matcher.catalog(), ctx, contents.get(i), record, perItem.get(i), false, mine, null, discovery)));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("results", results);
    body.put("truncated", found.truncated() || results.stream().anyMatch(BatchResult::truncated));
    ctx.json(body);
  }

  /** {@code hits} by the query value each was found for, as {@code type:identity}. */
  private static <T> Map<String, List<T>> byValue(List<T> hits, java.util.function.Function<T, MatchHit> hitOf) {
    Map<String, List<T>> out = new HashMap<>();
    for (T hit : hits) {
      out.computeIfAbsent(hitOf.apply(hit).signalType() + ":" + hitOf.apply(hit).query(), k -> new ArrayList<>()).add(hit);
    }
    return out;
  }

  private static final java.util.Comparator<MatchHit> NEAREST_FIRST =
      java.util.Comparator.comparingInt(MatchHit::distance).thenComparingLong(MatchHit::entryId);
}
