package org.countersignal.server.incident.report;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.countersignal.server.incident.TimelineEvent;

/**
 * A debrief as one self-contained HTML page: styles inline, charts as {@code data:} images, so it
 * can be saved, mailed or printed as it is. Every value is escaped; names, descriptions and
 * signals come from users and peers.
 */
public final class DebriefHtml {

  private static final String STYLE = """
      body{font-family:system-ui,-apple-system,"Segoe UI",Helvetica,Arial,sans-serif;color:#222;margin:2rem auto;max-width:960px;padding:0 1rem;line-height:1.4}
      h1{font-size:1.6rem;margin:.2rem 0 .6rem}h2{font-size:1.2rem;margin:2rem 0 .6rem;border-bottom:1px solid #ccc;padding-bottom:.2rem}
      .kicker{color:#666;text-transform:uppercase;letter-spacing:.08em;font-size:.8rem}
      .draft{background:#fff4e5;border:1px solid #d55e00;color:#7a2e00;padding:.6rem .8rem;border-radius:4px}
      .kept{color:#555}
      table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;padding:.25rem .5rem;vertical-align:top;border-bottom:1px solid #e4e4e4}
      th{background:#f3f3f3}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
      table.facts th{width:14rem;background:none;font-weight:600}
      code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85em;word-break:break-all}
      img{max-width:100%;height:auto;border:1px solid #eee}
      .muted,tr.quiet td{color:#888}.desc{white-space:pre-wrap}
      @media print{body{margin:0;max-width:none}h2{break-after:avoid}tr{break-inside:avoid}}
      """;

  /** The page needs nothing but its own styles and images: a name that slipped past escaping could run nothing. */
  public static final String POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

  private DebriefHtml() {}

  public static String render(Debrief debrief) {
    IncidentFigures figures = debrief.figures();
    StringBuilder out = new StringBuilder(32_768);
    out.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>Debrief: ").append(esc(DebriefText.title(debrief))).append(debrief.draft() ? " (draft)" : "").append("</title>")
        .append("<style>").append(STYLE).append("</style></head><body>\n");
    out.append("<p class=\"kicker\">Incident debrief").append(debrief.draft() ? " &middot; draft" : "").append("</p>");
    out.append("<h1>").append(esc(DebriefText.title(debrief))).append("</h1>\n");
    out.append("<p class=\"").append(debrief.draft() ? "draft" : "kept").append("\">").append(esc(DebriefText.standing(debrief))).append("</p>\n");
    lines(out, DebriefText.facts(debrief));
    if (debrief.incident().description() != null && !debrief.incident().description().isBlank()) {
      out.append("<p class=\"desc\">").append(esc(debrief.incident().description())).append("</p>\n");
    }

    out.append("<h2>Summary</h2>\n");
    lines(out, DebriefText.summary(debrief));

    out.append("<h2>How it spread</h2>\n");
    out.append("<p><img alt=\"Matches here and uploads stopped per ").append(esc(figures.bucket())).append("\" width=\"")
        .append(SpreadCharts.WIDTH).append("\" height=\"").append(SpreadCharts.HEIGHT).append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(SpreadCharts.matchesPng(figures))).append("\"></p>\n");
    out.append("<p><img alt=\"Matches peers reported per ").append(esc(figures.bucket())).append("\" width=\"")
        .append(SpreadCharts.WIDTH).append("\" height=\"").append(SpreadCharts.HEIGHT).append("\" src=\"data:image/png;base64,")
        .append(Base64.getEncoder().encodeToString(SpreadCharts.peersPng(figures))).append("\"></p>\n");

    out.append("<h2>By peer</h2>\n");
    if (figures.peers().isEmpty()) {
      out.append("<p class=\"muted\">No peer reported matches.</p>\n");
    } else {
      out.append("<table><thead><tr><th>Peer</th><th class=\"n\">Matches</th><th>First reported (UTC)</th><th>Busiest ")
          .append(esc(figures.bucket())).append(" (UTC)</th></tr></thead><tbody>\n");
      for (IncidentFigures.Peer peer : figures.peers()) {
        out.append("<tr><td><bdi>").append(esc(peer.peer())).append("</bdi></td><td class=\"n\">").append(peer.matches()).append("</td><td>")
            .append(esc(DebriefText.span(peer.firstReported(), figures.bucket()))).append("</td><td>")
            .append(esc(DebriefText.span(peer.busiest(), figures.bucket()))).append("</td></tr>\n");
      }
      out.append("</tbody></table>\n");
    }

    out.append("<h2>Figures per ").append(esc(figures.bucket())).append("</h2>\n");
    out.append("<table><thead><tr><th>").append(esc(DebriefText.spanHeading(figures.bucket())))
        .append("</th><th class=\"n\">Matches here</th><th class=\"n\">Uploads stopped</th><th class=\"n\">Peer matches</th><th>Peers</th></tr></thead><tbody>\n");
    for (IncidentFigures.Bucket bucket : figures.buckets()) {
      long peers = bucket.peerMatches().values().stream().mapToLong(Long::longValue).sum();
      boolean quiet = bucket.matches() == 0 && bucket.uploadsStopped() == 0 && peers == 0;
      out.append(quiet ? "<tr class=\"quiet\"><td>" : "<tr><td>").append(esc(DebriefText.span(bucket.start(), figures.bucket())))
          .append("</td><td class=\"n\">").append(bucket.matches()).append("</td><td class=\"n\">").append(bucket.uploadsStopped())
          .append("</td><td class=\"n\">").append(peers).append("</td><td>");
      // Each name isolated, so a right-to-left name does not pull its count to the other side.
      String separator = "";
      for (Map.Entry<String, Long> peer : bucket.peerMatches().entrySet()) {
        out.append(separator).append("<bdi>").append(esc(peer.getKey())).append("</bdi> ").append(peer.getValue());
        separator = ", ";
      }
      out.append("</td></tr>\n");
    }
    out.append("<tr><th>Total</th><th class=\"n\">").append(figures.matches()).append("</th><th class=\"n\">")
        .append(figures.uploadsStopped()).append("</th><th class=\"n\">").append(figures.peerMatches()).append("</th><th></th></tr>\n");
    out.append("</tbody></table>\n");

    out.append("<h2>What was shared</h2>\n<p>").append(esc(sharedIntro(debrief))).append("</p>\n");
    if (!debrief.shared().isEmpty()) {
      out.append("<table><thead><tr><th>Added (UTC)</th><th>Type</th><th>Signal</th><th>Origin</th></tr></thead><tbody>\n");
      for (Debrief.SharedEntry entry : capped(debrief.shared())) {
        out.append("<tr><td>").append(esc(DebriefText.shortTime(entry.at()))).append("</td><td>").append(esc(entry.signalType()))
            .append("</td><td><code>").append(esc(entry.signal())).append("</code></td><td>").append(esc(DebriefText.origin(entry.origin())))
            .append("</td></tr>\n");
      }
      out.append("</tbody></table>\n");
      more(out, debrief.shared().size(), "entries");
    }

    out.append("<h2>Timeline</h2>\n");
    out.append("<table><thead><tr><th>Time (UTC)</th><th>Event</th><th>By</th><th>Detail</th></tr></thead><tbody>\n");
    for (TimelineEvent event : capped(debrief.timeline())) {
      out.append("<tr><td>").append(esc(DebriefText.shortTime(event.at()))).append("</td><td>").append(esc(DebriefText.event(event)))
          .append("</td><td>").append(esc(DebriefText.who(event))).append("</td><td>").append(esc(DebriefText.detail(event)))
          .append("</td></tr>\n");
    }
    out.append("</tbody></table>\n");
    more(out, debrief.timeline().size(), "events");

    out.append("<h2>Variants found</h2>\n");
    if (debrief.variants().isEmpty()) {
      out.append("<p class=\"muted\">No variants: every match was of a banked item as it is.</p>\n");
    } else {
      out.append("<table><thead><tr><th>First seen (UTC)</th><th>Type</th><th>Signal</th><th class=\"n\">Distance</th>")
          .append("<th class=\"n\">Entry</th><th class=\"n\">Uploads</th></tr></thead><tbody>\n");
      for (Debrief.VariantFound variant : capped(debrief.variants())) {
        out.append("<tr><td>").append(esc(DebriefText.shortTime(variant.firstSeen()))).append("</td><td>").append(esc(variant.signalType()))
            .append("</td><td><code>").append(esc(variant.signal())).append("</code></td><td class=\"n\">").append(variant.distance())
            .append("</td><td class=\"n\">").append(variant.entryId()).append("</td><td class=\"n\">").append(variant.matches())
            .append("</td></tr>\n");
      }
      out.append("</tbody></table>\n");
      more(out, debrief.variants().size(), "variants");
    }
    out.append("<p class=\"muted\">Made by Countersignal at ").append(esc(DebriefText.time(debrief.madeAt())))
        .append(". The JSON form of this debrief has every figure and event.</p>\n</body></html>\n");
    return out.toString();
  }

  private static void lines(StringBuilder out, List<DebriefText.Line> lines) {
    out.append("<table class=\"facts\"><tbody>\n");
    for (DebriefText.Line line : lines) {
      out.append("<tr><th scope=\"row\">").append(esc(line.label())).append("</th><td>").append(esc(line.value())).append("</td></tr>\n");
    }
    out.append("</tbody></table>\n");
  }

  static String sharedIntro(Debrief debrief) {
    int count = debrief.shared().size();
    String sharing = debrief.incident().sharing();
    return (count == 0 ? "No signals were" : count == 1 ? "1 signal was" : count + " signals were") + " added to the incident's bank"
        + (sharing == null ? "." : "; its sharing is " + sharing + " (" + DebriefText.sharing(sharing) + ").");
  }

  private static <T> List<T> capped(List<T> rows) {
    return rows.size() <= DebriefText.MAX_ROWS ? rows : rows.subList(0, DebriefText.MAX_ROWS);
  }

  private static void more(StringBuilder out, int size, String what) {
    if (size > DebriefText.MAX_ROWS) {
      out.append("<p class=\"muted\">").append(size - DebriefText.MAX_ROWS).append(" more ").append(what)
          .append(" are in the JSON debrief.</p>\n");
    }
  }

  /** Text and attribute values alike, quotes included. */
  static String esc(Object value) {
    return org.countersignal.server.HtmlText.escape(value);
  }
}
