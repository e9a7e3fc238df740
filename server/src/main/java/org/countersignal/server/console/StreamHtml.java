package org.countersignal.server.console;

import static org.countersignal.server.console.Html.esc;
import static org.countersignal.server.console.IncidentHtml.statusTag;
import static org.countersignal.server.console.IncidentHtml.time;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Locale;
import org.countersignal.server.stream.StreamAlert;
import org.countersignal.server.stream.StreamState;
import org.countersignal.server.stream.StreamView;

/**
 * The livestreams page: one table, a stream a group of rows, its alerts in a table of their own
 * under it. External ids, accounts, bank names and labels come from platforms and curators and
 * are escaped like everything else. Positions in a stream are minutes and seconds from its start;
 * times are UTC.
 */
final class StreamHtml {

  private static final int COLUMNS = 7;

  private StreamHtml() {}

  static String page(Viewer viewer, List<StreamView> streams, String state) {
    String content = "<h1>Livestreams</h1>"
        + "<p class=\"muted\">The streams platforms send frames of as they play, open ones first, each with what it showed that "
        + "is banked. An alert was answered to the platform in the request that sent the frame, and sent as the webhook event "
        + "<code>stream.alert</code>: stopping the stream or reviewing it is the platform's, so this page only shows them. "
        + "Alerts from an incident's bank are tagged with the incident.</p>"
        + filters(state) + table(viewer, streams, state);
    return Layout.page("Streams", viewer, "Streams", content);
  }

  private static String filters(String state) {
    StringBuilder out = new StringBuilder("<p class=\"filters\" id=\"state-filter\">Show ");
    out.append(filter("/console/streams", "all", state == null));
    for (StreamState s : StreamState.values()) {
      out.append(filter("/console/streams?state=" + s.wireName(), s.wireName(), s.wireName().equals(state)));
    }
    return out.append("</p>").toString();
  }

  private static String filter(String href, String text, boolean current) {
    return "<a href=\"" + href + "\"" + (current ? " aria-current=\"page\"" : "") + ">" + esc(text) + "</a>";
  }

  private static String table(Viewer viewer, List<StreamView> streams, String state) {
    if (streams.isEmpty()) {
      return "<p class=\"muted\" id=\"no-streams\">" + (state == null ? "No streams yet." : "No " + esc(state) + " streams.") + "</p>";
    }
    StringBuilder out = new StringBuilder("<table id=\"streams\"><thead><tr><th>stream</th><th>account</th><th>opened (UTC)</th>"
        + "<th>state</th><th>frames</th><th>last position</th><th>alerts</th></tr></thead>");
    for (StreamView stream : streams) {
      out.append("<tbody data-stream-id=\"").append(stream.id()).append("\"><tr><td>").append(orDash(stream.externalId()))
          .append("<div class=\"muted\">stream ").append(stream.id()).append("</div></td><td>").append(orDash(stream.account()))
          .append("</td><td>").append(time(stream.openedAt(), true)).append("</td><td>").append(statusTag(stream.state()))
          .append(stream.closedAt() == null ? "" : "<div class=\"muted\">" + time(stream.closedAt(), true) + "</div>")
          .append("</td><td class=\"num\">").append(stream.frames()).append("</td><td class=\"num\">")
          .append(stream.lastSeconds() == null ? "<span class=\"muted\">—</span>" : position(stream.lastSeconds()))
          .append("</td><td class=\"num\">").append(stream.alerts().size()).append("</td></tr>");
      if (!stream.alerts().isEmpty()) {
        out.append("<tr class=\"stream-alerts\"><td colspan=\"").append(COLUMNS).append("\">").append(alerts(viewer, stream.alerts()))
            .append("</td></tr>");
      }
      out.append("</tbody>");
    }
    out.append("</table>");
    if (streams.size() >= StreamPages.LENGTH) {
      out.append("<p class=\"muted\">The ").append(StreamPages.LENGTH).append(" newest streams are shown")
          .append(state == null ? ", open ones first." : ".").append("</p>");
    }
    return out.toString();
  }

  /**
   * A stream's alerts in the order they were raised. The table has no {@code tbody} of its own,
   * so the stream's group of rows ends at the first {@code </tbody>} after it.
   */
  private static String alerts(Viewer viewer, List<StreamAlert> alerts) {
    boolean linksIncidents = IncidentPages.READERS.contains(viewer.role());
    StringBuilder out = new StringBuilder("<table class=\"alerts\"><thead><tr><th>kind</th><th>bank</th><th>entry</th>"
        + "<th>incident</th><th>position</th><th>match</th><th>labels</th><th>raised (UTC)</th></tr></thead>");
    for (StreamAlert alert : alerts) {
      out.append("<tr data-alert-id=\"").append(alert.id()).append("\"").append(alert.incidentId() == null ? "" : " class=\"incident\"")
          .append("><td>").append(esc(alert.kind())).append("</td><td>")
          .append(alert.bankName() == null ? "" : esc(alert.bankName()) + " ").append("<span class=\"muted\">(bank ")
          .append(alert.bankId()).append(")</span></td><td class=\"num\">").append(alert.entryId()).append("</td><td>")
          .append(incident(alert.incidentId(), linksIncidents)).append("</td><td class=\"num\">").append(position(alert.atSeconds()))
          .append("</td><td>").append(match(alert)).append("</td><td>").append(Html.tags(alert.labels())).append("</td><td>")
          .append(time(alert.raisedAt(), true)).append("</td></tr>");
    }
    return out.append("</table>").toString();
  }

  /** The incident whose bank matched, as a tag that stands out; a link for those who may read incidents. */
  private static String incident(Long incidentId, boolean link) {
    if (incidentId == null) {
      return "<span class=\"muted\">—</span>";
    }
    String tag = "<span class=\"tag threat\">incident " + incidentId + "</span>";
    return link ? "<a href=\"/console/incidents/" + incidentId + "\">" + tag + "</a>" : tag;
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
    return "<span class=\"muted\">—</span>";
  }

  /** A position in the stream as mm:ss, whole seconds; minutes are not carried into hours, so an hour in is 60:00. */
  static String position(double seconds) {
    long whole = (long) Math.floor(seconds);
    return String.format(Locale.ROOT, "%02d:%02d", whole / 60, whole % 60);
  }

  private static String orDash(String text) {
    return text == null ? "<span class=\"muted\">—</span>" : esc(text);
  }
}
