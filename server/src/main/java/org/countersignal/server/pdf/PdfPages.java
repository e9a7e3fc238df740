package org.countersignal.server.pdf;

import static org.countersignal.server.pdf.PdfText.BOLD;
import static org.countersignal.server.pdf.PdfText.INK;
import static org.countersignal.server.pdf.PdfText.MONO;
import static org.countersignal.server.pdf.PdfText.MUTED;
import static org.countersignal.server.pdf.PdfText.REGULAR;
import static org.countersignal.server.pdf.PdfText.RULE;
import static org.countersignal.server.pdf.PdfText.SHADE;
import static org.countersignal.server.pdf.PdfText.safe;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Calendar;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.TimeZone;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * A PDF document's pages written top to bottom (A4): a cursor, and a new page whenever what comes
 * next does not fit; headings, paragraphs, label-value lines, images, tables whose header repeats
 * on each page they flow onto, and bar charts, with a footer on every page.
 */
public final class PdfPages {

  private static final float MARGIN = 50;
  private static final float FOOTER = 56;
  private static final float TABLE_SIZE = 8.5f;

  /** A label and its value, as {@link #lines} sets them side by side. */
  public record Line(String label, String value) {}

  /** A table row's look: the header on a band, a total in bold, the rest plain. */
  private enum Style {
    HEADER,
    TOTAL,
    PLAIN
  }

  /** What a document writes on its pages, top to bottom. */
  @FunctionalInterface
  public interface Content {
    void write(PdfPages pages) throws IOException;
  }

  private static final PDRectangle SIZE = PDRectangle.A4;
  private final PDDocument document;
  private final float width = SIZE.getWidth() - 2 * MARGIN;
  private PDPageContentStream content;
  private float y;

  private PdfPages(PDDocument document) throws IOException {
    this.document = document;
    newPage();
  }

  /**
   * A whole document: {@code content} on as many pages as it needs, {@code footer} on each. Its
   * information carries {@code title} and the time it was made, not the time it was drawn, so
   * the same content gives the same file.
   */
  public static byte[] document(String title, Instant madeAt, String footer, Content content) {
    try (PDDocument document = new PDDocument()) {
      PDDocumentInformation info = document.getDocumentInformation();
      info.setTitle(safe(REGULAR, title));
      info.setProducer("Countersignal");
      Calendar made = new GregorianCalendar(TimeZone.getTimeZone("UTC"));
      made.setTimeInMillis(madeAt.toEpochMilli());
      info.setCreationDate(made);
      PdfPages pages = new PdfPages(document);
      content.write(pages);
      pages.close();
      pages.footers(footer);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.save(out);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public void newPage() throws IOException {
    if (content != null) {
      content.close();
    }
    PDPage page = new PDPage(SIZE);
    document.addPage(page);
    content = new PDPageContentStream(document, page);
    y = SIZE.getHeight() - MARGIN;
  }

  private void close() throws IOException {
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

  public void space(float height) {
    y -= height;
  }

  /** A section heading, on a new page unless there is room for it and a few lines after it. */
  public void heading(String text) throws IOException {
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
  public void text(String text, PDFont font, float size, Color colour) throws IOException {
    need(size * 1.3f);
    y -= size;
    show(text, font, size, colour, MARGIN, y);
    y -= size * 0.3f;
  }

  public void paragraph(String text, PDFont font, float size, Color colour) throws IOException {
    for (String line : wrap(text, font, size, width)) {
      text(line, font, size, colour);
    }
  }

  /** Labels and values in two columns. */
  public void lines(List<Line> lines) throws IOException {
    float labelWidth = 150;
    float size = 10;
    float leading = size * 1.35f;
    for (Line line : lines) {
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
  public void image(BufferedImage image) throws IOException {
    float height = width * image.getHeight() / image.getWidth();
    need(height);
    PDImageXObject drawn = LosslessFactory.createFromImage(document, image);
    y -= height;
    content.drawImage(drawn, MARGIN, y, width, height);
  }

  /** A horizontal bar per value, scaled to the largest, its label before it and its value after it. */
  public void bars(List<String> labels, List<Long> values, Color colour) throws IOException {
    float bar = 10;
    float gap = 4;
    float labelWidth = 150;
    float numberWidth = 70;
    long max = Math.max(1, values.stream().mapToLong(Long::longValue).max().orElse(1));
    for (int i = 0; i < values.size(); i++) {
      need(bar + gap);
      float length = Math.max(1, (width - labelWidth - numberWidth) * values.get(i) / max);
      show(fit(labels.get(i), REGULAR, TABLE_SIZE, labelWidth - 8), REGULAR, TABLE_SIZE, INK, MARGIN, y - bar + 2);
      content.setNonStrokingColor(colour);
      content.addRect(MARGIN + labelWidth, y - bar, length, bar);
      content.fill();
      show(String.format(java.util.Locale.ENGLISH, "%,d", values.get(i)), REGULAR, TABLE_SIZE, MUTED, MARGIN + labelWidth + length + 4,
          y - bar + 2);
      y -= bar + gap;
    }
  }

  public void table(PdfTable table) throws IOException {
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

  private List<List<String>> cells(String[] cells, float[] widths, PdfTable table, boolean header) throws IOException {
    List<List<String>> wrapped = new ArrayList<>();
    for (int c = 0; c < cells.length; c++) {
      wrapped.add(wrap(cells[c], font(table, c, header), TABLE_SIZE, widths[c] - 6));
    }
    return wrapped;
  }

  private static PDFont font(PdfTable table, int column, boolean header) {
    return header ? BOLD : table.mono[column] ? MONO : REGULAR;
  }

  private static float height(List<List<String>> cells, float leading, float pad) {
    int lines = 1;
    for (List<String> cell : cells) {
      lines = Math.max(lines, cell.size());
    }
    return lines * leading + 2 * pad;
  }

  private void row(List<List<String>> cells, float[] widths, PdfTable table, float leading, float pad, float height, Style style,
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
  private void footers(String title) throws IOException {
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
