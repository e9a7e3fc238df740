package org.countersignal.server.console;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.countersignal.server.stream.StreamAlert;
import org.countersignal.server.stream.StreamState;
import org.countersignal.server.stream.StreamView;

/**
 * What the livestreams page ({@code streams.jte}) shows: one table, a stream a group of rows,
 * its alerts in a table of their own under it. External ids, accounts, bank names and labels come
 * from platforms and curators; the template escapes them. Positions in a stream are minutes and
 * seconds from its start; times are UTC.
 */
final class StreamViews {

  /** The columns of a stream's row, which its alerts' row spans. */
  static final int COLUMNS = 7;

  private StreamViews() {}

  /**
   * The page.
   *
   * @param empty what the page says when no stream is shown
   * @param more the line under a full table, or null when every stream is shown
   * @param linksIncidents whether an incident's tag links to its page (for those who may read incidents)
   */
  record Page(Viewer viewer, List<Filter> filters, String empty, List<Stream> streams, String more, boolean linksIncidents) {}

  /** A link of the state filter. */
  record Filter(String href, String text, boolean current) {}

  /** A stream's row, with its last position (null before any frame) and its alerts in the order raised. */
  record Stream(StreamView view, String lastPosition, List<Alert> alerts) {}

  /** An alert's row: where in the stream it was raised, and how near it came (null when the alert says neither). */
  record Alert(StreamAlert alert, String position, String match) {}

  static Page page(Viewer viewer, List<StreamView> streams, String state) {
    List<Filter> filters = new ArrayList<>();
    filters.add(new Filter("/console/streams", "all", state == null));
    for (StreamState s : StreamState.values()) {
      filters.add(new Filter("/console/streams?state=" + s.wireName(), s.wireName(), s.wireName().equals(state)));
    }
    String empty = state == null ? "No streams yet." : "No " + state + " streams.";
    String more = streams.size() < StreamPages.LENGTH ? null
        : "The " + StreamPages.LENGTH + " newest streams are shown" + (state == null ? ", open ones first." : ".");
    List<Stream> rows = streams.stream().map(s -> new Stream(s, s.lastSeconds() == null ? null : position(s.lastSeconds()),
        s.alerts().stream().map(a -> new Alert(a, position(a.atSeconds()), match(a))).toList())).toList();
    return new Page(viewer, filters, empty, rows, more, IncidentPages.READERS.contains(viewer.role()));
  }

  /** How near the stream came: an image's PDQ distance, or the share of the window that played the video. */
  private static String match(StreamAlert alert) {
    if (alert.distance() != null) {
      return "distance " + alert.distance();
    }
    if (alert.windowPercent() != null) {
      return BigDecimal.valueOf(alert.windowPercent()).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros().toPlainString()
          + "% of the window";
    }
    return null;
  }

  /** A position in the stream as mm:ss, whole seconds; minutes are not carried into hours, so an hour in is 60:00. */
  static String position(double seconds) {
    long whole = (long) Math.floor(seconds);
    return String.format(Locale.ROOT, "%02d:%02d", whole / 60, whole % 60);
  }
}
