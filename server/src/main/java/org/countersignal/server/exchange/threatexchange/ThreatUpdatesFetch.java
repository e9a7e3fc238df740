package org.countersignal.server.exchange.threatexchange;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.countersignal.server.exchange.ExchangeException;
import org.countersignal.server.exchange.FetchDelta;
import org.countersignal.server.exchange.FetchDelta.Update;
import org.countersignal.server.exchange.SignalExchange;

/**
 * One fetch of a privacy group's threat updates: one page of {@code threat_updates} a batch, from
 * {@code start_time} (the largest update time seen, inclusive, so the last update or two of the
 * previous fetch may come again) through the page cursors, until a page says no page follows.
 *
 * <p>The next page is asked for by its {@code after} cursor, never by following the
 * {@code paging.next} link: that link carries the access token, and following it would send the
 * token wherever the answer pointed.
 */
final class ThreatUpdatesFetch implements SignalExchange.Fetch<ThreatExchangeCheckpoint> {

  private final GraphApi graph;
  private final String group;
  private final int pageSize;
  private final long startedAt;

  /** The checkpoint after the last batch handed out (or the one the fetch resumes from). */
  private ThreatExchangeCheckpoint reached;
  private long startTime;
  private String after;
  /** Whether the next request resumes a page set begun in an earlier fetch, by its stored cursor. */
  private boolean resumingStoredCursor;
  private boolean done;

  /**
   * @param from the checkpoint to resume after, or null to fetch everything
   * @param startedAt when this fetch began, seconds since 1970 by our clock
   */
  ThreatUpdatesFetch(GraphApi graph, ThreatExchangeConfig config, ThreatExchangeCheckpoint from, long startedAt) {
    this.graph = graph;
    this.group = config.group();
    this.pageSize = config.effectivePageSize();
    this.startedAt = startedAt;
    this.reached = from == null ? new ThreatExchangeCheckpoint(0, 0, null) : from;
    if (from != null && from.paging() != null) {
      startTime = from.paging().startTime();
      after = from.paging().after();
      resumingStoredCursor = true;
    } else {
      startTime = reached.updateTime();
    }
  }

  @Override
  public FetchDelta<ThreatExchangeCheckpoint> next() {
    if (done) {
      return null;
    }
    JsonNode page = nextPage();
    JsonNode data = page.path("data");
    if (!data.isArray()) {
      throw new ExchangeException(what() + ": ThreatExchange answered a page without a data list");
    }
    List<Update> updates = new ArrayList<>(data.size());
    long updateTime = reached.updateTime();
    for (JsonNode entry : data) {
      ThreatUpdates.read(entry).ifPresent(updates::add);
      updateTime = Math.max(updateTime, ThreatUpdates.lastUpdated(entry));
    }
    JsonNode paging = page.path("paging");
    boolean more = !paging.path("next").asText("").isBlank();
    String nextCursor = paging.path("cursors").path("after").asText("");
    if (more && nextCursor.isEmpty()) {
      // Ending here would claim the group was read to its end.
      throw new ExchangeException(what() + ": ThreatExchange said more pages follow but gave no cursor to them");
    }
    if (more && nextCursor.equals(after)) {
      throw new ExchangeException(what() + ": ThreatExchange gave the same page cursor twice; stopped rather than loop");
    }
    if (more) {
      after = nextCursor;
      reached = new ThreatExchangeCheckpoint(updateTime, reached.caughtUpAt(), new ThreatExchangeCheckpoint.Paging(startTime, after));
    } else {
      done = true;
      reached = new ThreatExchangeCheckpoint(updateTime, Math.max(reached.caughtUpAt(), startedAt), null);
    }
    return new FetchDelta<>(updates, reached);
  }

  private JsonNode nextPage() {
    if (!resumingStoredCursor) {
      return graph.get(group + "/threat_updates", params(), what());
    }
    resumingStoredCursor = false;
    try {
      return graph.get(group + "/threat_updates", params(), what());
    } catch (GraphApi.Refused e) {
      if (!e.isClientError()) {
        throw e;
      }
      // A cursor kept from an earlier fetch may have expired. Starting again from the largest update
      // time seen loses nothing (start_time is inclusive); a refusal for any other reason, such as
      // a bad token, comes again and ends the fetch.
      startTime = reached.updateTime();
      after = null;
      return graph.get(group + "/threat_updates", params(), what());
    }
  }

  private Map<String, String> params() {
    Map<String, String> params = new LinkedHashMap<>();
    params.put("fields", ThreatUpdates.FIELDS);
    params.put("types", IndicatorType.requested());
    params.put("start_time", Long.toString(startTime));
    params.put("limit", Integer.toString(pageSize));
    if (after != null) {
      params.put("after", after);
    }
    return params;
  }

  private String what() {
    return "threat_updates of privacy group " + group;
  }
}
