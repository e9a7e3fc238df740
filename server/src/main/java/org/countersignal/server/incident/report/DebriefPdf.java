package org.countersignal.server.incident.report;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;
import org.countersignal.server.incident.TimelineEvent;

/**
 * A debrief as a PDF (A4): the facts and summary first, the two charts, then the tables (figures
 * per span, what was shared, the timeline, the variants), each flowing over as many pages as it
 * needs with its header repeated. Set in the standard PDF fonts (Helvetica, Courier), which every
 * reader has and which need no font file; they hold only the Latin characters of Windows-1252, so
 * any other character (an Arabic name, say) is printed as '?' here. The HTML and JSON forms of
 * the debrief carry the text as it was given.
 */
public final class DebriefPdf {

  private static final PDFont REGULAR = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
  private static final PDFont BOLD = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
  private static final PDFont MONO = new PDType1Font(Standard14Fonts.FontName.COURIER);
  private static final Color INK = new Color(0x222222);
  private static final Color MUTED = new Color(0x666666);
  private static final Color RULE = new Color(0xCCCCCC);
  private static final Color SHADE = new Color(0xF3F3F3);
  private static final Color DRAFT = new Color(0xB03A00);
  private static final float MARGIN = 50;
  private static final float FOOTER = 56;
  private static final float TABLE_SIZE = 8.5f;
  /** Whether a standard font can show a character, by font and code point; a few hundred entries at most in practice. */
  private static final Map<String, Boolean> ENCODABLE = new ConcurrentHashMap<>();

  private DebriefPdf() {}

  /** The Content-Disposition under which incident {@code id}'s debrief is downloaded. */
  public static String attachment(long id) {
    return "attachment; filename=\"incident-" + id + "-debrief.pdf\"";
  }

  public static byte[] render(Debrief debrief) {
    try (PDDocument document = new PDDocument()) {
      PDDocumentInformation info = document.getDocumentInformation();
      info.setTitle(safe(REGULAR, "Debrief: " + DebriefText.title(debrief)));
      info.setProducer("Countersignal");
      // The time it was made, not the time it was drawn: the same debrief gives the same file.
      Calendar made = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
      made.setTimeInMillis(java.time.Instant.parse(debrief.madeAt()).toEpochMilli());
      info.setCreationDate(made);
      Pages pages = new Pages(document);
      write(debrief, pages);
      pages.close();
      pages.footers("Countersignal  \u00b7  " + DebriefText.title(debrief) + "  \u00b7  debrief" + (debrief.draft() ? " (DRAFT)" : ""));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Debrief debrief, Pages pages) throws IOException {
    IncidentFigures figures = debrief.figures();
    pages.text("INCIDENT DEBRIEF" + (debrief.draft() ? "  \u00b7  DRAFT" : ""), BOLD, 9, debrief.draft() ? DRAFT : MUTED);
    pages.space(4);
    pages.paragraph(DebriefText.title(debrief), BOLD, 20, INK);
    pages.space(4);
    pages.paragraph(DebriefText.standing(debrief), debrief.draft() ? BOLD : REGULAR, 10, debrief.draft() ? DRAFT : MUTED);
    pages.space(10);
    pages.lines(DebriefText.facts(debrief));
    String description = debrief.incident().description();
    if (description != null && !description.isBlank()) {
      pages.space(8);
      pages.paragraph(description, REGULAR, 10, INK);
    }
    pages.heading("Summary");
    pages.lines(DebriefText.summary(debrief));

    pages.newPage();
    pages.heading("How it spread");
    pages.image(SpreadCharts.matches(figures, 2));
    pages.space(12);
    pages.image(SpreadCharts.peers(figures, 2));
    pages.heading("By peer");
    if (figures.peers().isEmpty()) {
      pages.paragraph("No peer reported matches.", REGULAR, 10, MUTED);
    } else {
      Table byPeer = new Table(new String[] {"Peer", "Matches", "First reported (UTC)", "Busiest " + figures.bucket() + " (UTC)"},
          new float[] {0.4f, 0.14f, 0.23f, 0.23f}, new boolean[] {false, true, false, false});
      for (IncidentFigures.Peer peer : figures.peers()) {
        byPeer.row(peer.peer(), Long.toString(peer.matches()), DebriefText.span(peer.firstReported(), figures.bucket()),
            DebriefText.span(peer.busiest(), figures.bucket()));
      }
      pages.table(byPeer);
    }

    pages.heading("Figures per " + figures.bucket());
    Table spans = new Table(new String[] {DebriefText.spanHeading(figures.bucket()), "Matches here", "Uploads stopped", "Peer matches", "Peers"},
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
    spans.total = true;
    pages.table(spans);

    pages.heading("What was shared");
    pages.paragraph(DebriefHtml.sharedIntro(debrief), REGULAR, 10, INK);
    if (!debrief.shared().isEmpty()) {
      pages.space(6);
      Table shared = new Table(new String[] {"Added (UTC)", "Type", "Signal", "Origin"}, new float[] {0.2f, 0.1f, 0.5f, 0.2f},
          new boolean[] {false, false, false, false});
      shared.mono(2);
      for (Debrief.SharedEntry entry : capped(debrief.shared())) {
        shared.row(DebriefText.shortTime(entry.at()), entry.signalType(), entry.signal(), DebriefText.origin(entry.origin()));
      }
      pages.table(shared);
      more(pages, debrief.shared().size(), "entries");
    }

    pages.heading("Timeline");
    Table timeline = new Table(new String[] {"Time (UTC)", "Event", "By", "Detail"}, new float[] {0.2f, 0.17f, 0.13f, 0.5f},
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
      Table variants = new Table(new String[] {"First seen (UTC)", "Type", "Signal", "Distance", "Entry", "Uploads"},
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

  private static void more(Pages pages, int size, String what) throws IOException {
    if (size > DebriefText.MAX_ROWS) {
      pages.space(4);
      pages.paragraph((size - DebriefText.MAX_ROWS) + " more " + what + " are in the JSON debrief.", REGULAR, 9, MUTED);
    }
  }

  /** {@code text} as {@code font} can show it: characters it cannot encode become '?', control characters spaces. */
  static String safe(PDFont font, String text) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(text.length());
    text.codePoints().forEach(cp -> {
      if (Character.isISOControl(cp)) {
        out.append(' ');
      } else if (ENCODABLE.computeIfAbsent(font.getName() + ":" + cp, key -> encodable(font, cp))) {
        out.appendCodePoint(cp);
      } else {
        out.append('?');
      }
    });
    return out.toString();
  }

  private static boolean encodable(PDFont font, int cp) {
    try {
      font.encode(new String(Character.toChars(cp)));
      return true;
    } catch (IllegalArgumentException | IOException e) {
      return false;
    }
  }

  /** A table's columns (share of the width, right-aligned or not, monospace or not) and its rows. */
  private static final class Table {

    static final int MAX_CELL = 400;

    final String[] headers;
    final float[] shares;
    final boolean[] right;
    final boolean[] mono;
    final List<String[]> rows = new ArrayList<>();
    /** Rows drawn in grey (a span when nothing was counted), by index; the last row in bold when it is a total. */
    final java.util.Set<Integer> quiet = new java.util.HashSet<>();
    boolean total;

    Table(String[] headers, float[] shares, boolean[] right) {
      this.headers = headers;
      this.shares = shares;
      this.right = right;
      this.mono = new boolean[headers.length];
    }

    void quietRow() {
      quiet.add(rows.size() - 1);
    }

    void mono(int column) {
      mono[column] = true;
    }

    /** A row; a cell longer than {@link #MAX_CELL} characters (a long text signal) is cut, so a row never outgrows a page. */
    void row(String... cells) {
      String[] cut = new String[cells.length];
      for (int c = 0; c < cells.length; c++) {
        String cell = cells[c] == null ? "" : cells[c];
        cut[c] = cell.length() <= MAX_CELL ? cell : cell.substring(0, MAX_CELL) + "\u2026";
      }
      rows.add(cut);
    }
  }

  /** A table row's look: the header on a band, a total in bold, the rest plain. */
  private enum Style {
    HEADER,
    TOTAL,
    PLAIN
  }

  /** Pages written top to bottom: a cursor, and a new page whenever what comes next does not fit. */
  private static final class Pages {

    private static final PDRectangle SIZE = PDRectangle.A4;
    private final PDDocument document;
    private final float width = SIZE.getWidth() - 2 * MARGIN;
    private PDPageContentStream content;
    private float y;

    Pages(PDDocument document) throws IOException {
      this.document = document;
      newPage();
    }

    void newPage() throws IOException {
      if (content != null) {
        content.close();
      }
      PDPage page = new PDPage(SIZE);
      document.addPage(page);
      content = new PDPageContentStream(document, page);
      y = SIZE.getHeight() - MARGIN;
    }

    void close() throws IOException {
      content.close();
    }

    private boolean fits(float height) {
      return y - height >= FOOTER;
    }

    private void need(float height) throws IOException {
      if (!fits(height)) {
        newPage();
      }
    }

    void space(float height) {
      y -= height;
    }

    /** A section heading, on a new page unless there is room for it and a few lines after it. */
    void heading(String text) throws IOException {
      y -= 18;
      need(70);
      text(text, BOLD, 14, INK);
      y -= 4;
      content.setStrokingColor(RULE);
      content.setLineWidth(0.75f);
      content.moveTo(MARGIN, y);
      content.lineTo(MARGIN + width, y);
      content.stroke();
      y -= 10;
    }

    /** One line of text at the cursor. */
    void text(String text, PDFont font, float size, Color colour) throws IOException {
      need(size * 1.3f);
      y -= size;
      show(text, font, size, colour, MARGIN, y);
      y -= size * 0.3f;
    }

    void paragraph(String text, PDFont font, float size, Color colour) throws IOException {
      for (String line : wrap(text, font, size, width)) {
        text(line, font, size, colour);
      }
    }

    /** Labels and values in two columns. */
    void lines(List<DebriefText.Line> lines) throws IOException {
      float labelWidth = 150;
      float size = 10;
      float leading = size * 1.35f;
      for (DebriefText.Line line : lines) {
        List<String> values = wrap(line.value(), REGULAR, size, width - labelWidth);
        need(leading * values.size());
        show(line.label(), BOLD, size, INK, MARGIN, y - size);
        for (String value : values) {
          show(value, REGULAR, size, INK, MARGIN + labelWidth, y - size);
          y -= leading;
        }
      }
    }

    /** An image across the whole width, drawn from {@code image} at its proportions. */
    void image(BufferedImage image) throws IOException {
      float height = width * image.getHeight() / image.getWidth();
      need(height);
      PDImageXObject drawn = LosslessFactory.createFromImage(document, image);
      y -= height;
      content.drawImage(drawn, MARGIN, y, width, height);
    }

    void table(Table table) throws IOException {
      float size = TABLE_SIZE;
      float leading = size * 1.3f;
      float pad = 3;
      float[] widths = new float[table.headers.length];
      for (int c = 0; c < widths.length; c++) {
        widths[c] = width * table.shares[c];
      }
      List<List<String>> header = cells(table.headers, widths, table, true);
      float headerHeight = height(header, leading, pad);
      need(headerHeight + leading + 2 * pad);
      row(header, widths, table, leading, pad, headerHeight, Style.HEADER, false, INK);
      boolean shade = false;
      for (int r = 0; r < table.rows.size(); r++) {
        boolean bold = table.total && r == table.rows.size() - 1;
        List<List<String>> wrapped = cells(table.rows.get(r), widths, table, bold);
        float height = height(wrapped, leading, pad);
        if (!fits(height)) {
          newPage();
          row(header, widths, table, leading, pad, headerHeight, Style.HEADER, false, INK);
        }
        if (bold) {
          content.setStrokingColor(MUTED);
          content.setLineWidth(0.75f);
          content.moveTo(MARGIN, y);
          content.lineTo(MARGIN + width, y);
          content.stroke();
        }
        row(wrapped, widths, table, leading, pad, height, bold ? Style.TOTAL : Style.PLAIN, shade && !bold,
            table.quiet.contains(r) ? MUTED : INK);
        shade = !shade;
      }
    }

    private List<List<String>> cells(String[] cells, float[] widths, Table table, boolean header) throws IOException {
      List<List<String>> wrapped = new ArrayList<>();
      for (int c = 0; c < cells.length; c++) {
        wrapped.add(wrap(cells[c], font(table, c, header), TABLE_SIZE, widths[c] - 6));
      }
      return wrapped;
    }

    private static PDFont font(Table table, int column, boolean header) {
      return header ? BOLD : table.mono[column] ? MONO : REGULAR;
    }

    private static float height(List<List<String>> cells, float leading, float pad) {
      int lines = 1;
      for (List<String> cell : cells) {
        lines = Math.max(lines, cell.size());
      }
      return lines * leading + 2 * pad;
    }

    private void row(List<List<String>> cells, float[] widths, Table table, float leading, float pad, float height, Style style,
        boolean shade, Color colour) throws IOException {
      if (style == Style.HEADER || shade) {
        content.setNonStrokingColor(style == Style.HEADER ? new Color(0xE6E6E6) : SHADE);
        content.addRect(MARGIN, y - height, width, height);
        content.fill();
      }
      float x = MARGIN;
      for (int c = 0; c < cells.size(); c++) {
        PDFont font = font(table, c, style != Style.PLAIN);
        float baseline = y - pad - TABLE_SIZE;
        for (String line : cells.get(c)) {
          float lineX = x + 3;
          if (table.right[c]) {
            lineX = x + widths[c] - 3 - font.getStringWidth(safe(font, line)) / 1000 * TABLE_SIZE;
          }
          show(line, font, TABLE_SIZE, colour, lineX, baseline);
          baseline -= leading;
        }
        x += widths[c];
      }
      y -= height;
    }

    private void show(String text, PDFont font, float size, Color colour, float x, float baseline) throws IOException {
      content.beginText();
      content.setFont(font, size);
      content.setNonStrokingColor(colour);
      content.newLineAtOffset(x, baseline);
      content.showText(safe(font, text));
      content.endText();
    }

    /** The page's footer on every page: what the document is, and "page n of m". */
    void footers(String title) throws IOException {
      int count = document.getNumberOfPages();
      for (int i = 0; i < count; i++) {
        PDPage page = document.getPage(i);
        try (PDPageContentStream footer = new PDPageContentStream(document, page, PDPageContentStream.AppendMode.APPEND, true, true)) {
          footer.setStrokingColor(RULE);
          footer.setLineWidth(0.5f);
          footer.moveTo(MARGIN, 40);
          footer.lineTo(MARGIN + width, 40);
          footer.stroke();
          String left = fit(title, REGULAR, 8, width - 80);
          String right = "page " + (i + 1) + " of " + count;
          footer.beginText();
          footer.setFont(REGULAR, 8);
          footer.setNonStrokingColor(MUTED);
          footer.newLineAtOffset(MARGIN, 28);
          footer.showText(safe(REGULAR, left));
          footer.endText();
          footer.beginText();
          footer.setFont(REGULAR, 8);
          footer.setNonStrokingColor(MUTED);
          footer.newLineAtOffset(MARGIN + width - REGULAR.getStringWidth(right) / 1000 * 8, 28);
          footer.showText(right);
          footer.endText();
        }
      }
    }

    /** {@code text} cut with an ellipsis to {@code max} points. */
    private static String fit(String text, PDFont font, float size, float max) throws IOException {
      String safe = safe(font, text);
      if (font.getStringWidth(safe) / 1000 * size <= max) {
        return safe;
      }
      String cut = safe;
      while (!cut.isEmpty() && font.getStringWidth(cut + "\u2026") / 1000 * size > max) {
        cut = cut.substring(0, cut.length() - 1);
      }
      return cut + "\u2026";
    }

    /** Lines of at most {@code max} points: broken at spaces, and inside a word (a hash) that is longer than a line. */
    static List<String> wrap(String text, PDFont font, float size, float max) throws IOException {
      List<String> lines = new ArrayList<>();
      for (String paragraph : safeLines(font, text)) {
        StringBuilder line = new StringBuilder();
        for (String word : paragraph.split(" ", -1)) {
          String candidate = line.isEmpty() ? word : line + " " + word;
          if (width(font, size, candidate) <= max) {
            line.setLength(0);
            line.append(candidate);
            continue;
          }
          if (!line.isEmpty()) {
            lines.add(line.toString());
            line.setLength(0);
          }
          // Too long for a line of its own: as many characters as fit, then the next line.
          float used = 0;
          for (int i = 0; i < word.length(); ) {
            int cp = word.codePointAt(i);
            float w = width(font, size, new String(Character.toChars(cp)));
            if (used + w > max && !line.isEmpty()) {
              lines.add(line.toString());
              line.setLength(0);
              used = 0;
            }
            line.appendCodePoint(cp);
            used += w;
            i += Character.charCount(cp);
          }
        }
        lines.add(line.toString());
      }
      return lines;
    }

    /** The text's lines (a description keeps its paragraphs), each made showable. */
    private static List<String> safeLines(PDFont font, String text) {
      List<String> lines = new ArrayList<>();
      for (String line : (text == null ? "" : text).split("\r?\n", -1)) {
        lines.add(safe(font, line));
      }
      return lines;
    }

    private static float width(PDFont font, float size, String text) throws IOException {
      return font.getStringWidth(text) / 1000 * size;
    }
  }
}
