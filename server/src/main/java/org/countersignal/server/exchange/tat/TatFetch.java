package org.countersignal.server.exchange.tat;

import static org.countersignal.server.exchange.tat.TatClient.SOURCE;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.countersignal.server.exchange.ExchangeException;
import org.countersignal.server.exchange.FetchDelta;
import org.countersignal.server.exchange.FetchDelta.Update;
import org.countersignal.server.exchange.SignalExchange;

/**
 * The hash list one page a batch. Each page is asked for after the cursor the previous page ended
 * at, rather than by following the page's {@code next} link: an offset into a list that changes
 * while it is read skips a record each time one moves to its end, and a link is an address the
 * source chose, to which the token would go along. A page's {@code checkpoint} is the cursor after
 * its last record, and becomes the batch's checkpoint; {@code next: null} says it was the last.
 */
final class TatFetch implements SignalExchange.Fetch<TatCheckpoint> {

  private final TatClient client;
  private final int pageSize;
  private TatCheckpoint position;
  private boolean finished;

  /** @param position where the last applied batch ended; null to fetch from the start */
  TatFetch(TatClient client, int pageSize, TatCheckpoint position) {
    this.client = client;
    this.pageSize = pageSize;
    this.position = position;
  }

  @Override
  public FetchDelta<TatCheckpoint> next() {
    if (finished) {
      return null;
    }
    JsonNode page = client.hashListPage(position == null ? null : position.cursor(), pageSize);
    JsonNode records = page.get("results");
    if (records == null || !records.isArray()) {
      throw new ExchangeException(SOURCE + " answered a hash list page without a results list");
    }
    if (records.isEmpty()) {
      finished = true;
      return null;
    }
    TatCheckpoint after = checkpointAfter(page);
    List<Update> updates = new ArrayList<>(records.size());
    for (JsonNode record : records) {
      Update update = TatRecords.update(record);
      if (update != null) {
        updates.add(update);
      }
    }
    position = after;
    // Only an explicit null ends the fetch here; a page that leaves it out is followed by one more
    // request, which an empty page answers.
    JsonNode next = page.get("next");
    finished = next != null && next.isNull();
    return new FetchDelta<>(updates, after);
  }

  private TatCheckpoint checkpointAfter(JsonNode page) {
    JsonNode value = page.get("checkpoint");
    if (value == null || !value.isTextual()) {
      throw new ExchangeException(SOURCE + " answered a hash list page without the checkpoint to resume after it");
    }
    TatCheckpoint after;
    try {
      after = new TatCheckpoint(value.asText());
    } catch (IllegalArgumentException e) {
      throw new ExchangeException(SOURCE + " answered a hash list page with an unreadable checkpoint: " + e.getMessage());
    }
    if (position != null && (after.cursor().equals(position.cursor()) || after.progress().isBefore(position.progress()))) {
      // Asking after it again would be answered with the same page, for ever.
      throw new ExchangeException(SOURCE + " answered a hash list page that ends at '" + after.cursor()
          + "', not after the cursor '" + position.cursor() + "' it was asked for");
    }
    return after;
  }
}
