package org.countersignal.server.incident.report;

import static org.countersignal.server.pdf.PdfText.BOLD;
import static org.countersignal.server.pdf.PdfText.INK;
import static org.countersignal.server.pdf.PdfText.MUTED;
import static org.countersignal.server.pdf.PdfText.REGULAR;
import static org.countersignal.server.pdf.PdfText.WARNING;

import java.io.IOException;
import java.time.Instant;
import java.util.List;
import org.countersignal.server.incident.TimelineEvent;
import org.countersignal.server.pdf.PdfPages;
import org.countersignal.server.pdf.PdfTable;
import org.countersignal.server.pdf.PdfText;

/**
 * A debrief as a PDF (A4): the facts and summary first, the two charts, then the tables (figures
 * per span, what was shared, the timeline, the variants), each flowing over as many pages as it
 * needs with its header repeated. Its text is set as {@link PdfText} says.
 */
public final class DebriefPdf {

  private DebriefPdf() {}

  /** The Content-Disposition under which incident {@code id}'s debrief is downloaded. */
  public static String attachment(long id) {
    return "attachment; filename=\"incident-" + id + "-debrief.pdf\"";
  }

  public static byte[] render(Debrief debrief) {
    return PdfPages.document("Debrief: " + DebriefText.title(debrief), Instant.parse(debrief.madeAt()),
        "Countersignal  \u00b7  " + DebriefText.title(debrief) + "  \u00b7  debrief" + (debrief.draft() ? " (DRAFT)" : ""),
        pages -> write(debrief, pages));
  }

  private static void write(Debrief debrief, PdfPages pages) throws IOException {
    IncidentFigures figures = debrief.figures();
    pages.text("INCIDENT DEBRIEF" + (debrief.draft() ? "  \u00b7  DRAFT" : ""), BOLD, 9, debrief.draft() ? WARNING : MUTED);
    pages.space(4);
    pages.paragraph(DebriefText.title(debrief), BOLD, 20, INK);
    pages.space(4);
    pages.paragraph(DebriefText.standing(debrief), debrief.draft() ? BOLD : REGULAR, 10, debrief.draft() ? WARNING : MUTED);
    pages.space(10);
    pages.lines(lines(DebriefText.facts(debrief)));
    String description = debrief.incident().description();
    if (description != null && !description.isBlank()) {
      pages.space(8);
      pages.paragraph(description, REGULAR, 10, INK);
    }
    pages.heading("Summary");
    pages.lines(lines(DebriefText.summary(debrief)));

    pages.newPage();
    pages.heading("How it spread");
    pages.image(SpreadCharts.matches(figures, 2));
    pages.space(12);
    pages.image(SpreadCharts.peers(figures, 2));
    pages.heading("By peer");
    if (figures.peers().isEmpty()) {
      pages.paragraph("No peer reported matches.", REGULAR, 10, MUTED);
    } else {
      PdfTable byPeer = new PdfTable(new String[] {"Peer", "Matches", "First reported (UTC)", "Busiest " + figures.bucket() + " (UTC)"},
          new float[] {0.4f, 0.14f, 0.23f, 0.23f}, new boolean[] {false, true, false, false});
      for (IncidentFigures.Peer peer : figures.peers()) {
        byPeer.row(peer.peer(), Long.toString(peer.matches()), DebriefText.span(peer.firstReported(), figures.bucket()),
            DebriefText.span(peer.busiest(), figures.bucket()));
      }
      pages.table(byPeer);
    }

    pages.heading("Figures per " + figures.bucket());
    PdfTable spans = new PdfTable(new String[] {DebriefText.spanHeading(figures.bucket()), "Matches here", "Uploads stopped", "Peer matches", "Peers"},
        new float[] {0.2f, 0.13f, 0.14f, 0.13f, 0.4f}, new boolean[] {false, true, true, true, false});
    for (IncidentFigures.Bucket bucket : figures.buckets()) {
      long peers = bucket.peerMatches().values().stream().mapToLong(Long::longValue).sum();
      spans.row(DebriefText.span(bucket.start(), figures.bucket()), Long.toString(bucket.matches()), Long.toString(bucket.uploadsStopped()),
          Long.toString(peers), DebriefText.peerList(bucket.peerMatches()));
      if (bucket.matches() == 0 && bucket.uploadsStopped() == 0 && peers == 0) {
        spans.quietRow();
      }
    }
    spans.row("Total", Long.toString(figures.matches()), Long.toString(figures.uploadsStopped()), Long.toString(figures.peerMatches()), "");
    spans.totalRow();
    pages.table(spans);

    pages.heading("What was shared");
    pages.paragraph(DebriefHtml.sharedIntro(debrief), REGULAR, 10, INK);
    if (!debrief.shared().isEmpty()) {
      pages.space(6);
      PdfTable shared = new PdfTable(new String[] {"Added (UTC)", "Type", "Signal", "Origin"}, new float[] {0.2f, 0.1f, 0.5f, 0.2f},
          new boolean[] {false, false, false, false});
      shared.mono(2);
      for (Debrief.SharedEntry entry : capped(debrief.shared())) {
        shared.row(DebriefText.shortTime(entry.at()), entry.signalType(), entry.signal(), DebriefText.origin(entry.origin()));
      }
      pages.table(shared);
      more(pages, debrief.shared().size(), "entries");
    }

    pages.heading("Timeline");
    PdfTable timeline = new PdfTable(new String[] {"Time (UTC)", "Event", "By", "Detail"}, new float[] {0.2f, 0.17f, 0.13f, 0.5f},
        new boolean[] {false, false, false, false});
    for (TimelineEvent event : capped(debrief.timeline())) {
      timeline.row(DebriefText.shortTime(event.at()), DebriefText.event(event), DebriefText.who(event), DebriefText.detail(event));
    }
    pages.table(timeline);
    more(pages, debrief.timeline().size(), "events");

    pages.heading("Variants found");
    if (debrief.variants().isEmpty()) {
      pages.paragraph("No variants: every match was of a banked item as it is.", REGULAR, 10, MUTED);
    } else {
      PdfTable variants = new PdfTable(new String[] {"First seen (UTC)", "Type", "Signal", "Distance", "Entry", "Uploads"},
          new float[] {0.2f, 0.08f, 0.45f, 0.09f, 0.09f, 0.09f}, new boolean[] {false, false, false, true, true, true});
      variants.mono(2);
      for (Debrief.VariantFound variant : capped(debrief.variants())) {
        variants.row(DebriefText.shortTime(variant.firstSeen()), variant.signalType(), variant.signal(), Integer.toString(variant.distance()),
            Long.toString(variant.entryId()), Long.toString(variant.matches()));
      }
      pages.table(variants);
      more(pages, debrief.variants().size(), "variants");
    }
  }

  private static <T> List<T> capped(List<T> rows) {
    return rows.size() <= DebriefText.MAX_ROWS ? rows : rows.subList(0, DebriefText.MAX_ROWS);
  }

  private static void more(PdfPages pages, int size, String what) throws IOException {
    if (size > DebriefText.MAX_ROWS) {
      pages.space(4);
      pages.paragraph((size - DebriefText.MAX_ROWS) + " more " + what + " are in the JSON debrief.", REGULAR, 9, MUTED);
    }
  }

  private static List<PdfPages.Line> lines(List<DebriefText.Line> lines) {
    return lines.stream().map(l -> new PdfPages.Line(l.label(), l.value())).toList();
  }
}
