package org.countersignal.server.incident.report;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.countersignal.server.incident.TimelineEvent;

/**
 * A debrief as its HTML page shows it ({@code src/main/jte/incident/report/debrief.jte}): times,
 * spans and events already in a coordinator's words, the charts drawn, the long lists cut at
 * {@link DebriefText#MAX_ROWS}. Names, descriptions and signals are kept as users and peers wrote
 * them; the template escapes them.
 *
 * @param description the incident's description, null when it has none worth a paragraph
 * @param bucket the length of each span ({@code hour}, {@code day}, {@code week}), as the headings say it
 * @param matchesChart the matches-here chart, a PNG in base64
 * @param peersChart the peers' chart, a PNG in base64
 * @param moreShared what the page leaves out of the shared signals, null when it shows them all;
 *     likewise {@code moreEvents} and {@code moreVariants}
 */
record DebriefPage(
    String title,
    boolean draft,
    String standing,
    List<DebriefText.Line> facts,
    String description,
    List<DebriefText.Line> summary,
    String bucket,
    String matchesChart,
    String peersChart,
    List<PeerRow> peers,
    String spanHeading,
    List<SpanRow> spans,
    Totals totals,
    String sharedIntro,
    List<SharedRow> shared,
    String moreShared,
    List<EventRow> timeline,
    String moreEvents,
    List<VariantRow> variants,
    String moreVariants,
    String madeAt) {

  /** A peer's line in the table of peers. */
  record PeerRow(String peer, long matches, String firstReported, String busiest) {}

  /**
   * One span of the figures.
   *
   * @param quiet nothing happened in it: its row is greyed so the busy spans stand out
   * @param peers who reported matches in it, with how many
   */
  record SpanRow(String start, boolean quiet, long matches, long uploadsStopped, long peerMatches, List<PeerCount> peers) {}

  record PeerCount(String peer, long matches) {}

  record Totals(long matches, long uploadsStopped, long peerMatches) {}

  record SharedRow(String at, String signalType, String signal, String origin) {}

  record EventRow(String at, String event, String who, String detail) {}

  record VariantRow(String firstSeen, String signalType, String signal, int distance, long entryId, long matches) {}

  static DebriefPage of(Debrief debrief) {
    IncidentFigures figures = debrief.figures();
    String bucket = figures.bucket();
    String description = debrief.incident().description();
    Base64.Encoder base64 = Base64.getEncoder();
    List<PeerRow> peers = figures.peers().stream().map(peer -> new PeerRow(peer.peer(), peer.matches(),
        DebriefText.span(peer.firstReported(), bucket), DebriefText.span(peer.busiest(), bucket))).toList();
    List<SharedRow> shared = capped(debrief.shared()).stream().map(entry -> new SharedRow(DebriefText.shortTime(entry.at()),
        entry.signalType(), entry.signal(), DebriefText.origin(entry.origin()))).toList();
    List<EventRow> timeline = capped(debrief.timeline()).stream().map(DebriefPage::event).toList();
    List<VariantRow> variants = capped(debrief.variants()).stream().map(variant -> new VariantRow(
        DebriefText.shortTime(variant.firstSeen()), variant.signalType(), variant.signal(), variant.distance(), variant.entryId(),
        variant.matches())).toList();
    return new DebriefPage(
        DebriefText.title(debrief),
        debrief.draft(),
        DebriefText.standing(debrief),
        DebriefText.facts(debrief),
        description == null || description.isBlank() ? null : description,
        DebriefText.summary(debrief),
        bucket,
        base64.encodeToString(SpreadCharts.matchesPng(figures)),
        base64.encodeToString(SpreadCharts.peersPng(figures)),
        peers,
        DebriefText.spanHeading(bucket),
        figures.buckets().stream().map(span -> span(span, bucket)).toList(),
        new Totals(figures.matches(), figures.uploadsStopped(), figures.peerMatches()),
        DebriefHtml.sharedIntro(debrief),
        shared,
        more(debrief.shared().size(), "entries"),
        timeline,
        more(debrief.timeline().size(), "events"),
        variants,
        more(debrief.variants().size(), "variants"),
        DebriefText.time(debrief.madeAt()));
  }

  private static SpanRow span(IncidentFigures.Bucket span, String bucket) {
    List<PeerCount> peers = new ArrayList<>();
    for (Map.Entry<String, Long> peer : span.peerMatches().entrySet()) {
      peers.add(new PeerCount(peer.getKey(), peer.getValue()));
    }
    long peerMatches = peers.stream().mapToLong(PeerCount::matches).sum();
    boolean quiet = span.matches() == 0 && span.uploadsStopped() == 0 && peerMatches == 0;
    return new SpanRow(DebriefText.span(span.start(), bucket), quiet, span.matches(), span.uploadsStopped(), peerMatches, peers);
  }

  private static EventRow event(TimelineEvent event) {
    return new EventRow(DebriefText.shortTime(event.at()), DebriefText.event(event), DebriefText.who(event), DebriefText.detail(event));
  }

  private static <T> List<T> capped(List<T> rows) {
    return rows.size() <= DebriefText.MAX_ROWS ? rows : rows.subList(0, DebriefText.MAX_ROWS);
  }

  /** The sentence under a list cut short, pointing to the JSON debrief that has it whole; null when nothing was cut. */
  private static String more(int size, String what) {
    return size > DebriefText.MAX_ROWS ? (size - DebriefText.MAX_ROWS) + " more " + what + " are in the JSON debrief." : null;
  }
}
